package calibrate

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// syntheticSpec makes a synthetic calibration: known parameters (truth)
// make synthetic figures with the model on seeds no calibration uses, and
// the spec fits them from priors centred elsewhere. example-minimal at
// 4,000 users for 90 days, two parameters, four figures, each candidate
// (or particle) on one seed.
func syntheticSpec(t *testing.T) (*Spec, []float64) {
	t.Helper()
	truth := []float64{-5.0, 0.8}
	keys := []string{"adoption.intercept", "wallets.wechat.convenience"}
	const users = 4000
	var targets []Target
	for _, f := range []struct{ id, metric, period, unit string }{
		{"syn-share-jan", "share_value", "2014-01", "percent"},
		{"syn-share-feb", "share_value", "2014-02", "percent"},
		{"syn-share-mar", "share_value", "2014-03", "percent"},
		{"syn-cards-mar", "cards_bound", "2014-03-31", "cards"},
	} {
		fig := record.Figure{ID: f.id, Metric: f.metric, Series: "synthetic", Platform: "wechat", Period: f.period, Unit: f.unit, Tag: record.Fit}
		targets = append(targets, Target{ID: f.id, Episode: "example-minimal", Log: f.metric == "cards_bound", Figure: fig})
	}
	// The synthetic record: the model at the truth, on 8 seeds far from
	// the search's and the posterior's.
	synth := make([]uint64, 8)
	for i := range synth {
		synth[i] = 900 + uint64(i)
	}
	ev, err := Evaluate(context.Background(), targets, nil, keys, truth, users, synth)
	require.NoError(t, err)
	// Each figure's sd is the sampling noise of the comparison: the
	// synthetic mean over 8 seeds against a candidate's one seed,
	// sd_seed·√(1/8 + 1), from the spread of the synthetic seeds
	// (in log10 for the count).
	for i := range targets {
		targets[i].Figure.Value = ev.Mean[i]
		xs := ev.Seeds[i]
		if targets[i].Log {
			for j := range xs {
				xs[j] = math.Log10(xs[j])
			}
		}
		m, sd := 0.0, 0.0
		for _, x := range xs {
			m += x / float64(len(xs))
		}
		for _, x := range xs {
			sd += (x - m) * (x - m) / float64(len(xs)-1)
		}
		targets[i].SD = math.Sqrt(sd) * math.Sqrt(1.0/8+1)
		t.Logf("synthetic %s = %.4g, sd %.3g", targets[i].ID, ev.Mean[i], targets[i].SD)
	}
	sp := &Spec{Profile: "behaviour", Users: users, Seeds: 1, Replicates: 2, Recheck: 2, Confirm: 4, Budget: 160, Seed: 1,
		Episodes: []Episode{{Scenario: "example-minimal"}}, Targets: targets,
		Params: []Param{{Key: keys[0], Lo: -9, Hi: -2, Prior: "normal", Mean: -7, SD: 1.5}, {Key: keys[1], Lo: -2, Hi: 2}},
		src:    []byte("synthetic recovery")}
	return sp, truth
}

// syntheticPosterior runs the posterior ps of syntheticSpec on workers.
func syntheticPosterior(t *testing.T, ps PosteriorSpec, workers int) (*Posterior, []float64) {
	t.Helper()
	sp, truth := syntheticSpec(t)
	sp.Posterior = ps
	post, err := RunPosterior(context.Background(), sp, PosteriorOptions{Workers: workers})
	require.NoError(t, err)
	return post, truth
}

