package game

import (
	"bufio"
	"fmt"
	"github.com/paywars/hongbao/scenarios"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"
)

// NfgError is a syntax or consistency error in a .nfg file. Its Error
// method formats it as "file:line: message", the form compilers use, so
// editors can jump to it.
type NfgError struct {
	File string // file name as given to the reader
	Line int    // 1-based line of the offending token
	Msg  string // what is wrong, without file or line
}

// Error returns "File:Line: Msg".
// Error is "file:line: message", with control bytes escaped and long
// echoes of the input cut (scenarios.Echo), so that a hostile token
// cannot drive the terminal.
func (e *NfgError) Error() string {
	return fmt.Sprintf("%s:%d: %s", scenarios.Echo(e.File), e.Line, scenarios.Echo(e.Msg))
}

// maxNFGExponent bounds decimal exponents in .nfg numbers: 1e400 already
// exceeds any float64, and a huge exponent would make big.Rat allocate
// without limit.
const maxNFGExponent = 400

// maxNFGBytes bounds the size of a .nfg file read into memory. Each
// number becomes a big.Rat of some 100 bytes, so 4 MiB of text stays
// within a few hundred MB; the largest game `hongbao game` writes (10,000
// profiles of 7 players) is under 2 MB.
const maxNFGBytes = 4 << 20

type tokKind int

const (
	tokEOF tokKind = iota
	tokLBrace
	tokRBrace
	tokComma
	tokString
	tokNumber
	tokSymbol
)

type token struct {
	kind tokKind
	text string
	line int
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of file"
	case tokLBrace:
		return "'{'"
	case tokRBrace:
		return "'}'"
	case tokComma:
		return "','"
	case tokString:
		return strconv.Quote(t.text)
	}
	return "'" + t.text + "'"
}

// nfgLexer splits a .nfg file into tokens. The grammar follows Gambit's
// GameFileLexer (src/games/file.cc): braces, commas, double-quoted strings
// with \" for a quote, numbers, and bare symbols (NFG, R, D).
type nfgLexer struct {
	src  []byte
	pos  int
	line int
	file string
	peek *token
}

func (l *nfgLexer) errorf(line int, format string, args ...any) *NfgError {
	return &NfgError{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func isDelim(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
		c == '{' || c == '}' || c == ',' || c == '"'
}

func (l *nfgLexer) next() (token, error) {
	if l.peek != nil {
		t := *l.peek
		l.peek = nil
		return t, nil
	}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '\n' {
			l.line++
		} else if !isDelim(c) || c == '{' || c == '}' || c == ',' || c == '"' {
			break
		}
		l.pos++
	}
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, line: l.line}, nil
	}
	c := l.src[l.pos]
	switch c {
	case '{':
		l.pos++
		return token{kind: tokLBrace, text: "{", line: l.line}, nil
	case '}':
		l.pos++
		return token{kind: tokRBrace, text: "}", line: l.line}, nil
	case ',':
		l.pos++
		return token{kind: tokComma, text: ",", line: l.line}, nil
	case '"':
		start := l.line
		l.pos++
		var b strings.Builder
		for {
			if l.pos >= len(l.src) {
				return token{}, l.errorf(start, "unterminated string")
			}
			c := l.src[l.pos]
			l.pos++
			switch c {
			case '"':
				return token{kind: tokString, text: b.String(), line: start}, nil
			case '\\':
				if l.pos < len(l.src) && (l.src[l.pos] == '"' || l.src[l.pos] == '\\') {
					b.WriteByte(l.src[l.pos])
					l.pos++
				} else {
					b.WriteByte('\\')
				}
			case '\n':
				l.line++
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		}
	}
	start := l.pos
	for l.pos < len(l.src) && !isDelim(l.src[l.pos]) {
		l.pos++
	}
	text := string(l.src[start:l.pos])
	kind := tokSymbol
	if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' {
		kind = tokNumber
	}
	return token{kind: kind, text: text, line: l.line}, nil
}

func (l *nfgLexer) unread(t token) { l.peek = &t }

// expect reads a token of the given kind; what names it in the message.
func (l *nfgLexer) expect(kind tokKind, what string) (token, error) {
	t, err := l.next()
	if err != nil {
		return t, err
	}
	if t.kind != kind {
		return t, l.errorf(t.line, "expected %s, got %v", what, t)
	}
	return t, nil
}

