package record

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPeriodSpan(t *testing.T) {
	cases := []struct {
		period, from, to string
		ok               bool
	}{
		{"2014", "2014-01-01", "2014-12-31", true},
		{"2014Q1", "2014-01-01", "2014-03-31", true},
		{"2016Q4", "2016-10-01", "2016-12-31", true},
		{"2016-02", "2016-02-01", "2016-02-29", true},
		{"2014-06-30", "2014-06-30", "2014-06-30", true},
		{"2014-02-31", "", "", false}, // a day that does not exist
		{"2014Q5", "", "", false},
		{"14", "", "", false},
	}
	for _, c := range cases {
		from, to, ok := PeriodSpan(c.period)
		assert.Equal(t, c.ok, ok, c.period)
		if c.ok {
			assert.Equal(t, day(c.from), from, c.period)
			assert.Equal(t, day(c.to), to, c.period)
		}
	}
}

func TestSharePoints(t *testing.T) {
	t.Run("taxi war: Didi's June share, on wechat", func(t *testing.T) {
		pts, err := SharePoints("taxi-war-2014", day("2014-01-01"), 181, []string{"wechat", "alipay"})
		require.NoError(t, err)
		require.Len(t, pts, 1)
		assert.Equal(t, "taxi-share-june", pts[0].ID)
		assert.Equal(t, 0, pts[0].Platform)
		assert.Equal(t, day("2014-06-30"), pts[0].Mid)
		assert.InDelta(t, 0.456, pts[0].Share, 1e-12)
	})
	t.Run("a run that ends before the figure has none", func(t *testing.T) {
		pts, err := SharePoints("taxi-war-2014", day("2014-01-01"), 180, []string{"wechat", "alipay"})
		require.NoError(t, err)
		assert.Empty(t, pts)
	})
	t.Run("china: both firms' series, in range, platforms mapped by name", func(t *testing.T) {
		pts, err := SharePoints("china-2013-2017", day("2013-01-01"), 1826, []string{"alipay", "wechat"})
		require.NoError(t, err)
		require.NotEmpty(t, pts)
		series := map[string]bool{}
		for i, p := range pts {
			series[p.Series] = true
			assert.Equal(t, p.Platform, index([]string{"alipay", "wechat"}, p.Figure.Platform), p.ID)
			assert.False(t, p.From.Before(day("2013-01-01")), p.ID)
			assert.False(t, p.To.After(day("2017-12-31")), p.ID)
			assert.InDelta(t, p.Value/100, p.Share, 1e-12)
			if i > 0 {
				assert.False(t, p.Mid.Before(pts[i-1].Mid), "sorted by date")
			}
		}
		assert.True(t, series["iresearch"] && series["analysys"], "%v", series)
		// The 2013 iResearch yearly share is drawn mid-year.
		assert.Equal(t, day("2013-07-02"), pts[0].Mid)
	})
	t.Run("a platform the scenario lacks is left out", func(t *testing.T) {
		pts, err := SharePoints("china-2013-2017", day("2013-01-01"), 1826, []string{"alipay"})
		require.NoError(t, err)
		for _, p := range pts {
			assert.Equal(t, "alipay", p.Figure.Platform)
		}
	})
	t.Run("a scenario without shares in the record", func(t *testing.T) {
		pts, err := SharePoints("default", day("2013-01-01"), 365, []string{"wechat", "alipay"})
		require.NoError(t, err)
		assert.Empty(t, pts)
	})
}

// FuzzPeriodSpan: a period is accepted exactly when Parse would accept
// it, and then spans at least one day, forwards.
func FuzzPeriodSpan(f *testing.F) {
	for _, p := range []string{"2014", "2014Q1", "2016-02", "2014-06-30", "2014-02-31", "2014Q5", ""} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		from, to, ok := PeriodSpan(p)
		if ok && !validPeriod(p) {
			t.Fatalf("%q accepted but not a valid period", p)
		}
		if ok && to.Before(from) {
			t.Fatalf("%q spans %v to %v", p, from, to)
		}
	})
}
