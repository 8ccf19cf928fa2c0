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
	events []event // the scenario's plus any started live, resolved
}

func newCalendar(s *scenarios.Scenario) (calendar, error) {
	start, err := time.Parse(time.DateOnly, s.World.StartDate)
	if err != nil {
		return calendar{}, fmt.Errorf("sim: world.start_date %q is not a date (YYYY-MM-DD)", s.World.StartDate)
	}
	return calendar{start: start}, nil
}

func (c *calendar) date(d int) time.Time { return c.start.AddDate(0, 0, d) }

// eventKind is a calendar event's kind, resolved from its name.
type eventKind uint8

const (
	eventSpringFestival eventKind = iota
	eventFlashSale
	eventOutage
)

// event is a scenarios.Event with its names resolved when the world is
// built (or the event started): its kind, the merchant kinds a flash sale
// covers, the platform an outage hits.
type event struct {
	kind                 eventKind
	name                 string // shown in reports: the event's name, or its kind
	day, days            int
	spending             float64
	envelopes, eveEnvMul float64
	severity             float64
	kinds                []bool // flash sale: merchant kinds on sale
	platform             int    // outage: the platform that fails
}

// resolveEvent resolves an event's names against the world's merchant
// kinds and platforms. A flash sale that lists no kinds covers all; a
// kind it lists that the world does not have covers nothing.
func (w *World) resolveEvent(e *scenarios.Event) (event, error) {
	r := event{name: e.Name, day: e.Day, days: e.Days, spending: e.Spending, envelopes: e.Envelopes, eveEnvMul: e.EveEnvelopes, severity: e.Severity, platform: -1}
	if r.name == "" {
		r.name = e.Kind
	}
	switch e.Kind {
	case "spring_festival":
		r.kind = eventSpringFestival
	case "flash_sale":
		r.kind = eventFlashSale
		r.kinds = make([]bool, len(w.kinds))
		for k := range r.kinds {
			r.kinds[k] = len(e.MerchantKinds) == 0
		}
		for _, name := range e.MerchantKinds {
			if k, ok := w.kindIndex[name]; ok {
				r.kinds[k] = true
			}
		}
	case "outage":
		r.kind = eventOutage
		if r.platform = w.platformIndex(e.Platform); r.platform < 0 {
			return r, fmt.Errorf("sim: outage of unknown platform %q", e.Platform)
		}
	default:
		return r, fmt.Errorf("sim: unknown event kind %q", e.Kind)
	}
	return r, nil
}

// season is what the calendar says about one day.
type season struct {
	spending  float64   // multiplier on every payment
	envelopes float64   // multiplier on peer envelopes
	kindMul   []float64 // flash sales: extra multiplier per merchant kind
	outage    []float64 // forced failure share per platform
	flash     bool
	names     []string // events running, for reports
}

// dayFactors combines the events running on day d (nKinds merchant kinds,
// nPlat platforms). Multipliers of overlapping events multiply; outage
// severities combine as independent failures.
func (c *calendar) dayFactors(d, nKinds, nPlat int, out *season) {
	out.spending, out.envelopes, out.flash = 1, 1, false
	out.kindMul = resize(out.kindMul, nKinds, 1)
	out.outage = resize(out.outage, nPlat, 0)
	out.names = out.names[:0]
	for i := range c.events {
		e := &c.events[i]
		if d < e.day || d >= e.day+e.days {
			continue
		}
		out.names = append(out.names, e.name)
		switch e.kind {
		case eventSpringFestival:
			out.spending *= e.spending
			m := e.envelopes
			if d == e.day && e.eveEnvMul > 0 {
				m = e.eveEnvMul
			}
			out.envelopes *= m
		case eventFlashSale:
			out.flash = true
			for k, on := range e.kinds {
				if on {
					out.kindMul[k] *= e.spending
				}
			}
		case eventOutage:
			out.outage[e.platform] = agents.CombineFailures(out.outage[e.platform], e.severity)
		}
	}
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
