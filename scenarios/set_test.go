package scenarios

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minimal returns a fresh copy of the library's example-minimal scenario.
func minimal(t *testing.T) *Scenario {
	t.Helper()
	s, err := Load("example-minimal", nil)
	require.NoError(t, err)
	return s
}

func TestApplySetValid(t *testing.T) {
	for _, tc := range []struct {
		set   string
		check func(t *testing.T, s *Scenario)
	}{
		{"world.users=5000", func(t *testing.T, s *Scenario) { assert.Equal(t, 5000, s.World.Users) }},
		{" world.days = 60 ", func(t *testing.T, s *Scenario) { assert.Equal(t, 60, s.World.Days) }},
		{"world.seed=9", func(t *testing.T, s *Scenario) { assert.Equal(t, uint64(9), s.World.Seed) }},
		{"world.name=2024", func(t *testing.T, s *Scenario) { assert.Equal(t, "2024", s.World.Name) }},
		{"world.start_date=2015-02-18", func(t *testing.T, s *Scenario) { assert.Equal(t, "2015-02-18", s.World.StartDate) }},
		{`world.start_date="2015-02-19"`, func(t *testing.T, s *Scenario) { assert.Equal(t, "2015-02-19", s.World.StartDate) }},
		{"world.check_ledger=false", func(t *testing.T, s *Scenario) { assert.False(t, s.World.CheckLedger) }},
		{"graph.kind=uniform", func(t *testing.T, s *Scenario) { assert.Equal(t, "uniform", s.Graph.Kind) }},
		{"graph.mean_degree=8", func(t *testing.T, s *Scenario) { assert.Equal(t, 8.0, s.Graph.MeanDegree) }},
		{"platforms.wechat.fee_rate=0.01", func(t *testing.T, s *Scenario) { assert.Equal(t, 0.01, s.Platforms[0].FeeRate) }},
		{"platforms.1.fee_rate=0.02", func(t *testing.T, s *Scenario) { assert.Equal(t, 0.02, s.Platforms[1].FeeRate) }},
		{"platforms[1].fee_rate=0.03", func(t *testing.T, s *Scenario) { assert.Equal(t, 0.03, s.Platforms[1].FeeRate) }},
		{`platforms.wechat.color="#ff0000"`, func(t *testing.T, s *Scenario) { assert.Equal(t, "#ff0000", s.Platforms[0].Color) }},
		{`platforms.wechat.color=#00ff00`, func(t *testing.T, s *Scenario) { assert.Equal(t, "#00ff00", s.Platforms[0].Color) }},
		{"platforms.wechat.treasury=12.34", func(t *testing.T, s *Scenario) { assert.Equal(t, Yuan(1234), s.Platforms[0].Treasury) }},
		{"platforms.wechat.campaigns.launch.cashback=5", func(t *testing.T, s *Scenario) { assert.Equal(t, Yuan(500), s.Platforms[0].Campaigns[0].Cashback) }},
		{"platforms.wechat.campaigns[0].end=89", func(t *testing.T, s *Scenario) { assert.Equal(t, 89, s.Platforms[0].Campaigns[0].End) }},
		{`platforms.wechat.campaigns.launch.merchant_kinds=["shop"]`, func(t *testing.T, s *Scenario) {
			assert.Equal(t, []string{"shop"}, s.Platforms[0].Campaigns[0].MerchantKinds)
		}},
		{"platforms.wechat.campaigns[0].merchant_kinds=[shop]", func(t *testing.T, s *Scenario) {
			assert.Equal(t, []string{"shop"}, s.Platforms[0].Campaigns[0].MerchantKinds, "a list of bare words")
		}},
		{`platforms.wechat.campaigns[0].merchant_kinds=[\"shop\"]`, func(t *testing.T, s *Scenario) {
			assert.Equal(t, []string{"shop"}, s.Platforms[0].Campaigns[0].MerchantKinds, "quotes still escaped by the shell")
		}},
		{"platforms.wechat.campaigns[0].merchant_kinds=[]", func(t *testing.T, s *Scenario) {
			assert.Empty(t, s.Platforms[0].Campaigns[0].MerchantKinds)
		}},
		{"platforms.alipay.initial.aware=0.9", func(t *testing.T, s *Scenario) { assert.Equal(t, 0.9, s.Platforms[1].Initial.Aware) }},
		{"platforms.alipay.strategy.kind=escalate", func(t *testing.T, s *Scenario) { assert.Equal(t, "escalate", s.Platforms[1].Strategy.Kind) }},
		{"merchants.shop.fixed_cost=7", func(t *testing.T, s *Scenario) { assert.Equal(t, Yuan(700), s.Merchants[0].FixedCost) }},
		{`users.ticket={kind="const",mean=30}`, func(t *testing.T, s *Scenario) {
			assert.Equal(t, Dist{Kind: "const", Mean: 30, SD: 40, Min: 1}, s.Users.Ticket, "an inline table overlays")
		}},
		{`merchants=[{kind="taxi"}]`, func(t *testing.T, s *Scenario) {
			require.Len(t, s.Merchants, 1)
			assert.Equal(t, "taxi", s.Merchants[0].Kind)
			assert.Equal(t, 1.0, s.Merchants[0].Weight, "new elements start from their defaults")
		}},
		{`platforms.wechat={fee_rate=0.05, label="WeChat"}`, func(t *testing.T, s *Scenario) {
			assert.Equal(t, 0.05, s.Platforms[0].FeeRate)
			assert.Equal(t, "#1aad19", s.Platforms[0].Color)
		}},
	} {
		t.Run(tc.set, func(t *testing.T) {
			s := minimal(t)
			require.NoError(t, ApplySet(s, tc.set))
			tc.check(t, s)
		})
	}
}

