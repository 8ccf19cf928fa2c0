package scene

import "github.com/paywars/hongbao/sim"

// A TableColumn is one column of the dashboard's table of platforms: the
// sum of some columns of timeseries.csv (sim.TimeseriesColumns), written
// by their unit. A column with no names is the snapshot's burn rate, which
// is not a column of the day.
type TableColumn struct {
	Head  string
	X     float64 // right edge, as a fraction of the table's width
	Names []string
}

// TableColumns are the dashboard table's columns after the wallet's name.
var TableColumns = []TableColumn{
	{"share", 0.36, []string{"share_value"}},
	{"bound", 0.47, []string{"card_bound"}},
	{"MAU", 0.58, []string{"mau"}},
	{"treasury", 0.72, []string{"treasury_fen"}},
	{"burn/d", 0.85, nil},
	{"subsidy/d", 1, []string{"subsidy_user_fen", "subsidy_merchant_fen", "envelopes_sponsored_fen"}},
}

// TableRow writes platform p's row of the table for today, in real units
// (times the snapshot's scale); "–" before the first day.
func TableRow(s *Snapshot, p int) []string {
	vals := make([]string, len(TableColumns))
	for i, tc := range TableColumns {
		vals[i] = "–"
		if s.Today == nil {
			continue
		}
		if tc.Names == nil {
			vals[i] = Money(s.BurnFen[p] * s.Scale)
			continue
		}
		sum, unit := 0.0, ""
		for _, n := range tc.Names {
			c, ok := sim.LookupColumn(n)
			if !ok || !c.Metric() {
				panic("scene: no metric column " + n) // a programmer's error: the names are constants above
			}
			sum += c.Value(s.Today, &s.Today.Platforms[p])
			unit = c.Unit
		}
		vals[i] = FormatUnit(unit, sum, s.Scale)
	}
	return vals
}

// FormatUnit writes a value of a column of unit (sim.Column.Unit) for a
// person: shares as percentages, money in yuan and counts compactly, both
// times scale.
func FormatUnit(unit string, v, scale float64) string {
	switch unit {
	case "share":
		return Percent(v)
	case "fen":
		return Money(v * scale)
	case "bool":
		if v != 0 {
			return "yes"
		}
		return "no"
	}
	return Count(v * scale)
}
