package empirical

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestOverlayRoundTrip writes every platform of every library scenario as a
// TOML inline table and lays it over the platform again: the loader must
// read back the same platform, so that any strategy can travel through a
// sweep parameter.
func TestOverlayRoundTrip(t *testing.T) {
	for _, e := range scenarios.Library() {
		t.Run(e.Name, func(t *testing.T) {
			s, err := scenarios.Load(e.Name, nil)
			require.NoError(t, err)
			for k := range s.Platforms {
				v, err := appendValue(nil, reflect.ValueOf(s.Platforms[k]))
				require.NoError(t, err)
				c := *s
				require.NoError(t, scenarios.ApplySet(&c, "platforms["+strconv.Itoa(k)+"]="+string(v)))
				assert.True(t, same(s.Platforms[k], c.Platforms[k]), "platform %s", s.Platforms[k].Name)
			}
		})
	}
}

// TestHorizonSets checks that the overrides diffSets writes for a horizon
// cut give the scenario that SetHorizon makes, for every library scenario.
func TestHorizonSets(t *testing.T) {
	for _, e := range scenarios.Library() {
		t.Run(e.Name, func(t *testing.T) {
			base, err := scenarios.Load(e.Name, nil)
			require.NoError(t, err)
			cut, err := scenarios.Load(e.Name, nil)
			require.NoError(t, err)
			require.NoError(t, scenarios.SetHorizon(cut, 30))
			sets, err := diffSets(base, cut)
			require.NoError(t, err)
			again, err := scenarios.Load(e.Name, sets)
			require.NoError(t, err, "%v", sets)
			assert.True(t, same(*cut, *again))
		})
	}
}

func TestDiffTable(t *testing.T) {
	a := scenarios.Platform{Name: "w", FeeRate: 0.006, Initial: scenarios.Installed{Aware: 0.3}}
	b := a
	assertDiff := func(want string) {
		t.Helper()
		got, err := diffTable(reflect.ValueOf(a), reflect.ValueOf(b))
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	assertDiff("{}")
	b.FeeRate = 0.01
	b.Initial.Registered = 0.1
	b.Label = "Say \"hi\"\n"
	assertDiff(`{label = "Say \"hi\"\u000A", fee_rate = 0.01, initial = {registered = 0.1}}`)
	b = a
	b.Campaigns = []scenarios.Campaign{{Name: "c", Cashback: 1250, MerchantKinds: []string{"taxi"}}}
	got, err := diffTable(reflect.ValueOf(a), reflect.ValueOf(b))
	require.NoError(t, err)
	assert.Contains(t, got, `{campaigns = [{name = "c", start = 0, end = 0, merchant_kinds = ["taxi"], cashback = 12.50,`)
	// nil and empty lists are the same.
	a.Campaigns, b.Campaigns = nil, []scenarios.Campaign{}
	assertDiff("{}")
}
