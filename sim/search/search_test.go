package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deterministic wraps a noise-free function as an objective.
func deterministic(f func(x []float64) float64) Objective {
	return func(_ context.Context, x []float64, _ []uint64) (float64, error) { return f(x), nil }
}

func sphere(x []float64) float64 {
	s := 0.0
	for i, v := range x {
		d := v - 0.1*float64(i+1)
		s += d * d
	}
	return s
}

func rosenbrock(x []float64) float64 {
	s := 0.0
	for i := 0; i+1 < len(x); i++ {
		s += 100*math.Pow(x[i+1]-x[i]*x[i], 2) + math.Pow(1-x[i], 2)
	}
	return s
}

func box(n int, lo, hi float64) []Param {
	ps := make([]Param, n)
	for i := range ps {
		ps[i] = Param{Name: string(rune('a' + i)), Lo: lo, Hi: hi}
	}
	return ps
}

// TestKnownOptima: noise-free functions whose minimum is known; tolX
// 1e-3 of the unit range is the resolution asked for, so each coordinate
// is checked to 1e-2 of its range (the strategy stops within a few σ of
// the optimum, σ < tolX), Rosenbrock's curved valley to 2e-2.
func TestKnownOptima(t *testing.T) {
	cases := []struct {
		name   string
		params []Param
		f      func([]float64) float64
		want   []float64
		tol    float64
	}{
		{"sphere 4-d", box(4, -1, 1), sphere, []float64{0.1, 0.2, 0.3, 0.4}, 2e-2},
		{"rosenbrock 3-d in bounds", box(3, -2, 2), rosenbrock, []float64{1, 1, 1}, 8e-2},
		// The minimum of (x+1)² + (y−3)² over [0, 2]² is the corner (0, 2).
		{"optimum on a bound", box(2, 0, 2), func(x []float64) float64 { return (x[0]+1)*(x[0]+1) + (x[1]-3)*(x[1]-3) }, []float64{0, 2}, 2e-2},
		{"log and integer scales", []Param{{Name: "budget", Lo: 1, Hi: 1e6, Log: true}, {Name: "days", Lo: 1, Hi: 60, Integer: true}},
			func(x []float64) float64 { return math.Pow(math.Log10(x[0])-3, 2) + math.Pow(x[1]-17.4, 2) }, []float64{1000, 17}, 1e-2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(Problem{Params: c.params, Objective: deterministic(c.f)}, Config{Seed: 3, Budget: 6000, Replicates: 1, Recheck: 1, Confirm: 2})
			require.NoError(t, err)
			res, err := s.Run(context.Background())
			require.NoError(t, err)
			for i, w := range c.want {
				rng := c.params[i].Hi - c.params[i].Lo
				if c.params[i].Log {
					assert.InDelta(t, math.Log(w), math.Log(res.X[i]), c.tol*math.Log(c.params[i].Hi/c.params[i].Lo), "%s", c.params[i].Name)
				} else {
					assert.InDelta(t, w, res.X[i], c.tol*rng, "%s", c.params[i].Name)
				}
			}
			for i, p := range c.params {
				if p.Integer {
					assert.Equal(t, math.Round(res.X[i]), res.X[i], "%s is an integer", p.Name)
				}
			}
			assert.Len(t, res.Levers, len(c.params))
		})
	}
}

// noisyQuadratic is a payoff with multiplicative, additive and interaction
// noise, each seed one world: E f(x) = 10 − Σ(x_i − c_i)², so the maximum
// is 10 at c = (0.3, 0.7). The additive term (sd 1) is what common random
// numbers cancel between candidates; the others move the sample optimum.
func noisyQuadratic(_ context.Context, x []float64, seeds []uint64) (float64, error) {
	total := 0.0
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 99))
		c := []float64{0.3, 0.7}
		v := 10 + r.NormFloat64()
		scale := 1 + 0.2*r.NormFloat64()
		for i := range x {
			d := x[i] - c[i]
			v -= scale*d*d + 0.05*r.NormFloat64()*x[i]
		}
		total += v
	}
	return total / float64(len(seeds)), nil
}