// parseNumber parses a .nfg number: an integer, a decimal with optional
// exponent (1.5, -2e3, .25, 3.0E-2) or a rational a/b, each with an
// optional sign. It returns an error message on failure.
func parseNumber(s string) (*big.Rat, string) {
	bad := func() (*big.Rat, string) { return nil, fmt.Sprintf("bad number %q", s) }
	body := s
	neg := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	digits := func(x string) bool {
		if x == "" {
			return false
		}
		for i := 0; i < len(x); i++ {
			if x[i] < '0' || x[i] > '9' {
				return false
			}
		}
		return true
	}
	r := new(big.Rat)
	if num, den, ok := strings.Cut(body, "/"); ok {
		if !digits(num) || !digits(den) {
			return bad()
		}
		n, _ := new(big.Int).SetString(num, 10)
		d, _ := new(big.Int).SetString(den, 10)
		if d.Sign() == 0 {
			return nil, fmt.Sprintf("zero denominator in %q", s)
		}
		r.SetFrac(n, d)
	} else {
		mant, exp, hasExp := strings.Cut(body, "e")
		if !hasExp {
			mant, exp, hasExp = strings.Cut(body, "E")
		}
		intPart, frac, hasDot := strings.Cut(mant, ".")
		if (intPart != "" && !digits(intPart)) || (hasDot && frac != "" && !digits(frac)) || intPart+frac == "" {
			return bad()
		}
		e := 0
		if hasExp {
			es := exp
			if es != "" && (es[0] == '+' || es[0] == '-') {
				es = es[1:]
			}
			if !digits(es) {
				return bad()
			}
			if len(es) > 4 {
				return nil, fmt.Sprintf("exponent out of range in %q", s)
			}
			e, _ = strconv.Atoi(exp)
			if e > maxNFGExponent || e < -maxNFGExponent {
				return nil, fmt.Sprintf("exponent out of range in %q", s)
			}
		}
		n, _ := new(big.Int).SetString(intPart+frac, 10)
		e -= len(frac)
		pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(e))), nil)
		if e >= 0 {
			r.SetInt(n.Mul(n, pow))
		} else {
			r.SetFrac(n, pow)
		}
	}
	if neg {
		r.Neg(r)
	}
	return r, ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ReadNFG reads a game in Gambit's .nfg strategic-form format from r; name
// is the file name used in error messages. Both versions of the format are
// accepted (Gambit documentation, "Game representation formats"):
//
//	NFG 1 R "title" { "Player 1" "Player 2" } { 2 2 }
//	"optional comment"
//	1 1  0 2  0 2  1 1
//
// lists every player's payoff at each pure profile, the first player's
// strategy varying fastest; the header may instead name the strategies,
// { { "U" "D" } { "L" "R" } }. The outcome version
//
//	NFG 1 R "title" { "Player 1" "Player 2" }
//	{ { "U" "D" } { "L" "R" } }
//	""
//	{ { "win" 1, -1 } { "lose" -1, 1 } }
//	1 2 2 1
//
// lists named outcomes and then the outcome number of each profile, 0 being
// the null outcome with zero payoffs. Numbers may be integers, decimals with
// exponents or rationals a/b. Strings use \" for a quote and \\ for a
// backslash. Data type R gives an exact game; D (double) gives an inexact
// one. Errors are [*NfgError] values; ReadNFG never panics.
func ReadNFG(r io.Reader, name string) (*Game, error) {
	src, err := io.ReadAll(io.LimitReader(r, maxNFGBytes+1))
	if err != nil {
		return nil, &NfgError{File: name, Line: 1, Msg: err.Error()}
	}
	if len(src) > maxNFGBytes {
		return nil, &NfgError{File: name, Line: 1, Msg: fmt.Sprintf("file larger than %d bytes", maxNFGBytes)}
	}
	l := &nfgLexer{src: src, line: 1, file: name}
	return parseNFG(l)
}

