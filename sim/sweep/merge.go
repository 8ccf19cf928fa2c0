package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// MergeReport says what Merge did.
type MergeReport struct {
	Shards int
	Runs   int64
	Failed int64
}

// MergeError lists everything that stops a merge: shards of other sweeps or
// binaries, shards missing, unfinished or found twice, damaged parts.
type MergeError struct {
	Problems []string
}

// Error lists the problems, one a line.
func (e *MergeError) Error() string { return strings.Join(e.Problems, "\n") }

// shardDirPattern matches the directory names of Shard.Dir.
var shardDirPattern = regexp.MustCompile(`^shard-(\d+)-of-(\d+)$`)

// foundShard is a shard directory and its manifest, if it has one.
type foundShard struct {
	dir      string
	manifest *Manifest
	err      error
}

// findShards returns the shard directories in dirs: a directory that is a
// shard (has a shard manifest or journal), or the shard-*-of-* directories
// inside it.
func findShards(dirs []string) ([]foundShard, error) {
	var out []foundShard
	seen := map[string]bool{}
	add := func(d string) {
		abs, err := filepath.Abs(d)
		if err == nil && seen[abs] {
			return
		}
		seen[abs] = true
		fs := foundShard{dir: d}
		m, err := ReadManifest(filepath.Join(d, ManifestFile))
		switch {
		case err == nil:
			fs.manifest = &m
		case !errors.Is(err, os.ErrNotExist):
			fs.err = err
		}
		out = append(out, fs)
	}
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("sweep: %s is not a directory", d)
		}
		if shardDirPattern.MatchString(filepath.Base(filepath.Clean(d))) {
			add(d)
			continue
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
		n := 0
		for _, e := range entries {
			if e.IsDir() && shardDirPattern.MatchString(e.Name()) {
				add(filepath.Join(d, e.Name()))
				n++
			}
		}
		if n == 0 {
			if m, err := ReadManifest(filepath.Join(d, ManifestFile)); err == nil && m.Shard != nil {
				add(d)
				continue
			}
			return nil, fmt.Errorf("sweep: no shards in %s (looked for shard-NNNN-of-NNNN directories)", d)
		}
	}
	return out, nil
}

// Merge checks the shards found in dirs and writes the result files and
// manifest of the whole sweep into out: the same bytes a single machine
// writes. It refuses, listing every problem, unless all shards come from
// the same sweep (hash of the sweep file and base scenario) and binary, and
// every run is present exactly once.
func Merge(dirs []string, out string) (MergeReport, error) {
	found, err := findShards(dirs)
	if err != nil {
		return MergeReport{}, err
	}
	var probs []string
	addf := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	// Every finished shard must agree with the first on sweep, binary
	// and shard count.
	var ref *Manifest
	var refDir string
	byIndex := map[int][]foundShard{}
	var unfinished []foundShard
	for _, fs := range found {
		switch {
		case fs.err != nil:
			addf("%s: %v", fs.dir, fs.err)
			continue
		case fs.manifest == nil || fs.manifest.Shard == nil || fs.manifest.Part == nil:
			unfinished = append(unfinished, fs)
			continue
		}
		m := fs.manifest
		if ref == nil {
			ref, refDir = m, fs.dir
		}
		switch {
		case m.SweepHash != ref.SweepHash:
			addf("%s: a different sweep (hash %.12s…) from %s (hash %.12s…): the sweep file or base scenario differ", fs.dir, m.SweepHash, refDir, ref.SweepHash)
			continue
		case m.Version != ref.Version:
			addf("%s: run by hongbao %s, but %s by %s: runs of different binaries cannot be mixed", fs.dir, m.Version, refDir, ref.Version)
			continue
		case m.Shard.Count != ref.Shard.Count:
			addf("%s: shard %d of %d, but %s is of %d shards", fs.dir, m.Shard.Index, m.Shard.Count, refDir, ref.Shard.Count)
			continue
		}
		byIndex[m.Shard.Index] = append(byIndex[m.Shard.Index], fs)
	}
	if ref == nil {
		if len(probs) == 0 {
			addf("no finished shard in %s", strings.Join(dirs, ", "))
		}
		for _, u := range unfinished {
			addf("%s", describeUnfinished(u.dir))
		}
		return MergeReport{}, &MergeError{probs}
	}
	spec, err := ref.Spec()
	if err != nil {
		return MergeReport{}, fmt.Errorf("sweep: the manifest of %s carries a sweep file that does not parse:\n%w", refDir, err)
	}
	l := spec.layout
	if l.Runs() != ref.Runs {
		return MergeReport{}, fmt.Errorf("sweep: %s says %d runs, its sweep file has %d (another hongbao version?)", refDir, ref.Runs, l.Runs())
	}
	count := ref.Shard.Count
	parts := make([]string, count)
	for i := range count {
		list := byIndex[i]
		switch {
		case len(list) > 1:
			names := make([]string, len(list))
			for k, fs := range list {
				names[k] = fs.dir
			}
			addf("shard %d of %d found %d times: %s; keep one", i, count, len(list), strings.Join(names, ", "))
		case len(list) == 0:
			msg := fmt.Sprintf("shard %d of %d is missing: runs %s", i, count, describeStripe(l.Runs(), i, count))
			for _, u := range unfinished {
				if sm := shardDirPattern.FindStringSubmatch(filepath.Base(filepath.Clean(u.dir))); sm != nil && sm[1] == fmt.Sprintf("%04d", i) && sm[2] == fmt.Sprintf("%04d", count) {
					msg += "; " + describeUnfinished(u.dir)
				}
			}
			addf("%s", msg)
		default:
			fs := list[0]
			path := filepath.Join(fs.dir, fs.manifest.Part.File)
			if err := checkPart(path, fs.manifest, l.Runs()); err != nil {
				addf("%s: %v", fs.dir, err)
				continue
			}
			parts[i] = path
		}
	}
	if len(probs) > 0 {
		sort.Strings(probs)
		return MergeReport{}, &MergeError{probs}
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return MergeReport{}, fmt.Errorf("sweep: %w", err)
	}
	readers := make([]*frameReader, count)
	for i, path := range parts {
		f, size, err := openSized(path)
		if err != nil {
			return MergeReport{}, fmt.Errorf("sweep: %w", err)
		}
		defer f.Close()
		readers[i] = newFrameReader(f, size)
		if _, err := readers[i].readHeader(); err != nil {
			return MergeReport{}, fmt.Errorf("sweep: %s: bad header", path)
		}
	}
	// Shards are stripes, so run r is the next record of part r mod count.
	var run int64
	next := func() (*Record, error) {
		if run >= l.Runs() {
			return nil, io.EOF
		}
		i := int(run % int64(count))
		p, err := readers[i].next()
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: run %d: %v", parts[i], run, err)
		}
		r, err := decodeRecord(p)
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: run %d: %v", parts[i], run, err)
		}
		run++
		return &r, nil
	}
	failed, err := writeResults(out, spec, ref.SweepHash, next)
	if err != nil {
		return MergeReport{}, err
	}
	m := newManifest(spec, ref.SweepHash, ref.Version, failed)
	m.Scenario = ref.Scenario
	if err := writeManifest(filepath.Join(out, ManifestFile), m); err != nil {
		return MergeReport{}, err
	}
	return MergeReport{Shards: count, Runs: l.Runs(), Failed: failed}, nil
}

