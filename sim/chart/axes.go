package chart

import (
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
)

// FormatSI formats v with at most four significant digits and an SI-like
// suffix: k (thousand), M (million), B (billion) and T (trillion), as in
// 950, 1.2k, 3.4M, 5.06B. Money axes use it for yuan, count axes for people
// and envelopes.
func FormatSI(v float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		size   float64
		suffix string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		// Rounding first sends 999,999.9 to "1M", not "1000k".
		if roundSig(a, 4) >= u.size {
			return formatPlain(v/u.size) + u.suffix
		}
	}
	return formatPlain(v)
}

// formatPlain prints x rounded to four significant digits, with no
// trailing zeros.
func formatPlain(x float64) string {
	s := strconv.FormatFloat(roundSig(x, 4), 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// roundSig rounds x to n significant digits.
func roundSig(x float64, n int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	k := float64(n - 1 - int(math.Floor(math.Log10(math.Abs(x)))))
	p := math.Pow(10, k)
	return math.Round(x*p) / p
}

// siTicks places ticks like [plot.DefaultTicks] and labels them with
// FormatSI.
var siTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = FormatSI(ts[i].Value)
		}
	}
	return ts
})

// percentTicks labels shares from 0 to 1 every 20 points.
var percentTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for i := 0; i <= 10; i++ {
		v := float64(i) / 10
		if v < min-1e-9 || v > max+1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if i%2 == 0 {
			t.Label = strconv.Itoa(i*10) + "%"
		}
		ts = append(ts, t)
	}
	return ts
})

// dayTicks labels day numbers.
var dayTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = formatPlain(ts[i].Value)
		}
	}
	return ts
})

// unlabelled keeps a ticker's marks and drops its labels, for the x axis
// of a panel with another panel below it.
func unlabelled(t plot.Ticker) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		ts := t.Ticks(min, max)
		for i := range ts {
			ts[i].Label = ""
		}
		return ts
	})
}

// dateTicks labels day numbers, counted from start, with calendar dates.
// The step grows with the span so that labels do not collide on a chart a
// few inches wide: days, weeks (Mondays), months, quarters or years.
func dateTicks(start time.Time) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
			return nil
		}
		day := func(t time.Time) float64 { return t.Sub(start).Hours() / 24 }
		first := start.AddDate(0, 0, int(math.Floor(min)))
		last := start.AddDate(0, 0, int(math.Ceil(max)))
		var ts []plot.Tick
		add := func(t time.Time, label string) {
			if d := day(t); d >= min && d <= max {
				ts = append(ts, plot.Tick{Value: d, Label: label})
			}
		}
		monthStart := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
		span := max - min
		// Thresholds: about fifteen labels at most on a 10-inch chart.
		switch {
		case span <= 16:
			for t := first; !t.After(last); t = t.AddDate(0, 0, 1) {
				add(t, t.Format("Jan 2"))
			}
		case span <= 110:
			for t := first; !t.After(last); t = t.AddDate(0, 0, 1) {
				label := ""
				if t.Weekday() == time.Monday {
					label = t.Format("Jan 2")
				}
				add(t, label)
			}
		case span <= 450:
			labelled := false
			for t := monthStart; !t.After(last); t = t.AddDate(0, 1, 0) {
				label := t.Format("Jan")
				if t.Month() == time.January || !labelled && day(t) >= min {
					label = t.Format("Jan 2006")
				}
				if day(t) >= min {
					labelled = true
				}
				add(t, label)
			}
		case span <= 1300:
			for t := monthStart; !t.After(last); t = t.AddDate(0, 1, 0) {
				label := ""
				switch {
				case t.Month() == time.January:
					label = t.Format("2006")
				case (t.Month()-1)%3 == 0:
					label = t.Format("Jan")
				}
				add(t, label)
			}
		default:
			for t := monthStart; !t.After(last); t = t.AddDate(0, 1, 0) {
				label := ""
				if t.Month() == time.January {
					label = t.Format("2006")
				} else if (t.Month()-1)%3 != 0 {
					continue
				}
				add(t, label)
			}
		}
		return ts
	})
}
