package classroom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Record is one line of a session's log. Kind says which fields are set.
//
// The log is an append-only file of JSON lines, synced (fsync) after every
// record and before the action it records is acknowledged. Why a plain
// file and not an embedded database (bbolt, SQLite): a session has one
// writer and is only ever read whole, from the start, to replay it; the
// log is exactly the replay's input, a person can read it with less, and
// a torn last line (a crash in the middle of a write, never acknowledged)
// is recognised and dropped. One file per session keeps sessions
// independent: a damaged log loses one session, not the server's.
type Record struct {
	Kind string    `json:"kind"` // create, join, move, remove, start, decide, advance
	At   time.Time `json:"at"`

	// create
	ID     string  `json:"id,omitempty"`
	Code   string  `json:"code,omitempty"`
	Config *Config `json:"config,omitempty"`

	// join, move, remove, decide: the student's seat, by the SHA-256 of
	// its token (the log never holds a token that could be replayed).
	Seat string `json:"seat,omitempty"`
	Name string `json:"name,omitempty"`
	Team int    `json:"team,omitempty"` // platform index

	// decide, advance
	Round    int      `json:"round,omitempty"`
	Decision Decision `json:"decision,omitempty"`
	Reason   string   `json:"reason,omitempty"` // advance: all-submitted, timer, teacher
}

// Log is a session's append-only log file.
type Log struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// OpenLog opens (creating if needed) the log at path for appending.
func OpenLog(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &Log{f: f, path: path}, nil
}

// Append writes r as one line and syncs the file: when Append returns nil
// the record survives a crash of the process or the machine.
func (l *Log) Append(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("classroom: log closed")
	}
	if _, err := l.f.Write(b); err != nil {
		return err
	}
	return l.f.Sync()
}

// Close closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// maxRecordBytes bounds one line of a log: the largest record is a create
// with an uploaded scenario (MaxUploadBytes, escaped in JSON at worst six
// bytes a byte) and a little more.
const maxRecordBytes = 6*MaxUploadBytes + 64<<10

// ReadLog reads every complete record of a log. A last line without its
// newline is a write torn by a crash, never acknowledged: it is dropped,
// and truncate reports the length of the file up to the last complete
// line so the caller can cut it before appending. A complete line that is
// not a record is an error naming the file and line.
func ReadLog(path string) (recs []Record, truncate int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	var off int64
	for line := 1; ; line++ {
		b, err := readLine(br, maxRecordBytes)
		if errors.Is(err, io.EOF) {
			return recs, off, nil // b holds a torn tail, if any
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		var r Record
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, 0, fmt.Errorf("%s:%d: not a log record: %v", path, line, err)
		}
		recs = append(recs, r)
		off += int64(len(b))
	}
}

// readLine returns the next line with its newline; io.EOF when no complete
// line is left.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > max {
			return nil, fmt.Errorf("line longer than %d bytes", max)
		}
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, err
		}
	}
}