// TestSyntheticRecovery: the ABC-SMC posterior of a synthetic calibration
// (syntheticSpec) holds the truth inside every parameter's 95% credible
// interval, and has learnt from the figures: each interval is narrower
// than 0.8 of the range (the prior's central 95% covers 0.86 of the
// intercept's range and 0.95 of the convenience's), so coverage is not
// won by an interval as wide as the prior. 200 particles, α 0.5, the
// default stopping rate (1 − √α), at most 11 generations: at most 2,200
// runs of example-minimal (it stops after 6 generations, 0 to 5, and
// 1,029 runs on the ninth fit's profile, about 17 s of CPU; 2
// generations, 497 runs and about 10 s on the sixth's).
// Deterministic (fixed seeds): a pass is not luck on a retry.
func TestSyntheticRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: a whole (tiny) posterior, about 25 s of CPU, because recovery needs the simulations")
	}
	post, truth := syntheticPosterior(t, PosteriorSpec{Particles: 200, Alpha: 0.5, Generations: 11}, 2)
	for _, g := range post.Generations {
		t.Logf("generation %d: ε %.3g, %d/%d moves accepted (%d simulated), next ε %.3g, ESS %.0f", g.Generation, g.Tolerance, g.Accepted, g.Proposed, g.Simulated, g.Next, g.ESS)
	}
	for i, p := range post.Params {
		t.Logf("%s: truth %.3f, posterior mean %.3f, median %.3f, 95%% %.3f to %.3f (%.2f of the range)", p.Key, truth[i], p.Mean, p.Median, p.Lo, p.Hi, p.Width)
		assert.True(t, p.Lo <= truth[i] && truth[i] <= p.Hi, "%s: the truth %.3f is inside the 95%% interval %.3f to %.3f", p.Key, truth[i], p.Lo, p.Hi)
		// Learnt from the figures: narrower than the prior's central 95%
		// (0.86 and 0.95 of the ranges) by a margin. The bound was half the
		// range on the second fit's profile (widths 0.11 and 0.29); on the
		// third fit's, whose adoption is far slower (max_rate 0.007), 90
		// days of example-minimal say less about the intercept and the
		// widths are 0.61 and 0.56 (0.66 and 0.56 with the importance-
		// sampling ABC-SMC before, whose ESS was 76 of 100 on these two
		// parameters: its collapse needs many dimensions, so the MCMC moves
		// do not narrow these two), so the bound stays 0.8 of the range,
		// under both priors' widths (docs/calibration.md). On the fourth
		// fit's at 2,000 users the convenience's width was 0.84: three
		// monthly shares with a seed sd of 2.5-4.6 points said too little,
		// so the synthetic record has 4,000 users (sds 1.7-2.6 points;
		// widths 0.38 and 0.52), the experiment sized to be informative,
		// the bound unchanged. On the fifth fit's (max_rate 0.005, slower
		// again) the widths were 0.67 and 0.53; on the ninth's (max_rate
		// 0.075) they are 0.14 and 0.62.
		assert.Less(t, p.Width, 0.8, "%s: the posterior is narrower than the prior", p.Key)
	}
	// The figures at the posterior: each within 2.5 of its sd of the
	// synthetic value (the posterior mean of a figure averages particles
	// whose Σz² is within the final tolerance).
	for _, f := range post.Fit {
		t.Logf("%s: posterior mean %.4g (95%% %.4g to %.4g) against synthetic %.4g (z %+.2f)", f.ID, f.Mean, f.Lo, f.Hi, f.Record, f.Z)
		assert.Less(t, math.Abs(f.Z), 2.5, f.ID)
	}
}

// TestPosteriorWeights: a property of every posterior (here a small one of
// the synthetic spec): the weights are the distinct particles' shares of
// the 20 kept (each a multiple of 1/20, summing to 1), the effective
// sample size is 1/Σw² and lies between 1 and the distinct particles, the
// tolerances never grow, every kept particle is within the final one, no
// move is accepted that was not simulated, and the particles simulated are
// the prior's 40 and the moves that passed the prior's ratio.
func TestPosteriorWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs a small posterior")
	}
	post, _ := syntheticPosterior(t, PosteriorSpec{Particles: 40, Alpha: 0.5, Generations: 4, MinAcceptance: 0.01}, 2)
	require.NotEmpty(t, post.Weights)
	require.LessOrEqual(t, len(post.Weights), 20)
	require.Len(t, post.X, len(post.Weights))
	sum, sq := 0.0, 0.0
	for _, w := range post.Weights {
		assert.Positive(t, w)
		assert.InDelta(t, math.Round(w*20), w*20, 1e-9, "a multiple of 1/20")
		sum += w
		sq += w * w
	}
	assert.InDelta(t, 1, sum, 1e-12)
	assert.InDelta(t, 1/sq, post.ESS, 1e-9)
	assert.GreaterOrEqual(t, post.ESS, 1.0)
	assert.LessOrEqual(t, post.ESS, float64(len(post.Weights))+1e-9)
	simulated := 40
	for i := 1; i < len(post.Generations); i++ {
		g := post.Generations[i]
		assert.LessOrEqual(t, g.Next, g.Tolerance)
		assert.LessOrEqual(t, g.ESS, 20+1e-9)
		assert.Equal(t, 40, g.Proposed)
		assert.LessOrEqual(t, g.Accepted, g.Simulated)
		assert.LessOrEqual(t, g.Simulated, g.Proposed)
		simulated += g.Simulated
	}
	for _, d := range post.Distances {
		assert.LessOrEqual(t, d, post.Tolerance)
	}
	for i := range post.X {
		for j := range i {
			assert.NotEqual(t, post.X[i], post.X[j], "distinct particles")
		}
	}
	assert.Equal(t, simulated, post.Particles)
}

