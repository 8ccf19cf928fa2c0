package scene

import (
	"fmt"
	"strconv"

	"github.com/paywars/hongbao/sim"
)

// RGB is an opaque colour.
type RGB struct{ R, G, B uint8 }

// ParseHex reads a colour written as #rrggbb (the scenario's platform
// colour); the leading # is optional.
func ParseHex(s string) (RGB, error) {
	if len(s) > 0 && s[0] == '#' {
		s = s[1:]
	}
	if len(s) != 6 {
		return RGB{}, fmt.Errorf("scene: colour %q is not #rrggbb", s)
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return RGB{}, fmt.Errorf("scene: colour %q is not #rrggbb", s)
	}
	return RGB{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

// Hex writes c as #rrggbb.
func (c RGB) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// Scale multiplies each channel by f (0 to 1 darkens).
func (c RGB) Scale(f float64) RGB {
	ch := func(v uint8) uint8 { return uint8(min(255, max(0, float64(v)*f+0.5))) }
	return RGB{ch(c.R), ch(c.G), ch(c.B)}
}

// Floats returns the channels in 0..1, as vertex colours want them.
func (c RGB) Floats() (r, g, b float32) {
	return float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255
}

// Fixed colours of the picture.
var (
	// NoWallet colours a user with no card-bound wallet.
	NoWallet = RGB{0x4a, 0x4f, 0x57}
	// Envelope colours a peer red envelope in flight.
	Envelope = RGB{0xff, 0x2d, 0x2d}
	// EnvelopeHead colours the leading end of a peer envelope's flight
	// (the gold of a hongbao's print), which tells it from a red wallet.
	EnvelopeHead = RGB{0xff, 0xd8, 0x6b}
	// Sponsored colours a sponsored (platform or brand) envelope in flight.
	Sponsored = RGB{0xff, 0xb3, 0x00}
	// Background is the colour behind everything.
	Background = RGB{0x0f, 0x13, 0x18}
)

// fallback colours for platforms whose scenario gives none or a bad one:
// a qualitative palette (Okabe–Ito, minus black and yellow) that stays
// distinct for colour-blind readers.
var fallback = []RGB{
	{0x00, 0x9e, 0x73}, {0x00, 0x72, 0xb2}, {0xe6, 0x9f, 0x00}, {0xcc, 0x79, 0xa7},
	{0x56, 0xb4, 0xe9}, {0xd5, 0x5e, 0x00}, {0xf0, 0xe4, 0x42},
}

// Inactive is the brightness of a card-bound user who has not paid within
// the activity window, relative to an active one.
const Inactive = 0.42

// Palette holds the colour of each platform.
type Palette struct {
	Platform []RGB
}

// NewPalette reads the platforms' colours; a missing or malformed colour
// takes the next colour of a fixed colour-blind-safe list.
func NewPalette(platforms []sim.PlatformInfo) Palette {
	p := Palette{Platform: make([]RGB, len(platforms))}
	for i, pl := range platforms {
		c, err := ParseHex(pl.Color)
		if err != nil {
			c = fallback[i%len(fallback)]
		}
		p.Platform[i] = c
	}
	return p
}

// Dot is the colour of a user's dot: its main wallet's colour, dimmed when
// the user has not paid within the activity window; NoWallet when it has
// no card-bound wallet (wallet < 0).
func (p Palette) Dot(wallet int, active bool) RGB {
	if wallet < 0 || wallet >= len(p.Platform) {
		return NoWallet
	}
	if active {
		return p.Platform[wallet]
	}
	return p.Platform[wallet].Scale(Inactive)
}
