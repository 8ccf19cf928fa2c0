package search

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// NewInterval is the Student-t interval of the mean of independent
// replicate values at the given level (0.95 for 95%): mean ± t·sd/√n with
// t the (1+level)/2 quantile of Student's t with n − 1 degrees of freedom.
// It needs two values or more.
func NewInterval(values []float64, level float64) Interval {
	n := len(values)
	m := mean(values)
	ss := 0.0
	for _, v := range values {
		ss += (v - m) * (v - m)
	}
	iv := Interval{Mean: m, N: n, Level: level, Values: slices.Clone(values), Lo: m, Hi: m}
	if n < 2 {
		return iv
	}
	iv.SD = math.Sqrt(ss / float64(n-1))
	iv.SE = iv.SD / math.Sqrt(float64(n))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile((1 + level) / 2)
	iv.Lo, iv.Hi = m-t*iv.SE, m+t*iv.SE
	return iv
}

// levers measures each parameter's effect around x on the search seeds:
// the value one Step of the unit range either side (one side, two steps
// out, on a bound), the largest change, the slope and the curvature.
func (s *Search) levers(ctx context.Context, x []float64) ([]Lever, error) {
	h := s.cfg.Step
	u0 := s.encode(x)
	var pts [][]float64
	type probe struct{ lo, hi int }
	probes := make([]probe, s.n)
	add := func(i int, u float64) int {
		v := slices.Clone(x)
		v[i] = s.p.Params[i].Decode(u)
		pts = append(pts, v)
		return len(pts) - 1
	}
	center := add(0, u0[0])
	onBound := make([]bool, s.n)
	for i := range s.p.Params {
		switch {
		case u0[i]-h < 0:
			onBound[i] = true
			probes[i] = probe{add(i, u0[i]+h), add(i, u0[i]+2*h)}
		case u0[i]+h > 1:
			onBound[i] = true
			probes[i] = probe{add(i, u0[i]-h), add(i, u0[i]-2*h)}
		default:
			probes[i] = probe{add(i, u0[i]-h), add(i, u0[i]+h)}
		}
	}
	vals, rej, err := s.evaluate(ctx, "f", pts, 0, s.cfg.Replicates)
	if err != nil {
		return nil, err
	}
	v := func(k int) float64 {
		if rej[k] {
			return math.NaN()
		}
		return mean(vals[k])
	}
	v0 := v(center)
	levers := make([]Lever, s.n)
	for i, p := range s.p.Params {
		a, b := probes[i].lo, probes[i].hi
		va, vb := v(a), v(b)
		l := Lever{Name: p.Name, Value: x[i], OnBound: onBound[i]}
		for _, d := range []float64{va - v0, vb - v0} {
			if !math.IsNaN(d) {
				l.Effect = math.Max(l.Effect, math.Abs(d))
			}
		}
		if onBound[i] {
			// The nearer probe against the centre.
			if dx := pts[a][i] - x[i]; dx != 0 && !math.IsNaN(va) {
				l.Slope = (va - v0) / dx
			}
		} else {
			if dx := pts[b][i] - pts[a][i]; dx != 0 && !math.IsNaN(va+vb) {
				l.Slope = (vb - va) / dx
				l.Curvature = (va - 2*v0 + vb) / (h * h)
			}
		}
		levers[i] = l
	}
	slices.SortStableFunc(levers, func(a, b Lever) int {
		switch {
		case a.Effect > b.Effect:
			return -1
		case a.Effect < b.Effect:
			return 1
		}
		return 0
	})
	return levers, nil
}

// Surface is the value over a grid of two parameters, the others held at
// a point, on the search seeds: what a response-surface chart draws.
type Surface struct {
	X, Y     string      // the two parameters' names
	XS, YS   []float64   // grid values in the parameters' units
	Values   [][]float64 `json:"values"` // Values[iy][ix]; 0 where Rejected
	Rejected [][]bool    `json:"rejected"`
	At       []float64   `json:"at"` // the point the others are held at
}

// Surface evaluates an n×n grid of parameters i and j over their bounds
// (evenly in the unit cube, so log-scaled ones are spaced in log), the
// others at x, on the search seeds; the calls are journaled like any other.
func (s *Search) Surface(ctx context.Context, x []float64, i, j, n int) (*Surface, error) {
	if n < 2 {
		n = 2
	}
	sf := &Surface{X: s.p.Params[i].Name, Y: s.p.Params[j].Name, At: slices.Clone(x)}
	var pts [][]float64
	for iy := 0; iy < n; iy++ {
		for ix := 0; ix < n; ix++ {
			v := slices.Clone(x)
			v[i] = s.p.Params[i].Decode(float64(ix) / float64(n-1))
			v[j] = s.p.Params[j].Decode(float64(iy) / float64(n-1))
			pts = append(pts, v)
		}
	}
	for k := 0; k < n; k++ {
		sf.XS = append(sf.XS, pts[k][i])
		sf.YS = append(sf.YS, pts[k*n][j])
	}
	vals, rej, err := s.evaluate(ctx, "f", pts, 0, s.cfg.Replicates)
	if err != nil {
		return nil, err
	}
	sf.Values = make([][]float64, n)
	sf.Rejected = make([][]bool, n)
	for iy := 0; iy < n; iy++ {
		sf.Values[iy] = make([]float64, n)
		sf.Rejected[iy] = make([]bool, n)
		for ix := 0; ix < n; ix++ {
			k := iy*n + ix
			sf.Values[iy][ix] = mean(vals[k])
			if rej[k] {
				sf.Values[iy][ix] = 0
				sf.Rejected[iy][ix] = true
			}
		}
	}
	return sf, nil
}

// Evaluation is one objective call the search has made or replayed.
type Evaluation struct {
	X        []float64 `json:"x"`
	Seeds    []uint64  `json:"seeds"`
	Value    float64   `json:"value"`
	Rejected bool      `json:"rejected,omitempty"`
	Screen   bool      `json:"screen,omitempty"` // a call of the screening objective
}

// Evaluations returns every call the search knows of (made, or read from
// its journal), in a fixed order (by point, then seeds), for callers that
// fit a surrogate or weigh points after the search (a calibration's
// intervals).
func (s *Search) Evaluations() []Evaluation {
	out := make([]Evaluation, 0, len(s.cache))
	for _, e := range s.cache {
		out = append(out, Evaluation{X: slices.Clone(e.X), Seeds: slices.Clone(e.Seeds), Value: e.Value, Rejected: e.Rejected, Screen: e.Obj == "s"})
	}
	slices.SortFunc(out, func(a, b Evaluation) int {
		if c := boolCmp(a.Screen, b.Screen); c != 0 {
			return c
		}
		if c := slices.Compare(a.X, b.X); c != 0 {
			return c
		}
		return slices.Compare(a.Seeds, b.Seeds)
	})
	return out
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// Confirm is the value of x on the confirmation seeds (journaled like
// every call), for comparisons paired with a Result's Interval: a rival
// plan, or the plan a best response would replace. rejected is true when
// any confirmation seed rejected x.
func (s *Search) Confirm(ctx context.Context, x []float64) (iv Interval, rejected bool, err error) {
	if len(x) != s.n {
		return Interval{}, false, fmt.Errorf("search: %d values for %d parameters", len(x), s.n)
	}
	vals, rej, err := s.evaluate(ctx, "f", [][]float64{slices.Clone(x)}, ConfirmOffset, s.cfg.Confirm)
	if err != nil {
		return Interval{}, false, err
	}
	return NewInterval(vals[0], s.cfg.Level), rej[0], nil
}