// TestPosteriorWorkersDeterministic: the posterior does not depend on the
// number of workers nor GOMAXPROCS.
func TestPosteriorWorkersDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs a small posterior twice")
	}
	for _, ps := range []PosteriorSpec{
		{Particles: 24, Alpha: 0.5, Generations: 3},
		{Particles: 24, Alpha: 0.5, Generations: 3, Moved: 0.9, MaxMoves: 3}, // the moves repeated
	} {
		var outs []*Posterior
		for _, procs := range []int{1, 3} {
			old := runtime.GOMAXPROCS(procs)
			post, _ := syntheticPosterior(t, ps, procs)
			runtime.GOMAXPROCS(old)
			outs = append(outs, post)
		}
		assert.Equal(t, outs[0], outs[1], "moved %g", ps.Moved)
	}
}

// minimalSpec is the smallest spec that parses: one episode, one
// parameter, one target.
const minimalSpec = `
[[episodes]]
scenario = "china-2013-2017"
[[params]]
key = "adoption.intercept"
lo = -9.0
hi = -3.0
[[targets]]
id = "ir-2013-alipay"
episode = "china-2013-2017"
sd = 2.0
`

func TestSpecErrors(t *testing.T) {
	base := minimalSpec
	_, err := ParseSpec("ok.toml", []byte(base))
	require.NoError(t, err)
	bad := map[string]struct{ src, want string }{
		"held-out figure fitted":  {strings.Replace(base, `id = "ir-2013-alipay"`, `id = "an-2015q3-alipay"`, 1), "is tagged holdout"},
		"unknown figure":          {strings.Replace(base, `id = "ir-2013-alipay"`, `id = "nope"`, 1), `no figure "nope"`},
		"market key":              {strings.Replace(base, `key = "adoption.intercept"`, `key = "world.users"`, 1), "not a behavioural key"},
		"bounds":                  {strings.Replace(base, "hi = -3.0", "hi = -10.0", 1), "params[0]"},
		"unknown key":             {base + "\nbudgte = 3\n", "budgte: unknown key"},
		"syntax":                  {base + "\n[[params]\n", "bad.toml:"},
		"no sd":                   {strings.Replace(base, "sd = 2.0", "sd = 0.0", 1), "targets[0].sd"},
		"episode not listed":      {strings.Replace(base, `episode = "china-2013-2017"`, `episode = "taxi-war-2014"`, 1), "not one of the episodes"},
		"no profile":              {"profile = \"nope\"\n" + base, `no profile "nope"`},
		"posterior alpha":         {base + "\n[posterior]\nalpha = 1.5\n", "posterior: alpha 1.5"},
		"posterior keeps too few": {base + "\n[posterior]\nparticles = 6\n", "posterior: alpha 0.5 of 6 particles keeps 3"},
		"posterior unknown key":   {base + "\n[posterior]\nparticle = 6\n", "posterior.particle: unknown key"},
		"posterior moved":         {base + "\n[posterior]\nmoved = 1\n", "posterior: moved 1 must be in [0, 1)"},
		"posterior max moves":     {base + "\n[posterior]\nmoved = 0.5\nmax_moves = 101\n", "posterior: max_moves 101 must be in [0, 100]"},
		"posterior max particles": {base + "\n[posterior]\nmax_particles = -1\n", "posterior: max_particles -1 must not be negative"},
		"start":                   {"start = \"best\"\n" + base, `start: "best" is neither`},
		"sigma":                   {"sigma = 2.0\n" + base, "sigma: 2 is outside"},
		"set of behaviour":        {strings.Replace(base, `scenario = "china-2013-2017"`, "scenario = \"china-2013-2017\"\nset = [\"adoption.intercept=-5\"]", 1), "episodes[0].set[0]"},
		"set of a convenience":    {strings.Replace(base, `scenario = "china-2013-2017"`, "scenario = \"china-2013-2017\"\nset = [\"platforms.wechat.convenience=1\"]", 1), "is behaviour"},
		"set of a festival's eve": {strings.Replace(base, `scenario = "china-2013-2017"`, "scenario = \"china-2013-2017\"\nset = [\"events.2.eve_envelopes=5\"]", 1), "is behaviour"},
		"set of an unknown key":   {strings.Replace(base, `scenario = "china-2013-2017"`, "scenario = \"china-2013-2017\"\nset = [\"platforms.wechat.nope=1\"]", 1), "episodes[0].set"},
		"lift of no override":     {strings.Replace(base, `scenario = "china-2013-2017"`, "scenario = \"china-2013-2017\"\nlift = [\"adoption.intercept\"]", 1), "not an override china-2013-2017 declares"},
		"lift of no param":        {base + "\n[[episodes]]\nscenario = \"taxi-war-2014\"\nlift = [\"adoption.max_rate\"]\n", "episodes[1].lift[0]: \"adoption.max_rate\" is not a [[params]] key"},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSpec("bad.toml", []byte(c.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), "bad.toml")
		})
	}
}

