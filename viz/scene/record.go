package scene

import (
	"strings"
	"time"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/sim"
)

// RecordMark is one of the record's published shares on the share chart.
type RecordMark struct {
	// Day is where the mark stands (the middle of the period the figure
	// covers), From and To the days the period covers, in days from the
	// scenario's day 0.
	Day, From, To int
	Share         float64 // 0 to 1
	Platform      int
	Marker        int // the series' marker: 0 filled square, 1 hollow
}

// RecordMarks reads, for a scenario named name starting on start and
// running days days, the record's shares comparable with its share chart
// (see [record.SharePoints]), and a one-line note of their sources, one
// entry per series in the order of their markers.
func RecordMarks(name string, start time.Time, days int, platforms []sim.PlatformInfo) ([]RecordMark, []string, error) {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = p.Name
	}
	pts, err := record.SharePoints(name, start, days, names)
	if err != nil || len(pts) == 0 {
		return nil, nil, err
	}
	dayOf := func(t time.Time) int { return int(t.Sub(start).Hours() / 24) }
	marker := map[string]int{}
	var note []string
	var marks []RecordMark
	for _, p := range pts {
		m, ok := marker[p.Series]
		if !ok {
			m = len(marker)
			marker[p.Series] = m
			note = append(note, sourceNote(p))
		}
		marks = append(marks, RecordMark{Day: dayOf(p.Mid), From: dayOf(p.From), To: dayOf(p.To), Share: p.Share, Platform: p.Platform, Marker: m})
	}
	return marks, note, nil
}

// sourceNote names a series by its publisher, what it measures and what
// the project does with it (fit or held out).
func sourceNote(p record.SharePoint) string {
	pub, _, _ := strings.Cut(p.Publisher, " (")
	tag := "fitted"
	if p.Tag == record.Holdout {
		tag = "held out"
	}
	return pub + ", " + p.Scope + " (" + tag + ")"
}
