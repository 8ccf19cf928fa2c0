package sim

import (
	"fmt"
	"time"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// calendar turns day numbers into dates and says which events run.
type calendar struct {
	start  time.Time
	events []scenarios.Event // the scenario's plus any started live
}

func newCalendar(s *scenarios.Scenario) (calendar, error) {
	start, err := time.Parse(time.DateOnly, s.World.StartDate)
	if err != nil {
		return calendar{}, fmt.Errorf("sim: world.start_date %q is not a date (YYYY-MM-DD)", s.World.StartDate)
	}
	return calendar{start: start, events: append([]scenarios.Event(nil), s.Events...)}, nil
}

func (c *calendar) date(d int) time.Time { return c.start.AddDate(0, 0, d) }

// season is what the calendar says about one day.
type season struct {
	spending  float64   // multiplier on every payment
	envelopes float64   // multiplier on peer envelopes
	kindMul   []float64 // flash sales: extra multiplier per merchant kind
	outage    []float64 // forced failure share per platform
	flash     bool
	names     []string // events running, for reports
}

// dayFactors combines the events running on day d. Multipliers of
// overlapping events multiply; outage severities combine as independent
// failures.
func (c *calendar) dayFactors(d int, kindIndex map[string]int, nKinds int, platIndex func(string) int, nPlat int, out *season) {
	out.spending, out.envelopes, out.flash = 1, 1, false
	out.kindMul = resize(out.kindMul, nKinds, 1)
	out.outage = resize(out.outage, nPlat, 0)
	out.names = out.names[:0]
	for i := range c.events {
		e := &c.events[i]
		if d < e.Day || d >= e.Day+e.Days {
			continue
		}
		out.names = append(out.names, eventName(e))
		switch e.Kind {
		case "spring_festival":
			out.spending *= e.Spending
			m := e.Envelopes
			if d == e.Day && e.EveEnvelopes > 0 {
				m = e.EveEnvelopes
			}
			out.envelopes *= m
		case "flash_sale":
			out.flash = true
			for k := 0; k < nKinds; k++ {
				if len(e.MerchantKinds) == 0 || covers(e.MerchantKinds, kindIndex, k) {
					out.kindMul[k] *= e.Spending
				}
			}
		case "outage":
			if p := platIndex(e.Platform); p >= 0 {
				out.outage[p] = agents.CombineFailures(out.outage[p], e.Severity)
			}
		}
	}
}

func eventName(e *scenarios.Event) string {
	if e.Name != "" {
		return e.Name
	}
	return e.Kind
}

func covers(kinds []string, index map[string]int, k int) bool {
	for _, name := range kinds {
		if i, ok := index[name]; ok && i == k {
			return true
		}
	}
	return false
}

func resize(s []float64, n int, fill float64) []float64 {
	if cap(s) < n {
		s = make([]float64, n)
	}
	s = s[:n]
	for i := range s {
		s[i] = fill
	}
	return s
}