func TestApplySetInvalid(t *testing.T) {
	for _, tc := range []struct {
		set, want string
	}{
		{"world.days", "--set: world.days: missing =: an override is key.path=value, e.g. world.days=120"},
		{"=3", `--set: empty key path in "=3": an override is key.path=value, e.g. world.days=120`},
		{"world..days=3", `--set: world..days: empty segment in key path "world..days"`},
		{"platforms[x].fee_rate=1", `--set: platforms[x].fee_rate: bad index [x] in key path "platforms[x].fee_rate": want an index such as [0] or [1]`},
		{"platforms.wechat.fe_rate=0.01", "--set: platforms.wechat.fe_rate: unknown key; did you mean fee_rate?"},
		{"platforms.wechta.fee_rate=0.01", `--set: platforms.wechta.fee_rate: no platform named "wechta"; did you mean wechat? (defined: wechat, alipay)`},
		{"platforms.5.fee_rate=0.01", "--set: platforms.5.fee_rate: index 5 is out of range: platforms has 2 elements"},
		{"merchants.taxi.weight=2", `--set: merchants.taxi.weight: no merchant kind named "taxi" (defined: shop)`},
		{"platforms.wechat.campaigns.launch.merchant_kinds.shop=x", "--set: platforms.wechat.campaigns.launch.merchant_kinds.shop: merchant_kinds is a list: give an index such as merchant_kinds.0"},
		{"platforms.wechat.campaigns.launch.merchant_kinds.0=x", `--set: platforms.wechat.campaigns.launch.merchant_kinds.0: index 0 is out of range: merchant_kinds has 0 elements`},
		{"world.days.x=1", "--set: world.days.x: world.days is a single value, it has no key x"},
		{"world[0]=1", "--set: world[0]: world is a table, not a list: use a key instead of [0]"},
		{"world.users=many", `--set: world.users: want a whole number, got the string "many"`},
		{"world.users=5", "--set: world.users: must be between 10 and 50000000, got 5"},
		{"world.days=1.5", "--set: world.days: want a whole number, got 1.5"},
		{"world.seed=-1", "--set: world.seed: must be 0 or more, got -1"},
		{"platforms.wechat.fee_rate=0.5", "--set: platforms.wechat.fee_rate: must be between 0 and 0.2, got 0.5"},
		{"platforms.wechat.treasury=1.234", "--set: platforms.wechat.treasury: amount 1.234 yuan has more than two decimals (fen)"},
		{"platforms.wechat.color=red", `--set: platforms.wechat.color: colour "red" must be #rrggbb, e.g. "#1aad19"`},
		{"graph.kind=smallworld", `--set: graph.kind: must be one of preferential, small_world, communities, uniform; got "smallworld"; did you mean small_world?`},
		{"platforms.alipay.strategy.rival=tenpay", `--set: platforms.alipay.strategy.rival: no platform named "tenpay" (defined: wechat, alipay)`},
		{`platforms.wechat.campaigns.launch.merchant_kinds=["taxi"]`, `--set: platforms.wechat.campaigns.launch.merchant_kinds[0]: no merchant kind named "taxi" (defined: shop)`},
		{"users.ticket={kind=}", `--set: users.ticket: the value {kind=} is not valid TOML: expected value but found '}' instead`},
		{"world.days=[1", `--set: world.days: the value [1 is not valid TOML: expected a comma (',') or array terminator (']'), but got end of file`},
		{`users.ticket={kind="const",mean="x"}`, `--set: users.ticket.mean: want a number, got the string "x"`},
		// world.days=29 is not here: setting the horizon cuts the schedule
		// (horizon.go); a campaign moved past it is still a mistake.
		{"platforms.wechat.campaigns.launch.end=4000", "--set: platforms.wechat.campaigns.launch.end: campaign outside the horizon: it ends on day 4000 but the run has days 0 to 89 (world.days = 90)"},
		{"world.days=1\nworld.users=3", `--set: world.days: the value "1\nworld.users=3" is more than one TOML value`},
	} {
		t.Run(tc.set, func(t *testing.T) {
			s := minimal(t)
			before := copyScenario(s)
			err := ApplySet(s, tc.set)
			ps := mustProblems(t, err)
			assert.Equal(t, tc.want, ps.Error())
			for _, p := range ps {
				assert.Equal(t, "--set", p.File)
			}
			assert.Equal(t, before, s, "a failed override leaves the scenario as it was")
		})
	}
}

