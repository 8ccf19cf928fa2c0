package viz

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/paywars/hongbao/viz/scene"
)

// maxBatchVertices is the most vertices one DrawTriangles call can index
// with uint16 indices.
const maxBatchVertices = 1 << 16

// batch collects coloured triangles for one DrawTriangles call on a fixed
// source image, flushing itself when the indices would overflow.
type batch struct {
	v   []ebiten.Vertex
	i   []uint16
	src *ebiten.Image
	dst *ebiten.Image
	op  ebiten.DrawTrianglesOptions
	// calls counts DrawTriangles calls, for tests and benchmarks.
	calls int
}

func (b *batch) begin(dst, src *ebiten.Image) {
	b.dst, b.src = dst, src
	b.v, b.i = b.v[:0], b.i[:0]
	b.op = ebiten.DrawTrianglesOptions{Filter: ebiten.FilterLinear}
}

// room flushes if n more vertices would not fit.
func (b *batch) room(n int) {
	if len(b.v)+n > maxBatchVertices {
		b.flush()
	}
}

func (b *batch) flush() {
	if len(b.i) > 0 {
		b.dst.DrawTriangles(b.v, b.i, b.src, &b.op)
		b.calls++
	}
	b.v, b.i = b.v[:0], b.i[:0]
}

func vtx(x, y, sx, sy float32, r, g, bl, a float32) ebiten.Vertex {
	return ebiten.Vertex{DstX: x, DstY: y, SrcX: sx, SrcY: sy, ColorR: r, ColorG: g, ColorB: bl, ColorA: a}
}

// quad adds a solid quadrilateral (corners in order) sampling the centre
// of a white source.
func (b *batch) quad(x0, y0, x1, y1, x2, y2, x3, y3 float32, r, g, bl, a float32) {
	b.room(4)
	n := uint16(len(b.v))
	const s = 1.5 // centre of the white sub-image
	b.v = append(b.v, vtx(x0, y0, s, s, r, g, bl, a), vtx(x1, y1, s, s, r, g, bl, a),
		vtx(x2, y2, s, s, r, g, bl, a), vtx(x3, y3, s, s, r, g, bl, a))
	b.i = append(b.i, n, n+1, n+2, n, n+2, n+3)
}

// rect adds an axis-aligned solid rectangle.
func (b *batch) rect(x, y, w, h float32, r, g, bl, a float32) {
	b.quad(x, y, x+w, y, x+w, y+h, x, y+h, r, g, bl, a)
}

// line adds a segment of the given width as a quad.
func (b *batch) line(x0, y0, x1, y1, width float32, r, g, bl, a float32) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	b.quad(x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny, r, g, bl, a)
}

// The disc sprite: a white disc of radius discR centred in a discSize
// square, so that the equilateral triangle circumscribing the disc (its
// circumradius is twice the inradius) lies inside the square.
const (
	discSize = 32
	discR    = 8
)

// disc adds one dot of radius rad at (x, y) as a single triangle textured
// with the disc sprite.
func (b *batch) disc(x, y, rad float32, r, g, bl, a float32) {
	b.room(3)
	n := uint16(len(b.v))
	const c, h = discSize / 2, 2 * discR // texture centre, circumradius
	const sin60 = 0.8660254
	R := 2 * rad
	b.v = append(b.v,
		vtx(x, y-R, c, c-h, r, g, bl, a),
		vtx(x+R*sin60, y+R/2, c+h*sin60, c+h/2, r, g, bl, a),
		vtx(x-R*sin60, y+R/2, c-h*sin60, c+h/2, r, g, bl, a))
	b.i = append(b.i, n, n+1, n+2)
}

// newDiscImage draws the anti-aliased white disc of the dot sprite.
func newDiscImage() *ebiten.Image {
	img := image.NewRGBA(image.Rect(0, 0, discSize, discSize))
	const c = discSize / 2
	for y := range discSize {
		for x := range discSize {
			d := math.Hypot(float64(x)+0.5-c, float64(y)+0.5-c)
			a := min(1, max(0, discR+0.5-d)) // one-pixel linear edge
			v := uint8(255 * a)
			img.SetRGBA(x, y, color.RGBA{v, v, v, v})
		}
	}
	return ebiten.NewImageFromImage(img)
}

