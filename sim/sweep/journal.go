package sweep

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
)

// The journal is how a sweep survives being killed: every finished run is
// appended to it as one frame, and nothing else about progress is kept.
//
//	frame   = length (uint32 LE) · CRC-32C of payload (uint32 LE) · payload
//	payload = 'H' · header JSON          (first frame only)
//	        | 'R' · record               (one per finished run)
//
// Frames are written by one goroutine and fsync'd in batches. A process
// killed at any moment leaves at most one torn frame at the end (a short
// length, a short payload or a bad checksum); openJournal truncates it, and
// the runs it held are simply run again. Because a run's record depends only
// on the sweep and the run number, redoing one gives the same bytes.
//
// Part files, the sorted output of a cluster shard, use the same frames.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maxFrame bounds a frame's payload: a larger length field is garbage, not
// a record (10 years of 100 daily series is 3 MB).
const maxFrame = 1 << 26

const (
	kindHeader = 'H'
	kindRecord = 'R'
)

// Record is what one run leaves in the journal: its outputs in the order of
// the sweep's outputs and, when asked for, its daily series. Everything else
// in a row of runs.csv (point, replicate, seed, parameter values) derives
// from the run number and the sweep file.
type Record struct {
	Run int64
	// Err is the run's error; empty when it succeeded.
	Err     string
	Outputs []float64
	// Days is the number of days the run simulated; Series holds
	// len(SeriesDays(Days, every)) × len(Spec.Series.Metrics) values,
	// day-major.
	Days   int
	Series []float64
}

// appendFrame appends one framed payload to dst.
func appendFrame(dst, payload []byte) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(payload, castagnoli))
	return append(dst, payload...)
}

// encodeRecord appends the payload of r to dst.
func encodeRecord(dst []byte, r *Record) []byte {
	dst = append(dst, kindRecord)
	dst = binary.AppendUvarint(dst, uint64(r.Run))
	dst = binary.AppendUvarint(dst, uint64(len(r.Err)))
	dst = append(dst, r.Err...)
	dst = binary.AppendUvarint(dst, uint64(len(r.Outputs)))
	for _, v := range r.Outputs {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	}
	dst = binary.AppendUvarint(dst, uint64(r.Days))
	dst = binary.AppendUvarint(dst, uint64(len(r.Series)))
	for _, v := range r.Series {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	}
	return dst
}

var errBadRecord = errors.New("sweep: malformed record")

// decodeRecord reads a record payload (with its kind byte).
func decodeRecord(p []byte) (Record, error) {
	var r Record
	if len(p) == 0 || p[0] != kindRecord {
		return r, errBadRecord
	}
	p = p[1:]
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			return 0, false
		}
		p = p[n:]
		return v, true
	}
	floats := func() ([]float64, bool) {
		n, ok := uv()
		if !ok || n > uint64(len(p)/8) {
			return nil, false
		}
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(p))
			p = p[8:]
		}
		return out, true
	}
	run, ok := uv()
	if !ok || run > math.MaxInt64 {
		return r, errBadRecord
	}
	r.Run = int64(run)
	n, ok := uv()
	if !ok || n > uint64(len(p)) {
		return r, errBadRecord
	}
	r.Err = string(p[:n])
	p = p[n:]
	if r.Outputs, ok = floats(); !ok {
		return r, errBadRecord
	}
	days, ok := uv()
	if !ok || days > math.MaxInt32 {
		return r, errBadRecord
	}
	r.Days = int(days)
	if r.Series, ok = floats(); !ok || len(p) != 0 {
		return r, errBadRecord
	}
	return r, nil
}

// fileHeader is the first frame of a journal or part file: which sweep,
// binary and shard its records belong to.
type fileHeader struct {
	Format     string `json:"format"`
	SweepHash  string `json:"sweep_hash"`
	Version    string `json:"version"`
	ShardIndex int    `json:"shard_index"`
	ShardCount int    `json:"shard_count"`
	Runs       int64  `json:"runs"`
}

const (
	journalFormat = "hongbao-sweep-journal/1"
	partFormat    = "hongbao-sweep-part/1"
)

func encodeHeader(h fileHeader) []byte {
	b, _ := json.Marshal(h) // cannot fail: plain fields
	return append([]byte{kindHeader}, b...)
}

