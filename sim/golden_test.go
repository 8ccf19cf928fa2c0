package sim_test

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/library-golden.json from the current engine")

// TestLibraryOutputsByteIdentical runs every library scenario at its own
// size and seed and compares the SHA-256 of its timeseries.csv and
// kinds.csv with testdata/library-golden.json. It is the guard for
// refactors that must not change a byte of output: a change that moves
// the random draws or the model on purpose rewrites the file with
// -update in its own commit, and that commit says why.
func TestLibraryOutputsByteIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short; every library scenario at full size takes several seconds")
	}
	path := filepath.Join("testdata", "library-golden.json")
	got := map[string]map[string]string{}
	for _, e := range scenarios.Library() {
		s, err := scenarios.Load(e.Name, nil)
		require.NoError(t, err, e.Name)
		r, err := sim.Run(context.Background(), s, nil)
		require.NoError(t, err, e.Name)
		var ts, kinds bytes.Buffer
		require.NoError(t, sim.WriteTimeseriesCSV(&ts, r))
		require.NoError(t, sim.WriteKindsCSV(&kinds, r))
		got[e.Name] = map[string]string{"timeseries.csv": sim.Digest(ts.Bytes()), "kinds.csv": sim.Digest(kinds.Bytes())}
	}
	sim.MatchGoldenDigests(t, path, got, "library outputs")
}
