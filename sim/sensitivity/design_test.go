package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// mixedParams has one parameter of every kind, all bounded.
var mixedParams = []Param{
	{Name: "levels", Levels: []float64{1, 2, 5}},
	{Name: "step", Min: 0, Max: 1, Step: 0.25},
	{Name: "uniform", Min: -1, Max: 1},
	{Name: "truncnormal", Dist: Normal, Mu: 0, Sigma: 1, Min: -2, Max: 2},
	{Name: "loguniform", Dist: LogUniform, Min: 0.1, Max: 10},
}

func TestFullFactorial(t *testing.T) {
	params := []Param{
		{Name: "a", Levels: []float64{1, 2, 3}},
		{Name: "b", Min: 0, Max: 1, Step: 0.5},
		{Name: "c", Levels: []float64{-1, 1}},
	}
	d, err := FullFactorial(params)
	require.NoError(t, err)
	assert.Equal(t, MethodFullFactorial, d.Method)
	require.Equal(t, 3*3*2, d.Len(), "product of the level counts")
	seen := map[[3]float64]int{}
	for i := range d.Len() {
		row := d.Points.RawRowView(i)
		seen[[3]float64{row[0], row[1], row[2]}]++
		for j, p := range params {
			assert.Equal(t, row[j], p.Quantile(d.Unit.At(i, j)), "unit and points agree at %d,%d", i, j)
		}
	}
	for _, a := range params[0].Levels {
		for _, b := range []float64{0, 0.5, 1} {
			for _, c := range params[2].Levels {
				assert.Equal(t, 1, seen[[3]float64{a, b, c}], "combination %v %v %v", a, b, c)
			}
		}
	}
	// The last parameter varies fastest.
	assert.Equal(t, []float64{1, 0, -1}, d.Points.RawRowView(0))
	assert.Equal(t, []float64{1, 0, 1}, d.Points.RawRowView(1))
	assert.Equal(t, []float64{1, 0.5, -1}, d.Points.RawRowView(2))
}

func TestLatinHypercubeStrata(t *testing.T) {
	for _, n := range []int{1, 2, 37, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d, err := LatinHypercube(mixedParams, n, rand.New(rand.NewPCG(1, 2)))
			require.NoError(t, err)
			require.Equal(t, n, d.Len())
			for j, p := range mixedParams {
				count := make([]int, n)
				for i := range n {
					u := d.Unit.At(i, j)
					require.True(t, u >= 0 && u < 1, "u=%v", u)
					count[int(math.Floor(u*float64(n)))]++
					assert.Equal(t, p.Quantile(u), d.Points.At(i, j))
				}
				for s, c := range count {
					assert.Equal(t, 1, c, "column %d stratum %d", j, s)
				}
			}
		})
	}
}

func TestSaltelliLayout(t *testing.T) {
	const n = 16 // base rows; a power of two as Saltelli designs prefer
	d, err := Saltelli(mixedParams, n, rand.New(rand.NewPCG(3, 4)))
	require.NoError(t, err)
	k := len(mixedParams)
	l := d.Saltelli
	require.NotNil(t, l)
	assert.Equal(t, SaltelliLayout{N: n, K: k}, *l)
	require.Equal(t, n*(k+2), d.Len(), "N·(k+2) runs")
	require.Equal(t, n*(k+2), l.Runs())

	used := make([]int, d.Len())
	for j := range n {
		a, b := d.Unit.RawRowView(l.A(j)), d.Unit.RawRowView(l.B(j))
		used[l.A(j)]++
		used[l.B(j)]++
		for i := range k {
			ab := d.Unit.RawRowView(l.AB(i, j))
			used[l.AB(i, j)]++
			for c := range k {
				want := a[c]
				if c == i {
					want = b[c]
				}
				assert.Equal(t, want, ab[c], "AB_%d row %d column %d", i, j, c)
			}
		}
	}
	for r, u := range used {
		assert.Equal(t, 1, u, "row %d", r)
	}
	// A and B are the two halves of one 2k-dimensional scrambled Sobol'
	// point.
	seq, err := NewScrambledSobolSequence(2*k, rand.New(rand.NewPCG(3, 4)))
	require.NoError(t, err)
	for j := range n {
		p := seq.Next(nil)
		assert.Equal(t, p[:k], d.Unit.RawRowView(l.A(j)))
		assert.Equal(t, p[k:], d.Unit.RawRowView(l.B(j)))
	}
}

