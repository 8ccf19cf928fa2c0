package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figure is one chart file: a title, panels stacked from top to bottom
// that share the x axis, and a legend to the right of the panels, where it
// never covers data.
type figure struct {
	name            string // file name without extension
	title, subtitle string
	panels          []*plot.Plot
	keys            []legendKey
}

type legendKey struct {
	label string
	thumb plot.Thumbnailer
}

// key adds a legend entry.
func (f *figure) key(label string, thumb plot.Thumbnailer) {
	f.keys = append(f.keys, legendKey{label, thumb})
}

// draw paints the figure on c.
func (f *figure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, pad, -pad, pad/2, -pad)

	// Header: the title and, smaller, which run it is.
	title := textStyle(14, color.Black)
	title.YAlign = draw.YTop
	c.FillText(title, vg.Point{X: c.Min.X, Y: c.Max.Y}, f.title)
	c.Max.Y -= title.Height(f.title)
	if f.subtitle != "" {
		sub := textStyle(9.5, subColor)
		sub.YAlign = draw.YTop
		c.FillText(sub, vg.Point{X: c.Min.X, Y: c.Max.Y - vg.Points(2)}, f.subtitle)
		c.Max.Y -= sub.Height(f.subtitle) + vg.Points(2)
	}
	c.Max.Y -= pad

	// Legend: a column on the right, top-aligned with the data, or, when
	// that would take more than a quarter of the width (long variant
	// names), columns below the panels.
	if len(f.keys) > 0 {
		l := f.legend()
		w := l.Rectangle(c).Size().X
		if w <= (c.Max.X-c.Min.X)/4 {
			lc := c
			lc.Min.X = c.Max.X - w
			lc.Max.Y -= vg.Points(4)
			l.Draw(lc)
			c.Max.X -= w + 1.5*pad
		} else {
			c.Min.Y += f.drawLegendBelow(c, w)
		}
	}

	switch len(f.panels) {
	case 0:
	case 1:
		f.panels[0].Draw(c)
	default:
		rows := make([][]*plot.Plot, len(f.panels))
		for i, p := range f.panels {
			rows[i] = []*plot.Plot{p}
		}
		cs := plot.Align(rows, draw.Tiles{Rows: len(rows), Cols: 1, PadY: pad}, c)
		for i, p := range f.panels {
			p.Draw(cs[i][0])
		}
	}
}

// legend builds the figure's legend.
func (f *figure) legend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle = textStyle(10, color.Black)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(3)
	for _, k := range f.keys {
		l.Add(k.label, k.thumb)
	}
	return l
}

// drawLegendBelow draws the legend in columns along the bottom of c, each
// as wide as the widest entry w, filled top to bottom, and returns the
// height it took.
func (f *figure) drawLegendBelow(c draw.Canvas, w vg.Length) vg.Length {
	gap := 2 * pad
	cols := max(1, int((c.Max.X-c.Min.X+gap)/(w+gap)))
	rows := (len(f.keys) + cols - 1) / cols
	cols = (len(f.keys) + rows - 1) / rows
	column := func(col int) plot.Legend {
		sub := &figure{keys: f.keys[col*rows : min((col+1)*rows, len(f.keys))]}
		return sub.legend()
	}
	first := column(0) // the first column is the tallest
	h := first.Rectangle(c).Size().Y
	for col := 0; col < cols; col++ {
		l := column(col)
		lc := c
		lc.Min.X = c.Min.X + vg.Length(col)*(w+gap)
		lc.Max.X = lc.Min.X + w
		lc.Max.Y = c.Min.Y + h
		l.Draw(lc)
	}
	// The legend's first row lines up under the x axis label; leave a gap.
	return h + pad
}

// overview draws figures two by two on one page.
func overview(figs []*figure) func(draw.Canvas) {
	return func(c draw.Canvas) {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
		t := draw.Tiles{Rows: (len(figs) + 1) / 2, Cols: 2}
		for i, f := range figs {
			f.draw(t.At(c, i%2, i/2))
		}
	}
}
