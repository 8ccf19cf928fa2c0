package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// maxRuns bounds the number of rows a design may have (16,777,216), so that
// a mistaken level count fails instead of exhausting memory.
const maxRuns = 1 << 24

// Method names the construction of a Design.
type Method int

// The design methods.
const (
	MethodFullFactorial Method = iota + 1
	MethodLatinHypercube
	MethodSaltelli
	MethodMorris
)

// String returns the name of m.
func (m Method) String() string {
	switch m {
	case MethodFullFactorial:
		return "full factorial"
	case MethodLatinHypercube:
		return "Latin hypercube"
	case MethodSaltelli:
		return "Saltelli"
	case MethodMorris:
		return "Morris"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Design is a list of model runs: row i of Points holds the parameter values
// of run i, one column per parameter in the order of Params. Unit holds the
// same points in the unit hypercube, before the mapping of [Param.Quantile].
// Outputs of the runs are passed to the analyses in row order.
type Design struct {
	// Method is the construction that produced the design.
	Method Method

	// Params are the parameters, one per column.
	Params []Param

	// Unit and Points are Len()×len(Params) matrices.
	Unit, Points *mat.Dense

	// Saltelli is the run layout of a Saltelli design, nil otherwise.
	Saltelli *SaltelliLayout

	// Morris is the run layout of a Morris design, nil otherwise.
	Morris *MorrisLayout
}

// Len returns the number of runs (rows) of d.
func (d Design) Len() int {
	if d.Points == nil {
		return 0
	}
	r, _ := d.Points.Dims()
	return r
}

// Names returns the parameter names in column order.
func (d Design) Names() []string {
	names := make([]string, len(d.Params))
	for i, p := range d.Params {
		names[i] = p.Name
	}
	return names
}

// newDesign maps unit, a rows×len(params) matrix, through the parameters'
// quantile functions. The parameters must already be valid.
func newDesign(m Method, params []Param, unit *mat.Dense) Design {
	rows, k := unit.Dims()
	points := mat.NewDense(rows, k, nil)
	for j, p := range params {
		q, err := p.quantileFunc()
		if err != nil {
			panic(err) // validated by the caller
		}
		for i := range rows {
			points.Set(i, j, q(unit.At(i, j)))
		}
	}
	return Design{Method: m, Params: append([]Param(nil), params...), Unit: unit, Points: points}
}

// FullFactorial returns every combination of the parameters' levels once,
// the last parameter varying fastest. Every parameter needs a level list
// (Levels, or a Step range); a distribution is an error. The unit coordinate
// of level j of n is its interval's centre (j+½)/n.
func FullFactorial(params []Param) (Design, error) {
	if err := validateParams(params); err != nil {
		return Design{}, err
	}
	levels := make([][]float64, len(params))
	rows := 1
	for j, p := range params {
		levels[j] = p.LevelList()
		if levels[j] == nil {
			return Design{}, fmt.Errorf("sensitivity: full factorial: parameter %q has no level list (distribution %q)", p.Name, p.Dist)
		}
		rows *= len(levels[j])
		if rows > maxRuns {
			return Design{}, fmt.Errorf("sensitivity: full factorial has more than %d points", maxRuns)
		}
	}
	k := len(params)
	unit := mat.NewDense(rows, k, nil)
	idx := make([]int, k)
	for i := range rows {
		for j := range k {
			unit.Set(i, j, (float64(idx[j])+0.5)/float64(len(levels[j])))
		}
		for j := k - 1; j >= 0; j-- { // mixed-radix increment
			idx[j]++
			if idx[j] < len(levels[j]) {
				break
			}
			idx[j] = 0
		}
	}
	return newDesign(MethodFullFactorial, params, unit), nil
}

// LatinHypercube returns n points such that, for every parameter, each of
// the n strata [s/n, (s+1)/n) of the unit line holds exactly one point
// (McKay, Beckman and Conover 1979, Technometrics 21:239):
//
//	u_ij = (π_j(i) + U_ij) / n,
//
// with π_j an independent random permutation of 0 … n−1 for each column j and
// U_ij uniform on [0, 1), all drawn from rnd. The points are then mapped
// through each parameter. This is the algorithm of gonum's
// samplemv.LatinHypercube, written here because package samplemv imports
// distmv, which needs golang.org/x/tools, a module this repository does not
// require.
func LatinHypercube(params []Param, n int, rnd *rand.Rand) (Design, error) {
	if err := validateParams(params); err != nil {
		return Design{}, err
	}
	if n < 1 || n > maxRuns {
		return Design{}, fmt.Errorf("sensitivity: Latin hypercube: bad number of points %d", n)
	}
	if rnd == nil {
		return Design{}, fmt.Errorf("sensitivity: nil random source")
	}
	k := len(params)
	unit := mat.NewDense(n, k, nil)
	for j := range k {
		perm := rnd.Perm(n)
		for i, s := range perm {
			// Clamp below the stratum's upper edge, which rounding
			// could otherwise reach.
			u := (float64(s) + rnd.Float64()) / float64(n)
			unit.Set(i, j, math.Min(u, math.Nextafter(float64(s+1)/float64(n), 0)))
		}
	}
	return newDesign(MethodLatinHypercube, params, unit), nil
}
