package empirical

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// players is a valid two-player section for the tests to append to.
const players = `
[[players]]
platform = "wechat"
strategies = [{name = "a"}]

[[players]]
platform = "alipay"
strategies = [{name = "b"}]
`

// TestParseSpecProblems checks the messages of the parser, which needs no
// scenario: all problems at once, located, with suggestions.
func TestParseSpecProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty file", "", []string{
			"g.toml: missing key scenario: the base scenario, a library name such as \"taxi-war-2014\" or a path to a .toml file",
			"g.toml: missing players: give two or more [[players]], each a platform of the scenario with its [[players.strategies]]",
		}},
		{"syntax", "scenario = \"x\"\nplayers = [\n", []string{
			"g.toml:2:12: invalid TOML: unexpected EOF; expected value",
		}},
		{"unknown keys and types", "scenaro = \"taxi-war-2014\"\nscenario = \"taxi-war-2014\"\nreplicates = \"3\"\nseed = -1\nsets = \"world.users=10\"\ncommon_random_numbers = 1\n" + players, []string{
			"g.toml:1:1: scenaro: unknown key; did you mean scenario?",
			"g.toml:3:1: replicates: want a whole number, got the string \"3\"",
			"g.toml:4:1: seed: must be 0 or more, got -1",
			"g.toml:5:1: sets: want a list of strings such as [\"a=1\", \"b=2\"], got the string \"world.users=10\"",
			"g.toml:6:1: common_random_numbers: want true or false, got the integer 1",
		}},
		{"ranges", "scenario = \"x\"\nreplicates = 1\nusers = 5\ndays = 0\nepsilon = -1\nname = \"a b\"\n" + players, []string{
			"g.toml:2:1: replicates: must be between 2 and 10000000, got 1 (two or more replicates are needed to estimate the noise)",
			"g.toml:3:1: users: must be between 10 and 50000000, got 5",
			"g.toml:4:1: days: must be between 1 and 3660, got 0",
			"g.toml:5:1: epsilon: must be 0 or more, got -1",
			"g.toml:6:1: name: want a name of letters, digits, '_', '-' and '.', got \"a b\"",
		}},
		{"payoff", "scenario = \"x\"\n[payoff]\nmetric = \"share_valu\"\nday = 3\nfrom = 1\nstat = \"avg\"\nmetrc = 1\n" + players, []string{
			"g.toml:2:2: payoff: a range needs both from and to; to is missing",
			"g.toml:3:1: payoff.metric: unknown metric \"share_valu\"; did you mean share_value?",
			"g.toml:4:1: payoff.day: give either day or a range (from, to), not both",
			"g.toml:6:1: payoff.stat: want one of mean, min, max, sum, got \"avg\"",
			"g.toml:7:1: payoff.metrc: unknown key; did you mean metric?",
		}},
		{"payoff with a platform", "scenario = \"x\"\npayoff = {metric = \"wechat.mau\"}\n" + players, []string{
			"g.toml:2:11: payoff.metric: give the metric without a platform (mau, not wechat.mau): it is read for every player's own platform",
		}},
		{"a total takes no day", "scenario = \"x\"\npayoff = {metric = \"payoff\", day = 3}\n" + players, []string{
			"g.toml:2:11: payoff.metric: payoff is a total over the run and takes no day or range",
		}},
		{"players", `scenario = "x"
[[players]]
platform = "wechat"
[[players.strategies]]
name = "a"
sets = ["platforms.alipay.fee_rate=0.01", "platforms.wechat.fee_rate=0.01", "campains.x.cashback=1", "world.days=3", "name=x", "fee_rate"]
[[players.strategies]]
name = "a"
[[players.strategies]]
sets = []
`, []string{
			"g.toml:2:3: players: a game needs two or more players, got 1",
			"g.toml:6:9: players[0].strategies[0].sets[0]: touches another platform: a strategy changes only its own platform (wechat), with paths relative to it; put scenario-wide overrides in sets",
			"g.toml:6:43: players[0].strategies[0].sets[1]: drop the prefix platforms.wechat.: a strategy's paths are relative to its own platform",
			"g.toml:6:77: players[0].strategies[0].sets[2]: unknown platform key \"campains\"; did you mean campaigns?",
			"g.toml:6:102: players[0].strategies[0].sets[3]: world is not a key of the platform: a strategy changes only its own platform; put scenario-wide overrides in sets",
			"g.toml:6:118: players[0].strategies[0].sets[4]: a strategy cannot rename its platform",
			"g.toml:6:128: players[0].strategies[0].sets[5]: missing =: an override is key.path=value relative to the player's platform, e.g. campaigns.launch.cashback=5",
			"g.toml:8:1: players[0].strategies[1].name: strategy \"a\" is already strategy 1 of this player",
			"g.toml:9:11: players[0].strategies[2]: missing key name: the strategy's name, e.g. name = \"10 yuan\"",
		}},
		{"player shapes", `scenario = "x"
players = [{platform = "wechat", strategies = []}, {platform = "wechat", strategy = 1}, 3]
`, []string{
			"g.toml:2:34: players[0].strategies: empty: give one or more strategies",
			"g.toml:2:52: players[1]: missing strategies: give one or more [[players.strategies]], each a name and sets",
			"g.toml:2:53: players[1].platform: platform wechat is already player 1: each platform plays once",
			"g.toml:2:74: players[1].strategy: unknown key; the keys here are platform, strategies",
			"g.toml:2:89: players[2]: want a table, got the integer 3",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSpec("g.toml", []byte(tt.src))
			require.Error(t, err)
			var ps scenarios.Problems
			require.True(t, errors.As(err, &ps), "%T", err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}

// TestBindProblems checks the problems found against the base scenario.
func TestBindProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown scenario", "scenario = \"taxi-war-2104\"\n" + players, []string{
			"g.toml:1:1: scenario: unknown scenario \"taxi-war-2104\"; did you mean taxi-war-2014? The library has: " + strings.Join(libraryNames(), ", ") + ". To load a file, give a path ending in .toml.",
		}},
		{"missing file", "scenario = \"nope/x.toml\"\n" + players, []string{
			"g.toml:1:1: scenario: no such scenario file nope/x.toml (a relative path is relative to the game file)",
		}},
		{"sets and users", "scenario = \"taxi-war-2014\"\nsets = [\"world.dayz=3\", \"platforms.alipay.fee_rate=0.9\"]\nusers = 2000\n" + players, []string{
			"g.toml:2:9: sets[0]: world.dayz: unknown key; did you mean days?",
			"g.toml:2:25: sets[1]: platforms.alipay.fee_rate: must be between 0 and 0.2, got 0.9",
		}},
		{"payoff days", "scenario = \"taxi-war-2014\"\ndays = 60\n[payoff]\nmetric = \"mau\"\nfrom = -70\nto = 60\n" + players, []string{
			"g.toml:5:1: payoff.from: day -70 is outside the horizon of 60 days (days 0 to 59, or −1 for the last)",
			"g.toml:6:1: payoff.to: day 60 is outside the horizon of 60 days (days 0 to 59, or −1 for the last)",
		}},
		{"strategies", `scenario = "taxi-war-2014"
[[players]]
platform = "wechta"
strategies = [{name = "x"}]
[[players]]
platform = "alipay"
strategies = [{name = "y", sets = ["campaigns.nope.cashback=1", "fee_rate=2"]}, {name = "z", sets = ["strategy.rival=nobody"]}]
`, []string{
			"g.toml:3:1: players[0].platform: no platform \"wechta\" in the scenario; did you mean wechat?",
			"g.toml:7:36: players[1].strategies[0].sets[0]: campaigns.nope.cashback: no campaign named \"nope\" (defined: kuaidi-10, kuaidi-5, kuaidi-3-5, kuaidi-drivers)",
			"g.toml:7:65: players[1].strategies[0].sets[1]: fee_rate: must be between 0 and 0.2, got 2",
			"g.toml:7:102: players[1].strategies[1].sets[0]: strategy.rival: no platform named \"nobody\" (defined: wechat, alipay)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSpec("g.toml", []byte(tt.src))
			require.NoError(t, err)
			_, err = Bind(s)
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}

func libraryNames() []string {
	var out []string
	for _, e := range scenarios.Library() {
		out = append(out, e.Name)
	}
	return out
}

// TestParseSpecDefaults checks the defaults of a minimal file.
func TestParseSpecDefaults(t *testing.T) {
	s, err := ParseSpec("dir/my.game.toml", []byte("scenario = \"taxi-war-2014\"\n"+players))
	require.NoError(t, err)
	assert.Equal(t, "my", s.Name)
	assert.Equal(t, uint64(1), s.Seed)
	assert.Equal(t, DefaultReplicates, s.Replicates)
	assert.True(t, s.CommonRandomNumbers)
	assert.Equal(t, "payoff", s.Payoff.Metric)
	assert.Equal(t, "wechat.payoff", s.Payoff.MetricFor("wechat"))
	assert.Equal(t, 1, s.Profiles())
	assert.Equal(t, int64(DefaultReplicates), s.Runs())
	s, err = ParseSpec("g.toml", []byte("scenario = \"x\"\npayoff = {metric = \"share_value\", from = -30, to = -1}\n"+players))
	require.NoError(t, err)
	o := s.Payoff
	assert.Equal(t, []any{"share_value", -30, -1, true, "mean"}, []any{o.Metric, o.From, o.To, o.HasRange, o.Stat})
	assert.Equal(t, "mean(alipay.share_value, -30..-1)", o.Reporter().Qualified("alipay").String())
	s, err = ParseSpec("g.toml", []byte("scenario = \"x\"\npayoff = {metric = \"ratio(sum(subsidy_user_fen), sum(new_card_bound))\"}\n"+players))
	require.NoError(t, err)
	assert.Equal(t, "ratio(sum(wechat.subsidy_user_fen), sum(wechat.new_card_bound))", s.Payoff.MetricFor("wechat"))
}

// TestBindRelativeScenario: a scenario path is relative to the game file.
func TestBindRelativeScenario(t *testing.T) {
	dir := t.TempDir()
	src, err := scenarios.LibrarySource("example-minimal")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sc"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sc", "min.toml"), src, 0o644))
	game := filepath.Join(dir, "g.toml")
	require.NoError(t, os.WriteFile(game, []byte("scenario = \"sc/min.toml\"\nusers = 200\ndays = 10\nreplicates = 2\n"+players), 0o644))
	p, err := Load(game)
	require.NoError(t, err)
	assert.Equal(t, 10, p.Sweep.Base.World.Days)
	assert.Equal(t, 200, p.Sweep.Base.World.Users)
	// The launch campaign (days 0–29) is cut at the new last day.
	assert.Equal(t, 9, p.Sweep.Base.Platforms[0].Campaigns[0].End)
}

