package sim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// An output folder is owned by one process at a time: two sweeps on one
// folder raced on the journal's renames, two runs interleaved their files.
// The lock is an advisory flock(2) (LockFileEx on Windows) through
// github.com/gofrs/flock: the kernel drops it when the process dies, even
// by SIGKILL, so a crash never leaves a folder locked, unlike a lock file
// whose existence is the lock. The lock file itself stays (removing it
// would let a third process lock a fresh inode while a second still holds
// the old one).

// ErrInUse is returned (wrapped) when another process holds a folder's lock.
var ErrInUse = errors.New("in use by another hongbao process")

// DirLock is a held lock on an output folder.
type DirLock struct{ f *flock.Flock }

// LockFileIn is the lock file of a folder that lives as long as its
// contents (a sweep's or a game's): inside it.
func LockFileIn(dir string) string { return filepath.Join(dir, ".lock") }

// LockFileBeside is the lock file of a folder that is replaced as a whole
// (a run's): beside it, so that it survives the swap.
func LockFileBeside(dir string) string {
	dir = filepath.Clean(dir)
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock")
}

// LockDir takes the lock at lockPath for the folder dir without waiting:
// when another process holds it, the error wraps ErrInUse and says what
// to do.
func LockDir(lockPath, dir string) (*DirLock, error) {
	if err := os.MkdirAll(filepath.Dir(lockPath), 0o755); err != nil {
		return nil, fmt.Errorf("sim: output directory: %w", err)
	}
	f := flock.New(lockPath)
	ok, err := f.TryLock()
	if err != nil {
		return nil, fmt.Errorf("sim: cannot lock %s: %w", dir, err)
	}
	if !ok {
		return nil, fmt.Errorf("%s is %w (lock %s): wait for it to finish or give another output folder; a process that died holds no lock", dir, ErrInUse, lockPath)
	}
	return &DirLock{f: f}, nil
}

// Unlock releases the lock; it is safe to call on nil and twice.
func (l *DirLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Unlock()
	l.f = nil
	return err
}
