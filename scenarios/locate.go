package scenarios

import (
	"strconv"
	"strings"
)

// BurntSushi/toml keeps the positions of keys private, so the loader scans the
// source a second time with this small, forgiving reader. It only needs to
// find where keys are, not to check the syntax (toml.Decode has already done
// that), but it is also fed garbage by the fuzzers and must never panic or
// loop: every loop either advances the cursor or stops.

// pos is a 1-based line and byte column in a source; the zero value means
// unknown.
type pos struct{ line, col int }

// maxDepth bounds the nesting of arrays and inline tables the locator follows,
// so that a hostile file cannot exhaust the stack; deeper keys are unknown.
const maxDepth = 64

// locator maps key paths ("platforms[1].campaigns[0].cashback", see
// joinKey and joinIndex) to the position of the key in the source.
type locator struct {
	at map[string]pos
	// extended is where a key or header reaches into a table that an
	// inline table had already closed, which TOML forbids but the toml
	// package accepts; extendedKey is that key.
	extended    pos
	extendedKey string
}

// find returns the position of path, or of its nearest ancestor that has one,
// so that a problem about a value the file left at its default still points
// at the table it belongs to.
func (l *locator) find(path string) pos {
	if l == nil {
		return pos{}
	}
	for {
		if p, ok := l.at[path]; ok {
			return p
		}
		if path == "" {
			return pos{}
		}
		path = parentPath(path)
	}
}

// locate scans TOML source and returns where each key is.
func locate(src []byte) *locator {
	s := &scanner{src: src, line: 1, at: map[string]pos{}, aot: map[string]int{}, inline: map[string]bool{}}
	if strings.HasPrefix(string(src), "\uFEFF") {
		s.i = 3
		s.lineStart = 3
	}
	s.document()
	return &locator{at: s.at, extended: s.extended, extendedKey: s.extendedKey}
}

// scanner is the state of one locate pass.
type scanner struct {
	src       []byte
	i         int // offset of the next byte
	line      int // line of src[i]
	lineStart int // offset of the first byte of the current line
	at        map[string]pos
	aot       map[string]int  // elements seen so far of each array of tables, by path
	inline    map[string]bool // paths whose value is an inline table, closed for good

	extended    pos
	extendedKey string
}

// into notes the first key that reaches into an inline table's path.
func (s *scanner) into(path string, at pos) {
	if s.inline[path] && s.extended.line == 0 {
		s.extended, s.extendedKey = at, path
	}
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *scanner) peekAt(k int) byte {
	if s.i+k >= len(s.src) || s.i+k < 0 {
		return 0
	}
	return s.src[s.i+k]
}

func (s *scanner) here() pos { return pos{line: s.line, col: s.i - s.lineStart + 1} }

// advance moves one byte forward, keeping line and column up to date.
func (s *scanner) advance() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
		s.lineStart = s.i + 1
	}
	s.i++
}

func (s *scanner) record(path string, p pos) {
	if path == "" {
		return
	}
	if _, ok := s.at[path]; !ok {
		s.at[path] = p
	}
}

func (s *scanner) skipSpace() {
	for c := s.peek(); c == ' ' || c == '\t' || c == '\r'; c = s.peek() {
		s.advance()
	}
}

// skipBlank skips spaces, newlines and comments, as allowed between the
// elements of an array (and, in TOML 1.1, of an inline table).
func (s *scanner) skipBlank() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.advance()
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine moves to the newline that ends the current line (not past it).
func (s *scanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.advance()
	}
}

// document reads top-level lines: table headers and key = value pairs.
func (s *scanner) document() {
	table := ""
	for !s.eof() {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			if t, ok := s.header(); ok {
				table = t
			}
		} else {
			s.keyValue(table, 0)
		}
		s.skipSpace()
		if s.peek() == '#' {
			s.skipLine()
		}
		if s.peek() != '\n' || s.i == start {
			// Garbage after a value or a header: resynchronise on the next line.
			s.skipLine()
		}
	}
}

// header reads [table] or [[array]] and returns the path of the table it opens.
func (s *scanner) header() (string, bool) {
	s.advance() // [
	array := s.peek() == '['
	if array {
		s.advance()
	}
	s.skipSpace()
	keys := s.keys()
	if len(keys) == 0 {
		return "", false
	}
	s.skipSpace()
	if s.peek() != ']' {
		return "", false
	}
	s.advance()
	if array {
		if s.peek() != ']' {
			return "", false
		}
		s.advance()
	}
	// Each segment but the last that names an array of tables refers to its
	// latest element, as in TOML itself.
	path := ""
	for j, k := range keys {
		path = joinKey(path, k.name)
		last := j == len(keys)-1
		if last && array {
			n := s.aot[path]
			s.aot[path] = n + 1
			s.record(path, k.at)
			path = joinIndex(path, n)
			s.record(path, k.at)
			continue
		}
		s.record(path, k.at)
		s.into(path, k.at)
		if n, ok := s.aot[path]; ok && n > 0 {
			path = joinIndex(path, n-1)
		}
	}
	return path, true
}

// keyValue reads key = value under the table at prefix.
func (s *scanner) keyValue(prefix string, depth int) {
	keys := s.keys()
	if len(keys) == 0 {
		return
	}
	path := prefix
	for j, k := range keys {
		path = joinKey(path, k.name)
		s.record(path, k.at)
		if j < len(keys)-1 {
			s.into(path, k.at)
		}
	}
	s.skipSpace()
	if s.peek() != '=' {
		return
	}
	s.advance()
	s.skipSpace()
	if s.peek() == '{' {
		s.inline[path] = true
	}
	s.value(path, depth)
}

