package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Helpers for other TOML formats of the project (sweep and game files), so
// that every file hongbao reads reports problems the same way.

// KeyLocator tells where each key of a TOML source is. Paths join table
// keys with "." and array elements with "[i]", e.g. "params[1].values".
type KeyLocator struct{ l *locator }

// LocateKeys scans TOML source and returns where each key is. It never
// fails: keys it cannot place have no position.
func LocateKeys(src []byte) KeyLocator { return KeyLocator{locate(src)} }

// Find returns the 1-based line and column of path's key, or of its nearest
// ancestor that has one, so that a problem about a missing key points at
// the table that lacks it; 0, 0 when nothing is known.
func (k KeyLocator) Find(path string) (line, col int) {
	p := k.l.find(path)
	return p.line, p.col
}

// Suggest returns the candidate closest to word ("did you mean"), or ""
// when none is close: the same up to case, '_' and '-', or within a small
// edit distance.
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }

// DescribeValue names the TOML type of a decoded value, with the value
// when it is short, for "want X, got Y" messages.
func DescribeValue(raw any) string { return describe(raw) }

// TableReader reads typed values out of a decoded TOML document (as
// toml.Decode gives it in a map[string]any) and collects a Problem for each
// value of the wrong type, located in the source, so that a parser reports
// every problem at once. Sweep and game files are read with it.
type TableReader struct {
	file  string
	at    KeyLocator
	probs []pending
}

// pending is a problem about a key path, located when reported.
type pending struct{ path, msg string }

// NewTableReader returns a reader for the source src of file.
func NewTableReader(file string, src []byte) *TableReader {
	return &TableReader{file: file, at: LocateKeys(src)}
}

// Addf records a problem about the key at path.
func (r *TableReader) Addf(path, format string, args ...any) {
	r.probs = append(r.probs, pending{path, fmt.Sprintf(format, args...)})
}

// Problems returns what was recorded, located in the source and sorted by
// line, column, key and message.
func (r *TableReader) Problems() Problems {
	out := make(Problems, 0, len(r.probs))
	for _, pr := range r.probs {
		line, col := r.at.Find(pr.path)
		out = append(out, Problem{File: r.file, Line: line, Col: col, Key: pr.path, Message: pr.msg})
	}
	sortProblems(out)
	return out
}

// Find returns where the key at path is (see KeyLocator.Find).
func (r *TableReader) Find(path string) (line, col int) { return r.at.Find(path) }

// JoinKey appends a key to a key path.
func JoinKey(path, key string) string { return joinKey(path, key) }

// JoinIndex appends an array index to a key path.
func JoinIndex(path string, i int) string { return joinIndex(path, i) }

// String reads m[key] as a string; ok is false when it is absent or not a
// string (which is recorded).
func (r *TableReader) String(m map[string]any, key, path string) (string, bool) {
	v, ok := m[key]
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		r.Addf(joinKey(path, key), "want a string, got %s", describe(v))
	}
	return s, ok
}

// Int reads m[key] as a whole number (an integral float is accepted).
func (r *TableReader) Int(m map[string]any, key, path string) (int64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	}
	r.Addf(joinKey(path, key), "want a whole number, got %s", describe(v))
	return 0, false
}

// Float reads m[key] as a finite number.
func (r *TableReader) Float(m map[string]any, key, path string) (float64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			r.Addf(joinKey(path, key), "want a finite number, got %v", x)
			return 0, false
		}
		return x, true
	}
	r.Addf(joinKey(path, key), "want a number, got %s", describe(v))
	return 0, false
}

// Bool reads m[key] as true or false.
func (r *TableReader) Bool(m map[string]any, key, path string) (bool, bool) {
	v, ok := m[key]
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		r.Addf(joinKey(path, key), "want true or false, got %s", describe(v))
	}
	return b, ok
}

// Strings reads m[key] as a list of strings; example shows such a list in
// the message when it is not one. Elements that are not strings are
// recorded and skipped.
func (r *TableReader) Strings(m map[string]any, key, path, example string) ([]string, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	list, ok := v.([]any)
	if !ok {
		r.Addf(joinKey(path, key), "want a list of strings such as %s, got %s", example, describe(v))
		return nil, false
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			r.Addf(joinIndex(joinKey(path, key), i), "want a string, got %s", describe(e))
			continue
		}
		out = append(out, s)
	}
	return out, true
}

// Table reads m[key] as a table ([key] or an inline table).
func (r *TableReader) Table(m map[string]any, key, path string) (map[string]any, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	t, ok := v.(map[string]any)
	if !ok {
		r.Addf(joinKey(path, key), "want a table [%s], got %s", headerPath(joinKey(path, key)), describe(v))
	}
	return t, ok
}

