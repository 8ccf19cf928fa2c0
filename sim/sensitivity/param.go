package sensitivity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Distribution names accepted in [Param.Dist].
const (
	// Uniform is the uniform distribution on [Min, Max]:
	//	x = (1−u)·Min + u·Max.
	Uniform = "uniform"

	// Normal is the normal distribution N(Mu, Sigma²), truncated to
	// [Min, Max] when Min < Max:
	//	x = Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))), a = Min, b = Max,
	// where Φ is the CDF of N(Mu, Sigma²). With Min == Max == 0 it is not
	// truncated.
	Normal = "normal"

	// LogNormal is the distribution of exp(Z) with Z ~ N(Mu, Sigma²),
	// truncated to [Min, Max] like Normal when Min < Max (Min ≥ 0).
	LogNormal = "lognormal"

	// LogUniform is the distribution whose logarithm is uniform on
	// [log Min, log Max], 0 < Min < Max:
	//	x = Min·(Max/Min)^u.
	LogUniform = "loguniform"
)

// maxLevels bounds the number of levels a Step range may expand to, so that
// a typo (Step: 1e-9) fails instead of exhausting memory.
const maxLevels = 1 << 20

// unboundedEps keeps unit coordinates of unbounded distributions away from
// 0 and 1, where the inverse CDF is infinite: 2⁻⁵³ maps to about −8.2σ for a
// normal distribution.
const unboundedEps = 0x1p-53

// Param describes one input of the model and how it varies in a design.
// It varies in exactly one of three ways, checked in this order:
//
//   - an explicit list of Levels (Dist and Step must be unset);
//   - a range with a step: Step > 0 expands [Min, Max] to the levels
//     Min, Min+Step, Min+2·Step, … up to Max (Dist must be unset);
//   - a distribution named by Dist (Uniform, Normal, LogNormal, LogUniform),
//     using Min, Max, Mu and Sigma as that constant documents. An empty Dist
//     with Min < Max means Uniform.
//
// Every design draws points in the unit hypercube [0, 1]^k and maps
// coordinate u of a point through [Param.Quantile]: a distribution's inverse
// CDF, or for n discrete levels the level with index ⌊u·n⌋ (clamped to
// n−1), so that level j takes the interval [j/n, (j+1)/n) of the unit line
// and u = 1 gives the last level.
// The zero Param is invalid: it has neither levels nor a range.
type Param struct {
	// Name identifies the parameter in tables and plots; it must be
	// non-empty and unique within a design.
	Name string

	// Min and Max bound the range of a Step range or a distribution.
	Min, Max float64

	// Step, when positive, expands [Min, Max] to a list of levels.
	Step float64

	// Levels is an explicit list of values, used in the order given.
	Levels []float64

	// Dist names a distribution; see the constants Uniform, Normal,
	// LogNormal and LogUniform.
	Dist string

	// Mu and Sigma are the mean and standard deviation of a Normal, and
	// of the logarithm of a LogNormal.
	Mu, Sigma float64
}

// Validate reports whether p describes a usable parameter. Errors are
// prefixed "sensitivity: ".
func (p Param) Validate() error {
	_, err := p.levels()
	return err
}

// LevelList returns the discrete levels of p: its Levels, or its Step range
// expanded. It returns nil when p is a distribution or is invalid.
func (p Param) LevelList() []float64 {
	l, err := p.levels()
	if err != nil {
		return nil
	}
	return l
}

// levels returns the discrete levels of p (nil for a distribution) after
// validating p.
func (p Param) levels() ([]float64, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("sensitivity: parameter %q: "+format, append([]any{p.Name}, args...)...)
	}
	if p.Name == "" {
		return nil, fmt.Errorf("sensitivity: parameter with empty name")
	}
	for _, v := range []float64{p.Min, p.Max, p.Step, p.Mu, p.Sigma} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, bad("non-finite field")
		}
	}
	switch {
	case len(p.Levels) > 0:
		if p.Dist != "" || p.Step != 0 {
			return nil, bad("Levels cannot be combined with Dist or Step")
		}
		for _, v := range p.Levels {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, bad("non-finite level %v", v)
			}
		}
		return p.Levels, nil
	case p.Step != 0:
		if p.Dist != "" {
			return nil, bad("Step cannot be combined with Dist %q", p.Dist)
		}
		if p.Step < 0 || p.Max < p.Min {
			return nil, bad("bad step range: min=%v max=%v step=%v", p.Min, p.Max, p.Step)
		}
		// The relative slack absorbs rounding in (Max−Min)/Step, so that
		// Min=0, Max=1, Step=0.1 gives 11 levels and not 10.
		n := math.Floor((p.Max-p.Min)/p.Step*(1+1e-12)) + 1
		if n > maxLevels {
			return nil, bad("step range has %v levels, more than %d", n, maxLevels)
		}
		l := make([]float64, int(n))
		for j := range l {
			l[j] = math.Min(p.Min+float64(j)*p.Step, p.Max)
		}
		return l, nil
	}
	switch p.Dist {
	case "", Uniform:
		if !(p.Min < p.Max) {
			return nil, bad("no range: min=%v max=%v", p.Min, p.Max)
		}
	case Normal, LogNormal:
		if !(p.Sigma > 0) {
			return nil, bad("%s needs Sigma > 0, have %v", p.Dist, p.Sigma)
		}
		if !p.truncated() && (p.Min != 0 || p.Max != 0) {
			return nil, bad("truncation needs Min < Max, have min=%v max=%v", p.Min, p.Max)
		}
		if p.Dist == LogNormal && p.truncated() && p.Min < 0 {
			return nil, bad("lognormal truncated below 0: min=%v", p.Min)
		}
		if p.truncated() && !(p.cdf(p.Max) > p.cdf(p.Min)) {
			return nil, bad("truncation range [%v, %v] has no probability", p.Min, p.Max)
		}
	case LogUniform:
		if !(0 < p.Min && p.Min < p.Max) {
			return nil, bad("loguniform needs 0 < Min < Max, have min=%v max=%v", p.Min, p.Max)
		}
	default:
		return nil, bad("unknown distribution %q", p.Dist)
	}
	return nil, nil
}