// TestLibrarySpec: the committed spec of the library parses, fits only
// fit figures, predicts at least the held-out figures issue 11 names, and
// every target's episode measures it.
func TestLibrarySpec(t *testing.T) {
	sp := requireRunnableSpec(t, "../../calibration/library.toml")
	var held []string
	for _, h := range sp.Holdout {
		held = append(held, h.ID)
	}
	for _, id := range []string{"an-2015q3-alipay", "an-2015q3-wechat", "an-2016q1-alipay", "an-2016q1-wechat", "an-2016q3-alipay", "an-2016q3-wechat",
		"an-2016q4-alipay", "an-2016q4-wechat", "cards-2015q3", "cards-2016-03", "eve-2015", "eve-2016", "eve-2017", "taxi-rides-after-vs-march"} {
		assert.Contains(t, held, id)
	}
}

// requireRunnableSpec loads a committed spec and checks that it fits only
// fit figures and that today's profile sets every parameter it fits, so
// it can start there.
func requireRunnableSpec(t *testing.T, path string) *Spec {
	t.Helper()
	sp, err := LoadSpec(path)
	require.NoError(t, err)
	for _, tg := range sp.Targets {
		assert.Equal(t, record.Fit, tg.Figure.Tag, tg.ID)
	}
	x, err := ProfileValues(sp)
	require.NoError(t, err)
	assert.Len(t, x, len(sp.Params))
	return sp
}

// TestExperimentSpecs: every experiment kept in calibration/experiments
// still parses against today's profile and record, fits only fit figures
// and can start from the profile, so the command its header gives still
// runs (an experiment that stopped loading would leave its report
// unrepeatable).
func TestExperimentSpecs(t *testing.T) {
	files, err := filepath.Glob("../../calibration/experiments/*.toml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { requireRunnableSpec(t, f) })
	}
}

// TestStartPoint: a spec that starts from the profile starts at its values,
// each held inside the spec's bounds; the default starts at the priors'
// centres (nil).
func TestStartPoint(t *testing.T) {
	base := minimalSpec + "[[params]]\nkey = \"choice.habit\"\nlo = 0.0\nhi = 0.5\n"
	sp, err := ParseSpec("centre.toml", []byte(base))
	require.NoError(t, err)
	x, err := sp.StartPoint()
	require.NoError(t, err)
	assert.Nil(t, x)

	sp, err = ParseSpec("profile.toml", []byte("start = \"profile\"\n"+base))
	require.NoError(t, err)
	prof, err := ProfileValues(sp)
	require.NoError(t, err)
	require.Greater(t, prof[1], 0.5, "the test needs the profile's habit above the spec's bound")
	x, err = sp.StartPoint()
	require.NoError(t, err)
	assert.Equal(t, []float64{prof[0], 0.5}, x)

	// A parameter's own start replaces the profile's value; it must lie
	// in the bounds, and only a spec that starts from the profile takes it.
	sp, err = ParseSpec("own.toml", []byte("start = \"profile\"\n"+base+"start = 0.25\n"))
	require.NoError(t, err)
	x, err = sp.StartPoint()
	require.NoError(t, err)
	assert.Equal(t, []float64{prof[0], 0.25}, x)
	_, err = ParseSpec("out.toml", []byte("start = \"profile\"\n"+base+"start = 0.75\n"))
	assert.ErrorContains(t, err, "0.75 is outside the bounds [0, 0.5] of choice.habit")
	_, err = ParseSpec("centre.toml", []byte(base+"start = 0.25\n"))
	assert.ErrorContains(t, err, "the spec's start must be \"profile\"")
}

func TestWriteProfile(t *testing.T) {
	src := []byte("# head\n[users]\nprice_sensitivity = { kind = \"lognormal\", mean = 1.0, sd = 0.5 }\nsubsidy_elasticity = 1.3 # fitted\n\n[adoption]\nintercept = -7.0\n")
	out, err := WriteProfile(src, []string{"users.subsidy_elasticity", "adoption.intercept", "adoption.friends", "festival.envelopes", "users.price_sensitivity.mean"},
		[]float64{2.5, -6.25, 0.5, 12, 1.5})
	require.NoError(t, err)
	want := "# head\n[users]\nprice_sensitivity = { kind = \"lognormal\", mean = 1.5, sd = 0.5 }\nsubsidy_elasticity = 2.5 # fitted\n\n[adoption]\nintercept = -6.25\nfriends = 0.5\n\n[festival]\nenvelopes = 12\n"
	assert.Equal(t, want, string(out))
	p, err := scenarios.ParseProfile("w", out)
	require.NoError(t, err)
	v, ok := p.Value("adoption.friends")
	assert.True(t, ok)
	assert.Equal(t, 0.5, v)
}