// ReadNFGFile reads the .nfg file at path (or standard input for "-"); see
// [ReadNFG].
func ReadNFGFile(path string) (*Game, error) {
	if path == "-" {
		return ReadNFG(os.Stdin, "<stdin>")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadNFG(f, path)
}

func parseNFG(l *nfgLexer) (*Game, error) {
	t, err := l.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tokSymbol || t.text != "NFG" {
		return nil, l.errorf(t.line, "expected NFG file type indicator, got %v", t)
	}
	if t, err = l.next(); err != nil {
		return nil, err
	}
	if t.kind != tokNumber || t.text != "1" {
		return nil, l.errorf(t.line, "unsupported NFG version %v (only version 1 is supported)", t)
	}
	if t, err = l.next(); err != nil {
		return nil, err
	}
	if t.kind != tokSymbol || (t.text != "R" && t.text != "D") {
		return nil, l.errorf(t.line, "unsupported data type %v (want R or D)", t)
	}
	exact := t.text == "R"
	title, err := l.expect(tokString, "game title string")
	if err != nil {
		return nil, err
	}
	// Players.
	if _, err := l.expect(tokLBrace, "'{' before player names"); err != nil {
		return nil, err
	}
	players, err := l.stringsUntilBrace("player name")
	if err != nil {
		return nil, err
	}
	if len(players) == 0 {
		return nil, l.errorf(l.line, "game has no players")
	}
	// Strategies: counts or nested name lists.
	open, err := l.expect(tokLBrace, "'{' before strategies")
	if err != nil {
		return nil, err
	}
	strategies := make([][]string, 0, len(players))
	size := 1
	countForm := false // { 2 2 } rather than { { "A" "B" } { "C" "D" } }
	for i := range players {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if i == 0 {
			countForm = t.kind == tokNumber
		}
		switch {
		case t.kind == tokNumber && countForm:
			c, err := strconv.Atoi(t.text)
			if err != nil || c < 1 {
				return nil, l.errorf(t.line, "number of strategies for player %d must be a positive integer, got %v", i+1, t)
			}
			if c > MaxProfiles/size {
				return nil, l.errorf(t.line, "game too large: more than %d pure profiles", MaxProfiles)
			}
			size *= c
			strategies = append(strategies, numberedNames(c))
		case t.kind == tokLBrace && !countForm:
			names, err := l.stringsUntilBrace("strategy name")
			if err != nil {
				return nil, err
			}
			if len(names) == 0 {
				return nil, l.errorf(l.line, "player %d has no strategies", i+1)
			}
			if len(names) > MaxProfiles/size {
				return nil, l.errorf(l.line, "game too large: more than %d pure profiles", MaxProfiles)
			}
			size *= len(names)
			strategies = append(strategies, names)
		case t.kind == tokRBrace:
			return nil, l.errorf(t.line, "strategies given for %d of %d players", i, len(players))
		default:
			return nil, l.errorf(t.line, "expected strategies of player %d, got %v", i+1, t)
		}
	}
	if t, err := l.next(); err != nil {
		return nil, err
	} else if t.kind != tokRBrace {
		return nil, l.errorf(t.line, "more strategy lists than the %d players (list opened on line %d)", len(players), open.line)
	}
	// Optional comment.
	comment := ""
	if t, err = l.next(); err != nil {
		return nil, err
	}
	if t.kind == tokString {
		comment = t.text
		if t, err = l.next(); err != nil {
			return nil, err
		}
	}
	var g *Game
	n := len(players)
	switch t.kind {
	case tokLBrace:
		g, err = parseOutcomeBody(l, players, strategies, size)
	case tokNumber, tokEOF:
		l.unread(t)
		g, err = parsePayoffBody(l, players, strategies, size, exact)
	default:
		return nil, l.errorf(t.line, "expected outcome list or payoffs, got %v", t)
	}
	if err != nil {
		return nil, err
	}
	if t, err := l.next(); err != nil {
		return nil, err
	} else if t.kind != tokEOF {
		return nil, l.errorf(t.line, "unexpected %v after the last of %d profiles", t, size)
	}
	if !exact {
		f := make([][]float64, size)
		for k := range f {
			f[k] = make([]float64, n)
			for i := range f[k] {
				f[k][i], _ = g.pay[k][i].Float64()
			}
		}
		fg, err := NewFloat(players, strategies, f)
		if err != nil {
			return nil, l.errorf(l.line, "%v", err)
		}
		fg.outcomes, fg.outcomeOf = g.outcomes, g.outcomeOf
		g = fg
	}
	g.Title, g.Comment = title.text, comment
	return g, nil
}

// isNumberedList reports whether names are "1", "2", …, as made for the
// count form of the strategy header, which must then go on with counts.
func isNumberedList(names []string) bool {
	for i, s := range names {
		if s != strconv.Itoa(i+1) {
			return false
		}
	}
	return true
}

// nextNumber reads the next of want numbers in a list of which have are
// read, or says where the list broke off: the file ended, or something
// else stands where a number should (what and whats name one and many).
func (l *nfgLexer) nextNumber(what, whats string, have, want int) (token, error) {
	t, err := l.next()
	switch {
	case err != nil:
		return t, err
	case t.kind == tokEOF:
		return t, l.errorf(t.line, "file ended after %d of %d %s", have, want, whats)
	case t.kind != tokNumber:
		return t, l.errorf(t.line, "expected %s %d of %d, got %v", what, have+1, want, t)
	}
	return t, nil
}

func parsePayoffBody(l *nfgLexer, players []string, strategies [][]string, size int, exact bool) (*Game, error) {
	n := len(players)
	want := size * n
	var flat []*big.Rat
	for len(flat) < want {
		t, err := l.nextNumber("payoff", "payoffs", len(flat), want)
		if err != nil {
			return nil, err
		}
		r, msg := parseNumber(t.text)
		if msg != "" {
			return nil, l.errorf(t.line, "%s", msg)
		}
		flat = append(flat, r)
	}
	pay := make([][]*big.Rat, size)
	for k := range pay {
		pay[k] = flat[k*n : (k+1)*n]
	}
	g, err := NewRat(players, strategies, pay)
	if err != nil {
		return nil, l.errorf(l.line, "%v", err)
	}
	return g, nil
}

func parseOutcomeBody(l *nfgLexer, players []string, strategies [][]string, size int) (*Game, error) {
	n := len(players)
	var outcomes []Outcome
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tokRBrace {
			break
		}
		if t.kind != tokLBrace {
			return nil, l.errorf(t.line, "expected '{' starting outcome %d or '}', got %v", len(outcomes)+1, t)
		}
		name, err := l.expect(tokString, fmt.Sprintf("name of outcome %d", len(outcomes)+1))
		if err != nil {
			return nil, err
		}
		o := Outcome{Name: name.text}
		for {
			t, err := l.next()
			if err != nil {
				return nil, err
			}
			if t.kind == tokRBrace {
				break
			}
			if t.kind == tokComma && len(o.Payoffs) > 0 {
				continue
			}
			if t.kind != tokNumber {
				return nil, l.errorf(t.line, "expected payoff of outcome %d, got %v", len(outcomes)+1, t)
			}
			r, msg := parseNumber(t.text)
			if msg != "" {
				return nil, l.errorf(t.line, "%s", msg)
			}
			if len(o.Payoffs) == n {
				return nil, l.errorf(t.line, "outcome %d has more than %d payoffs", len(outcomes)+1, n)
			}
			o.Payoffs = append(o.Payoffs, r)
		}
		if len(o.Payoffs) != n {
			return nil, l.errorf(l.line, "outcome %d has %d payoffs, want %d", len(outcomes)+1, len(o.Payoffs), n)
		}
		outcomes = append(outcomes, o)
	}
	idx := make([]int, 0, min(size, 1<<16))
	for len(idx) < size {
		t, err := l.nextNumber("outcome index", "outcome indices", len(idx), size)
		if err != nil {
			return nil, err
		}
		k, err := strconv.Atoi(t.text)
		if err != nil {
			return nil, l.errorf(t.line, "outcome index must be an integer, got %v", t)
		}
		if k < 0 || k > len(outcomes) {
			return nil, l.errorf(t.line, "outcome index %d out of range 0..%d", k, len(outcomes))
		}
		idx = append(idx, k)
	}
	g, err := NewOutcomeGame(players, strategies, outcomes, idx)
	if err != nil {
		return nil, l.errorf(l.line, "%v", err)
	}
	return g, nil
}