func TestApplySetNil(t *testing.T) {
	mustProblems(t, ApplySet(nil, "world.days=3"))
}

func TestApplySetDoesNotAlias(t *testing.T) {
	s := minimal(t)
	kept := s.Platforms
	require.NoError(t, ApplySet(s, "platforms.wechat.fee_rate=0.01"))
	assert.NotEqual(t, 0.01, kept[0].FeeRate, "slices are copied, so a caller's saved scenario does not change")
}

// TestParseSets checks overrides given to Parse: their problems come after
// the file's, in the order of the overrides, and validation sees the result
// of all of them.
func TestParseSets(t *testing.T) {
	src, err := LibrarySource("example-minimal")
	require.NoError(t, err)

	s, err := Parse("m.toml", src, []string{"world.days=10", "world.days=100"})
	require.NoError(t, err, "only the final value is validated")
	assert.Equal(t, 100, s.World.Days)

	// The file's top-level profile key would fall into the [graph] put
	// before it: comment it out.
	bad := append([]byte("[graph]\nkind = \"ring\"\n"), bytes.Replace(src, []byte("\nprofile = "), []byte("\n# profile = "), 1)...)
	_, err = Parse("m.toml", bad, []string{"world.usrs=1", "world.days=0", "platforms.wechat.campaigns.launch.cashback=3"})
	want := `m.toml:2:1: graph.kind: must be one of preferential, small_world, communities, uniform; got "ring"` + "\n" +
		"--set: world.usrs: unknown key; did you mean users?\n" +
		"--set: world.days: must be between 1 and 3660, got 0"
	assert.Equal(t, want, mustProblems(t, err).Error())

	// A later override of the same value takes the blame away from the file.
	_, err = Parse("m.toml", src, []string{"platforms.wechat.fee_rate=0.5"})
	assert.Equal(t, "--set: platforms.wechat.fee_rate: must be between 0 and 0.2, got 0.5", mustProblems(t, err).Error())
}