func FuzzParseSpec(f *testing.F) {
	f.Add([]byte("[[episodes]]\nscenario = \"example-minimal\"\n[[params]]\nkey = \"adoption.intercept\"\nlo = -9.0\nhi = -3.0\n"))
	f.Add([]byte("budget = -1\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sp, err := ParseSpec("fuzz.toml", src)
		if err != nil {
			assert.Nil(t, sp)
			assert.Contains(t, err.Error(), "fuzz.toml")
			return
		}
		assert.NotEmpty(t, sp.Targets)
	})
}

// TestMeasureShareScope: a share of a scope that counts transfers
// (FlowScopes) is measured over payments plus peer envelopes, any other
// over merchant payments, and share_flows always over both.
func TestMeasureShareScope(t *testing.T) {
	day := func(date string, payA, envA, payB, envB int64) sim.DayMetrics {
		return sim.DayMetrics{Date: date, Platforms: []sim.PlatformDay{
			{PaymentValueFen: payA, EnvelopesP2PFen: envA},
			{PaymentValueFen: payB, EnvelopesP2PFen: envB},
		}}
	}
	r := &sim.Result{
		Platforms: []sim.PlatformSummary{{Name: "alipay"}, {Name: "wechat"}},
		History:   []sim.DayMetrics{day("2014-01-30", 60, 0, 20, 100), day("2014-01-31", 20, 0, 0, 0), day("2014-02-01", 5, 5, 5, 5)},
	}
	for _, tc := range []struct {
		name, metric, scope, platform, period string
		want                                  float64
	}{
		{"merchant payments only", "share_value", "merchant payments", "alipay", "2014-01", 80},
		{"the firms' scope counts envelopes", "share_value", "China third-party mobile payment value", "alipay", "2014-01", 40},
		{"... for every platform", "share_value", "China third-party mobile payment value", "wechat", "2014-01", 60},
		{"share_flows whatever the scope", "share_flows", "", "wechat", "2014-01", 60},
		{"a day of equal flows", "share_flows", "", "wechat", "2014-02-01", 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := record.Figure{ID: "x", Metric: tc.metric, Scope: tc.scope, Platform: tc.platform, Period: tc.period, Unit: "percent"}
			got, err := Measure(r, f)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-9)
		})
	}
}

// TestMeasureFlows: the firms' scope counts transfers and fund purchases
// with payments and envelopes; the mix is each kind of flow over all of
// them on every platform; share_economic leaves out transfers and
// envelopes; the transfers and fund totals are real-world yuan (model
// fen / 100 × represents / users).
func TestMeasureFlows(t *testing.T) {
	pd := func(pay, env, tr, fund int64) sim.PlatformDay {
		return sim.PlatformDay{PaymentValueFen: pay, EnvelopesP2PFen: env, TransfersFen: tr, FundFen: fund}
	}
	r := &sim.Result{
		Platforms: []sim.PlatformSummary{{Name: "alipay"}, {Name: "wechat"}},
		History: []sim.DayMetrics{
			{Date: "2016-01-31", Platforms: []sim.PlatformDay{pd(10, 0, 20, 10), pd(10, 10, 40, 0)}},
			{Date: "2016-02-01", Platforms: []sim.PlatformDay{pd(5, 0, 0, 5), pd(0, 0, 0, 0)}},
		},
		Scenario: &scenarios.Scenario{World: scenarios.World{Users: 100, Represents: 1000}},
	}
	for _, tc := range []struct {
		name, metric, scope, platform, period string
		want                                  float64
	}{
		{"the firms' scope counts every flow", "share_value", "China third-party mobile payment value", "alipay", "2016-01", 40},
		{"merchant payments only elsewhere", "share_value", "merchant payments", "alipay", "2016-01", 50},
		{"personal part of all flows", "mix_personal", "", "all", "2016-01", 70},
		{"finance part of all flows", "mix_finance", "", "all", "2016-01", 10},
		{"economic benefit: payments and funds", "share_economic", "", "wechat", "2016-01", 100.0 / 3},
		{"transfers in real yuan", "transfers_value", "", "wechat", "2016-01", 40.0 / 100 * 10},
		{"fund purchases to date", "fund_value_to_date", "", "alipay", "2016-02-01", 15.0 / 100 * 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := record.Figure{ID: "x", Metric: tc.metric, Scope: tc.scope, Platform: tc.platform, Period: tc.period, Unit: "percent"}
			got, err := Measure(r, f)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-9)
		})
	}
}

