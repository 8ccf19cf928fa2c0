package calibrate

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/paywars/hongbao/sim/search"
)

// Options are how a calibration runs, beside its spec.
type Options struct {
	Dir      string // output folder: the journal and results; empty keeps none
	Workers  int    // parallel objective calls; 0: GOMAXPROCS
	Progress func(search.Progress)
	// Start, when set, is where the search starts (parameter units).
	Start []float64
}

// Result is a finished calibration.
type Result struct {
	Spec        string          `json:"spec"`
	Profile     string          `json:"profile"`
	Fingerprint string          `json:"fingerprint"`
	Users       int             `json:"users"`
	ScreenUsers int             `json:"screen_users"`
	Params      []ParamResult   `json:"params"`
	Fit         []TargetResult  `json:"fit"`
	RMSEShares  float64         `json:"rmse_shares_points"` // in-sample, share targets only
	Loss        search.Interval `json:"loss"`               // Σz² at the optimum over the confirmation replicates
	Correlated  []Pair          `json:"correlated"`
	Poor        []string        `json:"poorly_identified"`
	Method      string          `json:"interval_method"`
	SurfacePts  int             `json:"surface_points"` // evaluations the quadratic surface was fitted on
	Simulations int             `json:"simulations"`    // episode runs in all, screening included
	Search      *search.Result  `json:"search"`
	Covariance  [][]float64     `json:"covariance"` // in parameter units
	// Episodes are the spec's episodes as the fit ran them, with any
	// change of their inputs (Episode.Set), so that --compare runs the
	// fit on its own model when the spec compared on has other sets.
	Episodes []Episode `json:"episodes,omitempty"`
}

// ParamResult is one fitted parameter with its interval.
type ParamResult struct {
	Key      string  `json:"key"`
	Value    float64 `json:"value"`
	Lo       float64 `json:"lo"` // 95% interval, clipped to the bounds
	Hi       float64 `json:"hi"`
	SD       float64 `json:"sd"`
	BoundLo  float64 `json:"bound_lo"`
	BoundHi  float64 `json:"bound_hi"`
	OnBound  bool    `json:"on_bound"`
	Poor     bool    `json:"poorly_identified"`
	Estimate string  `json:"estimate"` // "quadratic" or "none" when the surface could not be fitted
}

// TargetResult is the fit of one figure at the optimum.
type TargetResult struct {
	ID      string    `json:"id"`
	Episode string    `json:"episode"`
	Metric  string    `json:"metric"`
	Period  string    `json:"period"`
	Record  float64   `json:"record"`
	Model   float64   `json:"model"`
	SeedSD  float64   `json:"seed_sd"`
	Z       float64   `json:"z"`
	Unit    string    `json:"unit"`
	Seeds   []float64 `json:"seeds"`
}

// Pair is two parameters whose estimates are correlated.
type Pair struct {
	A, B string
	Corr float64
}

// Keys lists the spec's parameter keys.
func (sp *Spec) Keys() []string {
	keys := make([]string, len(sp.Params))
	for i, p := range sp.Params {
		keys[i] = p.Key
	}
	return keys
}

