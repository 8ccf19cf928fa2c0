package sim

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteRunDir writes timeseries.csv, kinds.csv, timeseries.parquet and
// summary.json into dir,
// replacing what dir held as a whole or not at all: the files are written
// and synced in a temporary folder beside dir, which then takes dir's
// place in one rename (an exchange where the system has one). A failure,
// a full disk say, leaves the old folder as it was and no temporary
// folder behind. It takes dir's lock (LockFileBeside) for the swap, so two
// processes cannot interleave their runs in one folder.
func WriteRunDir(dir string, r *Result) error { return WriteRunDirWith(dir, r, nil) }

// WriteRunDirWith is WriteRunDir with more files: extra, when not nil,
// writes them into the temporary folder (which holds the run's files
// already) before the swap, so that they are replaced with the rest.
func WriteRunDirWith(dir string, r *Result, extra func(tmp string) error) error {
	dir = filepath.Clean(dir)
	lock, err := LockDir(LockFileBeside(dir), dir)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("sim: output directory: %s is a file", dir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".new-*")
	if err != nil {
		return fmt.Errorf("sim: output directory: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it private
		return fmt.Errorf("sim: output directory: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"timeseries.csv", func(w io.Writer) error { return WriteTimeseriesCSV(w, r) }},
		{"kinds.csv", func(w io.Writer) error { return WriteKindsCSV(w, r) }},
		{TimeseriesParquet, func(w io.Writer) error { return WriteTimeseriesParquet(w, r) }},
		{"summary.json", func(w io.Writer) error { return WriteSummaryJSON(w, r) }},
	}
	for _, f := range files {
		write := f.write
		if failWrite != nil {
			write = func(w io.Writer) error {
				if err := failWrite(f.name); err != nil {
					return err
				}
				return f.write(w)
			}
		}
		if err := WriteFileAtomic(filepath.Join(tmp, f.name), write); err != nil {
			return fmt.Errorf("sim: writing %s: %w (the folder %s is unchanged)", f.name, err, dir)
		}
	}
	if extra != nil {
		if err := extra(tmp); err != nil {
			return fmt.Errorf("%w (the folder %s is unchanged)", err, dir)
		}
	}
	if err := syncDir(tmp); err != nil {
		return fmt.Errorf("sim: output directory: %w", err)
	}
	if err := replaceDir(tmp, dir); err != nil {
		return fmt.Errorf("sim: output directory: %w (the folder %s is unchanged)", err, dir)
	}
	done = true
	return syncDir(filepath.Dir(dir))
}

// failWrite, when set by a test, runs before each file WriteRunDir writes
// and fails it when it returns an error (a disk that fills up).
var failWrite func(name string) error

// replaceDir puts the folder tmp in dir's place: with an atomic exchange
// where the system has one, else by moving the old folder aside first (a
// crash between the two renames leaves it under a hidden name beside dir).
// The old contents are removed afterwards.
func replaceDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if exchangeDirs(tmp, dir) == nil {
		return os.RemoveAll(tmp) // tmp now holds the old run
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir)
		return err
	}
	return os.RemoveAll(old)
}

// syncDir flushes a folder's entries (the names of files renamed into it).
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
