package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/search"
)

// tinyOptimize searches two levers of a 300-user, 40-day taxi war: a few
// hundred simulations of a few milliseconds.
const tinyOptimize = "testdata/tiny.optimize.toml"

func TestOptimizeCommandUsage(t *testing.T) {
	example := filepath.Join(t.TempDir(), "taxi.optimize.toml")
	require.NoError(t, os.WriteFile(example, optimizeExample, 0o644))
	checkUsage(t, "optimize", []usageCase{
		{"help", []string{"-h"}, 0, "", "Example:"},
		{"example", []string{"--example"}, 0, "[[players.levers]]", ""},
		{"no file", nil, 2, "", "want one optimize file"},
		{"bad flag", []string{tinyOptimize, "--respnd"}, 2, "", "unknown flag --respnd; did you mean --respond?"},
		{"negative workers", []string{tinyOptimize, "--workers", "-1"}, 2, "", "--workers must be 0 or more"},
		{"missing file", []string{"nope.toml"}, 1, "", "nope.toml: no such file (print an example with: hongbao optimize --example)"},
		{"check", []string{tinyOptimize, "--check"}, 0, "payoff of wechat on taxi-war-2014 (300 users, 40 days), 2 levers; a search of 30 simulations (2 seeds a candidate)", ""},
		{"check the example", []string{example, "--check", "--respond"}, 0, "(5000 users, 181 days), 3 levers; a search of 480 simulations (3 seeds a candidate) + re-checks, 16 confirmation seeds; --respond: up to 8 rounds of 2 best responses", ""},
	})
}

