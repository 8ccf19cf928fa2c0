package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// MatchGoldenDigests is matchGoldenDigests for the package's external
// tests (golden_test.go).
var MatchGoldenDigests = matchGoldenDigests

// Digest is digest for the package's external tests.
var Digest = digest

// matchGoldenDigests compares got, digests of outputs by name, written
// as indented JSON, with the golden file at path; under -update (the
// flag golden_test.go defines) it rewrites the file instead. what names
// the outputs in the failure, which says what to rerun.
func matchGoldenDigests(t *testing.T, path string, got any, what string) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	b = append(b, '\n')
	if u := flag.Lookup("update"); u != nil && u.Value.String() == "true" {
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "%s: run go test ./sim -run %s -update to create %s", what, t.Name(), path)
	require.Equal(t, string(want), string(b), "%s changed; if on purpose, rerun go test ./sim -run %s -update and say why in the commit", what, t.Name())
}

// digest is the SHA-256 of b, in hex.
func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
