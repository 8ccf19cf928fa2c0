package chart

import (
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paywars/hongbao/sim"
)

// Window is a run of consecutive days on which a calendar event is on.
type Window struct {
	Name        string
	First, Last int // day numbers, inclusive
}

// EventWindows finds the windows of the events of a history: for each
// event name, every maximal run of consecutive days (in the history's
// order, with day numbers one apart) that lists it. Windows are sorted by
// first day, then name.
func EventWindows(hist []sim.DayMetrics) []Window {
	var wins []Window
	open := map[string]int{} // event name -> index in wins of its window still open
	for d, dm := range hist {
		contiguous := d > 0 && dm.Day == hist[d-1].Day+1
		on := map[string]bool{}
		for _, name := range dm.Events {
			if name == "" || on[name] {
				continue
			}
			on[name] = true
			if i, ok := open[name]; ok && contiguous {
				wins[i].Last = dm.Day
				continue
			}
			open[name] = len(wins)
			wins = append(wins, Window{Name: name, First: dm.Day, Last: dm.Day})
		}
		for name := range open {
			if !on[name] {
				delete(open, name)
			}
		}
	}
	sort.SliceStable(wins, func(i, j int) bool {
		if wins[i].First != wins[j].First {
			return wins[i].First < wins[j].First
		}
		return wins[i].Name < wins[j].Name
	})
	return wins
}

// eventBands shades event windows across the whole height of a panel
// and, if labels is set, names them along its top edge. Labels that would
// overlap go on a lower row. It has no data range of its own, so it does
// not stretch the axes.
type eventBands struct {
	windows []Window
	labels  bool
}

// Plot implements [plot.Plotter].
func (b *eventBands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := textStyle(9, bandText)
	sty.YAlign = draw.YTop
	span := func(w Window) (x0, x1 vg.Length) {
		// A day is drawn at its number; its window spans half a day either side.
		return max(trX(float64(w.First)-0.5), c.Min.X), min(trX(float64(w.Last)+0.5), c.Max.X)
	}
	for _, w := range b.windows { // all bands first, so no band covers a label
		if x0, x1 := span(w); x1 > x0 {
			c.FillPolygon(bandColor, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
		}
	}
	if !b.labels {
		return
	}
	var rowEnds []vg.Length // right end of the last label on each row
	for _, w := range b.windows {
		x0, x1 := span(w)
		if x1 <= x0 {
			continue
		}
		width := sty.Width(w.Name)
		x := x0 + vg.Points(2)
		if x+width > c.Max.X {
			x = max(c.Max.X-width, c.Min.X)
		}
		row := 0
		for row < len(rowEnds) && rowEnds[row] > x-vg.Points(4) {
			row++
		}
		if row == len(rowEnds) {
			rowEnds = append(rowEnds, 0)
		}
		rowEnds[row] = x + width
		y := c.Max.Y - vg.Points(2) - vg.Length(row)*sty.Height(w.Name)
		c.FillText(sty, vg.Point{X: x, Y: y}, w.Name)
	}
}
