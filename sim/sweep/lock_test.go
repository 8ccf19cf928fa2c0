package sweep

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

// TestTwoSweepsOneFolder: while one process holds a sweep folder (its lock
// taken through a separate file handle, as another process would), a
// second sweep there is refused at once with a message that names the
// folder, and touches neither journal nor results; once the lock is
// released the sweep runs and resumes as before.
func TestTwoSweepsOneFolder(t *testing.T) {
	p := planFrom(t, smallSweep)
	dir := t.TempDir()
	held, err := sim.LockDir(sim.LockFileIn(dir), dir)
	require.NoError(t, err)
	_, err = Execute(context.Background(), p, Options{Out: dir, Workers: 1})
	require.ErrorIs(t, err, sim.ErrInUse)
	assert.Contains(t, err.Error(), dir)
	assert.Contains(t, err.Error(), "another hongbao process")
	_, statErr := os.Stat(filepath.Join(dir, JournalFile))
	assert.True(t, os.IsNotExist(statErr), "the refused sweep wrote a journal")
	require.NoError(t, held.Unlock())

	rep := execute(t, p, Options{Out: dir, Workers: 1})
	assert.Equal(t, rep.Runs, rep.Ran)
	rep = execute(t, p, Options{Out: dir, Workers: 1, Resume: true})
	assert.Equal(t, rep.Runs, rep.Resumed, "the lock does not get in the way of resuming")
}
