package sweep

import (
	"strconv"
	"strings"
)

// BurntSushi/toml keeps key positions private and the scenarios package's
// locator is unexported, so sweep files get this small equivalent: a second,
// forgiving pass over the source that records where each key and each array
// element starts. toml.Decode has already checked the syntax; this reader
// only has to never panic or loop on garbage (the fuzzer feeds it some),
// so every loop either advances or stops.

// pos is a 1-based line and byte column; the zero value means unknown.
type pos struct{ line, col int }

// maxNest bounds the nesting the locator follows, so a hostile file cannot
// exhaust the stack.
const maxNest = 32

// keyPositions maps key paths ("params[1].values[0]", "design.kind") to
// where they start in the source.
type keyPositions map[string]pos

// find returns the position of path or of its nearest located ancestor, so
// that a problem about a missing key points at the table that lacks it.
func (k keyPositions) find(path string) pos {
	for {
		if p, ok := k[path]; ok {
			return p
		}
		if path == "" {
			return pos{}
		}
		path = parentPath(path)
	}
}

// locateKeys scans TOML source and returns where each key is.
func locateKeys(src []byte) keyPositions {
	s := &locScanner{src: src, line: 1, at: keyPositions{}, aot: map[string]int{}}
	s.document()
	return s.at
}

type locScanner struct {
	src       []byte
	i         int
	line      int
	lineStart int
	at        keyPositions
	aot       map[string]int // elements seen of each array of tables
}

func (s *locScanner) eof() bool { return s.i >= len(s.src) }

func (s *locScanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *locScanner) here() pos { return pos{s.line, s.i - s.lineStart + 1} }

func (s *locScanner) advance() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
		s.lineStart = s.i + 1
	}
	s.i++
}

func (s *locScanner) record(path string, p pos) {
	if _, ok := s.at[path]; !ok && path != "" {
		s.at[path] = p
	}
}

func (s *locScanner) skipSpace() {
	for c := s.peek(); c == ' ' || c == '\t' || c == '\r'; c = s.peek() {
		s.advance()
	}
}

func (s *locScanner) skipBlank() {
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

func (s *locScanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.advance()
	}
}

func (s *locScanner) document() {
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
		if s.i == start || (s.peek() != '\n' && !s.eof()) {
			s.skipLine() // garbage: resynchronise on the next line
		}
	}
}

// header reads [table] or [[array]]; an array header opens a new element.
func (s *locScanner) header() (string, bool) {
	s.advance()
	array := s.peek() == '['
	if array {
		s.advance()
	}
	keys := s.keys()
	if len(keys) == 0 {
		return "", false
	}
	path := ""
	for j, k := range keys {
		path = joinKey(path, k.name)
		s.record(path, k.at)
		if j == len(keys)-1 && array {
			n := s.aot[path]
			s.aot[path] = n + 1
			path = joinIndex(path, n)
			s.record(path, k.at)
		} else if n, ok := s.aot[path]; ok && n > 0 {
			path = joinIndex(path, n-1)
		}
	}
	s.skipSpace()
	for s.peek() == ']' {
		s.advance()
	}
	s.skipSpace()
	if s.peek() == '#' {
		s.skipLine()
	}
	return path, true
}

type locKey struct {
	name string
	at   pos
}

func (s *locScanner) keys() []locKey {
	var out []locKey
	for {
		s.skipSpace()
		at := s.here()
		name, ok := s.key()
		if !ok {
			return out
		}
		out = append(out, locKey{name, at})
		s.skipSpace()
		if s.peek() != '.' {
			return out
		}
		s.advance()
	}
}

func (s *locScanner) key() (string, bool) {
	switch c := s.peek(); {
	case c == '"' || c == '\'':
		return s.quoted(c)
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

// quoted reads a one-line string; escapes are kept as the escaped byte,
// enough to match key names.
func (s *locScanner) quoted(q byte) (string, bool) {
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
			if s.peek() == '\n' {
				return b.String(), false
			}
			b.WriteByte(s.peek())
			s.advance()
		default:
			b.WriteByte(c)
			s.advance()
		}
	}
	return b.String(), false
}

func (s *locScanner) keyValue(prefix string, depth int) {
	keys := s.keys()
	if len(keys) == 0 {
		return
	}
	path := prefix
	for _, k := range keys {
		path = joinKey(path, k.name)
		s.record(path, k.at)
	}
	s.skipSpace()
	if s.peek() != '=' {
		return
	}
	s.advance()
	s.skipSpace()
	s.value(path, depth)
	s.skipSpace()
	if s.peek() == '#' {
		s.skipLine()
	}
}

func (s *locScanner) value(path string, depth int) {
	if depth > maxNest {
		s.skipLine()
		return
	}
	switch c := s.peek(); c {
	case '"', '\'':
		if s.i+2 < len(s.src) && s.src[s.i+1] == c && s.src[s.i+2] == c {
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

func (s *locScanner) multiline(q byte) {
	for range 3 {
		s.advance()
	}
	for !s.eof() {
		if s.peek() == '\\' && q == '"' {
			s.advance()
			s.advance()
			continue
		}
		if s.i+2 < len(s.src) && s.src[s.i] == q && s.src[s.i+1] == q && s.src[s.i+2] == q {
			for s.peek() == q {
				s.advance()
			}
			return
		}
		s.advance()
	}
}

func (s *locScanner) array(path string, depth int) {
	s.advance()
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
		if s.peek() == ',' {
			s.advance()
		} else if s.peek() == ']' {
			s.advance()
			return
		}
		if s.i == start {
			return
		}
	}
}

func (s *locScanner) inlineTable(path string, depth int) {
	s.advance()
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
		if s.peek() == ',' {
			s.advance()
		} else if s.peek() == '}' {
			s.advance()
			return
		}
		if s.i == start {
			return
		}
	}
}

// Key paths: table keys joined by dots, array elements by [index].

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

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
