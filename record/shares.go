package record

import (
	"sort"
	"strconv"
	"time"
)

// SharePoint is a published market share that a scenario's share chart
// (each platform's share of wallet payment value) can be compared with.
type SharePoint struct {
	Figure
	// Platform is the index of the figure's platform among the
	// scenario's platforms.
	Platform int
	// From and To are the first and last day the figure covers (a year,
	// a quarter, a month or one day) and Mid the middle, where it is drawn.
	From, To, Mid time.Time
	// Share is Value as a share, 0 to 1.
	Share float64
}

// shareSeries maps a library scenario to the share series of the record
// that measure what its share chart shows, by metric and series. The
// scenario's own comments give the comparison: china-2013-2017 is the
// national market of third-party mobile payment by value (iResearch,
// Analysys); in taxi-war-2014 wechat is Didi and alipay Kuaidi, and
// Analysys's June 2014 taxi-app share is the record's only share of the
// war (of users, not of value: the note says so).
var shareSeries = map[string][]struct{ metric, series string }{
	"china-2013-2017": {{"share_value", "iresearch"}, {"share_value", "analysys"}},
	"taxi-war-2014":   {{"share_value_taxi", "analysys"}},
}

// SharePoints returns the record's share figures for a scenario named
// scenario (its world.name) that starts on start and runs days days, with
// platforms named as in its file: the figures of its series whose period
// lies within the run, whose platform it has, in percent. They are sorted
// by date, then platform. A scenario the record has no shares for has
// none, and no error.
func SharePoints(scenario string, start time.Time, days int, platforms []string) ([]SharePoint, error) {
	want := shareSeries[scenario]
	if len(want) == 0 {
		return nil, nil
	}
	all, err := All()
	if err != nil {
		return nil, err
	}
	end := start.AddDate(0, 0, days-1)
	var out []SharePoint
	for _, f := range all {
		if f.Unit != "percent" || !hasSeries(want, f.Metric, f.Series) {
			continue
		}
		p := index(platforms, f.Platform)
		if p < 0 {
			continue
		}
		from, to, ok := PeriodSpan(f.Period)
		if !ok || from.Before(start) || to.After(end) {
			continue
		}
		mid := from.Add(to.Sub(from) / 2).Truncate(24 * time.Hour)
		out = append(out, SharePoint{Figure: f, Platform: p, From: from, To: to, Mid: mid, Share: f.Value / 100})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Mid.Equal(out[j].Mid) {
			return out[i].Mid.Before(out[j].Mid)
		}
		return out[i].Platform < out[j].Platform
	})
	return out, nil
}

func hasSeries(want []struct{ metric, series string }, metric, series string) bool {
	for _, w := range want {
		if w.metric == metric && w.series == series {
			return true
		}
	}
	return false
}

func index(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// PeriodSpan returns the first and last day of a period written as the
// record writes them (YYYY, YYYYQn, YYYY-MM, YYYY-MM-DD), in UTC.
func PeriodSpan(p string) (from, to time.Time, ok bool) {
	if !validPeriod(p) {
		return time.Time{}, time.Time{}, false
	}
	y, _ := strconv.Atoi(p[:4])
	switch {
	case len(p) == 4:
		from = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(1, 0, -1), true
	case p[4] == 'Q':
		from = time.Date(y, time.Month(3*int(p[5]-'1')+1), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 3, -1), true
	case len(p) == 7:
		m, _ := strconv.Atoi(p[5:])
		from = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 1, -1), true
	default:
		d, err := time.Parse("2006-01-02", p)
		return d, d, err == nil
	}
}