// TestOptimizeSpecProblems: every problem of an optimize file is located
// at its key, all at once.
func TestOptimizeSpecProblems(t *testing.T) {
	const head = "scenario = \"taxi-war-2014\"\n"
	lever := "[[players]]\nplatform = \"wechat\"\n[[players.levers]]\nkey = \"campaigns.riders.cashback\"\nlo = 0\nhi = 20\n"
	cases := []struct {
		name, src string
		want      []string
	}{
		{"unknown top key", head + "budgte = 10\n" + lever, []string{"x.toml:2:1: budgte: unknown key; did you mean budget?"}},
		{"no players", head, []string{"missing players"}},
		{"bounds reversed", head + strings.Replace(lever, "hi = 20", "hi = -1", 1), []string{"x.toml:7:1: players[0].levers[0].hi: the lower bound 0 must be below the upper -1"}},
		{"key with a value", head + strings.Replace(lever, `cashback"`, `cashback=5"`, 1), []string{"players[0].levers[0].key: a lever's key has no value"}},
		{"another platform", head + strings.Replace(lever, `"campaigns.`, `"platforms.alipay.campaigns.`, 1), []string{"touches another platform"}},
		{"unknown platform key", head + strings.Replace(lever, `"campaigns.`, `"campains.`, 1), []string{`unknown platform key "campains"; did you mean campaigns?`}},
		{"bad metric", head + "[objective]\nmetric = \"payof\"\n" + lever, []string{"x.toml:3:1: objective.metric: want one of payoff, value_yuan, share, cost_per_retained, got \"payof\"; did you mean payoff?"}},
		{"day on a total", head + "[objective]\nmetric = \"payoff\"\nday = 3\n" + lever, []string{"payoff is a total over the run"}},
		{"window half", head + "[objective]\nmetric = \"share\"\nfrom = 3\n" + lever, []string{"a window needs both from and to"}},
		{"constraint without cap", head + "[constraint]\nmode = \"reject\"\n" + lever, []string{"missing key max_subsidies"}},
		{"constraint mode", head + "[constraint]\nmax_subsidies = 1000\nmode = \"soft\"\n" + lever, []string{"constraint.mode: want reject"}},
		{"normal without sd", head + lever + "prior = \"normal\"\nmean = 3\n", []string{"a normal prior needs mean and sd"}},
		{"start outside", head + lever + "start = 30\n", []string{"players[0].levers[0].start: 30 is outside [0, 20]"}},
		{"offset from nothing", head + lever + "offset_from = \"campaigns.riders.start\"\n", []string{"no lever with key \"campaigns.riders.start\""}},
		{"confirm of one", head + "confirm = 1\n" + lever, []string{"confirm: must be between 2 and 10000, got 1 (two or more seeds make an interval)"}},
		{"tol", head + "tol = 2\n" + lever, []string{"tol: must be above 0 and below 1"}},
		{"syntax", head + "budget = \n", []string{"x.toml:2:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseOptSpec("x.toml", []byte(c.src))
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestOptimizeBindProblems: problems that need the scenario are located in
// the optimize file too.
func TestOptimizeBindProblems(t *testing.T) {
	src := "scenario = \"taxi-war-2014\"\n[[players]]\nplatform = \"wechta\"\n[[players.levers]]\nkey = \"fee_rate\"\nlo = 0\nhi = 0.01\n" +
		"[[players]]\nplatform = \"alipay\"\n[[players.levers]]\nkey = \"campaigns.nope.cashback\"\nlo = 0\nhi = 5\n"
	spec, err := parseOptSpec("x.toml", []byte(src))
	require.NoError(t, err)
	_, err = bindOpt(spec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `x.toml:3:1: players[0].platform: no platform "wechta" in taxi-war-2014; its platforms are wechat, alipay`)
	assert.Contains(t, err.Error(), "x.toml:11:1: players[1].levers[0].key: setting campaigns.nope.cashback to 0:")
}

// TestOptimizeMoneyInFen: a money key is searched in steps of 0.01 yuan,
// since a scenario refuses fractions of a fen; a rate is not rounded.
func TestOptimizeMoneyInFen(t *testing.T) {
	spec, err := parseOptSpec(tinyOptimize, mustRead(t, tinyOptimize))
	require.NoError(t, err)
	plan, err := bindOpt(spec)
	require.NoError(t, err)
	assert.Equal(t, 0.01, plan.params(0)[0].Step)
	assert.Equal(t, 3.79, plan.params(0)[0].Decode(0.18946))
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// TestOptimizeEndToEnd runs the tiny optimisation, checks its JSON, runs
// it again (everything from the journal, the same result), and once more
// after a simulated kill (the journal cut mid-line): the same result.
func TestOptimizeEndToEnd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tiny")
	code, stdout, errs := hb("optimize", tinyOptimize, "--out", out, "--workers", "2", "--json")
	require.Equal(t, 0, code, errs)
	var rep optReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, "tiny", rep.Name)
	assert.Equal(t, "wechat", rep.Platform)
	require.Len(t, rep.Levers, 2)
	for _, l := range rep.Levers {
		assert.GreaterOrEqual(t, l.Value, l.Lo)
		assert.LessOrEqual(t, l.Value, l.Hi)
	}
	iv := rep.Best.Interval
	assert.Equal(t, 3, iv.N)
	assert.LessOrEqual(t, iv.Lo, iv.Mean)
	assert.GreaterOrEqual(t, iv.Hi, iv.Mean)
	require.NotNil(t, rep.Baseline)
	require.NotNil(t, rep.Gain)
	require.NotNil(t, rep.Surface)
	assert.Len(t, rep.Surface.XS, 3)
	assert.FileExists(t, filepath.Join(out, "surface.png"))
	saved := mustRead(t, filepath.Join(out, "result.json"))
	assert.Equal(t, stdout, string(saved))
	assert.Contains(t, string(mustRead(t, filepath.Join(out, "report.txt"))), "value at the best plan:")

	strip := func(s string) optReport {
		var r optReport
		require.NoError(t, json.Unmarshal([]byte(s), &r))
		r.Best.Replayed = 0
		return r
	}
	chart := mustRead(t, filepath.Join(out, "surface.png"))
	code, again, errs := hb("optimize", tinyOptimize, "--out", out, "--json")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, strip(stdout), strip(again), "a re-run replays the journal")
	assert.Equal(t, chart, mustRead(t, filepath.Join(out, "surface.png")), "the chart is the same bytes")
	assert.Greater(t, strip(again).Best.Calls, 0)

	journal := filepath.Join(out, search.JournalFile)
	data := mustRead(t, journal)
	require.NoError(t, os.WriteFile(journal, data[:len(data)/2+3], 0o644))
	code, resumed, errs := hb("optimize", tinyOptimize, "--out", out, "--json")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, strip(stdout), strip(resumed), "a killed search resumes to the same result")
}

// TestOptimizeRespond: best responses between the two platforms of the
// tiny file run their rounds and report each.
func TestOptimizeRespond(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tiny")
	code, stdout, errs := hb("optimize", tinyOptimize, "--out", out, "--respond", "--json")
	require.Equal(t, 0, code, errs)
	var rep optReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.NotNil(t, rep.Equilibrium)
	eq := rep.Equilibrium
	assert.Contains(t, []string{"settled", "cycle", "unsettled"}, eq.Status)
	assert.NotEmpty(t, eq.Rounds)
	assert.LessOrEqual(t, len(eq.Rounds), 2)
	assert.Equal(t, []string{"wechat", "alipay"}, eq.Players)
	require.Len(t, eq.Best, 2)
	assert.DirExists(t, filepath.Join(out, "respond", "round-01-alipay"))
	code, text, errs := hb("optimize", tinyOptimize, "--out", out, "--respond", "--quiet")
	assert.Equal(t, 0, code, errs)
	assert.Empty(t, text)
}

// TestOptimizeDocsShowExample keeps docs/optimize.md in step with the
// example file it shows.
func TestOptimizeDocsShowExample(t *testing.T) {
	doc := string(mustRead(t, "../../docs/optimize.md"))
	assert.Contains(t, doc, "```toml\n"+string(optimizeExample)+"```", "docs/optimize.md does not show optimize_example.toml as it is; copy it over")
}

// TestOptimizeDeterministicAcrossWorkers: one worker and two give the same
// result, byte for byte.
func TestOptimizeDeterministicAcrossWorkers(t *testing.T) {
	var outs []string
	for _, w := range []string{"1", "2"} {
		code, stdout, errs := hb("optimize", tinyOptimize, "--out", filepath.Join(t.TempDir(), "w"+w), "--workers", w, "--json")
		require.Equal(t, 0, code, errs)
		outs = append(outs, stdout)
	}
	assert.Equal(t, outs[0], outs[1])
}

// TestOptimizeResumeAfterKill runs an optimisation in a child process,
// kills it with SIGKILL once its journal holds some simulations, and
// resumes it in this process: the result is the uninterrupted one.
func TestOptimizeResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: starts a child process")
	}
	src := strings.Replace(string(mustRead(t, tinyOptimize)), "budget = 30", "budget = 400", 1)
	src = strings.Replace(src, "surface = 3", "surface = 0", 1)
	spec := filepath.Join(t.TempDir(), "kill.optimize.toml")
	require.NoError(t, os.WriteFile(spec, []byte(src), 0o644))
	// The scenario is a library name, so the copy runs as the original.
	code, want, errs := hb("optimize", spec, "--out", filepath.Join(t.TempDir(), "ref"), "--json")
	require.Equal(t, 0, code, errs)

	dir := filepath.Join(t.TempDir(), "killed")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOptimizeChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HONGBAO_OPT_CHILD="+spec, "HONGBAO_OPT_OUT="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	journal := filepath.Join(dir, search.JournalFile)
	killWhen(t, cmd, func() bool {
		st, err := os.Stat(journal)
		return err == nil && st.Size() > 3000
	})
	st, err := os.Stat(journal)
	require.NoError(t, err, "child output:\n%s", out.String())
	t.Logf("killed the child with a journal of %d bytes", st.Size())
	_, err = os.Stat(filepath.Join(dir, "result.json"))
	require.True(t, os.IsNotExist(err), "the child finished before it was killed; make its search longer")

	code, got, errs := hb("optimize", spec, "--out", dir, "--json")
	require.Equal(t, 0, code, errs)
	var a, b optReport
	require.NoError(t, json.Unmarshal([]byte(want), &a))
	require.NoError(t, json.Unmarshal([]byte(got), &b))
	assert.Positive(t, b.Best.Replayed)
	a.Best.Replayed, b.Best.Replayed = 0, 0
	assert.Equal(t, a, b)
}

