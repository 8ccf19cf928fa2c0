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
// (see [record.SharePoints]); the sources, one entry per series in the
// order of their markers ("Analysys (held out)"); and what they measure,
// when all series measure the same (else each source says it).
func RecordMarks(name string, start time.Time, days int, platforms []sim.PlatformInfo) (marks []RecordMark, sources []string, scope string, err error) {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = p.Name
	}
	pts, err := record.SharePoints(name, start, days, names)
	if err != nil || len(pts) == 0 {
		return nil, nil, "", err
	}
	dayOf := func(t time.Time) int { return int(t.Sub(start).Hours() / 24) }
	marker := map[string]int{}
	var scopes []string
	for _, p := range pts {
		m, ok := marker[p.Series]
		if !ok {
			m = len(marker)
			marker[p.Series] = m
			sources = append(sources, sourceNote(p))
			scopes = append(scopes, p.Scope)
		}
		marks = append(marks, RecordMark{Day: dayOf(p.Mid), From: dayOf(p.From), To: dayOf(p.To), Share: p.Share, Platform: p.Platform, Marker: m})
	}
	scope = scopes[0]
	for _, sc := range scopes {
		if sc != scope {
			scope = ""
			for j := range sources {
				sources[j] += ": " + scopes[j]
			}
			break
		}
	}
	return marks, sources, scope, nil
}

// sourceNote names a series by its publisher and what the project does
// with it: fitted to, or held out from the calibration.
func sourceNote(p record.SharePoint) string {
	pub, _, _ := strings.Cut(p.Publisher, " (")
	tag := "fitted"
	if p.Tag == record.Holdout {
		tag = "held out"
	}
	return pub + " (" + tag + ")"
}