func noisyProblem() Problem {
	return Problem{Params: box(2, 0, 1), Objective: noisyQuadratic, Maximize: true, Fingerprint: "noisy-quadratic"}
}

// TestNoisyQuadraticCRN: on common seeds the search finds the optimum of
// the expected value to within the sample optimum's spread. With 4
// replicates the interaction noise (sd 0.05 per unit x, mean over 4: 0.025)
// moves the sample optimum by about 0.025/(2·scale) ≈ 0.013 per coordinate;
// 0.05 is four times that.
func TestNoisyQuadraticCRN(t *testing.T) {
	s, err := New(noisyProblem(), Config{Seed: 11, Budget: 1200})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	assert.InDelta(t, 0.3, res.X[0], 0.05)
	assert.InDelta(t, 0.7, res.X[1], 0.05)
	assert.Equal(t, 16, res.Interval.N)
	assert.Less(t, res.Interval.Lo, res.Interval.Hi)
	assert.NotEmpty(t, res.Trace)
}

// TestIntervalCoverage: over 60 independent searches of the noisy
// quadratic, the reported 95% interval covers the true optimum value 10 in
// at least 90% of them. The interval is of the chosen point's value, at
// most 0.05² · 2 ≈ 0.005 below 10 (its distance to the optimum above),
// small against the interval's half-width (t·1/√16 ≈ 0.53); with 60 runs
// the binomial sd of a 95% coverage is 2.8 points, so 90% is 1.8 sd below.
func TestIntervalCoverage(t *testing.T) {
	covered := 0
	const runs = 60
	for k := range runs {
		s, err := New(noisyProblem(), Config{Seed: uint64(1000 + 7919*k), Budget: 300, Workers: 1})
		require.NoError(t, err)
		res, err := s.Run(context.Background())
		require.NoError(t, err)
		if res.Interval.Lo <= 10 && 10 <= res.Interval.Hi {
			covered++
		}
	}
	t.Logf("coverage %d/%d", covered, runs)
	assert.GreaterOrEqual(t, covered, 54, "coverage %d/%d", covered, runs)
}

// TestDeterministicAcrossWorkers: the same search gives the same bytes
// with one worker and with many, whatever GOMAXPROCS.
func TestDeterministicAcrossWorkers(t *testing.T) {
	run := func(workers, procs int) []byte {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		s, err := New(noisyProblem(), Config{Seed: 5, Budget: 400, Workers: workers})
		require.NoError(t, err)
		res, err := s.Run(context.Background())
		require.NoError(t, err)
		b, err := json.Marshal(res)
		require.NoError(t, err)
		return b
	}
	one := run(1, 1)
	assert.Equal(t, string(one), string(run(8, 4)))
	assert.Equal(t, string(one), string(run(3, 2)))
}

// TestResumeAfterKill: a search killed mid-way (its journal cut at an
// arbitrary byte, as a kill leaves it) and re-run replays what the journal
// holds and ends with the same result as an uninterrupted search.
func TestResumeAfterKill(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	s, err := New(noisyProblem(), Config{Seed: 9, Budget: 400, Dir: full})
	require.NoError(t, err)
	want, err := s.Run(context.Background())
	require.NoError(t, err)
	require.NoError(t, s.Close())
	data, err := os.ReadFile(filepath.Join(full, JournalFile))
	require.NoError(t, err)

	for _, cut := range []int{len(data) / 3, len(data)/2 + 17, len(data) - 5} {
		killed := filepath.Join(dir, "killed")
		require.NoError(t, os.RemoveAll(killed))
		require.NoError(t, os.MkdirAll(killed, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(killed, JournalFile), data[:cut], 0o644))
		s, err := New(noisyProblem(), Config{Seed: 9, Budget: 400, Dir: killed})
		require.NoError(t, err)
		got, err := s.Run(context.Background())
		require.NoError(t, err)
		require.NoError(t, s.Close())
		assert.Positive(t, got.Replayed, "cut at %d: the journal was replayed", cut)
		got.Replayed, want.Replayed = 0, 0
		assert.Equal(t, want, got, "cut at %d", cut)
		again, err := os.ReadFile(filepath.Join(killed, JournalFile))
		require.NoError(t, err)
		assert.Equal(t, len(data), len(again), "the resumed journal holds every call once")
	}
}

