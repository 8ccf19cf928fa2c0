package search

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// JournalFile is the journal's name inside a search's output folder.
const JournalFile = "journal.jsonl"

const journalFormat = "hongbao-search/1"

// journalHeader is the journal's first line: which search it belongs to.
type journalHeader struct {
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"`
}

// entry is one objective call: the objective ("f" full, "s" screening),
// the point, the seeds and its value, or that it was rejected.
type entry struct {
	Obj      string    `json:"o"`
	X        []float64 `json:"x"`
	Seeds    []uint64  `json:"s"`
	Value    float64   `json:"v"`
	Rejected bool      `json:"r,omitempty"`
	Why      string    `json:"why,omitempty"` // the rejection's reason
	// Figures are what a caller keeps beside the value (the posterior's
	// per-target means); a search leaves it empty.
	Figures []float64 `json:"m,omitempty"`
}

// key identifies a call: float bits, so a replay matches exactly.
func callKey(obj string, x []float64, seeds []uint64) string {
	var b strings.Builder
	b.WriteString(obj)
	for _, v := range x {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(math.Float64bits(v), 16))
	}
	b.WriteByte('|')
	for _, s := range seeds {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(s, 16))
	}
	return b.String()
}

// journal is the append-only record of a search's calls.
type journal struct {
	f    *os.File
	path string
	w    *bufio.Writer
}

// openJournal opens (or creates) dir/journal.jsonl, loads its entries
// into cache and drops a torn last line. A journal of another search (a
// different fingerprint) is an error, not something to overwrite.
func openJournal(dir, fingerprint string, cache map[string]entry) (*journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	path := filepath.Join(dir, JournalFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	j := &journal{f: f, path: path}
	good, err := j.load(fingerprint, cache)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("search: %w", err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("search: %w", err)
	}
	j.w = bufio.NewWriter(f)
	if good == 0 {
		line, _ := json.Marshal(journalHeader{Format: journalFormat, Fingerprint: fingerprint})
		j.w.Write(append(line, '\n'))
		if err := j.sync(); err != nil {
			f.Close()
			return nil, err
		}
	}
	return j, nil
}

// load reads every complete line and returns the length of the good
// prefix: a last line without its newline, or one that does not parse, is
// what a kill leaves and is dropped; a bad line before the last is
// corruption and an error.
func (j *journal) load(fingerprint string, cache map[string]entry) (int64, error) {
	data, err := io.ReadAll(j.f)
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	var good int64
	line := 0
	for len(data) > 0 {
		line++
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			break // torn last line
		}
		text := data[:nl]
		last := len(data) == nl+1
		if line == 1 {
			var h journalHeader
			if err := json.Unmarshal(text, &h); err != nil || h.Format != journalFormat {
				if last && err != nil {
					break
				}
				return 0, fmt.Errorf("search: %s:1: not a search journal", j.path)
			}
			if h.Fingerprint != fingerprint {
				return 0, fmt.Errorf("search: %s: the journal belongs to another search (its problem or settings changed); use a new output folder or delete it", j.path)
			}
		} else {
			var e entry
			if err := json.Unmarshal(text, &e); err != nil || (e.Obj != "f" && e.Obj != "s") {
				if last {
					break
				}
				return 0, fmt.Errorf("search: %s:%d: a damaged journal line (not the last, so not a torn write)", j.path, line)
			}
			cache[callKey(e.Obj, e.X, e.Seeds)] = e
		}
		good += int64(nl + 1)
		data = data[nl+1:]
	}
	return good, nil
}

func (j *journal) append(e entry) error {
	if math.IsInf(e.Value, 0) || math.IsNaN(e.Value) {
		e.Value = 0
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	// Written through at once: a kill loses only the line being written.
	if _, err := j.w.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("search: writing %s: %w", j.path, err)
	}
	return j.w.Flush()
}

// sync flushes the buffer and fsyncs, so a finished batch survives a
// crash, not only a kill.
func (j *journal) sync() error {
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("search: writing %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("search: %s: %w", j.path, err)
	}
	return nil
}

func (j *journal) close() error {
	err := j.sync()
	return errors.Join(err, j.f.Close())
}