// TestExampleBinds checks the shipped example against its scenario.
func TestExampleBinds(t *testing.T) {
	s, err := ParseSpec("examples/taxi-war.game.toml", Example)
	require.NoError(t, err)
	p, err := Bind(s)
	require.NoError(t, err)
	assert.Equal(t, 9, s.Profiles())
	assert.Equal(t, []string{"wechat", "alipay"}, []string{s.Players[0].Platform, s.Players[1].Platform})
	// Each strategy sets the riders' cashback; 10 yuan is the base's.
	for i := range s.Players {
		assert.Equal(t, "{}", p.Overlays[i][2])
		for j, ov := range p.Overlays[i][:2] {
			assert.Contains(t, ov, "cashback = "+[]string{"0.00", "5.00"}[j])
		}
	}
	for k := range 9 {
		sc, err := p.Sweep.PointScenario(k)
		require.NoError(t, err)
		prof := p.profiles[k]
		for i, pl := range p.Platforms {
			assert.Equal(t, scenarios.Yuan([]int64{0, 500, 1000}[prof[i]]), sc.Platforms[pl].Campaigns[0].Cashback)
		}
	}
}

// TestDocsShowExample keeps docs/game.md in step with the example that
// `hongbao game --example` prints.
func TestDocsShowExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/game.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(doc), "```toml\n"+string(Example)+"```"),
		"docs/game.md does not show sim/empirical/examples/taxi-war.game.toml as it is; copy it over")
	for _, f := range []string{NFGFile, PayoffsCSV, BestReplyDOT, ReportJSON, ReportText} {
		assert.Contains(t, string(doc), "`"+f+"`")
	}
}
