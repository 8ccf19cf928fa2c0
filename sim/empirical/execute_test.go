package empirical

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/game"
	"github.com/paywars/hongbao/sim/sweep"
)

// tinyGame is a 2 × 2 game of the taxi war at 2,000 users over 60 days
// with 3 replicates: 12 runs of a few milliseconds.
const tinyGame = "testdata/tiny.game.toml"

// sweepFiles are the sweep's result files, compared like the game's.
var sweepFiles = []string{sweep.RunsCSV, sweep.RunsParquet, sweep.PointsCSV, sweep.ManifestFile, SweepFile}

func runTiny(t *testing.T, ctx context.Context, dir string, opt Options) (*Plan, *Result, error) {
	t.Helper()
	p, err := Load(tinyGame)
	require.NoError(t, err)
	opt.Out = dir
	res, err := Execute(ctx, p, opt)
	return p, res, err
}

// sameFiles asserts that two output directories hold the same bytes.
func sameFiles(t *testing.T, a, b string, names []string) {
	t.Helper()
	for _, f := range names {
		x, err := os.ReadFile(filepath.Join(a, f))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(x, y), "%s differs", f)
	}
}

func allFiles(res *Result) []string {
	out := append([]string(nil), res.Files...)
	for _, f := range sweepFiles {
		out = append(out, filepath.Join(SweepDir, f))
	}
	return out
}

// TestExecuteTiny runs the tiny game end to end and checks the payoff
// table against runs reproduced alone, the common random numbers, the
// strategies' effect on the scenario, the .nfg round trip, determinism
// across worker counts, and resume after an interruption.
func TestExecuteTiny(t *testing.T) {
	ctx := context.Background()
	one := t.TempDir()
	p, res, err := runTiny(t, ctx, one, Options{Workers: 1})
	require.NoError(t, err)
	a := res.Analysis
	tb := a.Table
	assert.Equal(t, int64(12), res.Sweep.Runs)
	assert.Equal(t, 4, tb.NumProfiles())
	assert.Equal(t, 3, tb.Replicates())
	assert.Equal(t, []string{"wechat", "alipay"}, tb.Players)
	assert.Equal(t, [][]string{{"subsidise", "stop"}, {"subsidise", "stop"}}, tb.Strategies)

	t.Run("strategies change their platform", func(t *testing.T) {
		base := p.Sweep.Base
		assert.Equal(t, 60, base.World.Days)
		assert.Equal(t, 2000, base.World.Users)
		for point, prof := range p.profiles {
			sc, err := p.Sweep.PointScenario(point)
			require.NoError(t, err)
			wechat, alipay := sc.Platforms[0], sc.Platforms[1]
			wantW, wantA := scenarios.Yuan(1000), scenarios.Yuan(1000)
			if prof[0] == 1 {
				wantW = 0
			}
			if prof[1] == 1 {
				wantA = 0
			}
			assert.Equal(t, wantW, wechat.Campaigns[0].Cashback, "didi-10 at %v", prof)
			assert.Equal(t, wantA, alipay.Campaigns[0].Cashback, "kuaidi-10 at %v", prof)
			assert.Equal(t, "fixed", alipay.Strategy.Kind, "the game's sets")
			assert.Equal(t, 59, wechat.Campaigns[1].End, "didi-random is cut at the horizon")
		}
	})

	t.Run("payoffs are those of runs reproduced alone", func(t *testing.T) {
		f, err := os.Open(filepath.Join(one, SweepDir, sweep.RunsCSV))
		require.NoError(t, err)
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 13)
		seeds := map[string]string{}
		for _, row := range rows[1:] {
			rep, seed := row[2], row[3]
			if s, ok := seeds[rep]; ok {
				assert.Equal(t, s, seed, "common random numbers: replicate %s has one seed", rep)
			}
			seeds[rep] = seed
		}
		assert.Len(t, seeds, 3)
		for _, run := range []int64{0, 7, 11} {
			sc, err := p.Sweep.RunScenario(run)
			require.NoError(t, err)
			r, err := sim.Run(ctx, sc, nil)
			require.NoError(t, err)
			point, rep := p.Sweep.Spec.Layout().PointOf(run)
			k := tb.Index(p.profiles[point])
			for i := range tb.Players {
				assert.Equal(t, r.Platforms[i].Payoff, tb.Values[k][i][rep], "run %d player %d", run, i)
			}
			v, err := strconv.ParseFloat(rows[run+1][6], 64)
			require.NoError(t, err)
			assert.Equal(t, r.Platforms[0].Payoff, v)
		}
	})

	t.Run("the .nfg gives the same equilibria", func(t *testing.T) {
		g, err := game.ReadNFGFile(filepath.Join(one, NFGFile))
		require.NoError(t, err)
		assert.True(t, g.Equal(a.Game))
		eqs, err := game.EnumMixed(g)
		require.NoError(t, err)
		var got, want []string
		for _, e := range eqs {
			got = append(got, game.FormatNE(e))
		}
		for _, e := range a.Equilibria {
			want = append(want, e.NE)
		}
		assert.Equal(t, want, got)
		assert.NotEmpty(t, want)
	})

	t.Run("files do not depend on the worker count", func(t *testing.T) {
		two := t.TempDir()
		_, res2, err := runTiny(t, ctx, two, Options{Workers: 2})
		require.NoError(t, err)
		assert.Equal(t, res.Files, res2.Files)
		sameFiles(t, one, two, allFiles(res))
	})

	t.Run("an interrupted game resumes to the same files", func(t *testing.T) {
		dir := t.TempDir()
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		_, part, err := runTiny(t, cctx, dir, Options{Workers: 2, Progress: func(done, total int64) {
			if done >= 5 {
				cancel()
			}
		}})
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.Canceled), "%v", err)
		assert.Less(t, part.Sweep.Resumed+part.Sweep.Ran, int64(12))
		_, err = os.Stat(filepath.Join(dir, ReportJSON))
		assert.True(t, errors.Is(err, os.ErrNotExist), "no results from an unfinished game")

		_, res3, err := runTiny(t, ctx, dir, Options{Workers: 2, Resume: true})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, res3.Sweep.Resumed, int64(5))
		assert.Equal(t, int64(12), res3.Sweep.Resumed+res3.Sweep.Ran)
		sameFiles(t, one, dir, allFiles(res))

		// Once more: nothing is run again.
		_, res4, err := runTiny(t, ctx, dir, Options{})
		require.NoError(t, err)
		assert.Equal(t, int64(0), res4.Sweep.Ran)
		sameFiles(t, one, dir, allFiles(res))
	})
}