// TestMeasureEveEnvelopes: the eve counts in the record's scopes, scaled
// to the real world (represents/users = 10): eve_envelopes counts the
// envelopes sent on the day; eve_envelopes_40h the eve and the next day;
// eve_envelopes_sent_received (Tencent's 收发总量, record/wechat.csv) adds
// every share claimed that day, the sponsored ones included, and nothing
// of the next day.
func TestMeasureEveEnvelopes(t *testing.T) {
	pd := func(sent, claimed int64) sim.PlatformDay {
		return sim.PlatformDay{EnvelopesP2P: sent, EnvelopesClaimed: claimed}
	}
	r := &sim.Result{
		Platforms: []sim.PlatformSummary{{Name: "alipay"}, {Name: "wechat"}},
		History: []sim.DayMetrics{
			{Date: "2016-02-07", Platforms: []sim.PlatformDay{pd(100, 100), pd(3, 14)}},
			{Date: "2016-02-08", Platforms: []sim.PlatformDay{pd(0, 0), pd(2, 9)}},
		},
		Scenario: &scenarios.Scenario{World: scenarios.World{Users: 100, Represents: 1000}},
	}
	for _, tc := range []struct {
		metric string
		want   float64
	}{
		{"eve_envelopes", 30},
		{"eve_envelopes_40h", 50},
		{"eve_envelopes_sent_received", 170},
	} {
		t.Run(tc.metric, func(t *testing.T) {
			f := record.Figure{ID: "x", Metric: tc.metric, Platform: "wechat", Period: "2016-02-07", Unit: "envelopes"}
			got, err := Measure(r, f)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-9)
		})
	}
}

// TestMeasureFestivalEnvelopes: the festival figures of record/wechat.csv
// count the six days from the eve to the fifth day and not the seventh;
// received-per-sent is the claims over the envelopes sent in them, and a
// window with sponsored envelopes, whose claims the model counts with the
// peer envelopes', is refused, and so is a window the run ends inside;
// the 2014 figure counts the envelopes sent over ten days and not the
// eleventh; the lucky money a card-bound user sends a month is the period's yuan
// over its mean card-bound users, a month being 365.25/12 days, and needs
// no scaling.
func TestMeasureFestivalEnvelopes(t *testing.T) {
	day := func(date string, sent, claimed, sponsored, fen, bound int64) sim.DayMetrics {
		return sim.DayMetrics{Date: date, Platforms: []sim.PlatformDay{{}, {EnvelopesP2P: sent, EnvelopesClaimed: claimed, EnvelopesSponsored: sponsored, EnvelopesP2PFen: fen, CardBound: bound}}}
	}
	r := &sim.Result{
		Platforms: []sim.PlatformSummary{{Name: "alipay"}, {Name: "wechat"}},
		Scenario:  &scenarios.Scenario{World: scenarios.World{Users: 100, Represents: 1000}},
	}
	for i := range 7 {
		r.History = append(r.History, day(fmt.Sprintf("2016-02-%02d", 7+i), 2, 8, 0, 1000, 10))
	}
	r.History = append(r.History, day("2016-02-14", 1, 1, 5, 0, 10))
	measure := func(metric, period string) (float64, error) {
		return Measure(r, record.Figure{ID: "x", Metric: metric, Platform: "wechat", Period: period})
	}
	got, err := measure("festival_envelopes_sent_received", "2016-02-07")
	require.NoError(t, err)
	assert.InDelta(t, 6*10*10.0, got, 1e-9, "six days of 2 sent and 8 received, times represents/users")
	got, err = measure("festival_received_per_sent", "2016-02-07")
	require.NoError(t, err)
	assert.InDelta(t, 4.0, got, 1e-9)
	_, err = measure("festival_received_per_sent", "2016-02-09")
	assert.ErrorContains(t, err, "sponsored envelopes on 2016-02-14")
	_, err = measure("festival_envelopes_sent_received", "2016-02-10")
	assert.ErrorContains(t, err, "the run ends on 2016-02-14, before the last of the 6 days from 2016-02-10")
	got, err = measure("envelopes_sent_value_month", "2016-02")
	require.NoError(t, err)
	// 7 days of 10 yuan and a day of none, over 10 card-bound users:
	// 70 yuan / 10 users in 8 days, times 365.25/12 days.
	assert.InDelta(t, 7.0/8*365.25/12, got, 1e-9)
	_, err = measure("envelopes_sent_10d", "2016-02-07")
	assert.ErrorContains(t, err, "before the last of the 10 days from 2016-02-07", "eight days are not ten")
	r.History = append(r.History, day("2016-02-15", 3, 0, 0, 0, 10), day("2016-02-16", 4, 0, 0, 0, 10), day("2016-02-17", 100, 0, 0, 0, 10))
	got, err = measure("envelopes_sent_10d", "2016-02-07")
	require.NoError(t, err)
	assert.InDelta(t, (7*2+1+3+4)*10.0, got, 1e-9, "ten days of envelopes sent (not received), not the eleventh, times represents/users")
}