// Calibrate fits the spec's parameters.
func Calibrate(ctx context.Context, sp *Spec, opt Options) (*Result, error) {
	keys := sp.Keys()
	params := make([]search.Param, len(sp.Params))
	for i, p := range sp.Params {
		params[i], _ = p.searchParam() // checked by ParseSpec
	}
	objective := func(users int) search.Objective {
		return func(ctx context.Context, x []float64, seeds []uint64) (float64, error) {
			ev, err := Evaluate(ctx, sp.Targets, sp.Episodes, keys, x, users, seeds)
			if err != nil {
				return 0, err
			}
			return Loss(sp.Targets, ev.Mean), nil
		}
	}
	start := opt.Start
	if start == nil {
		var err error
		if start, err = sp.StartPoint(); err != nil {
			return nil, err
		}
	}
	prob := search.Problem{Params: params, Objective: objective(sp.Users), Fingerprint: sp.Fingerprint(), Start: start, StartFirst: sp.Start == "profile" && opt.Start == nil}
	if sp.ScreenUsers > 0 {
		prob.Screen = objective(sp.ScreenUsers)
	}
	cfg := search.Config{Seed: sp.Seed, Replicates: sp.Replicates, GroupSize: sp.Seeds, Recheck: sp.Recheck, Confirm: sp.Confirm,
		Budget: sp.Budget, Sigma: sp.Sigma, Workers: opt.Workers, Dir: opt.Dir, Progress: opt.Progress}
	s, err := search.New(prob, cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sr, err := s.Run(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Spec: sp.file, Profile: sp.Profile, Fingerprint: sp.Fingerprint(), Users: sp.Users, ScreenUsers: sp.ScreenUsers, Search: sr, Episodes: sp.Episodes,
		Loss: sr.Interval, Method: "quadratic response surface on the search's evaluations (Laplace approximation, covariance 2H⁻¹)"}
	eps := map[string]bool{}
	for _, t := range sp.Targets {
		eps[t.Episode] = true
	}
	res.Simulations = (sr.Calls*sp.Seeds + sr.ScreenCalls*sp.Seeds) * len(eps)

	// The fit per target at the optimum, on the confirmation seeds.
	seeds := make([]uint64, sp.Confirm*sp.Seeds)
	for i := range seeds {
		seeds[i] = sp.Seed + search.ConfirmOffset + uint64(i)
	}
	ev, err := Evaluate(ctx, sp.Targets, sp.Episodes, keys, sr.X, sp.Users, seeds)
	if err != nil {
		return nil, err
	}
	res.Simulations += len(seeds) * len(eps)
	res.Fit = fitTable(sp.Targets, ev)
	res.RMSEShares = RMSEShares(res.Fit)

	// Intervals from the journal's evaluations.
	var pts []point
	if opt.Dir != "" {
		pts, err = readJournal(filepath.Join(opt.Dir, search.JournalFile), len(params), sp.Seed, sp.Replicates*sp.Seeds)
		if err != nil {
			return nil, err
		}
	}
	res.Params, res.Covariance, res.SurfacePts = intervals(params, sr.X, pts)
	for i, p := range res.Params {
		if p.Poor {
			res.Poor = append(res.Poor, p.Key)
		}
		for j := i + 1; j < len(res.Params); j++ {
			if res.Covariance == nil {
				break
			}
			c := res.Covariance[i][j] / math.Sqrt(res.Covariance[i][i]*res.Covariance[j][j])
			if math.Abs(c) > 0.7 {
				res.Correlated = append(res.Correlated, Pair{A: p.Key, B: res.Params[j].Key, Corr: c})
			}
		}
	}
	return res, nil
}

// fitTable compares each target with the model's mean over seeds.
func fitTable(targets []Target, ev *Evaluation) []TargetResult {
	out := make([]TargetResult, len(targets))
	for i, t := range targets {
		sd := 0.0
		for _, v := range ev.Seeds[i] {
			sd += (v - ev.Mean[i]) * (v - ev.Mean[i])
		}
		if n := len(ev.Seeds[i]); n > 1 {
			sd = math.Sqrt(sd / float64(n-1))
		}
		out[i] = TargetResult{ID: t.ID, Episode: t.Episode, Metric: t.Figure.Metric, Period: t.Figure.Period, Record: t.Figure.Value,
			Model: ev.Mean[i], SeedSD: sd, Z: t.Z(ev.Mean[i]), Unit: t.Figure.Unit, Seeds: ev.Seeds[i]}
	}
	return out
}

// RMSEShares is the root mean square error, in points, of the share
// figures (unit percent, metric share_value) among rows.
func RMSEShares(rows []TargetResult) float64 {
	se, n := 0.0, 0
	for _, r := range rows {
		if r.Metric == "share_value" {
			se += (r.Model - r.Record) * (r.Model - r.Record)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(se / float64(n))
}

// point is one evaluated candidate: its unit-cube position and its mean
// loss over the search replicates.
type point struct {
	u    []float64
	loss float64
}

// readJournal collects the full-objective calls on the search seeds from
// the journal, averaged per point.
func readJournal(path string, n int, seed0 uint64, searchSeeds int) ([]point, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type acc struct {
		x   []float64
		sum float64
		n   int
	}
	byX := map[string]*acc{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e struct {
			Obj   string    `json:"o"`
			X     []float64 `json:"x"`
			Seeds []uint64  `json:"s"`
			Value float64   `json:"v"`
			Rej   bool      `json:"r"`
		}
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Obj != "f" || e.Rej || len(e.X) != n || len(e.Seeds) == 0 {
			continue
		}
		if e.Seeds[0] >= seed0+uint64(searchSeeds) || e.Seeds[0] < seed0 {
			continue // re-checks and confirmations: other seeds
		}
		k := fmt.Sprint(e.X)
		a, ok := byX[k]
		if !ok {
			a = &acc{x: e.X}
			byX[k] = a
			order = append(order, k)
		}
		a.sum += e.Value
		a.n++
	}
	pts := make([]point, 0, len(order))
	for _, k := range order {
		a := byX[k]
		pts = append(pts, point{u: a.x, loss: a.sum / float64(a.n)})
	}
	return pts, sc.Err()
}

// intervals fits L ≈ c + gᵀu + ½uᵀHu (u in the unit cube, centred on the
// optimum) to the evaluations nearest the optimum and turns H into a
// covariance; see the package doc. pts hold parameter units in u (they
// are encoded here).
func intervals(params []search.Param, xhat []float64, pts []point) ([]ParamResult, [][]float64, int) {
	n := len(params)
	out := make([]ParamResult, n)
	uhat := make([]float64, n)
	for i, p := range params {
		uhat[i] = p.Encode(xhat[i])
		out[i] = ParamResult{Key: p.Name, Value: xhat[i], Lo: p.Lo, Hi: p.Hi, BoundLo: p.Lo, BoundHi: p.Hi, Poor: true, Estimate: "none",
			OnBound: uhat[i] < 0.01 || uhat[i] > 0.99}
	}
	// The full quadratic needs 1 + n + n(n+1)/2 coefficients; with fewer
	// evaluations than that and n more, only the diagonal is fitted (no
	// correlations).
	full := true
	nq := 1 + n + n*(n+1)/2
	if len(pts) < nq+n {
		full, nq = false, 1+2*n
		if len(pts) < nq+n {
			return out, nil, 0
		}
	}
	type du struct {
		d    []float64
		loss float64
		dist float64
	}
	var ds []du
	for _, p := range pts {
		d := make([]float64, n)
		dist := 0.0
		for i := range n {
			d[i] = params[i].Encode(p.u[i]) - uhat[i]
			dist += d[i] * d[i]
		}
		ds = append(ds, du{d, p.loss, dist})
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].dist < ds[j].dist })
	m := min(len(ds), max(3*nq, nq+2*n))
	ds = ds[:m]
	A := mat.NewDense(m, nq, nil)
	b := mat.NewVecDense(m, nil)
	for r, d := range ds {
		c := 0
		A.Set(r, c, 1)
		c++
		for i := range n {
			A.Set(r, c, d.d[i])
			c++
		}
		for i := range n {
			for j := i; j < n; j++ {
				if !full && j != i {
					continue
				}
				v := d.d[i] * d.d[j]
				if i == j {
					v /= 2
				}
				A.Set(r, c, v)
				c++
			}
		}
		b.SetVec(r, d.loss)
	}
	var coef mat.VecDense
	if err := coef.SolveVec(A, b); err != nil {
		return out, nil, m
	}
	H := mat.NewSymDense(n, nil)
	c := 1 + n
	for i := range n {
		for j := i; j < n; j++ {
			if !full && j != i {
				continue
			}
			H.SetSym(i, j, coef.AtVec(c))
			c++
		}
	}
	// Raise eigenvalues below a floor: a flat or concave direction is not
	// identified by the data, and gets a wide interval.
	var eig mat.EigenSym
	if !eig.Factorize(H, true) {
		return out, nil, m
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	// The floor: an interval of ±1 unit range at 1.96 sd.
	floor := 2 * 1.96 * 1.96
	inv := mat.NewSymDense(n, nil)
	for k, l := range vals {
		l = max(l, floor)
		for i := range n {
			for j := i; j < n; j++ {
				inv.SetSym(i, j, inv.At(i, j)+2*vecs.At(i, k)*vecs.At(j, k)/l)
			}
		}
	}
	cov := make([][]float64, n)
	for i := range n {
		cov[i] = make([]float64, n)
	}
	scales := make([]float64, n)
	for i, p := range params {
		sdU := math.Sqrt(inv.At(i, i))
		lo, hi := p.Decode(max(0, uhat[i]-1.96*sdU)), p.Decode(min(1, uhat[i]+1.96*sdU))
		// Parameter units per unit of the cube: the range on a linear
		// scale; on a log scale the local slope at the optimum.
		scales[i] = p.Hi - p.Lo
		if p.Log || p.Prior.Kind == search.LogUniform {
			scales[i] = xhat[i] * math.Log(p.Hi/p.Lo)
		}
		out[i].Lo, out[i].Hi, out[i].SD, out[i].Estimate = lo, hi, sdU*scales[i], "quadratic"
		out[i].Poor = 1.96*sdU > 0.25 // the 95% interval spans more than half the range
	}
	for i := range n {
		for j := range n {
			cov[i][j] = inv.At(i, j) * scales[i] * scales[j]
		}
	}
	return out, cov, m
}
