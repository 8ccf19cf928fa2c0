package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	s := testScenario(20000, 60, 1)
	r, err := Run(context.Background(), s, nil)
	require.NoError(t, err)
	for _, d := range []int{0, 3, 4, 12, 20, 59} {
		dm := r.History[d]
		t.Logf("day %d %v cash=%d", d, dm.Events, dm.CashPayments)
		for p, m := range dm.Platforms {
			t.Logf("  %s %+v", r.Platforms[p].Name, m)
		}
	}
}
