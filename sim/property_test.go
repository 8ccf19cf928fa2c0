package sim

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// randomScenario perturbs the test scenario at random: size, horizon,
// graph, campaigns, strategies, events and behaviour, so that money moves
// along every path in combinations nobody wrote by hand.
func randomScenario(r *rand.Rand) *scenarios.Scenario {
	s := testScenario(300+r.IntN(3000), 10+r.IntN(70), r.Uint64())
	s.World.Partitions = 1 + r.IntN(12)
	s.Graph.Kind = []string{"preferential", "small_world", "communities", "uniform"}[r.IntN(4)]
	s.Graph.MeanDegree = float64(2 + r.IntN(30))
	s.Envelopes.PerDay = r.Float64() * 0.2
	s.Envelopes.GroupShares = r.IntN(s.Envelopes.GroupSize + 1)
	s.Adoption.MaxRate = r.Float64() * 0.5
	s.Adoption.Intercept = -8 + 8*r.Float64()
	for p := range s.Platforms {
		pl := &s.Platforms[p]
		pl.Treasury = scenarios.Yuan(r.Int64N(5_000_000_00))
		pl.FeeRate = r.Float64() * 0.02
		pl.Capacity = float64(r.IntN(3)) * 300 * r.Float64()
		pl.OutageRate = r.Float64() * 0.1
		pl.Strategy.Floor = scenarios.Yuan(r.Int64N(int64(pl.Treasury) + 1))
		var c scenarios.Campaign
		c.SetDefaults()
		c.Start = r.IntN(s.World.Days)
		c.End = c.Start + r.IntN(s.World.Days-c.Start)
		c.Cashback = scenarios.Yuan(r.Int64N(3000))
		c.CashbackMax = c.Cashback + scenarios.Yuan(r.Int64N(1000))
		c.CashbackPercent = r.Float64() * 20
		c.DailyCap = scenarios.Yuan(r.Int64N(5000))
		c.MerchantBonus = scenarios.Yuan(r.Int64N(2000))
		c.MerchantDailyCap = scenarios.Yuan(r.Int64N(10000))
		c.FirstPaymentPercent = float64(r.IntN(2)) * 100
		c.Referral = scenarios.Yuan(r.Int64N(1000))
		c.InvitesPerDay = r.Float64() * 5
		c.SponsoredPerDay = scenarios.Yuan(r.Int64N(100000))
		c.SponsoredByBrand = r.IntN(2) == 0
		c.SponsoredPick = []string{"any", "aware", "registered"}[r.IntN(3)]
		pl.Campaigns = append(pl.Campaigns, c)
		pl.Strategy.Kind = []string{"fixed", "match", "escalate", "bandit"}[r.IntN(4)]
		pl.Strategy.Rival = s.Platforms[(p+1)%len(s.Platforms)].Name
		pl.Strategy.Arms = []scenarios.Arm{{Name: "none"}, {Name: "some", Cashback: 200, MerchantBonus: 100}}
	}
	for i := range s.Events {
		s.Events[i].Day = r.IntN(s.World.Days)
	}
	return s
}

// TestMoneyConservedRandom runs random scenarios with the ledger checked
// every day: any fen created or lost ends the run with an error.
func TestMoneyConservedRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	n := 40
	if testing.Short() {
		n = 8
	}
	for i := range n {
		s := randomScenario(r)
		res, err := Run(context.Background(), s, nil)
		require.NoError(t, err, "random scenario %d", i)
		require.True(t, res.MoneyConserved)
		for _, dm := range res.History {
			sum := 0.0
			for _, m := range dm.Platforms {
				sum += m.ShareValue
			}
			if sum > 0 {
				assert.InDelta(t, 1, sum, 1e-9, "shares of wallet value sum to one on day %d", dm.Day)
			}
		}
	}
}

// TestMoneyConservedLibrary runs every library scenario, shrunk, with the
// ledger checked daily.
func TestMoneyConservedLibrary(t *testing.T) {
	for _, e := range scenarios.Library() {
		t.Run(e.Name, func(t *testing.T) {
			s, err := scenarios.Load(e.Name, []string{"world.users=3000"})
			require.NoError(t, err)
			s.World.CheckLedger = true
			s.World.Days = min(s.World.Days, 400)
			res, err := Run(context.Background(), s, nil)
			require.NoError(t, err)
			assert.True(t, res.MoneyConserved)
		})
	}
}

// outputBytes runs a scenario and returns its timeseries.csv, kinds.csv
// and the summary.json without its timing, the bytes a user would compare.
func outputBytes(t *testing.T, s *scenarios.Scenario) []byte {
	t.Helper()
	res, err := Run(context.Background(), s, nil)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WriteTimeseriesCSV(&b, res))
	require.NoError(t, WriteKindsCSV(&b, res))
	res.Elapsed = 0
	require.NoError(t, WriteSummaryJSON(&b, res))
	return b.Bytes()
}

// TestDeterminism: the same scenario and seed give byte-identical output
// twice, and whatever GOMAXPROCS is; a different seed gives other bytes.
func TestDeterminism(t *testing.T) {
	mk := func(seed uint64) *scenarios.Scenario {
		s := testScenario(12000, 40, seed)
		s.World.Partitions = 9 // more partitions than cores, uneven sizes
		return s
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	var outs [][]byte
	for _, procs := range []int{1, 4, 4, 2} {
		runtime.GOMAXPROCS(procs)
		outs = append(outs, outputBytes(t, mk(5)))
	}
	for i := 1; i < len(outs); i++ {
		require.True(t, bytes.Equal(outs[0], outs[i]), "run %d differs from run 0", i)
	}
	assert.False(t, bytes.Equal(outs[0], outputBytes(t, mk(6))), "another seed gives another run")
}

// TestStepAfterHorizon: a finished world says so instead of stepping.
func TestStepAfterHorizon(t *testing.T) {
	w, err := New(testScenario(200, 2, 1))
	require.NoError(t, err)
	require.NoError(t, w.Step())
	require.NoError(t, w.Step())
	assert.ErrorIs(t, w.Step(), ErrDone)
	assert.Len(t, w.History(), 2)
}

func ExampleRun() {
	s, _ := scenarios.Load("default", []string{"world.users=2000"})
	res, _ := Run(context.Background(), s, nil)
	fmt.Println(len(res.History), "days,", len(res.Platforms), "platforms, money conserved:", res.MoneyConserved)
	// Output: 401 days, 3 platforms, money conserved: true
}