// frameReader reads frames sequentially, tracking the offset of the end of
// the last good frame.
type frameReader struct {
	r    *bufio.Reader
	good int64 // offset just past the last intact frame
	size int64 // bytes in the file, so a garbage length is not allocated
	buf  []byte
}

// newFrameReader reads the frames of a file of size bytes.
func newFrameReader(r io.Reader, size int64) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 1<<16), size: size}
}

// errTorn marks the end of the intact frames: a short or corrupt frame.
var errTorn = errors.New("sweep: torn frame")

// next returns the next payload (valid until the next call), io.EOF at a
// clean end, or errTorn.
func (fr *frameReader) next() ([]byte, error) {
	var head [8]byte
	n, err := io.ReadFull(fr.r, head[:])
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		if n > 0 && errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errTorn
		}
		return nil, err
	}
	size := binary.LittleEndian.Uint32(head[:4])
	if size == 0 || size > maxFrame || fr.good+8+int64(size) > fr.size {
		return nil, errTorn
	}
	if cap(fr.buf) < int(size) {
		fr.buf = make([]byte, size)
	}
	fr.buf = fr.buf[:size]
	if _, err := io.ReadFull(fr.r, fr.buf); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			return nil, errTorn
		}
		return nil, err
	}
	if crc32.Checksum(fr.buf, castagnoli) != binary.LittleEndian.Uint32(head[4:]) {
		return nil, errTorn
	}
	fr.good += 8 + int64(size)
	return fr.buf, nil
}

// readHeader reads and decodes the first frame.
func (fr *frameReader) readHeader() (fileHeader, error) {
	var h fileHeader
	p, err := fr.next()
	if err != nil {
		return h, err
	}
	if len(p) == 0 || p[0] != kindHeader {
		return h, errTorn
	}
	if err := json.Unmarshal(p[1:], &h); err != nil {
		return h, errTorn
	}
	return h, nil
}

// journal is an open journal: its file, what is in it, and where each
// shard-local run's frame starts.
type journal struct {
	path   string
	f      *os.File
	header fileHeader
	size   int64 // end of the last intact frame; appends go here
	// offsets[i] is the frame offset of the shard's i-th run, or −1.
	offsets []int64
	done    int
	dropped int64 // bytes of torn tail removed on open
	dupes   int   // records seen twice (kept: the first)
}

// shardRuns is how many of runs fall to shard index of count: runs
// index, index+count, index+2·count, …
func shardRuns(runs int64, index, count int) int64 {
	if int64(index) >= runs {
		return 0
	}
	return (runs-int64(index)-1)/int64(count) + 1
}