// truncated reports whether a Normal or LogNormal p is truncated.
func (p Param) truncated() bool { return p.Min < p.Max }

// bounded reports whether every unit coordinate, 0 and 1 included, maps to
// a finite value: levels, step ranges and distributions with a finite range.
// Morris designs need it, because they use the levels 0 and 1.
func (p Param) bounded() bool {
	switch {
	case len(p.Levels) > 0 || p.Step != 0:
		return true
	case p.Dist == Normal || p.Dist == LogNormal:
		return p.truncated()
	}
	return true
}

// cdf is the untruncated CDF of a Normal or LogNormal p.
func (p Param) cdf(x float64) float64 {
	if p.Dist == LogNormal {
		return distuv.LogNormal{Mu: p.Mu, Sigma: p.Sigma}.CDF(x)
	}
	return distuv.Normal{Mu: p.Mu, Sigma: p.Sigma}.CDF(x)
}

// quantile is the untruncated inverse CDF of a Normal or LogNormal p.
func (p Param) quantile(u float64) float64 {
	if p.Dist == LogNormal {
		return distuv.LogNormal{Mu: p.Mu, Sigma: p.Sigma}.Quantile(u)
	}
	return distuv.Normal{Mu: p.Mu, Sigma: p.Sigma}.Quantile(u)
}

// Quantile maps a unit coordinate u in [0, 1] to a value of p: the inverse
// CDF of its distribution (see Uniform, Normal, LogNormal, LogUniform), or
// for n discrete levels Levels[⌊u·n⌋], clamped to the last level at u = 1.
// Unbounded distributions clamp u to [2⁻⁵³, 1−2⁻⁵³] so that the value is
// finite. Quantile returns NaN for an invalid p. Designs build the mapping
// once per parameter; calling Quantile in a loop validates p every time.
func (p Param) Quantile(u float64) float64 {
	q, err := p.quantileFunc()
	if err != nil {
		return math.NaN()
	}
	return q(u)
}

// quantileFunc validates p and returns its unit-to-value mapping, as
// documented on Quantile.
func (p Param) quantileFunc() (func(u float64) float64, error) {
	levels, err := p.levels()
	if err != nil {
		return nil, err
	}
	clamp := func(u float64) float64 { return math.Max(0, math.Min(1, u)) }
	if levels != nil {
		return func(u float64) float64 {
			if math.IsNaN(u) {
				return math.NaN()
			}
			return levels[levelIndex(clamp(u), len(levels))]
		}, nil
	}
	switch p.Dist {
	case Normal, LogNormal:
		if !p.truncated() {
			return func(u float64) float64 {
				return p.quantile(math.Max(unboundedEps, math.Min(1-unboundedEps, u)))
			}, nil
		}
		fa, fb := p.cdf(p.Min), p.cdf(p.Max)
		return func(u float64) float64 {
			x := p.quantile(fa + clamp(u)*(fb-fa))
			return math.Max(p.Min, math.Min(p.Max, x))
		}, nil
	case LogUniform:
		return func(u float64) float64 { return p.Min * math.Pow(p.Max/p.Min, clamp(u)) }, nil
	}
	return func(u float64) float64 {
		u = clamp(u)
		return (1-u)*p.Min + u*p.Max
	}, nil
}

// levelIndex returns ⌊u·n⌋ clamped to [0, n−1].
func levelIndex(u float64, n int) int {
	j := int(math.Floor(u * float64(n)))
	return max(0, min(n-1, j))
}

// validateParams checks every parameter and that names are unique.
func validateParams(params []Param) error {
	if len(params) == 0 {
		return fmt.Errorf("sensitivity: no parameters")
	}
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("sensitivity: duplicate parameter name %q", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}