// killWhen starts cmd and kills it with SIGKILL as soon as cond holds
// (polled every 2 ms, for at most a minute), then reaps it.
func killWhen(t *testing.T, cmd *exec.Cmd, cond func() bool) {
	t.Helper()
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && !cond() {
		time.Sleep(2 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
}

// TestHelperOptimizeChild is the child of TestOptimizeResumeAfterKill.
func TestHelperOptimizeChild(t *testing.T) {
	spec := os.Getenv("HONGBAO_OPT_CHILD")
	if spec == "" {
		t.Skip("SKIP: only run as the child of TestOptimizeResumeAfterKill")
	}
	code, _, errs := hb("optimize", spec, "--out", os.Getenv("HONGBAO_OPT_OUT"), "--quiet")
	require.Equal(t, 0, code, errs)
}

// TestOptimizeScreeningAndBudget: a smaller screening world takes the
// first look at every generation, and a budget cap that the scenario's
// own plan breaks leaves no baseline but a feasible optimum.
//
// The search starts inside the cap. Left at the middle of the box it would
// start on the scenario's own plan (10 yuan a ride, a driver bonus of 10),
// which this test needs over the cap, and the screening world (100 users,
// about a third of the spending) never meets the cap, so it sends the
// costlier, better-paying half of each generation to the full world: on
// the fourth fit's profile all 30 full-world simulations were rejected and
// the command failed. From the start (cashback 4, bonus 2) the search
// still meets the cap. Measured with the ninth fit's profile (4 Dec
// 2026, the fixture's sets; `hongbao run taxi-war-2014 --users 300 --days
// 40`): the scenario's plan costs wechat 1,774 and 1,736 yuan on the
// search seeds 7 and 8, the start 276 and 0 (as with the seventh); on
// seed 7 the search keeps the cap without falling back (passed_over 0,
// 27 full-world simulations rejected). Over seeds 1 to 10 the command
// finds a feasible optimum on eight; on seeds 4 and 8 every candidate is
// rejected (the seventh fit failed on seed 8 alone). With the sixth
// fit's profile the search's best broke the cap on the confirmation
// seeds until the search fell back to the newest incumbent that keeps
// it (passed_over 1 on seed 7).
func TestOptimizeScreeningAndBudget(t *testing.T) {
	src := strings.Replace(string(mustRead(t, tinyOptimize)), "surface = 3", "surface = 0\nscreen_users = 100", 1)
	src = strings.Replace(src, "[[players]]", "[constraint]\nmax_subsidies = 1000\n\n[[players]]", 1)
	// The first cashback lever is wechat's (alipay's comes later).
	cashback := "name = \"cashback\"\nlo = 0\nhi = 20\n"
	bonus := "name = \"bonus\"\nlo = 0\nhi = 20\n"
	require.Contains(t, src, cashback)
	require.Contains(t, src, bonus)
	src = strings.Replace(src, cashback, cashback+"start = 4\n", 1)
	src = strings.Replace(src, bonus, bonus+"start = 2\n", 1)
	spec := filepath.Join(t.TempDir(), "screen.optimize.toml")
	require.NoError(t, os.WriteFile(spec, []byte(src), 0o644))
	code, stdout, errs := hb("optimize", spec, "--out", filepath.Join(t.TempDir(), "s"), "--json")
	require.Equal(t, 0, code, errs)
	var rep optReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Positive(t, rep.Best.ScreenCalls)
	assert.Contains(t, rep.Constraint, "subsidies at most 1,000 yuan (reject)")
	assert.Nil(t, rep.Baseline, "the scenario's 10 yuan a ride and a driver bonus of 10 cost more")
	assert.Positive(t, rep.Best.Rejected)
}

// TestOptimizeObjectiveDate: a date in the objective is a day of the run,
// counted from the scenario's start_date.
func TestOptimizeObjectiveDate(t *testing.T) {
	src := strings.Replace(string(mustRead(t, tinyOptimize)), "[[players]]", "[objective]\nmetric = \"share\"\ndate = 2014-01-31\n\n[[players]]", 1)
	spec, err := parseOptSpec("x.toml", []byte(src))
	require.NoError(t, err)
	plan, err := bindOpt(spec)
	require.NoError(t, err)
	assert.Equal(t, 30, plan.Spec.Objective.Day, "31 Jan is day 30 of a run from 1 Jan")
	assert.Equal(t, "share of payment value on 2014-01-31 (day 30)", plan.Spec.Objective.describe())

	spec, err = parseOptSpec("x.toml", []byte(strings.Replace(src, "2014-01-31", "2014-03-31", 1)))
	require.NoError(t, err)
	_, err = bindOpt(spec)
	assert.ErrorContains(t, err, "objective.date: 2014-03-31 is outside the run (2014-01-01, 40 days)")
}

// TestOptimizeLengthLever: offset_from makes a lever a length after
// another: the campaign's end is its start plus the length.
func TestOptimizeLengthLever(t *testing.T) {
	src := strings.Replace(string(mustRead(t, tinyOptimize)), "[[players.levers]]\nkey = \"campaigns.drivers.merchant_bonus\"\nname = \"bonus\"\nlo = 0\nhi = 20\n",
		"[[players.levers]]\nkey = \"campaigns.riders.start\"\nlo = 1\nhi = 20\ninteger = true\n\n[[players.levers]]\nkey = \"campaigns.riders.end\"\noffset_from = \"campaigns.riders.start\"\nlo = 5\nhi = 30\ninteger = true\n", 1)
	spec, err := parseOptSpec("x.toml", []byte(src))
	require.NoError(t, err)
	plan, err := bindOpt(spec)
	require.NoError(t, err)
	sc, err := applyLevers(plan.Base, "wechat", plan.Spec.Players[0].Levers, []float64{5, 12, 10})
	require.NoError(t, err)
	for _, c := range sc.Platforms[0].Campaigns {
		if c.Name == "riders" {
			assert.Equal(t, 12, c.Start)
			assert.Equal(t, 22, c.End)
		}
	}
	_, err = applyLevers(plan.Base, "wechat", plan.Spec.Players[0].Levers, []float64{5, 20, 25})
	assert.Error(t, err, "a campaign past the 40-day horizon is refused")
}

// TestOptimizeCostPerRetained: the objective is compare's measure, and a
// run too short to define it rejects every plan with the reason.
func TestOptimizeCostPerRetained(t *testing.T) {
	src := strings.Replace(string(mustRead(t, tinyOptimize)), "[[players]]", "[objective]\nmetric = \"cost_per_retained\"\n\n[[players]]", 1)
	spec := filepath.Join(t.TempDir(), "cpr.optimize.toml")
	require.NoError(t, os.WriteFile(spec, []byte(src), 0o644))
	code, _, errs := hb("optimize", spec, "--out", filepath.Join(t.TempDir(), "c"), "--quiet")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "the run is shorter than 91 days")
	_, err := parseOptSpec("x.toml", []byte(strings.Replace(src, "metric = \"cost_per_retained\"", "metric = \"cost_per_retained\"\nday = 3", 1)))
	assert.ErrorContains(t, err, "takes no day or window")
}

// TestOptimizeObjectiveValue: each objective reads the run it names, the
// share on a day, the mean share over a window (negative days from the
// end) and the totals, computed here from the history by hand. optimize
// reads them through sim/reporter, as run --report, sweeps and games do.
func TestOptimizeObjectiveValue(t *testing.T) {
	base := string(mustRead(t, tinyOptimize))
	spec, err := parseOptSpec("x.toml", []byte(base))
	require.NoError(t, err)
	plan, err := bindOpt(spec)
	require.NoError(t, err)
	res, err := plan.simulate(context.Background(), nil, 7, false)
	require.NoError(t, err)
	platform := plan.Platform[0]
	// The day read is the first from day 20 whose share is neither 0 nor
	// the last day's, so that reading another day would show: at 300
	// users a wallet can take no payment on a given day, and which days
	// those are moves with the behaviour profile.
	day := -1
	last := res.History[len(res.History)-1].Platforms[platform].ShareValue
	for d := 20; d < len(res.History)-1 && day < 0; d++ {
		if v := res.History[d].Platforms[platform].ShareValue; v != 0 && v != last {
			day = d
		}
	}
	require.GreaterOrEqual(t, day, 0, "a day with a share of its own")
	for _, tc := range []struct {
		name, objective string
		want            func(r *sim.Result, p int) float64
	}{
		{"payoff", "", func(r *sim.Result, p int) float64 { return r.Platforms[p].Payoff }},
		{"value", "metric = \"value_yuan\"", func(r *sim.Result, p int) float64 { return r.Platforms[p].ValueYuan }},
		{"last day", "metric = \"share\"", func(r *sim.Result, p int) float64 { return r.History[len(r.History)-1].Platforms[p].ShareValue }},
		{"day", fmt.Sprintf("metric = \"share\"\nday = %d", day), func(r *sim.Result, p int) float64 { return r.History[day].Platforms[p].ShareValue }},
		{"window", "metric = \"share\"\nfrom = 10\nto = -1", func(r *sim.Result, p int) float64 {
			v := 0.0
			for d := 10; d < len(r.History); d++ {
				v += r.History[d].Platforms[p].ShareValue
			}
			return v / float64(len(r.History)-10)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := base
			if tc.objective != "" {
				src = strings.Replace(base, "[[players]]", "[objective]\n"+tc.objective+"\n\n[[players]]", 1)
			}
			spec, err := parseOptSpec("x.toml", []byte(src))
			require.NoError(t, err)
			plan, err := bindOpt(spec)
			require.NoError(t, err)
			got, err := plan.value(res, 0)
			require.NoError(t, err)
			want := tc.want(res, platform)
			assert.NotZero(t, want, "a zero objective would not tell one reading from another")
			assert.Equal(t, want, got)
		})
	}
}
