package sim

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// tinyResult runs a few days of the smallest library scenario.
func tinyResult(t *testing.T, seed string) *Result {
	t.Helper()
	s, err := scenarios.Load("example-minimal", []string{"world.seed=" + seed})
	require.NoError(t, err)
	require.NoError(t, scenarios.SetHorizon(s, 3))
	r, err := Run(context.Background(), s, nil)
	require.NoError(t, err)
	return r
}

// readTree maps each file under dir to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(b)
	}
	return out
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestWriteRunDirWhole: a write that fails half-way (the second file, as
// when the disk fills) leaves the old run's folder byte for byte, and no
// temporary folder; a write that succeeds replaces every file.
func TestWriteRunDirWhole(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	require.NoError(t, WriteRunDir(dir, tinyResult(t, "1")))
	before := readTree(t, dir)
	require.GreaterOrEqual(t, len(before), 3, "the run's files")

	for _, failing := range []string{"timeseries.csv", "kinds.csv", "summary.json"} {
		failWrite = func(name string) error {
			if name == failing {
				return syscall.ENOSPC
			}
			return nil
		}
		err := WriteRunDir(dir, tinyResult(t, "2"))
		failWrite = nil
		require.Error(t, err, failing)
		assert.ErrorIs(t, err, syscall.ENOSPC)
		assert.Equal(t, before, readTree(t, dir), "failing %s changed the folder", failing)
		assert.Equal(t, []string{".run.lock", "run"}, names(t, parent), "failing %s left a temporary folder", failing)
	}

	// Extra files (charts) that fail leave the folder as it was too.
	err := WriteRunDirWith(dir, tinyResult(t, "2"), func(tmp string) error {
		require.NoError(t, os.WriteFile(filepath.Join(tmp, "chart.png"), []byte("half"), 0o644))
		return syscall.ENOSPC
	})
	assert.ErrorIs(t, err, syscall.ENOSPC)
	assert.Equal(t, before, readTree(t, dir))
	assert.Equal(t, []string{".run.lock", "run"}, names(t, parent))

	require.NoError(t, WriteRunDirWith(dir, tinyResult(t, "2"), func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "chart.png"), []byte("chart"), 0o644)
	}))
	after := readTree(t, dir)
	assert.Equal(t, "chart", after["chart.png"], "extra files are swapped in with the run")
	delete(after, "chart.png")
	for name := range before {
		assert.NotEqual(t, before[name], after[name], "%s was not replaced", name)
	}
	assert.Equal(t, []string{".run.lock", "run"}, names(t, parent))
}

// TestLockDir: two handles on one folder's lock (as two processes have)
// cannot both hold it; the second is refused at once with ErrInUse.
func TestLockDir(t *testing.T) {
	dir := t.TempDir()
	a, err := LockDir(LockFileIn(dir), dir)
	require.NoError(t, err)
	done := make(chan error)
	go func() {
		_, err := LockDir(LockFileIn(dir), dir)
		done <- err
	}()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, ErrInUse)
		assert.Contains(t, err.Error(), dir)
	case <-time.After(5 * time.Second):
		t.Fatal("the second lock waited instead of refusing")
	}
	_, err = LockDir(LockFileBeside(dir), dir)
	require.NoError(t, err, "another file locks independently")
	require.NoError(t, a.Unlock())
	b, err := LockDir(LockFileIn(dir), dir)
	require.NoError(t, err, "an unlocked folder can be locked again")
	require.NoError(t, b.Unlock())
	require.NoError(t, b.Unlock(), "unlocking twice is harmless")
}

// TestLockDiesWithProcess: a process killed with SIGKILL while holding a
// folder's lock does not leave the folder locked.
func TestLockDiesWithProcess(t *testing.T) {
	if dir := os.Getenv("HONGBAO_LOCK_HOLDER"); dir != "" {
		_, err := LockDir(LockFileIn(dir), dir)
		if err != nil {
			os.Exit(3)
		}
		os.WriteFile(filepath.Join(dir, "held"), nil, 0o644)
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithProcess$")
	cmd.Env = append(os.Environ(), "HONGBAO_LOCK_HOLDER="+dir)
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "held")); err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "the child never took the lock")
		time.Sleep(10 * time.Millisecond)
	}
	_, err := LockDir(LockFileIn(dir), dir)
	require.ErrorIs(t, err, ErrInUse, "the child holds the lock")
	require.NoError(t, cmd.Process.Kill())
	var exitErr *exec.ExitError
	require.True(t, errors.As(cmd.Wait(), &exitErr))
	l, err := LockDir(LockFileIn(dir), dir)
	require.NoError(t, err, "the lock of a killed process is released")
	l.Unlock()
}