// TestDesignsDeterministic checks that every random design is a function
// of its source's seed.
func TestDesignsDeterministic(t *testing.T) {
	designs := []struct {
		name string
		make func(seed uint64) (Design, error)
	}{
		{"LatinHypercube", func(seed uint64) (Design, error) {
			return LatinHypercube(mixedParams, 20, rand.New(rand.NewPCG(seed, 0)))
		}},
		{"Saltelli", func(seed uint64) (Design, error) {
			return Saltelli(mixedParams, 8, rand.New(rand.NewPCG(seed, 0)))
		}},
		{"Morris", func(seed uint64) (Design, error) {
			return Morris(mixedParams, MorrisOptions{Trajectories: 4}, rand.New(rand.NewPCG(seed, 0)))
		}},
		{"Morris with candidates", func(seed uint64) (Design, error) {
			return Morris(mixedParams, MorrisOptions{Trajectories: 4, Candidates: 20}, rand.New(rand.NewPCG(seed, 0)))
		}},
	}
	for _, tc := range designs {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.make(1)
			require.NoError(t, err)
			b, err := tc.make(1)
			require.NoError(t, err)
			c, err := tc.make(2)
			require.NoError(t, err)
			assert.True(t, mat.Equal(a.Points, b.Points), "same seed, same design")
			assert.False(t, mat.Equal(a.Points, c.Points), "different seed, different design")
		})
	}
}

func TestDesignErrors(t *testing.T) {
	rnd := func() *rand.Rand { return rand.New(rand.NewPCG(1, 1)) }
	uniform := Param{Name: "u", Min: 0, Max: 1}
	normal := Param{Name: "n", Dist: Normal, Sigma: 1}
	tests := []struct {
		name string
		make func() (Design, error)
		err  string
	}{
		{"full factorial with a distribution", func() (Design, error) {
			return FullFactorial([]Param{{Name: "a", Levels: []float64{1}}, normal})
		}, `parameter "n" has no level list`},
		{"full factorial with a range and no step", func() (Design, error) {
			return FullFactorial([]Param{uniform})
		}, "no level list"},
		{"full factorial too large", func() (Design, error) {
			return FullFactorial([]Param{{Name: "a", Min: 0, Max: 1, Step: 1e-5}, {Name: "b", Min: 0, Max: 1, Step: 1e-5}})
		}, "more than"},
		{"no parameters", func() (Design, error) { return LatinHypercube(nil, 10, rnd()) }, "no parameters"},
		{"duplicate names", func() (Design, error) {
			return LatinHypercube([]Param{uniform, uniform}, 10, rnd())
		}, "duplicate parameter name"},
		{"invalid parameter", func() (Design, error) { return Saltelli([]Param{{Name: "z"}}, 8, rnd()) }, "no range"},
		{"LHS zero points", func() (Design, error) { return LatinHypercube([]Param{uniform}, 0, rnd()) }, "bad number of points 0"},
		{"LHS nil source", func() (Design, error) { return LatinHypercube([]Param{uniform}, 4, nil) }, "nil random source"},
		{"Saltelli zero points", func() (Design, error) { return Saltelli([]Param{uniform}, 0, rnd()) }, "bad number of base rows 0"},
		{"Saltelli one point", func() (Design, error) { return Saltelli([]Param{uniform}, 1, rnd()) }, "bad number of base rows 1"},
		{"Saltelli nil source", func() (Design, error) { return Saltelli([]Param{uniform}, 4, nil) }, "nil random source"},
		{"Saltelli too many parameters", func() (Design, error) {
			ps := make([]Param, MaxSobolDim/2+1)
			for i := range ps {
				ps[i] = Param{Name: fmt.Sprint(i), Min: 0, Max: 1}
			}
			return Saltelli(ps, 4, rnd())
		}, "Sobol dimensions"},
		{"Morris unbounded", func() (Design, error) {
			return Morris([]Param{uniform, normal}, MorrisOptions{Trajectories: 4}, rnd())
		}, `parameter "n" has no finite range`},
		{"Morris single level", func() (Design, error) {
			return Morris([]Param{{Name: "a", Levels: []float64{3}}}, MorrisOptions{Trajectories: 4}, rnd())
		}, "single level"},
		{"Morris odd levels", func() (Design, error) {
			return Morris([]Param{uniform}, MorrisOptions{Trajectories: 4, Levels: 5}, rnd())
		}, "even"},
		{"Morris zero trajectories", func() (Design, error) {
			return Morris([]Param{uniform}, MorrisOptions{}, rnd())
		}, "bad number of trajectories 0"},
		{"Morris nil source", func() (Design, error) {
			return Morris([]Param{uniform}, MorrisOptions{Trajectories: 2}, nil)
		}, "nil random source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.make()
			assert.ErrorContains(t, err, "sensitivity: ")
			assert.ErrorContains(t, err, tc.err)
		})
	}
}
