package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Every TOML file hongbao reads (scenario, sweep, game, the base scenario a
// sweep or game names, and the value of a --set) passes through ReadInput
// and checkRaw before the toml package sees it. The toml package's memory
// grows with the square of the nesting of tables and dotted keys, so a
// 60 KB file of [a.a.a....] exhausts any machine; these checks run in one
// linear pass over the bytes and refuse such input with its line and column.

const (
	// MaxInputBytes bounds a TOML input file. The largest library scenario
	// is under 20 KB and the largest sweep or game file in docs under 5 KB;
	// 1 MiB leaves room for generated files fifty times larger.
	MaxInputBytes = 1 << 20
	// MaxNesting bounds the depth of a key: tables, dotted keys, arrays and
	// inline tables together. The schema is at most 5 deep
	// (platforms.strategy.arms[0].cashback); 32 leaves room for sweep and
	// game files without letting the parser go quadratic.
	MaxNesting = 32
	// MaxKeyBytes bounds one key (a bare or quoted segment). The longest key
	// of the schema has 21 bytes.
	MaxKeyBytes = 128
	// MaxSetBytes bounds one --set override, path and value.
	MaxSetBytes = 64 << 10
)

// ReadInput reads a TOML input file of the given kind ("scenario", "sweep",
// "game") through a cap of MaxInputBytes, so that /dev/zero, a FIFO or a
// huge file is refused instead of read to the end. The error is Problems,
// naming the file.
func ReadInput(path, kind string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		msg := "cannot read the " + kind + " file: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no such file"
		}
		return nil, Problems{{File: path, Message: Echo(msg)}}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, Problems{{File: path, Message: "is a directory, not " + aKind(kind) + " file"}}
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxInputBytes+1))
	if err != nil {
		return nil, Problems{{File: path, Message: Echo("cannot read the " + kind + " file: " + err.Error())}}
	}
	if len(src) > MaxInputBytes {
		return nil, Problems{{File: path, Message: fmt.Sprintf("too large: %s file may have at most %d bytes (%d KiB)", aKind(kind), MaxInputBytes, MaxInputBytes>>10)}}
	}
	return src, nil
}

