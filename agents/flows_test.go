package agents

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPersonalFlowRules(t *testing.T) {
	t.Run("launch", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			d, from int
			want    bool
		}{
			{"the day before", 389, 390, false},
			{"the launch day", 390, 390, true},
			{"after", 1000, 390, true},
			{"from the start", 0, 0, true},
		} {
			assert.Equal(t, tc.want, Launched(tc.d, tc.from), tc.name)
		}
	})
	t.Run("rate", func(t *testing.T) {
		for _, tc := range []struct {
			name             string
			perDay, spending float64
			live             bool
			want             float64
		}{
			{"an ordinary day", 0.2, 1, true, 0.2},
			{"the festival's spending", 0.2, 1.5, true, 0.3},
			{"before the launch", 0.2, 1.5, false, 0},
			{"no behaviour", 0, 2, true, 0},
			{"a negative season is none", 0.2, -1, true, 0},
		} {
			assert.InDelta(t, tc.want, PersonalFlowRate(tc.perDay, tc.spending, tc.live), tol, tc.name)
		}
	})
	t.Run("where a transfer lands", func(t *testing.T) {
		assert.True(t, TransferLandsInWallet(true), "a registered friend's wallet")
		assert.False(t, TransferLandsInWallet(false), "anyone else's bank card")
	})
}

func TestTransferReach(t *testing.T) {
	for _, tc := range []struct {
		name           string
		network, bound float64
		want           float64
	}{
		{"no network: every transfer", 0, 0.1, 1},
		{"all need a counterparty: the bound share", 1, 0.3, 0.3},
		{"half: between", 0.5, 0.3, 0.65},
		{"nobody bound: only the rest", 0.4, 0, 0.6},
		{"a share above one is one", 1, 1.5, 1},
		{"a negative share is none", 1, -0.2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, TransferReach(tc.network, tc.bound), 1e-12)
		})
	}
}
