package sweep

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/reporter"
)

// Metrics are reporters (package reporter): a column of timeseries.csv or
// a run total, named like the column ("wechat.share_value" is the
// share_value column of platform wechat), or a function of them
// ("mean(wechat.share_value, 30..90)"). The names come from the column
// registry, sim.TimeseriesColumns and sim.RunTotals.

// Selection is a metric and the days it is read on: the last day, one day
// (Day), or a summary (Stat) over a range of days. Sweep outputs and game
// payoffs are selections, read from a table by ReadSelection.
type Selection struct {
	// Metric is a reporter: "platform.column", a run total, or a function
	// such as "mean(wechat.share_value, 30..90)"; see docs/sweeps.md.
	Metric string
	// Day, when HasDay, is the day whose value is recorded; negative days
	// count from the end (−1 is the last day).
	Day    int
	HasDay bool
	// From and To, when HasRange, bound the inclusive day range that Stat
	// summarises; negative days count from the end.
	From, To int
	HasRange bool
	// Stat is mean, min, max or sum over the range.
	Stat string

	base *reporter.Reporter // the metric alone
	rep  *reporter.Reporter // the metric with its day or range applied
}

// Stats are the summaries a selection's range can take.
var Stats = []string{"mean", "min", "max", "sum"}

// SelectionKeys are the keys ReadSelection reads.
var SelectionKeys = []string{"metric", "day", "from", "to", "stat"}

// ReadSelection reads the keys metric, day, from, to and stat of table m
// at path, reporting problems to r. perPlatform is for a game's payoff,
// read for each player's own platform: its metric names no platform. A
// sweep's metric names the platform of each platform column.
// defaultMetric stands for a missing metric key; "" makes the key required.
func ReadSelection(r *scenarios.TableReader, m map[string]any, path string, perPlatform bool, defaultMetric string) Selection {
	var o Selection
	metric, ok := r.String(m, "metric", path)
	if _, present := m["metric"]; !present {
		if defaultMetric == "" {
			r.Addf(path, "missing key metric, e.g. metric = \"wechat.share_value\"")
		}
		metric, ok = defaultMetric, defaultMetric != ""
	}
	o.Metric = metric
	if v, ok := r.Int(m, "day", path); ok {
		o.Day, o.HasDay = int(v), true
	}
	from, hasFrom := r.Int(m, "from", path)
	to, hasTo := r.Int(m, "to", path)
	_, fromPresent := m["from"]
	_, toPresent := m["to"]
	switch {
	case fromPresent != toPresent:
		missing := "to"
		if !fromPresent {
			missing = "from"
		}
		r.Addf(path, "a range needs both from and to; %s is missing", missing)
	case hasFrom && hasTo:
		o.From, o.To, o.HasRange = int(from), int(to), true
		if (from >= 0) == (to >= 0) && from > to {
			r.Addf(scenarios.JoinKey(path, "to"), "empty range: to %d is before from %d", to, from)
		}
	}
	if o.HasDay && (fromPresent || toPresent) {
		r.Addf(scenarios.JoinKey(path, "day"), "give either day or a range (from, to), not both")
	}
	if stat, ok := r.String(m, "stat", path); ok {
		switch {
		case !slices.Contains(Stats, stat):
			r.Addf(scenarios.JoinKey(path, "stat"), "%s", "want one of "+strings.Join(Stats, ", ")+", got "+strconv.Quote(stat)+scenarios.DidYouMean(stat, Stats, ""))
		case !fromPresent && !toPresent:
			r.Addf(scenarios.JoinKey(path, "stat"), "stat summarises a range: give from and to as well")
		}
		o.Stat = stat
	} else if o.HasRange {
		o.Stat = "mean"
	}
	if ok {
		if msg := o.resolve(perPlatform); msg != "" {
			r.Addf(scenarios.JoinKey(path, "metric"), "%s", msg)
		}
	}
	return o
}