// TestJournalOfAnotherSearch: a journal written for another objective is
// refused, not replayed.
func TestJournalOfAnotherSearch(t *testing.T) {
	dir := t.TempDir()
	s, err := New(noisyProblem(), Config{Seed: 1, Budget: 50, Dir: dir})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	p := noisyProblem()
	p.Fingerprint = "something else"
	_, err = New(p, Config{Seed: 1, Dir: dir})
	assert.ErrorContains(t, err, "belongs to another search")
}

// TestScreening: a screening objective that ranks like the full one lets
// the search find the optimum with fewer full calls per generation.
func TestScreening(t *testing.T) {
	full := 0
	p := Problem{Params: box(3, -1, 1), Objective: func(_ context.Context, x []float64, _ []uint64) (float64, error) {
		full++
		return sphere(x), nil
	}, Screen: func(_ context.Context, x []float64, _ []uint64) (float64, error) {
		return sphere(x) + 0.001, nil
	}}
	s, err := New(p, Config{Seed: 2, Budget: 2000, Replicates: 1, Recheck: 1, Confirm: 2, Workers: 1})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	assert.InDelta(t, 0.1, res.X[0], 0.02)
	assert.Positive(t, res.ScreenCalls)
	assert.Less(t, res.Calls, res.Calls+res.ScreenCalls)
}

// TestRejection: a hard constraint x + y ≤ 1 on maximising x + 2y over
// the unit square puts the optimum at (0, 1).
func TestRejection(t *testing.T) {
	p := Problem{Params: box(2, 0, 1), Maximize: true, Objective: func(_ context.Context, x []float64, _ []uint64) (float64, error) {
		if x[0]+x[1] > 1 {
			return 0, ErrRejected
		}
		return x[0] + 2*x[1], nil
	}}
	s, err := New(p, Config{Seed: 4, Budget: 3000, Replicates: 1, Recheck: 1, Confirm: 2})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	assert.InDelta(t, 0, res.X[0], 0.02)
	assert.InDelta(t, 1, res.X[1], 0.02)
}

func TestLeversRankByEffect(t *testing.T) {
	// f = 10·(a−0.5)² + 0.1·(b−0.5)²: a matters a hundred times more.
	p := Problem{Params: box(2, 0, 1), Objective: deterministic(func(x []float64) float64 {
		return 10*math.Pow(x[0]-0.5, 2) + 0.1*math.Pow(x[1]-0.5, 2)
	})}
	s, err := New(p, Config{Seed: 1, Budget: 2000, Replicates: 1, Recheck: 1, Confirm: 2})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, res.Levers, 2)
	assert.Equal(t, "a", res.Levers[0].Name)
	// Second difference of 10·d² per squared unit range: 20.
	assert.InDelta(t, 20, res.Levers[0].Curvature, 0.5)
	sf, err := s.Surface(context.Background(), res.X, 0, 1, 5)
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0.25, 0.5, 0.75, 1}, sf.XS)
	assert.InDelta(t, 2.5+0.025, sf.Values[0][0], 1e-9)
}