// Tables reads m[key] as an array of tables ([[key]] or a list of inline
// tables). An element that is not a table is recorded and left nil, so
// that indices, and the key paths of later problems, stay right.
func (r *TableReader) Tables(m map[string]any, key, path string) ([]map[string]any, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	kp := joinKey(path, key)
	out, bad, ok := asTables(v)
	if !ok {
		r.Addf(kp, "want an array of tables [[%s]], got %s", headerPath(kp), describe(v))
		return nil, false
	}
	for _, i := range bad {
		r.Addf(joinIndex(kp, i), "want a table, got %s", describe(v.([]any)[i]))
	}
	return out, true
}

// PlayerPlatform reads the platform key of player t at path, the element
// of a [[players]] list of a game or optimize file: it must be a non-empty
// name, given once. seen maps each name already read to its player index,
// and gains this one. It returns "" when the key is missing or wrong,
// with the problem recorded.
func (r *TableReader) PlayerPlatform(t map[string]any, path string, i int, seen map[string]int) string {
	v, ok := r.String(t, "platform", path)
	if !ok {
		if _, present := t["platform"]; !present {
			r.Addf(path, "missing key platform: the name of a platform of the scenario")
		}
		return ""
	}
	switch j, dup := seen[v]; {
	case strings.TrimSpace(v) == "":
		r.Addf(joinKey(path, "platform"), "empty: give the name of a platform of the scenario")
	case dup:
		r.Addf(joinKey(path, "platform"), "platform %s is already player %d: each platform plays once", v, j+1)
	default:
		seen[v] = i
	}
	return v
}

// asTables reads a decoded TOML value as an array of tables ([[key]], or a
// list of inline tables): ok is false for any other value, and bad lists
// the elements of a list that are not tables, left nil in out so that the
// indices of the others stay right.
func asTables(v any) (out []map[string]any, bad []int, ok bool) {
	switch x := v.(type) {
	case []map[string]any:
		return x, nil, true
	case []any:
		out = make([]map[string]any, len(x))
		for i, e := range x {
			t, isTable := e.(map[string]any)
			if !isTable {
				bad = append(bad, i)
				continue
			}
			out[i] = t
		}
		return out, bad, true
	}
	return nil, nil, false
}

// CheckKeys records every key of m at path that is not in known, with a
// "did you mean" when one is close and the list of keys otherwise.
func (r *TableReader) CheckKeys(m map[string]any, path string, known []string) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if slices.Contains(known, k) {
			continue
		}
		r.Addf(joinKey(path, k), "%s", unknownKey(k, known))
	}
}

// Count is the number of problems recorded so far.
func (r *TableReader) Count() int { return len(r.probs) }

// DecodeTOML decodes TOML source into a map for a TableReader; a syntax
// error comes back as Problems with the error's line and column (computed
// from its byte offset, which the toml package gets right where its
// column is not).
func DecodeTOML(file string, src []byte) (map[string]any, error) {
	if p := CheckRaw(file, src); p != nil {
		return nil, Problems{*p}
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil, Problems{syntaxProblem(file, src, err)}
	}
	if p := inlineExtended(file, src); p != nil {
		return nil, Problems{*p}
	}
	return raw, nil
}

// ReadNamed reads the scenario another file names (a sweep or a game file,
// whose kind is given for messages): a library name, or a path relative to
// that file's directory, so that the file runs the same from any working
// directory. It returns the name for messages ("library/NAME.toml" or the
// path), the TOML, the scenario as a reference that does not depend on the
// working directory (the library name or an absolute path), and a message
// when it cannot be read.
func ReadNamed(nameOrPath, file, kind string) (label string, src []byte, ref, msg string) {
	if !IsPath(nameOrPath) {
		src, err := LibrarySource(nameOrPath)
		if err != nil {
			var ps Problems
			if errors.As(err, &ps) && len(ps) > 0 {
				return "", nil, "", ps[0].Message
			}
			return "", nil, "", err.Error()
		}
		return "library/" + nameOrPath + ".toml", src, nameOrPath, ""
	}
	path := nameOrPath
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(file), path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, "", "cannot resolve the scenario path: " + err.Error()
	}
	if _, err := os.Stat(path); err != nil && errors.Is(err, fs.ErrNotExist) {
		return "", nil, "", "no such scenario file " + path + " (a relative path is relative to the " + kind + " file)"
	}
	src, err = ReadInput(path, "scenario")
	if err != nil {
		var ps Problems
		if errors.As(err, &ps) && len(ps) > 0 {
			return "", nil, "", ps[0].Message + " (" + path + ")"
		}
		return "", nil, "", err.Error()
	}
	return path, src, abs, ""
}

// inlineExtended refuses a key or table header that adds to a table an
// inline table already defined ("a = {b = 1}" then "a.c = 2"): TOML says an
// inline table is complete, and the toml package lets it pass.
func inlineExtended(file string, src []byte) *Problem {
	l := locate(src)
	if l.extended.line == 0 {
		return nil
	}
	return &Problem{File: file, Line: l.extended.line, Col: l.extended.col, Key: l.extendedKey,
		Message: "invalid TOML: this table was written as an inline table { ... }, which cannot be extended afterwards; put every key inside the braces, or write it as a [table]"}
}