// TestFinishedGameReanalysed: a finished game is analysed again without a
// run, even by another build, and renaming strategies needs no new runs.
func TestFinishedGameReanalysed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	_, _, err := runTiny(t, ctx, dir, Options{Workers: 2})
	require.NoError(t, err)
	before, err := os.ReadFile(filepath.Join(dir, ReportJSON))
	require.NoError(t, err)
	_, again, err := runTiny(t, ctx, dir, Options{Version: "another build"})
	require.NoError(t, err)
	assert.Equal(t, int64(0), again.Sweep.Ran)
	assert.Equal(t, int64(12), again.Sweep.Resumed)
	after, err := os.ReadFile(filepath.Join(dir, ReportJSON))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))

	src, err := os.ReadFile(tinyGame)
	require.NoError(t, err)
	renamed := filepath.Join(t.TempDir(), "renamed.game.toml")
	require.NoError(t, os.WriteFile(renamed, bytes.ReplaceAll(src, []byte(`"stop"`), []byte(`"halt"`)), 0o644))
	p, err := Load(renamed)
	require.NoError(t, err)
	res2, err := Execute(ctx, p, Options{Out: dir})
	require.NoError(t, err)
	assert.Equal(t, int64(0), res2.Sweep.Ran)
	assert.Equal(t, "halt", res2.Analysis.Table.Strategies[0][1])
}

// TestExecuteThreePlayers runs a 2 × 2 × 1 game of the default scenario's
// three wallets: pure equilibria and the logit solution, the table heat
// map, and `hongbao nash`'s default (logit) on the .nfg.
func TestExecuteThreePlayers(t *testing.T) {
	p, err := Load("testdata/three.game.toml")
	require.NoError(t, err)
	dir := t.TempDir()
	res, err := Execute(context.Background(), p, Options{Out: dir, Workers: 2})
	require.NoError(t, err)
	a := res.Analysis
	assert.Equal(t, []string{NFGFile, PayoffsCSV, BestReplyDOT, "heatmap-payoffs.png", "replicator-wechat.png", "replicator-alipay.png", ReportText, ReportJSON}, res.Files)
	for _, f := range res.Files {
		_, err := os.Stat(filepath.Join(dir, f))
		assert.NoError(t, err)
	}
	var logit *Equilibrium
	for i, e := range a.Equilibria {
		if e.Method == "logit" {
			logit = &a.Equilibria[i]
		}
	}
	require.NotNil(t, logit, "%+v", a.Equilibria)
	g, err := game.ReadNFGFile(filepath.Join(dir, NFGFile))
	require.NoError(t, err)
	ap, err := game.Logit(g, game.LogitOptions{})
	require.NoError(t, err)
	assert.Equal(t, logit.NE, game.FormatNE(ap.Profile))
	for _, br := range a.BestReplies {
		assert.NotEqual(t, 2, br.Player, "weibo has one strategy and no choice")
	}
}

// TestReadTableFailedRuns: a game needs every payoff, so failed runs are
// an error that names them.
func TestReadTableFailedRuns(t *testing.T) {
	p, err := Load(tinyGame)
	require.NoError(t, err)
	dir := t.TempDir()
	src := "run,point,replicate,seed,wechat_strategy,alipay_strategy,wechat_payoff,alipay_payoff,error\n" +
		"0,0,0,1,{},{},1,2,\n" +
		"1,0,1,1,{},{},,,boom\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, sweep.RunsCSV), []byte(src), 0o644))
	_, err = p.ReadTable(dir)
	assert.EqualError(t, err, "empirical: 1 runs failed, and a game needs every payoff:\nrun 1 (wechat=subsidise, alipay=subsidise, replicate 1): boom")
}
