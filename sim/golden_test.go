package sim_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
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
		got[e.Name] = map[string]string{"timeseries.csv": digest(ts.Bytes()), "kinds.csv": digest(kinds.Bytes())}
	}
	if *updateGolden {
		b, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
		return
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./sim -run TestLibraryOutputsByteIdentical -update to create it")
	var want map[string]map[string]string
	require.NoError(t, json.Unmarshal(b, &want))
	require.Equal(t, want, got, "library outputs changed; if on purpose, rerun with -update and say why in the commit")
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
