package scene

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz/demo"
)

// TestStopsOfTheTaxiWar: the guided mode stops the day after each key
// date of the 2014 war as the file schedules it, e.g. Didi's 10-yuan
// offer from 10 Jan (day 9) and the riders' subsidies ending on 16 May.
func TestStopsOfTheTaxiWar(t *testing.T) {
	s, err := scenarios.Load("taxi-war-2014", nil)
	require.NoError(t, err)
	stops := Stops(s)
	require.NotEmpty(t, stops)
	byDay := map[int]Stop{}
	for i, st := range stops {
		if i > 0 {
			assert.Greater(t, st.Day, stops[i-1].Day, "one stop a day, in order")
		}
		assert.LessOrEqual(t, st.Day, s.World.Days)
		assert.NotEmpty(t, st.Lines)
		assert.Equal(t, st.Date, time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, st.Day-1))
		byDay[st.Day] = st
	}
	// Every scheduled campaign has a stop after its first day and after
	// the first day without it, if the run has that day.
	n := 0
	for _, p := range s.Platforms {
		for _, c := range p.Campaigns {
			n++
			assert.Contains(t, strings.Join(byDay[c.Start+1].Lines, "\n"), "starts campaign \""+c.Name+"\"")
			if c.End+1 < s.World.Days {
				assert.Contains(t, strings.Join(byDay[c.End+2].Lines, "\n"), "campaign \""+c.Name+"\" is over")
			}
		}
	}
	assert.Positive(t, n)
	// Campaigns that hand over share a stop: Didi's 10 yuan ends on
	// 16 Feb, its random 12-20 starts on 17 Feb (day 47).
	assert.Len(t, byDay[48].Lines, 2)
	assert.NotContains(t, byDay, 47)
	assert.Contains(t, strings.Join(byDay[10].Lines, "\n"), "starts campaign", "10 Jan 2014 is day 9")
}

// TestStopsMatchAnnouncements: the guided mode stops exactly on the
// snapshots that announce a scheduled event or campaign.
func TestStopsMatchAnnouncements(t *testing.T) {
	w, err := sim.New(demo.Scenario(2000, 40))
	require.NoError(t, err)
	rec := NewRecorder(w, 500, 100)
	stopAt := map[int]bool{}
	for _, st := range rec.Stops {
		stopAt[st.Day] = true
	}
	announced := 0
	for range 40 {
		require.NoError(t, w.Step())
		s := rec.Capture(w, -1)
		assert.Equal(t, rec.Stops, s.Stops)
		for _, a := range s.Announce {
			if strings.HasSuffix(a, " begins") || strings.Contains(a, "starts campaign") {
				announced++
				assert.True(t, stopAt[s.Day], "%q announced on snapshot day %d, no stop", a, s.Day)
			}
		}
	}
	assert.Positive(t, announced)
}

func TestWrap(t *testing.T) {
	measure := func(s string) float64 { return float64(len(s)) }
	cases := []struct {
		text  string
		width float64
		want  []string
	}{
		{"", 10, nil},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"one two three four", 100, []string{"one two three four"}},
		{"  spaces \n and\tnewlines ", 100, []string{"spaces and newlines"}},
		{"a verylongword b", 4, []string{"a", "verylongword", "b"}},
	}
	for _, c := range cases {
		got := Wrap(c.text, c.width, measure)
		assert.Equal(t, c.want, got, c.text)
		for _, l := range got {
			if !strings.Contains(l, " ") {
				continue
			}
			assert.LessOrEqual(t, measure(l), c.width, l)
		}
	}
}

// TestRecordMarks: the taxi war's one published share (Didi 45.6% of
// taxi-app users on 30 Jun 2014, day 180) stands on wechat's line at its
// day; a scenario the record has no shares for has no marks and no note.
func TestRecordMarks(t *testing.T) {
	start := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	platforms := []sim.PlatformInfo{{Name: "wechat"}, {Name: "alipay"}}
	marks, note, scope, err := RecordMarks("taxi-war-2014", start, 181, platforms)
	require.NoError(t, err)
	require.Equal(t, []RecordMark{{Day: 180, From: 180, To: 180, Share: 0.456, Platform: 0, Marker: 0}}, marks)
	assert.Equal(t, []string{"Analysys (fitted)"}, note)
	assert.Contains(t, scope, "taxi-app users")

	marks, note, scope, err = RecordMarks("default", start, 365, platforms)
	require.NoError(t, err)
	assert.Empty(t, marks)
	assert.Empty(t, note)
	assert.Empty(t, scope)

	// China: two firms, two markers; quarters span their three months.
	marks, note, scope, err = RecordMarks("china-2013-2017", time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC), 1826, []sim.PlatformInfo{{Name: "alipay"}, {Name: "wechat"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"iResearch (fitted)", "Analysys (held out)"}, note)
	assert.Equal(t, "China third-party mobile payment value", scope)
	for _, m := range marks {
		assert.True(t, m.From <= m.Day && m.Day <= m.To && m.From >= 0 && m.To < 1826, "%+v", m)
		assert.Contains(t, []int{0, 1}, m.Marker)
	}
}
