package search

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// PriorKind is the shape of a parameter's prior.
type PriorKind int

const (
	// Uniform is uniform between the bounds (the zero value).
	Uniform PriorKind = iota
	// Normal is a normal of Mean and SD truncated to the bounds.
	Normal
	// LogUniform is uniform in log x between the bounds (which must be
	// positive); it also puts the parameter on a log scale.
	LogUniform
)

// String names the kind as specs write it.
func (k PriorKind) String() string {
	switch k {
	case Normal:
		return "normal"
	case LogUniform:
		return "log-uniform"
	}
	return "uniform"
}

// ParsePriorKind reads "uniform", "normal" or "log-uniform".
func ParsePriorKind(s string) (PriorKind, error) {
	switch s {
	case "", "uniform":
		return Uniform, nil
	case "normal":
		return Normal, nil
	case "log-uniform", "loguniform":
		return LogUniform, nil
	}
	return 0, fmt.Errorf("search: unknown prior %q: want uniform, normal or log-uniform", s)
}

// Prior is where a search starts and restarts: its first run starts at the
// prior's centre (or Problem.Start), every restart at a draw from it. The
// zero value is uniform between the bounds.
type Prior struct {
	Kind     PriorKind
	Mean, SD float64 // for Normal, in the parameter's units
}

// Param is one dimension of a search: a named lever or behavioural
// parameter with its bounds.
type Param struct {
	Name   string
	Lo, Hi float64
	// Log searches log x uniformly, for parameters whose effect is
	// multiplicative (a budget from 1e4 to 1e7); Lo must be positive.
	Log bool
	// Integer rounds the parameter to the nearest integer (days, counts).
	Integer bool
	// Step, when positive, rounds the parameter to the nearest multiple
	// of Step (0.01 for money in yuan, which the scenarios hold in fen).
	Step  float64
	Prior Prior
}

func (p Param) logScale() bool { return p.Log || p.Prior.Kind == LogUniform }

// Validate says what is wrong with p, if anything.
func (p Param) Validate() error {
	switch {
	case p.Name == "":
		return errors.New("search: a parameter has no name")
	case math.IsNaN(p.Lo) || math.IsNaN(p.Hi) || math.IsInf(p.Lo, 0) || math.IsInf(p.Hi, 0):
		return fmt.Errorf("search: parameter %q: bounds must be finite, got [%g, %g]", p.Name, p.Lo, p.Hi)
	case !(p.Lo < p.Hi):
		return fmt.Errorf("search: parameter %q: the lower bound %g must be below the upper %g", p.Name, p.Lo, p.Hi)
	case p.logScale() && p.Lo <= 0:
		return fmt.Errorf("search: parameter %q: a log scale needs a positive lower bound, got %g", p.Name, p.Lo)
	case p.Integer && math.Ceil(p.Lo) > math.Floor(p.Hi):
		return fmt.Errorf("search: parameter %q: no integer between %g and %g", p.Name, p.Lo, p.Hi)
	case p.Step < 0 || math.IsNaN(p.Step) || math.IsInf(p.Step, 0):
		return fmt.Errorf("search: parameter %q: step must be 0 (none) or positive, got %g", p.Name, p.Step)
	case p.Step > 0 && math.Ceil(p.Lo/p.Step) > math.Floor(p.Hi/p.Step):
		return fmt.Errorf("search: parameter %q: no multiple of %g between %g and %g", p.Name, p.Step, p.Lo, p.Hi)
	case p.Prior.Kind == Normal && !(p.Prior.SD > 0) || math.IsInf(p.Prior.SD, 0) || math.IsNaN(p.Prior.Mean) || math.IsInf(p.Prior.Mean, 0):
		return fmt.Errorf("search: parameter %q: a normal prior needs a finite mean and a positive sd, got %g and %g", p.Name, p.Prior.Mean, p.Prior.SD)
	}
	return nil
}

// Encode maps x to the unit interval of the search (clamped to the bounds).
func (p Param) Encode(x float64) float64 {
	var u float64
	if p.logScale() {
		u = (math.Log(x) - math.Log(p.Lo)) / (math.Log(p.Hi) - math.Log(p.Lo))
	} else {
		u = (x - p.Lo) / (p.Hi - p.Lo)
	}
	return math.Min(1, math.Max(0, u))
}

// Decode maps u in [0, 1] back to the parameter's units, rounding integer
// parameters (and keeping them inside the bounds).
func (p Param) Decode(u float64) float64 {
	u = math.Min(1, math.Max(0, u))
	var x float64
	if p.logScale() {
		x = math.Exp(math.Log(p.Lo) + u*(math.Log(p.Hi)-math.Log(p.Lo)))
	} else {
		x = p.Lo + u*(p.Hi-p.Lo)
	}
	if p.Step > 0 {
		k := math.Min(math.Floor(p.Hi/p.Step), math.Max(math.Ceil(p.Lo/p.Step), math.Round(x/p.Step)))
		x = k * p.Step
		// k·Step in decimal: 379·0.01 is 3.79, not 3.7900000000000005.
		if v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64); err == nil {
			x = v
		}
	}
	if p.Integer {
		x = math.Min(math.Floor(p.Hi), math.Max(math.Ceil(p.Lo), math.Round(x)))
		return x
	}
	if p.Step > 0 {
		return x
	}
	return math.Min(p.Hi, math.Max(p.Lo, x))
}

// Centre is where a first run starts when no start is given, in the unit
// interval: the prior's mean, or the middle of the (log) range.
func (p Param) Centre() float64 {
	if p.Prior.Kind == Normal {
		return p.Encode(p.Prior.Mean)
	}
	return 0.5
}

// Sample draws x from the prior, by rejection for a truncated normal (at
// most 1000 tries, then the nearest bound of the last draw).
func (p Param) Sample(rng *rand.Rand) float64 {
	switch p.Prior.Kind {
	case Normal:
		var x float64
		for range 1000 {
			x = p.Prior.Mean + p.Prior.SD*rng.NormFloat64()
			if x >= p.Lo && x <= p.Hi {
				break
			}
		}
		return p.Decode(p.Encode(x))
	case LogUniform:
		return p.Decode(rng.Float64())
	}
	if p.logScale() {
		// Uniform in x on a log-scaled parameter: uniform in x, then encoded.
		return p.Decode(p.Encode(p.Lo + rng.Float64()*(p.Hi-p.Lo)))
	}
	return p.Decode(rng.Float64())
}

func validateParams(ps []Param) error {
	if len(ps) == 0 {
		return errors.New("search: no parameters to search")
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("search: parameter %q appears twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// reflect folds y into [0, 1]: the identity on [0, 1], mirrored at each
// bound, periodic with period 2.
func reflect(y float64) float64 {
	v := math.Mod(y, 2)
	if v < 0 {
		v += 2
	}
	if v > 1 {
		v = 2 - v
	}
	return v
}