// NFGVersion selects which version of the .nfg format [WriteNFG] writes.
type NFGVersion int

const (
	// NFGAuto writes the outcome version for games that carry outcomes
	// (read from an outcome-version file or built by [NewOutcomeGame]) and
	// the payoff version otherwise.
	NFGAuto NFGVersion = iota
	// NFGPayoff writes the payoff version.
	NFGPayoff
	// NFGOutcome writes the outcome version; a game without outcomes gets
	// one unnamed outcome per profile, as Gambit does.
	NFGOutcome
)

// WriteNFG writes g to w in Gambit's .nfg format (see [ReadNFG]). Exact
// games are written with data type R and numbers as integers or a/b;
// inexact games with data type D and the shortest decimal that reads back
// as the same float64. The payoff version names the strategies only when
// they differ from Gambit's default "1", "2", …. Reading the output back
// gives an [Game.Equal] game.
func WriteNFG(w io.Writer, g *Game, version NFGVersion) error {
	bw := bufio.NewWriter(w)
	outcomes, outcomeOf := g.Outcomes()
	if version == NFGAuto {
		version = NFGPayoff
		if outcomes != nil {
			version = NFGOutcome
		}
	}
	dtype := "R"
	if !g.exact {
		dtype = "D"
	}
	num := func(k, i int) string {
		if g.exact {
			return g.pay[k][i].RatString()
		}
		return strconv.FormatFloat(g.fpay[k][i], 'g', -1, 64)
	}
	fmt.Fprintf(bw, "NFG 1 %s %s {", dtype, quoteNFG(g.Title))
	for _, p := range g.players {
		fmt.Fprintf(bw, " %s", quoteNFG(p))
	}
	fmt.Fprint(bw, " }")
	named := false
	for _, s := range g.strategies {
		named = named || !isNumberedList(s)
	}
	if version == NFGPayoff && !named {
		fmt.Fprint(bw, " {")
		for _, s := range g.strategies {
			fmt.Fprintf(bw, " %d", len(s))
		}
		fmt.Fprint(bw, " }\n")
	} else {
		fmt.Fprint(bw, "\n\n{ ")
		for _, s := range g.strategies {
			fmt.Fprint(bw, "{")
			for _, name := range s {
				fmt.Fprintf(bw, " %s", quoteNFG(name))
			}
			fmt.Fprint(bw, " }\n")
		}
		fmt.Fprint(bw, "}\n")
	}
	if g.Comment != "" || version == NFGOutcome {
		fmt.Fprintf(bw, "%s\n", quoteNFG(g.Comment))
	}
	fmt.Fprint(bw, "\n")
	if version == NFGPayoff {
		for k := range g.pay {
			for i := range g.pay[k] {
				if i > 0 {
					fmt.Fprint(bw, " ")
				}
				fmt.Fprint(bw, num(k, i))
			}
			fmt.Fprint(bw, "\n")
		}
		return bw.Flush()
	}
	fmt.Fprint(bw, "{\n")
	if outcomes != nil {
		for _, o := range outcomes {
			fmt.Fprintf(bw, "{ %s", quoteNFG(o.Name))
			for i, x := range o.Payoffs {
				if i > 0 {
					fmt.Fprint(bw, ",")
				}
				if g.exact {
					fmt.Fprintf(bw, " %s", x.RatString())
				} else {
					f, _ := x.Float64()
					fmt.Fprintf(bw, " %s", strconv.FormatFloat(f, 'g', -1, 64))
				}
			}
			fmt.Fprint(bw, " }\n")
		}
	} else {
		for k := range g.pay {
			fmt.Fprint(bw, `{ ""`)
			for i := range g.pay[k] {
				if i > 0 {
					fmt.Fprint(bw, ",")
				}
				fmt.Fprintf(bw, " %s", num(k, i))
			}
			fmt.Fprint(bw, " }\n")
		}
	}
	fmt.Fprint(bw, "}\n")
	for k := range g.pay {
		if k > 0 {
			fmt.Fprint(bw, " ")
		}
		if outcomes != nil {
			fmt.Fprint(bw, outcomeOf[k])
		} else {
			fmt.Fprint(bw, k+1)
		}
	}
	fmt.Fprint(bw, "\n")
	return bw.Flush()
}

// quoteNFG quotes s for a .nfg file, escaping quotes and backslashes.
func quoteNFG(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// stringsUntilBrace reads quoted strings up to the closing '}' of a list
// whose opening '{' was just read; what names an element in messages.
func (l *nfgLexer) stringsUntilBrace(what string) ([]string, error) {
	var out []string
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tokRBrace {
			return out, nil
		}
		if t.kind != tokString {
			return nil, l.errorf(t.line, "expected %s or '}', got %v", what, t)
		}
		out = append(out, t.text)
	}
}
