package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sensitivityHead is a base for sensitivity sweeps of a library scenario,
// small enough for a test: 300 users over 30 days.
const sensitivityHead = `scenario = "example-minimal"
sets = ["world.users=300", "world.days=30", "platforms.wechat.campaigns.launch.end=29"]
seed = 5
common_random_numbers = true

[[params]]
key = "platforms.wechat.campaigns.launch.cashback"
min = 0
max = 10

[[params]]
key = "envelopes.per_day"
min = 0.001
max = 0.05

[[params]]
key = "platforms.alipay.fee_rate"
min = 0.001
max = 0.01

[[outputs]]
metric = "wechat.payoff"

[[outputs]]
metric = "wechat.card_bound"
`

// TestAnalyzeSaltelli runs a small Saltelli sweep of a library scenario and
// checks the analysis is shaped right and makes sense: Alipay's fee rate
// cannot move WeChat's card-bound users (the engine charges it to
// merchants only), so its indices are ~0. The estimators' accuracy is
// tested on Ishigami in package sensitivity.
func TestAnalyzeSaltelli(t *testing.T) {
	p := planFrom(t, sensitivityHead+"\n[design]\nkind = \"saltelli\"\nbase_rows = 16\n")
	dir := t.TempDir()
	rep := execute(t, p, Options{Out: dir})
	assert.Equal(t, int64(16*5), rep.Runs)

	res, err := Analyze(dir, AnalyzeOptions{Resamples: 200})
	require.NoError(t, err)
	require.Len(t, res, 2)
	for _, a := range res {
		require.NotNil(t, a.Sobol, a.Output)
		assert.Len(t, a.Sobol.Indices, 3)
		assert.Equal(t, 16, a.Sobol.N)
		assert.Contains(t, a.Table(), "platforms_wechat_campaigns_launch_cashback")
		st, err := os.Stat(a.Chart)
		require.NoError(t, err)
		assert.Positive(t, st.Size())
		png, _ := os.ReadFile(a.Chart)
		assert.True(t, strings.HasPrefix(string(png), "\x89PNG"), "a PNG chart")
	}
	fee := res[1].Sobol.Indices[2]
	assert.InDelta(t, 0, fee.ST, 1e-9, "fee rate does not change card-bound users: %+v", fee)

	again, err := Analyze(dir, AnalyzeOptions{Resamples: 200, ChartDir: NoCharts})
	require.NoError(t, err)
	assert.Equal(t, res[0].Sobol, again[0].Sobol, "bootstrap seeded from the sweep")
	assert.Empty(t, again[0].Chart)
}

// TestAnalyzeSaltelliSecondOrder: second_order = true adds the BA rows and
// the analysis reports every pair's index, the convergence check and a
// chart titled with the output's name.
func TestAnalyzeSaltelliSecondOrder(t *testing.T) {
	p := planFrom(t, sensitivityHead+"\n[design]\nkind = \"saltelli\"\nbase_rows = 8\nsecond_order = true\n")
	dir := t.TempDir()
	rep := execute(t, p, Options{Out: dir})
	assert.Equal(t, int64(8*(2*3+2)), rep.Runs)
	res, err := Analyze(dir, AnalyzeOptions{Resamples: 50})
	require.NoError(t, err)
	for _, a := range res {
		require.Len(t, a.Sobol.Second, 3, "pairs of 3 parameters")
		assert.Equal(t, "platforms_wechat_campaigns_launch_cashback", a.Sobol.Second[0].NameI)
		assert.Len(t, a.Sobol.Convergence, 2, "4 and 8 base rows")
		assert.Contains(t, a.Table(), "pair")
		assert.Contains(t, a.Table(), "convergence")
		assert.Equal(t, "sobol-"+a.Output+".png", filepath.Base(a.Chart))
	}
	m, err := ReadManifest(filepath.Join(dir, ManifestFile))
	require.NoError(t, err)
	assert.True(t, m.Design.SecondOrder)
}

func TestAnalyzeMorris(t *testing.T) {
	p := planFrom(t, sensitivityHead+"\n[design]\nkind = \"morris\"\ntrajectories = 6\n")
	dir := t.TempDir()
	execute(t, p, Options{Out: dir})
	res, err := Analyze(dir, AnalyzeOptions{Outputs: []string{"wechat_payoff"}, ChartDir: t.TempDir()})
	require.NoError(t, err)
	require.Len(t, res, 1)
	require.NotNil(t, res[0].Morris)
	assert.Len(t, res[0].Morris.Indices, 3)
	assert.Equal(t, 6, res[0].Morris.Indices[0].N)
	assert.FileExists(t, res[0].Chart)
}

func TestAnalyzeRefuses(t *testing.T) {
	p := planFrom(t, smallSweep)
	dir := t.TempDir()
	execute(t, p, Options{Out: dir})
	_, err := Analyze(dir, AnalyzeOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "factorial design")

	_, err = Analyze(t.TempDir(), AnalyzeOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is the sweep finished")

	shards := t.TempDir()
	execute(t, p, Options{Out: shards, Shard: Shard{0, 2}})
	_, err = Analyze(filepath.Join(shards, Shard{0, 2}.Dir()), AnalyzeOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "merge the shards first")

	sp := planFrom(t, sensitivityHead+"\n[design]\nkind = \"morris\"\ntrajectories = 2\n")
	sdir := t.TempDir()
	execute(t, sp, Options{Out: sdir})
	_, err = Analyze(sdir, AnalyzeOptions{Outputs: []string{"wechat_payof"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "did you mean wechat_payoff?")
}