// checkPart verifies a part file against its manifest: checksum, header,
// and exactly the runs of its stripe in order.
func checkPart(path string, m *Manifest, runs int64) error {
	f, size, err := openSized(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	fr := newFrameReader(io.TeeReader(f, h), size)
	hdr, err := fr.readHeader()
	if err != nil || hdr.Format != partFormat {
		return fmt.Errorf("%s has no valid part header", filepath.Base(path))
	}
	if hdr.SweepHash != m.SweepHash || hdr.ShardIndex != m.Shard.Index || hdr.ShardCount != m.Shard.Count {
		return fmt.Errorf("%s does not belong to its manifest", filepath.Base(path))
	}
	want := int64(m.Shard.Index)
	var n int64
	for {
		p, err := fr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s is damaged after %d records", filepath.Base(path), n)
		}
		run, ok := recordRun(p)
		if !ok || run != want {
			return fmt.Errorf("%s: record %d is run %d, want run %d", filepath.Base(path), n, run, want)
		}
		want += int64(m.Shard.Count)
		n++
	}
	if exp := shardRuns(runs, m.Shard.Index, m.Shard.Count); n != exp || n != m.Part.Records {
		return fmt.Errorf("%s has %d runs, want %d", filepath.Base(path), n, exp)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != m.Part.SHA256 {
		return fmt.Errorf("%s does not match the checksum in its manifest", filepath.Base(path))
	}
	return nil
}

// describeStripe lists the runs of a stripe briefly.
func describeStripe(runs int64, index, count int) string {
	n := shardRuns(runs, index, count)
	switch {
	case n == 0:
		return "none"
	case n <= 4:
		var parts []string
		for k := range n {
			parts = append(parts, fmt.Sprint(int64(index)+k*int64(count)))
		}
		return strings.Join(parts, ", ")
	}
	last := int64(index) + (n-1)*int64(count)
	return fmt.Sprintf("%d, %d, %d, …, %d (%d runs)", index, index+count, index+2*count, last, n)
}

// describeUnfinished says how far an unfinished shard got, from its journal.
func describeUnfinished(dir string) string {
	f, size, err := openSized(filepath.Join(dir, JournalFile))
	if err != nil {
		return dir + ": not finished, no journal"
	}
	defer f.Close()
	fr := newFrameReader(f, size)
	h, err := fr.readHeader()
	if err != nil {
		return dir + ": not finished, journal unreadable"
	}
	n := 0
	for {
		if _, err := fr.next(); err != nil {
			break
		}
		n++
	}
	return fmt.Sprintf("%s: not finished, its journal has %d of %d runs (run the shard again to finish it)", dir, n, shardRuns(h.Runs, h.ShardIndex, h.ShardCount))
}

// openSized opens a file and returns its size.
func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}