// newWhiteImage is a 3×3 white image whose centre pixel solid shapes
// sample, as ebiten's vector package does.
func newWhiteImage() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img
}

// fonts are the bundled Go fonts at the sizes the screen uses.
type fonts struct {
	small, body, bold, big *text.GoTextFace
}

func newFonts() fonts {
	reg, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		panic("viz: bundled font: " + err.Error()) // the embedded font is known good
	}
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	if err != nil {
		panic("viz: bundled font: " + err.Error())
	}
	return fonts{
		small: &text.GoTextFace{Source: reg, Size: 11},
		body:  &text.GoTextFace{Source: reg, Size: 13},
		bold:  &text.GoTextFace{Source: bold, Size: 13},
		big:   &text.GoTextFace{Source: bold, Size: 20},
	}
}

// Colours of the interface.
var (
	colText    = color.RGBA{0xe6, 0xe9, 0xee, 0xff}
	colDim     = color.RGBA{0x8a, 0x93, 0xa0, 0xff}
	colPanel   = color.RGBA{0x17, 0x1c, 0x24, 0xff}
	colLine    = color.RGBA{0x2c, 0x33, 0x3d, 0xff}
	colControl = color.RGBA{0x25, 0x2d, 0x38, 0xff}
	colAccent  = color.RGBA{0xff, 0x4d, 0x4d, 0xff}
	colShade   = color.RGBA{0x0b, 0x0e, 0x12, 0xe0}
)

func rgba(c scene.RGB) color.RGBA { return color.RGBA{c.R, c.G, c.B, 0xff} }

// drawText draws s with its top-left corner at (x, y).
func drawText(dst *ebiten.Image, s string, face text.Face, x, y float64, clr color.Color) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x, y)
	op.ColorScale.ScaleWithColor(clr)
	text.Draw(dst, s, face, op)
}

// drawTextRight draws s with its top-right corner at (x, y).
func drawTextRight(dst *ebiten.Image, s string, face text.Face, x, y float64, clr color.Color) {
	w, _ := text.Measure(s, face, 0)
	drawText(dst, s, face, x-w, y, clr)
}

// fitText returns s, or as much of it as fits in maxW followed by "…",
// so that a long platform label ("Didi (WeChat Pay)") cannot run into the
// column beside it.
func fitText(s string, face text.Face, maxW float64) string {
	if textWidth(s, face) <= maxW {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		if t := strings.TrimRight(string(r[:n]), " (") + "…"; textWidth(t, face) <= maxW {
			return t
		}
	}
	return ""
}

func textWidth(s string, face text.Face) float64 {
	w, _ := text.Measure(s, face, 0)
	return w
}

func fillRect(dst *ebiten.Image, r rect, clr color.Color) {
	vector.DrawFilledRect(dst, float32(r.x), float32(r.y), float32(r.w), float32(r.h), clr, false)
}

func strokeRect(dst *ebiten.Image, r rect, clr color.Color) {
	vector.StrokeRect(dst, float32(r.x)+0.5, float32(r.y)+0.5, float32(r.w)-1, float32(r.h)-1, 1, clr, false)
}

// rect is a screen rectangle in logical pixels.
type rect struct{ x, y, w, h float64 }

func (r rect) contains(x, y float64) bool {
	return x >= r.x && y >= r.y && x < r.x+r.w && y < r.y+r.h
}

func (r rect) image() image.Rectangle {
	return image.Rect(int(r.x), int(r.y), int(math.Ceil(r.x+r.w)), int(math.Ceil(r.y+r.h)))
}

// inset shrinks r by d on every side.
func (r rect) inset(d float64) rect { return rect{r.x + d, r.y + d, r.w - 2*d, r.h - 2*d} }