// TestMeasureMAUGrowth: a year's growth of a wallet's monthly actives is
// the MAU on the year's last day over the MAU on the day before its first
// (Tencent's "sevenfold in 2015", record/wechat.csv); a run that starts
// with the period has no day before it and says so.
func TestMeasureMAUGrowth(t *testing.T) {
	day := func(date string, a, b int64) sim.DayMetrics {
		return sim.DayMetrics{Date: date, Platforms: []sim.PlatformDay{{MAU: a}, {MAU: b}}}
	}
	r := &sim.Result{
		Platforms: []sim.PlatformSummary{{Name: "alipay"}, {Name: "wechat"}},
		History:   []sim.DayMetrics{day("2014-12-30", 9, 1), day("2014-12-31", 10, 4), day("2015-06-30", 10, 20), day("2015-12-31", 15, 28), day("2016-01-01", 99, 99)},
	}
	for _, tc := range []struct {
		platform, period string
		want             float64
	}{
		{"wechat", "2015", 7},
		{"alipay", "2015", 1.5},
		{"wechat", "2015-12-31", 28.0 / 20},
	} {
		t.Run(tc.platform+" "+tc.period, func(t *testing.T) {
			f := record.Figure{ID: "x", Metric: "mau_growth", Platform: tc.platform, Period: tc.period, Unit: "ratio"}
			got, err := Measure(r, f)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-12)
		})
	}
	_, err := Measure(r, record.Figure{ID: "x", Metric: "mau_growth", Platform: "wechat", Period: "2014"})
	assert.ErrorContains(t, err, "no day before the period")
}

// TestCompare: a candidate against itself differs by exactly 0 on every
// replicate (both run on the same seeds: common random numbers), and the
// synthetic truth beats a candidate far from it with a paired interval
// that excludes 0; the result is the same whatever the workers.
func TestCompare(t *testing.T) {
	sp, truth := syntheticSpec(t)
	keys := []string{sp.Params[0].Key, sp.Params[1].Key}
	a := Candidate{Name: "truth", Keys: keys, X: truth}
	far := Candidate{Name: "far", Keys: keys, X: []float64{-8.5, -1.5}}
	self, err := Compare(context.Background(), sp, a, a, 4, 2)
	require.NoError(t, err)
	assert.Equal(t, self.Loss[0], self.Loss[1], "the same values on the same seeds give the same loss")
	assert.Zero(t, self.Diff.Mean)
	c1, err := Compare(context.Background(), sp, a, far, 4, 1)
	require.NoError(t, err)
	c2, err := Compare(context.Background(), sp, a, far, 4, 3)
	require.NoError(t, err)
	assert.Equal(t, c1, c2, "workers do not change a comparison")
	t.Logf("truth %.1f, far %.1f: difference %.1f [%.1f, %.1f]", c1.Mean[0], c1.Mean[1], c1.Diff.Mean, c1.Diff.Lo, c1.Diff.Hi)
	assert.Greater(t, c1.Diff.Lo, 0.0, "the far candidate fits worse, beyond the noise")
	assert.Equal(t, 2*4*1*1, c1.Simulations)
	_, err = Compare(context.Background(), sp, a, far, 1, 1)
	assert.ErrorContains(t, err, "at least 2 replicates")
}

// TestEpisodeSet: an episode's set changes its inputs in every run the
// calibration makes of it (Scenario), and only that episode's.
func TestEpisodeSet(t *testing.T) {
	file, err := scenarios.Load("china-2013-2017", nil)
	require.NoError(t, err)
	ep := Episode{Scenario: "china-2013-2017", Set: []string{"platforms.wechat.senders_from=301"}}
	s, err := Scenario(ep, []string{"adoption.intercept"}, []float64{-5}, 600, 3)
	require.NoError(t, err)
	plain, err := Scenario(Episode{Scenario: "china-2013-2017"}, []string{"adoption.intercept"}, []float64{-5}, 600, 3)
	require.NoError(t, err)
	for i, p := range s.Platforms {
		want := file.Platforms[i].SendersFrom // whatever the library file says
		if p.Name == "wechat" {
			want = 301
		}
		assert.Equal(t, want, p.SendersFrom, p.Name)
		assert.Equal(t, file.Platforms[i].SendersFrom, plain.Platforms[i].SendersFrom, p.Name)
	}
	assert.Equal(t, -5.0, s.Adoption.Intercept, "the profile's values still apply")
	assert.Equal(t, 600, s.World.Users)
	assert.Equal(t, uint64(3), s.World.Seed)
}