func TestBadInput(t *testing.T) {
	obj := deterministic(sphere)
	cases := []struct {
		name string
		p    Problem
		cfg  Config
		want string
	}{
		{"no params", Problem{Objective: obj}, Config{}, "no parameters"},
		{"reversed bounds", Problem{Params: []Param{{Name: "a", Lo: 1, Hi: 0}}, Objective: obj}, Config{}, "below the upper"},
		{"log at zero", Problem{Params: []Param{{Name: "a", Lo: 0, Hi: 1, Log: true}}, Objective: obj}, Config{}, "positive lower bound"},
		{"twice", Problem{Params: []Param{{Name: "a", Lo: 0, Hi: 1}, {Name: "a", Lo: 0, Hi: 1}}, Objective: obj}, Config{}, "twice"},
		{"normal without sd", Problem{Params: []Param{{Name: "a", Lo: 0, Hi: 1, Prior: Prior{Kind: Normal}}}, Objective: obj}, Config{}, "positive sd"},
		{"start outside", Problem{Params: box(1, 0, 1), Objective: obj, Start: []float64{2}}, Config{}, "outside"},
		{"one confirmation", Problem{Params: box(1, 0, 1), Objective: obj}, Config{Confirm: 1}, "2 replicates"},
		{"no objective", Problem{Params: box(1, 0, 1)}, Config{}, "no objective"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.p, c.cfg)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

func TestReflect(t *testing.T) {
	for _, c := range [][2]float64{{0.3, 0.3}, {1.2, 0.8}, {-0.2, 0.2}, {2.3, 0.3}, {-1.7, 0.3}, {1, 1}, {0, 0}} {
		assert.InDelta(t, c[1], reflect(c[0]), 1e-12, "%g", c[0])
	}
}

// TestDecodeSteps: integer and stepped parameters decode to their grid,
// inside the bounds, in clean decimals.
func TestDecodeSteps(t *testing.T) {
	cases := []struct {
		p    Param
		u    float64
		want float64
	}{
		{Param{Name: "yuan", Lo: 0, Hi: 20, Step: 0.01}, 0.18946, 3.79},
		{Param{Name: "yuan", Lo: 0.005, Hi: 0.013, Step: 0.01}, 0, 0.01},
		{Param{Name: "days", Lo: 1.5, Hi: 9.5, Integer: true}, 0, 2},
		{Param{Name: "days", Lo: 1.5, Hi: 9.5, Integer: true}, 1, 9},
		{Param{Name: "budget", Lo: 10, Hi: 1000, Log: true}, 0.5, 100},
		{Param{Name: "plain", Lo: -1, Hi: 1}, 2, 1},
	}
	for _, c := range cases {
		assert.InDelta(t, c.want, c.p.Decode(c.u), 1e-12, "%+v at %g", c.p, c.u)
	}
	assert.Equal(t, "3.79", strconv.FormatFloat(cases[0].p.Decode(cases[0].u), 'g', -1, 64))
}

// TestEvaluations: every call is listed once, in the same order whether
// the search ran or replayed its journal.
func TestEvaluations(t *testing.T) {
	dir := t.TempDir()
	s, err := New(noisyProblem(), Config{Seed: 2, Budget: 100, Dir: dir})
	require.NoError(t, err)
	_, err = s.Run(context.Background())
	require.NoError(t, err)
	first := s.Evaluations()
	require.NoError(t, s.Close())
	s, err = New(noisyProblem(), Config{Seed: 2, Dir: dir})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, first, s.Evaluations(), "the journal holds the same calls")
	seen := map[string]bool{}
	for _, e := range first {
		k := callKey("f", e.X, e.Seeds)
		assert.False(t, seen[k], "a call listed twice")
		seen[k] = true
	}
	assert.Greater(t, len(first), 100)
}

// TestSeedGroups: with GroupSize 3 every call gets 3 seeds; the search's
// replicates are the same groups for every candidate (common random
// numbers), and re-checks and the confirmation use groups of their own.
func TestSeedGroups(t *testing.T) {
	var mu sync.Mutex
	groups := map[[3]uint64]int{}
	obj := func(_ context.Context, x []float64, seeds []uint64) (float64, error) {
		if len(seeds) != 3 {
			return 0, fmt.Errorf("want 3 seeds, got %v", seeds)
		}
		mu.Lock()
		groups[[3]uint64(seeds)]++
		mu.Unlock()
		return sphere(x), nil
	}
	s, err := New(Problem{Params: box(2, -1, 1), Objective: obj}, Config{Seed: 100, GroupSize: 3, Replicates: 2, Recheck: 2, Confirm: 2, Budget: 200})
	require.NoError(t, err)
	_, err = s.Run(context.Background())
	require.NoError(t, err)
	search := [][3]uint64{{100, 101, 102}, {103, 104, 105}}
	for _, g := range search {
		assert.Greater(t, groups[g], 50, "search group %v is every candidate's", g)
	}
	assert.Positive(t, groups[[3]uint64{100 + RecheckOffset, 101 + RecheckOffset, 102 + RecheckOffset}])
	assert.Equal(t, 1, groups[[3]uint64{100 + ConfirmOffset, 101 + ConfirmOffset, 102 + ConfirmOffset}], "the confirmation runs once")
	assert.Len(t, groups, 6, "two search, two re-check and two confirmation groups")
}

// TestStartFirst: a search told to keep its start as the first incumbent
// returns it when nothing in its budget beats it (here the start is the
// sphere's minimum, which no sampled candidate can match exactly), and
// counts its evaluations in the budget; without StartFirst the same search
// returns one of its candidates, which is not the start.
func TestStartFirst(t *testing.T) {
	start := []float64{0.1, 0.2, 0.3}
	for _, first := range []bool{true, false} {
		s, err := New(Problem{Params: box(3, -1, 1), Objective: deterministic(sphere), Start: start, StartFirst: first},
			Config{Seed: 5, Budget: 30, Replicates: 1, Recheck: 1, Confirm: 2, MaxRestarts: 0})
		require.NoError(t, err)
		r, err := s.Run(context.Background())
		require.NoError(t, err)
		if first {
			assert.Equal(t, start, r.X, "the start is kept")
			assert.Equal(t, -1, r.Trace[0].Gen, "found before the first generation")
			assert.InDelta(t, 0, r.Value, 1e-12)
		} else {
			assert.NotEqual(t, start, r.X)
			assert.Positive(t, r.Value)
		}
	}
}

// TestConfirmationFallsBack: a cap that binds within the noise. Maximising
// x under x ≤ 0.8 on the search and re-check seeds, but x ≤ 0.5 on the
// confirmation seeds (a cost that comes out higher on fresh seeds), the
// best the search finds (near 0.8) breaks the cap on confirmation; the
// result is the newest earlier incumbent that keeps it, and says how many
// it passed over. When no incumbent keeps it (a cap of 0), the search
// fails with that reason.
func TestConfirmationFallsBack(t *testing.T) {
	capped := func(confirmCap float64) Objective {
		return func(_ context.Context, x []float64, seeds []uint64) (float64, error) {
			c := 0.8
			if seeds[0] >= ConfirmOffset {
				c = confirmCap
			}
			if x[0] > c {
				return 0, ErrRejected
			}
			return x[0], nil
		}
	}
	s, err := New(Problem{Params: box(1, 0, 1), Maximize: true, Objective: capped(0.5), Start: []float64{0.1}, StartFirst: true},
		Config{Seed: 3, Budget: 200, Replicates: 1, Recheck: 1, Confirm: 2, MaxRestarts: 0})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(res.Trace), 2, "the search improved on its start")
	assert.Greater(t, res.Trace[len(res.Trace)-1].X[0], 0.5, "the search's best breaks the confirmation's cap")
	assert.LessOrEqual(t, res.X[0], 0.5, "the result keeps the cap on the confirmation seeds")
	assert.Positive(t, res.PassedOver)
	held := res.Trace[len(res.Trace)-1-res.PassedOver]
	assert.Equal(t, held.X, res.X, "the result is the newest incumbent that held")
	assert.Equal(t, held.Search, res.SearchValue)
	assert.InDelta(t, res.X[0], res.Value, 1e-12)

	s, err = New(Problem{Params: box(1, 0, 1), Maximize: true, Objective: capped(0), Start: []float64{0.1}, StartFirst: true},
		Config{Seed: 3, Budget: 200, Replicates: 1, Recheck: 1, Confirm: 2, MaxRestarts: 0})
	require.NoError(t, err)
	_, err = s.Run(context.Background())
	assert.ErrorContains(t, err, "rejected on the confirmation seeds")
}