// aKind is kind with its indefinite article: "a scenario", "an optimize"
// (optimize files are read here too).
func aKind(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// CheckRaw applies the up-front limits to TOML source before it is parsed:
// size, valid UTF-8, no control bytes, key length and nesting depth. It
// returns the first problem found, located, or nil.
func CheckRaw(file string, src []byte) *Problem {
	if len(src) > MaxInputBytes {
		return &Problem{File: file, Message: fmt.Sprintf("too large: at most %d bytes (%d KiB) are read", MaxInputBytes, MaxInputBytes>>10)}
	}
	r := rawScanner{src: src, line: 1}
	if msg := r.scan(); msg != "" {
		return &Problem{File: file, Line: r.line, Col: r.i - r.lineStart + 1, Message: msg}
	}
	return nil
}

// rawScanner is one linear pass of CheckRaw. It knows just enough TOML to
// tell keys from values and strings from the rest; syntax is left to the
// toml package.
type rawScanner struct {
	src       []byte
	i         int
	line      int
	lineStart int
	// stack holds the open brackets of values: '[' for arrays, '{' for
	// inline tables.
	stack []byte
	// inKey is true where the next token is a key: at the start of a line
	// outside values, after '{' or ',' in an inline table, in a header.
	inKey bool
	// keyDepth counts the segments of the key being read, with the depth of
	// the table it is in.
	keyDepth   int
	tableDepth int
	header     bool
}

// scan returns a message for the first problem, with r.i at it.
func (r *rawScanner) scan() string {
	if strings.HasPrefix(string(r.src[:min(len(r.src), 3)]), "\uFEFF") {
		r.i = 3
	}
	r.inKey = true
	for r.i < len(r.src) {
		c := r.src[r.i]
		if msg := r.checkByte(); msg != "" {
			return msg
		}
		switch {
		case c == '\n':
			r.newline()
			continue
		case c == '#':
			for r.i < len(r.src) && r.src[r.i] != '\n' {
				if msg := r.checkByte(); msg != "" {
					return msg
				}
				r.i++
			}
			continue
		case c == '"' || c == '\'':
			start, line, lineStart := r.i, r.line, r.lineStart
			if msg := r.str(c); msg != "" {
				return msg
			}
			if r.inKey {
				if msg := r.keySegment(start, r.i-start-2); msg != "" {
					r.line, r.lineStart = line, lineStart // at the key's start
					return msg
				}
			}
			continue
		case r.inKey && isBare(c):
			start := r.i
			for r.i < len(r.src) && isBare(r.src[r.i]) {
				r.i++
			}
			if msg := r.keySegment(start, r.i-start); msg != "" {
				return msg
			}
			continue
		case r.inKey && c == '[' && len(r.stack) == 0 && r.keyDepth == 0:
			r.header = true
			r.tableDepth = 0
		case r.inKey && c == ']' && r.header:
			if r.i+1 >= len(r.src) || r.src[r.i+1] != ']' {
				r.header = false
				r.tableDepth = r.keyDepth
				r.keyDepth = 0
				r.inKey = false
			}
		case r.inKey && c == '=':
			r.inKey = false
			r.keyDepth = 0
		case !r.inKey && (c == '[' || c == '{'):
			r.stack = append(r.stack, c)
			if r.tableDepth+len(r.stack) > MaxNesting {
				return fmt.Sprintf("nested too deep: at most %d levels of tables, keys, arrays and inline tables are allowed", MaxNesting)
			}
			r.inKey = c == '{'
			r.keyDepth = 0
		case !r.inKey && (c == ']' || c == '}') && len(r.stack) > 0:
			r.stack = r.stack[:len(r.stack)-1]
		case !r.inKey && c == ',' && len(r.stack) > 0:
			r.inKey = r.stack[len(r.stack)-1] == '{'
			r.keyDepth = 0
		case r.inKey && c == '}' && len(r.stack) > 0:
			r.stack = r.stack[:len(r.stack)-1]
			r.inKey = false
		}
		r.i++
	}
	return ""
}

// newline passes a '\n'; outside values the next line starts with a key.
func (r *rawScanner) newline() {
	r.newlineInString()
	if len(r.stack) == 0 {
		r.inKey = true
		r.keyDepth = 0
		r.header = false
	}
}

// keySegment counts one key segment of n bytes that starts at start.
func (r *rawScanner) keySegment(start, n int) string {
	if n > MaxKeyBytes {
		r.i = start
		return fmt.Sprintf("key too long: %d bytes, at most %d are allowed", n, MaxKeyBytes)
	}
	r.keyDepth++
	depth := r.keyDepth + len(r.stack)
	if !r.header {
		depth += r.tableDepth
	}
	if depth > MaxNesting {
		r.i = start
		return fmt.Sprintf("nested too deep: at most %d levels of tables, keys, arrays and inline tables are allowed", MaxNesting)
	}
	return ""
}

// checkByte refuses invalid UTF-8 and the control bytes TOML forbids
// everywhere (tab, newline and a carriage return before a newline are the
// only ones allowed), at r.i. It leaves r.i on the last byte of a
// multi-byte character.
func (r *rawScanner) checkByte() string {
	c := r.src[r.i]
	switch {
	case c >= utf8.RuneSelf:
		ru, size := utf8.DecodeRune(r.src[r.i:])
		if ru == utf8.RuneError && size <= 1 {
			return fmt.Sprintf("invalid UTF-8: byte 0x%02x cannot start or continue a character here (save the file as UTF-8)", c)
		}
		r.i += size - 1 // the caller steps over the last byte
	case c == '\t' || c == '\n':
	case c == '\r':
		if r.i+1 >= len(r.src) || r.src[r.i+1] != '\n' {
			return `a carriage return (\r) not followed by a newline is not allowed in TOML`
		}
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control character %s is not allowed in TOML (write it as an escape such as \\u%04x inside a string)", strconv.QuoteRune(rune(c)), c)
	}
	return ""
}

// str skips a string that starts at r.i with quote q (basic or literal,
// single- or multi-line), checking its bytes. An unterminated string is
// left to the toml package.
func (r *rawScanner) str(q byte) string {
	multi := r.i+2 < len(r.src) && r.src[r.i+1] == q && r.src[r.i+2] == q
	if multi {
		r.i += 3
	} else {
		r.i++
	}
	for r.i < len(r.src) {
		c := r.src[r.i]
		if msg := r.checkByte(); msg != "" {
			return msg
		}
		switch {
		case c == '\\' && q == '"':
			r.i++
			if r.i < len(r.src) && (r.src[r.i] == '"' || r.src[r.i] == '\\') {
				r.i++ // an escaped quote does not close the string
			}
			continue
		case c == '\n':
			if !multi {
				return "" // unterminated; the toml package reports it
			}
			r.newlineInString()
			continue
		case c == q && !multi:
			r.i++
			return ""
		case c == q && multi && r.i+2 < len(r.src) && r.src[r.i+1] == q && r.src[r.i+2] == q:
			r.i += 3
			for r.i < len(r.src) && r.src[r.i] == q { // up to two quotes may close the content
				r.i++
			}
			return ""
		}
		r.i++
	}
	return ""
}

// newlineInString passes a '\n' inside a multi-line string, which starts
// no key.
func (r *rawScanner) newlineInString() {
	r.i++
	r.line++
	r.lineStart = r.i
}

// Echo makes text from the input safe to print in a message: control bytes
// and invalid UTF-8 are escaped (a file cannot drive the user's terminal)
// and anything past maxEcho bytes is cut, with the length said.
func Echo(text string) string {
	const maxEcho = 200
	cut := ""
	if len(text) > maxEcho {
		n := maxEcho
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		cut = fmt.Sprintf("…(%d bytes in all)", len(text))
		text = text[:n]
	}
	if isPrintable(text) {
		return text + cut
	}
	q := strconv.QuoteToGraphic(text)
	return q[1:len(q)-1] + cut
}

// escapeText escapes control bytes and invalid UTF-8 in a message, without
// cutting it.
func escapeText(text string) string {
	if isPrintable(text) {
		return text
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		body, nl := strings.CutSuffix(line, "\n")
		if isPrintable(body) {
			b.WriteString(body)
		} else {
			q := strconv.QuoteToGraphic(body)
			b.WriteString(q[1 : len(q)-1])
		}
		if nl {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// isPrintable reports whether text is valid UTF-8 with no control characters.
func isPrintable(text string) bool {
	for _, r := range text {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return utf8.ValidString(text)
}
