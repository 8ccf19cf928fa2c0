//go:build linux || freebsd || openbsd || netbsd || dragonfly

package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTestNames: the Test functions of a folder's _test.go files, in file
// order, without TestMain, helpers, benchmarks or other files.
func TestTestNames(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"b_test.go": "package x\n\nfunc TestB(t *testing.T) {}\nfunc TestMain(m *testing.M) {}\nfunc BenchmarkB(b *testing.B) {}\n",
		"a_test.go": "package x\n\nfunc TestA2(t *testing.T) {}\nfunc helper(t *testing.T) {}\nfunc TestA_1(t *testing.T) {}\nfunc Testing(x int) {}\n",
		"c.go":      "package x\n\nfunc TestC(t *testing.T) {}\n",
	}
	for name, src := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	assert.Equal(t, []string{"TestA2", "TestA_1", "TestB"}, TestNames(dir))
	assert.Empty(t, TestNames(filepath.Join(dir, "missing")))
}