// openJournal opens or creates the journal at path for header h. An
// existing journal must have been written for the same sweep, binary and
// shard; its torn tail, if any, is cut off.
func openJournal(path string, h fileHeader, create bool) (*journal, error) {
	n := shardRuns(h.Runs, h.ShardIndex, h.ShardCount)
	j := &journal{path: path, header: h, offsets: make([]int64, n)}
	for i := range j.offsets {
		j.offsets[i] = -1
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		if !create {
			return nil, fmt.Errorf("sweep: no journal %s to resume", path)
		}
		return j, j.create()
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: journal: %w", err)
	}
	j.f = f
	if err := j.scan(); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

// create writes a new journal holding only its header, durably: the file is
// created under a temporary name and renamed, so a journal either has a
// whole header or does not exist.
func (j *journal) create() error {
	tmp := j.path + ".new"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("sweep: journal: %w", err)
	}
	frame := appendFrame(nil, encodeHeader(j.header))
	if _, err := f.Write(frame); err != nil {
		f.Close()
		return fmt.Errorf("sweep: journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sweep: journal: %w", err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		f.Close()
		return fmt.Errorf("sweep: journal: %w", err)
	}
	syncDir(filepath.Dir(j.path))
	j.f, j.size = f, int64(len(frame))
	return nil
}

// scan reads an existing journal: checks its header, indexes its records
// and truncates a torn tail.
func (j *journal) scan() error {
	if _, err := j.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	st, err := j.f.Stat()
	if err != nil {
		return err
	}
	fr := newFrameReader(j.f, st.Size())
	h, err := fr.readHeader()
	if err != nil {
		return fmt.Errorf("sweep: %s has no valid header; delete it to start the sweep afresh", j.path)
	}
	want := j.header
	switch {
	case h.Format != journalFormat:
		return fmt.Errorf("sweep: %s is not a sweep journal (format %q)", j.path, h.Format)
	case h.SweepHash != want.SweepHash:
		return fmt.Errorf("sweep: %s holds runs of a different sweep (the sweep file or its base scenario changed since); use another --out, or delete the directory to start afresh", filepath.Dir(j.path))
	case h.Version != want.Version:
		return fmt.Errorf("sweep: %s was written by hongbao %s, this is %s; finish the sweep with the same binary, or use another --out", j.path, h.Version, want.Version)
	case h.ShardIndex != want.ShardIndex || h.ShardCount != want.ShardCount || h.Runs != want.Runs:
		return fmt.Errorf("sweep: %s is shard %d of %d with %d runs, not shard %d of %d with %d runs", j.path, h.ShardIndex, h.ShardCount, h.Runs, want.ShardIndex, want.ShardCount, want.Runs)
	}
	for {
		off := fr.good
		p, err := fr.next()
		if err == io.EOF || errors.Is(err, errTorn) {
			break
		}
		if err != nil {
			return fmt.Errorf("sweep: reading %s: %w", j.path, err)
		}
		run, ok := recordRun(p)
		if !ok || run >= want.Runs || int(run%int64(want.ShardCount)) != want.ShardIndex {
			// A frame with a good checksum but a bad body cannot
			// come from a torn write; treat it as the end anyway
			// rather than trust anything after it.
			fr.good = off
			break
		}
		li := run / int64(want.ShardCount)
		if j.offsets[li] >= 0 {
			j.dupes++
			continue
		}
		j.offsets[li] = off
		j.done++
	}
	j.size = fr.good
	if st.Size() > j.size {
		j.dropped = st.Size() - j.size
		if err := j.f.Truncate(j.size); err != nil {
			return fmt.Errorf("sweep: cutting the torn end of %s: %w", j.path, err)
		}
		if err := j.f.Sync(); err != nil {
			return err
		}
	}
	return nil
}

// recordRun reads just the run number of a record payload.
func recordRun(p []byte) (int64, bool) {
	if len(p) < 2 || p[0] != kindRecord {
		return 0, false
	}
	v, n := binary.Uvarint(p[1:])
	if n <= 0 || v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// readAt reads the record whose frame starts at off.
func (j *journal) readAt(off int64, buf []byte) (Record, []byte, error) {
	var head [8]byte
	if _, err := j.f.ReadAt(head[:], off); err != nil {
		return Record{}, buf, fmt.Errorf("sweep: reading %s: %w", j.path, err)
	}
	size := binary.LittleEndian.Uint32(head[:4])
	buf = slices.Grow(buf[:0], int(size))[:size]
	if _, err := j.f.ReadAt(buf, off+8); err != nil {
		return Record{}, buf, fmt.Errorf("sweep: reading %s: %w", j.path, err)
	}
	if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(head[4:]) {
		return Record{}, buf, fmt.Errorf("sweep: %s changed while it was read (checksum of the frame at %d)", j.path, off)
	}
	r, err := decodeRecord(buf)
	return r, buf, err
}

// records yields the shard's records in run order; it fails if one is
// missing.
func (j *journal) records() func() (*Record, error) {
	i := 0
	var buf []byte
	return func() (*Record, error) {
		if i >= len(j.offsets) {
			return nil, io.EOF
		}
		off := j.offsets[i]
		if off < 0 {
			return nil, fmt.Errorf("sweep: run %d is not in the journal", int64(i)*int64(j.header.ShardCount)+int64(j.header.ShardIndex))
		}
		i++
		var r Record
		var err error
		r, buf, err = j.readAt(off, buf)
		return &r, err
	}
}

func (j *journal) Close() error {
	if j.f == nil {
		return nil
	}
	return j.f.Close()
}

// syncDir fsyncs a directory so that a rename or a new file in it survives
// a crash of the machine, not only of the process. Errors are ignored: some
// file systems do not support it and the rename itself already happened.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func sortFloats(v []float64) { slices.Sort(v) }