// resolve parses the metric and applies the day or range; a non-empty
// message says what is wrong.
func (o *Selection) resolve(perPlatform bool) string {
	rep, msg := parseMetric(o.Metric, perPlatform)
	if msg != "" {
		return msg
	}
	o.base = rep
	switch {
	case (o.HasDay || o.HasRange) && rep.Shape() == reporter.Scalar:
		if _, total := sim.LookupTotal(rep.String()[strings.LastIndexByte(rep.String(), '.')+1:]); total {
			return o.Metric + " is a total over the run and takes no day or range"
		}
		return o.Metric + " is one number for the run and takes no day or range"
	case o.HasDay:
		rep = rep.At(o.Day)
	case o.HasRange && slices.Contains(Stats, o.Stat):
		rep = rep.Over(o.Stat, o.From, o.To)
	}
	o.rep = rep
	return ""
}

// parseMetric parses a metric; a non-empty message says what is wrong.
// perPlatform metrics name no platform; the others name one for each
// platform column.
func parseMetric(name string, perPlatform bool) (*reporter.Reporter, string) {
	rep, err := reporter.Parse(name)
	if err != nil {
		var e *reporter.Error
		if !errors.As(err, &e) {
			return nil, err.Error()
		}
		if strings.ContainsAny(name, "(,") {
			return nil, e.Msg + " (column " + strconv.Itoa(e.Col) + " of " + strconv.Quote(name) + ")"
		}
		return nil, e.Msg
	}
	if perPlatform {
		if pl := rep.Platforms(); len(pl) > 0 {
			bare := strings.ReplaceAll(name, pl[0]+".", "")
			return nil, "give the metric without a platform (" + bare + ", not " + name + "): it is read for every player's own platform"
		}
		return rep, ""
	}
	if bare := rep.Unqualified(); bare != "" {
		if bare == name {
			return nil, "unknown metric " + quote(name) + "; a platform's metric needs its name first: PLATFORM." + name
		}
		return nil, bare + " in " + quote(name) + " is a platform's metric and needs its name first: PLATFORM." + bare
	}
	return rep, ""
}

// MetricFor is the metric with platform given to every platform column and
// total that names none: a game's payoff as a sweep output of one player.
func (o *Selection) MetricFor(platform string) string {
	if o.base == nil {
		return platform + "." + o.Metric
	}
	return o.base.Qualified(platform).String()
}

// Reporter is the selection as one reporter: the metric on its day, or
// its summary over its range, or (a series) on the last day.
func (o *Selection) Reporter() *reporter.Reporter { return o.rep }

// CheckDays reports, through addf, the days of the selection outside a
// horizon of days (the shortest run); path is the selection's table.
func (o *Selection) CheckDays(days int, path string, addf func(path, msg string)) {
	check := func(key string, d int) {
		if d >= days || d < -days {
			addf(scenarios.JoinKey(path, key), "day "+strconv.Itoa(d)+" is outside the horizon of "+strconv.Itoa(days)+
				" days (days 0 to "+strconv.Itoa(days-1)+", or −1 for the last)")
		}
	}
	if o.HasDay {
		check("day", o.Day)
	}
	if o.HasRange {
		check("from", o.From)
		check("to", o.To)
		if f, t := resolveDay(o.From, days), resolveDay(o.To, days); f > t && f >= 0 && t < days {
			addf(scenarios.JoinKey(path, "to"), "empty range: day "+strconv.Itoa(t)+" is before day "+strconv.Itoa(f)+" in a run of "+strconv.Itoa(days)+" days")
		}
	}
	if o.base == nil {
		return
	}
	// Days inside the metric itself, as in at(wechat.mau, 400).
	ds, _ := o.base.Days()
	for _, d := range ds {
		if d >= days || d < -days {
			addf(scenarios.JoinKey(path, "metric"), "day "+strconv.Itoa(d)+" of "+o.Metric+" is outside the horizon of "+strconv.Itoa(days)+" days")
			return
		}
	}
}

func quote(s string) string { return `"` + s + `"` }

// resolveDay turns a possibly negative day into an index into a history of
// n days: −1 is the last.
func resolveDay(d, n int) int {
	if d < 0 {
		return n + d
	}
	return d
}

// evaluate computes a selection on a finished run for platform (a game
// player's; "" for a sweep, whose metrics name their platforms). Days
// outside the run give NaN rather than an error: a swept world.days may
// shorten some runs.
func (o *Selection) evaluate(r *sim.Result, platform string) float64 {
	return o.rep.Value(r, platform)
}