// TestEpisodeLift: an episode's declared override stands in a fit (the
// taxi war's adoption.intercept, -4 in its file) unless the experiment
// lifts it, when the candidate's value applies as in every other episode;
// a candidate is compared with its own lifts.
func TestEpisodeLift(t *testing.T) {
	keys, x := []string{"adoption.intercept", "adoption.subsidy"}, []float64{-6.5, 0.7}
	kept, err := Scenario(Episode{Scenario: "taxi-war-2014"}, keys, x, 600, 1)
	require.NoError(t, err)
	lifted, err := Scenario(Episode{Scenario: "taxi-war-2014", Lift: []string{"adoption.intercept"}}, keys, x, 600, 1)
	require.NoError(t, err)
	assert.Equal(t, -4.0, kept.Adoption.Intercept, "the file's declared override stands")
	assert.Equal(t, -6.5, lifted.Adoption.Intercept, "lifted, the candidate's value applies")
	assert.Equal(t, 0.7, kept.Adoption.Subsidy)
	assert.Equal(t, 0.7, lifted.Adoption.Subsidy)
	assert.Equal(t, kept.Adoption.MaxRate, lifted.Adoption.MaxRate, "an override not lifted stands")
	sp := &Spec{Episodes: []Episode{{Scenario: "taxi-war-2014"}}}
	c := Candidate{Episodes: []Episode{{Scenario: "taxi-war-2014", Lift: []string{"adoption.intercept"}}}}
	assert.Equal(t, []string{"adoption.intercept"}, c.episodes(sp)[0].Lift)
	assert.Nil(t, Candidate{}.episodes(sp)[0].Lift)
}

// TestCandidateEpisodes: a candidate fitted with a change of an episode's
// inputs is compared on its own model (its Set replaces the spec's for
// that episode, the spec's days stay); one without episodes, as results
// written before the field, runs the spec's.
func TestCandidateEpisodes(t *testing.T) {
	sp := &Spec{Episodes: []Episode{{Scenario: "china-2013-2017", Set: []string{"platforms.wechat.senders_from=1"}}, {Scenario: "laiwang-push-2013", Days: 61}}}
	assert.Equal(t, sp.Episodes, Candidate{}.episodes(sp))
	c := Candidate{Episodes: []Episode{{Scenario: "china-2013-2017", Set: []string{"platforms.wechat.senders_from=212"}}, {Scenario: "laiwang-push-2013"}}}
	got := c.episodes(sp)
	assert.Equal(t, []string{"platforms.wechat.senders_from=212"}, got[0].Set)
	assert.Nil(t, got[1].Set)
	assert.Equal(t, 61, got[1].Days)
	assert.Equal(t, []string{"platforms.wechat.senders_from=1"}, sp.Episodes[0].Set, "the spec is not changed")
	c = Candidate{Episodes: []Episode{{Scenario: "laiwang-push-2013"}}}
	assert.Nil(t, c.episodes(sp)[0].Set, "an episode the candidate ran without a set runs without one")
}

// TestRMSEFromYears: the held-out share RMSE from each year of the record
// on, over share figures only (a count of cards is not a share), for
// every form a period takes.
func TestRMSEFromYears(t *testing.T) {
	preds := []Prediction{
		{Metric: "share_value", Period: "2013Q3", Record: 64, Median: 78},     // 14 off
		{Metric: "share_value", Period: "2015Q3", Record: 71.5, Median: 68.5}, // 3 off
		{Metric: "share_value", Period: "2016-03-31", Record: 23, Median: 27}, // 4 off
		{Metric: "cards_bound", Period: "2015Q3", Record: 200, Median: 241},
	}
	got := rmseFromYears(preds)
	require.Len(t, got, 3)
	for i, c := range []struct {
		year string
		n    int
		rmse float64
	}{
		{"2013", 3, math.Sqrt((196.0 + 9 + 16) / 3)},
		{"2015", 2, math.Sqrt((9.0 + 16) / 2)},
		{"2016", 1, 4},
	} {
		assert.Equal(t, c.year, got[i].Year)
		assert.Equal(t, c.n, got[i].Figures)
		assert.InDelta(t, c.rmse, got[i].RMSE, 1e-12)
	}
	assert.Empty(t, rmseFromYears(preds[3:]), "no share figure, no RMSE")
}