type keyAt struct {
	name string
	at   pos
}

// keys reads a dotted key: bare, "basic" or 'literal' segments joined by dots.
func (s *scanner) keys() []keyAt {
	var out []keyAt
	for {
		s.skipSpace()
		at := s.here()
		name, ok := s.key()
		if !ok {
			return out
		}
		out = append(out, keyAt{name: name, at: at})
		s.skipSpace()
		if s.peek() != '.' {
			return out
		}
		s.advance()
	}
}

// key reads one segment of a key.
func (s *scanner) key() (string, bool) {
	switch c := s.peek(); {
	case c == '"':
		return s.quoted('"')
	case c == '\'':
		return s.quoted('\'')
	case isBare(c):
		start := s.i
		for isBare(s.peek()) {
			s.advance()
		}
		return string(s.src[start:s.i]), true
	}
	return "", false
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a one-line string opened by q and returns its content; only
// the escapes that can occur in a key name are undone, which is enough to
// match the keys toml.Decode reports.
func (s *scanner) quoted(q byte) (string, bool) {
	s.advance()
	var b strings.Builder
	for !s.eof() {
		c := s.peek()
		switch {
		case c == '\n':
			return b.String(), false
		case c == q:
			s.advance()
			return b.String(), true
		case c == '\\' && q == '"':
			s.advance()
			switch e := s.peek(); e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\n', 0:
				return b.String(), false
			default:
				b.WriteByte(e)
			}
			s.advance()
		default:
			b.WriteByte(c)
			s.advance()
		}
	}
	return b.String(), false
}

// value skips one value, recording the keys inside inline tables and the
// start of each array element under path.
func (s *scanner) value(path string, depth int) {
	if depth > maxDepth {
		s.skipLine()
		return
	}
	switch c := s.peek(); c {
	case '"', '\'':
		if s.peekAt(1) == c && s.peekAt(2) == c {
			s.multiline(c)
			return
		}
		s.quoted(c)
	case '[':
		s.array(path, depth+1)
	case '{':
		s.inlineTable(path, depth+1)
	default:
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.peek())) {
			s.advance()
		}
	}
}

// multiline skips a multi-line string, basic (""") or literal (three single quotes).
func (s *scanner) multiline(q byte) {
	s.advance()
	s.advance()
	s.advance()
	for !s.eof() {
		c := s.peek()
		if c == '\\' && q == '"' {
			s.advance()
			s.advance()
			continue
		}
		if c == q && s.peekAt(1) == q && s.peekAt(2) == q {
			// Up to two more quotes may belong to the content ("""a"""").
			for s.peek() == q {
				s.advance()
			}
			return
		}
		s.advance()
	}
}

// array skips [v, v, ...], recording the start of each element as path[i].
func (s *scanner) array(path string, depth int) {
	s.advance() // [
	for n := 0; ; n++ {
		s.skipBlank()
		if s.eof() {
			return
		}
		if s.peek() == ']' {
			s.advance()
			return
		}
		start := s.i
		elem := joinIndex(path, n)
		s.record(elem, s.here())
		s.value(elem, depth)
		s.skipBlank()
		switch s.peek() {
		case ',':
			s.advance()
		case ']':
			s.advance()
			return
		default:
			if s.i == start {
				return // neither a value nor a separator: give up on this array
			}
		}
		if s.i == start {
			return
		}
	}
}

// inlineTable skips {k = v, ...}, recording each key under path.
func (s *scanner) inlineTable(path string, depth int) {
	s.advance() // {
	for {
		s.skipBlank()
		if s.eof() {
			return
		}
		if s.peek() == '}' {
			s.advance()
			return
		}
		start := s.i
		s.keyValue(path, depth)
		s.skipBlank()
		switch s.peek() {
		case ',':
			s.advance()
		case '}':
			s.advance()
			return
		}
		if s.i == start {
			return
		}
	}
}

// Key paths name a value in a scenario the way the loader walks it: table
// keys joined by dots, elements of arrays by their index in brackets, e.g.
// "platforms[0].campaigns[1].cashback". Messages show a friendlier form (see
// displayPath).

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// parentPath strips the last segment of a key path.
func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if j := strings.LastIndexByte(path, '['); j >= 0 {
			return path[:j]
		}
	}
	if j := strings.LastIndexByte(path, '.'); j >= 0 {
		return path[:j]
	}
	return ""
}

// splitPath splits a key path into segments; index segments keep their
// brackets ("[3]"). It accepts any string.
func splitPath(path string) []string {
	var segs []string
	for path != "" {
		switch {
		case path[0] == '.':
			path = path[1:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return append(segs, path)
			}
			segs = append(segs, path[:end+1])
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				return append(segs, path)
			}
			segs = append(segs, path[:end])
			path = path[end:]
		}
	}
	return segs
}

// segIndex returns the index of an index segment "[3]".
func segIndex(seg string) (int, bool) {
	if len(seg) < 3 || seg[0] != '[' || seg[len(seg)-1] != ']' {
		return 0, false
	}
	n, err := strconv.Atoi(seg[1 : len(seg)-1])
	return n, err == nil && n >= 0
}
