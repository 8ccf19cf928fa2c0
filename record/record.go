// Package record holds the public figures the model is fitted to and tested
// against, as CSV files built into the binary: each row a value with its
// unit, date, scope, source and a tag that says what the project may do
// with it (fit, holdout or input). The files are the project's copy of the
// record; docs cite them, not anything outside the repository.
package record

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed *.csv
var files embed.FS

// Tags say what a figure may be used for.
const (
	// Fit figures are the calibration's targets.
	Fit = "fit"
	// Holdout figures are never fitted: validation predicts them.
	Holdout = "holdout"
	// Input figures are scenario inputs (budgets, dates): never a target,
	// so that no tested fact is an input in disguise.
	Input = "input"
)

// Figure is one published number.
type Figure struct {
	ID        string  // unique over the whole record
	Metric    string  // what is measured: share_value, cards_bound, ...
	Series    string  // whose series (iresearch, analysys, ...): shares of two firms never mix
	Platform  string  // the wallet as the library names it (wechat, alipay, ...)
	Period    string  // YYYY, YYYYQn, YYYY-MM or YYYY-MM-DD
	Value     float64 // in Unit
	Unit      string  // percent, envelopes, cards, ratio, yuan, ...
	Scope     string  // what exactly the figure counts
	Tag       string  // Fit, Holdout or Input
	Publisher string
	Title     string
	Published string // date of publication, as precise as known
	Source    string // URL or citation
	File      string // the CSV file it came from
	Line      int    // its line in that file
}

// header is the column order every file must have.
var header = []string{"id", "metric", "series", "platform", "period", "value", "unit", "scope", "tag", "publisher", "title", "published", "source"}

// Error is a problem with a record file, located by file, line and column.
type Error struct {
	File      string
	Line, Col int
	Key       string // the column
	Msg       string
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
		if e.Col > 0 {
			s += ":" + strconv.Itoa(e.Col)
		}
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	return "record: " + s + ": " + e.Msg
}

// Parse reads one record file: comment lines start with #, then a header
// row, then one figure a row. file names the source in errors.
func Parse(file string, r io.Reader) ([]Figure, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = len(header)
	var out []Figure
	first := true
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{File: file, Line: pe.Line, Col: pe.Column, Msg: pe.Err.Error()}
			}
			return nil, &Error{File: file, Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			for i, h := range header {
				if strings.TrimSpace(row[i]) != h {
					_, col := cr.FieldPos(i)
					return nil, &Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf("header column %d is %q; want %s", i+1, row[i], strings.Join(header, ","))}
				}
			}
			continue
		}
		f := Figure{ID: row[0], Metric: row[1], Series: row[2], Platform: row[3], Period: row[4], Unit: row[6], Scope: row[7], Tag: row[8],
			Publisher: row[9], Title: row[10], Published: row[11], Source: row[12], File: file, Line: line}
		bad := func(i int, format string, args ...any) error {
			_, col := cr.FieldPos(i)
			return &Error{File: file, Line: line, Col: col, Key: header[i], Msg: fmt.Sprintf(format, args...)}
		}
		for i, v := range row {
			if strings.TrimSpace(v) == "" && i != 10 && i != 11 {
				return nil, bad(i, "is empty")
			}
		}
		v, err := strconv.ParseFloat(row[5], 64)
		if err != nil || v != v || v > 1e18 || v < -1e18 {
			return nil, bad(5, "%q is not a finite number", row[5])
		}
		f.Value = v
		switch f.Tag {
		case Fit, Holdout, Input:
		default:
			return nil, bad(8, "%q is not fit, holdout or input", f.Tag)
		}
		if !validPeriod(f.Period) {
			return nil, bad(4, "%q is not YYYY, YYYYQn, YYYY-MM or YYYY-MM-DD", f.Period)
		}
		if f.Unit == "percent" && (v < 0 || v > 100) {
			return nil, bad(5, "%v is not a percentage", v)
		}
		out = append(out, f)
	}
	if first {
		return nil, &Error{File: file, Msg: "no header row"}
	}
	return out, nil
}

// validPeriod accepts YYYY, YYYYQn (n 1-4), YYYY-MM and YYYY-MM-DD.
func validPeriod(p string) bool {
	digits := func(s string) bool {
		for _, c := range s {
			if c < '0' || c > '9' {
				return false
			}
		}
		return s != ""
	}
	switch {
	case len(p) == 4:
		return digits(p)
	case len(p) == 6 && p[4] == 'Q':
		return digits(p[:4]) && p[5] >= '1' && p[5] <= '4'
	case len(p) == 7 && p[4] == '-':
		m, err := strconv.Atoi(p[5:])
		return digits(p[:4]) && digits(p[5:]) && err == nil && m >= 1 && m <= 12
	case len(p) == 10 && p[4] == '-' && p[7] == '-':
		m, err1 := strconv.Atoi(p[5:7])
		d, err2 := strconv.Atoi(p[8:])
		return digits(p[:4]) && digits(p[5:7]) && digits(p[8:]) && err1 == nil && err2 == nil && m >= 1 && m <= 12 && d >= 1 && d <= 31
	}
	return false
}

// All returns every figure of the built-in record, checked: ids unique, and
// one series per file for shares (two firms' shares are never mixed).
var All = sync.OnceValues(func() ([]Figure, error) {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var all []Figure
	for _, e := range entries {
		src, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		figs, err := Parse(path.Join("record", e.Name()), strings.NewReader(string(src)))
		if err != nil {
			return nil, err
		}
		all = append(all, figs...)
	}
	return all, Check(all)
})

// Check verifies figures from several files together: unique ids, and a
// share_value series never spread over two files nor one file over two
// series.
func Check(figs []Figure) error {
	seen := map[string]Figure{}
	seriesFile := map[string]string{}
	fileSeries := map[string]string{}
	for _, f := range figs {
		if g, ok := seen[f.ID]; ok {
			return &Error{File: f.File, Line: f.Line, Key: "id", Msg: fmt.Sprintf("%q already used at %s:%d", f.ID, g.File, g.Line)}
		}
		seen[f.ID] = f
		if f.Metric != "share_value" {
			continue
		}
		if file, ok := seriesFile[f.Series]; ok && file != f.File {
			return &Error{File: f.File, Line: f.Line, Key: "series", Msg: fmt.Sprintf("shares of series %q are also in %s: keep one firm's shares in one file", f.Series, file)}
		}
		if s, ok := fileSeries[f.File]; ok && s != f.Series {
			return &Error{File: f.File, Line: f.Line, Key: "series", Msg: fmt.Sprintf("shares of %q and %q in one file: never mix two firms' share series", s, f.Series)}
		}
		seriesFile[f.Series], fileSeries[f.File] = f.File, f.Series
	}
	return nil
}

// ByID returns the figure with that id.
func ByID(id string) (Figure, error) {
	all, err := All()
	if err != nil {
		return Figure{}, err
	}
	for _, f := range all {
		if f.ID == id {
			return f, nil
		}
	}
	return Figure{}, fmt.Errorf("record: no figure %q", id)
}

// Select returns the figures with tag (any tag when "") and, if given, one
// of the metrics, sorted by id.
func Select(tag string, metrics ...string) ([]Figure, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	var out []Figure
	for _, f := range all {
		if tag != "" && f.Tag != tag {
			continue
		}
		if len(metrics) > 0 && !contains(metrics, f.Metric) {
			continue
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
