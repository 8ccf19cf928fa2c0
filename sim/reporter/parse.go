package reporter

import (
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// Limits that keep a hostile expression from costing time or stack.
const (
	maxLen   = 1000 // bytes of one expression
	maxDepth = 32   // nested calls
)

// Parse reads a reporter expression:
//
//	expr   = number | ref | fn "(" expr { "," expr } [ "," window ] ")"
//	ref    = [ platform "." ] name
//	window = day [ ".." day ]
//
// where name is a numeric column of timeseries.csv or a run total, and fn
// one of Functions. Errors are *Error, with the column of the problem.
func Parse(src string) (*Reporter, error) {
	if len(src) > maxLen {
		return nil, errorf(maxLen+1, "longer than %d bytes", maxLen)
	}
	p := &parser{src: src}
	p.next()
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, errorf(p.tok.pos, "unexpected %s after the reporter", p.tok.describe())
	}
	return &Reporter{root: n}, nil
}

type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tDot
	tDots
	tComma
	tLParen
	tRParen
	tBad
)

type token struct {
	kind tokKind
	text string
	pos  int // 1-based
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end"
	case tIdent, tNumber:
		return strconv.Quote(t.text)
	}
	return "'" + t.text + "'"
}

type parser struct {
	src string
	off int
	tok token
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// next reads the next token into p.tok.
func (p *parser) next() {
	for p.off < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.off]) >= 0 {
		p.off++
	}
	start := p.off
	pos := start + 1
	if p.off >= len(p.src) {
		p.tok = token{kind: tEOF, pos: pos}
		return
	}
	c := p.src[p.off]
	switch {
	case isLetter(c):
		for p.off < len(p.src) && (isLetter(p.src[p.off]) || isDigit(p.src[p.off]) || p.src[p.off] == '-') {
			p.off++
		}
		p.tok = token{tIdent, p.src[start:p.off], pos}
	case isDigit(c) || c == '-' || c == '+':
		p.off++
		for p.off < len(p.src) && isDigit(p.src[p.off]) {
			p.off++
		}
		// A fraction, but not the ".." of a window.
		if p.off+1 < len(p.src) && p.src[p.off] == '.' && isDigit(p.src[p.off+1]) {
			p.off++
			for p.off < len(p.src) && isDigit(p.src[p.off]) {
				p.off++
			}
		}
		p.tok = token{tNumber, p.src[start:p.off], pos}
	case c == '.' && p.off+1 < len(p.src) && p.src[p.off+1] == '.':
		p.off += 2
		p.tok = token{tDots, "..", pos}
	default:
		p.off++
		kind := tBad
		switch c {
		case '.':
			kind = tDot
		case ',':
			kind = tComma
		case '(':
			kind = tLParen
		case ')':
			kind = tRParen
		}
		p.tok = token{kind, p.src[start:p.off], pos}
	}
}

func (p *parser) expect(k tokKind, what string) (token, error) {
	t := p.tok
	if t.kind != k {
		return t, errorf(t.pos, "want %s, got %s", what, t.describe())
	}
	p.next()
	return t, nil
}

func (p *parser) expr(depth int) (node, error) {
	t := p.tok
	switch t.kind {
	case tNumber:
		p.next()
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return node{}, errorf(t.pos, "not a number: %q", t.text)
		}
		return node{number: v, isNumber: true, pos: t.pos}, nil
	case tIdent:
		p.next()
		if p.tok.kind == tLParen {
			return p.call(t, depth)
		}
		return p.ref(t)
	}
	return node{}, errorf(t.pos, "want a metric, a number or a function such as mean(...), got %s", t.describe())
}

// ref reads [platform "."] name, whose first word has been read.
func (p *parser) ref(first token) (node, error) {
	n := node{pos: first.pos}
	name := first
	if p.tok.kind == tDot {
		p.next()
		t, err := p.expect(tIdent, "a metric after "+strconv.Quote(first.text+"."))
		if err != nil {
			return node{}, err
		}
		n.platform, name = first.text, t
	}
	if c, ok := sim.LookupColumn(name.text); ok && c.Metric() {
		if c.Scope == sim.DayScope && n.platform != "" {
			return node{}, errorf(first.pos, "%s belongs to no platform; write it without %s.", c.Name, n.platform)
		}
		n.column = c
		return n, nil
	}
	if t, ok := sim.LookupTotal(name.text); ok {
		n.total = t
		return n, nil
	}
	if c, ok := sim.LookupColumn(name.text); ok {
		return node{}, errorf(name.pos, "%s is a key of timeseries.csv, not a metric", c.Name)
	}
	msg := "unknown metric " + strconv.Quote(name.text)
	if n.platform != "" {
		msg += " in " + strconv.Quote(n.platform+"."+name.text)
	}
	if isFunction(name.text) {
		return node{}, errorf(name.pos, "%s; %s is a function: %s", msg, name.text, use(name.text))
	}
	if sg := suggest(name.text, Names()); sg != "" {
		if n.platform != "" {
			sg = n.platform + "." + sg
		}
		return node{}, errorf(name.pos, "%s; did you mean %s?", msg, sg)
	}
	// Not the list of names: it grows with the registry, and docs/outputs.md
	// has it with units and meanings.
	return node{}, errorf(name.pos, "%s; the metrics are the numeric columns of timeseries.csv and the run totals, listed in docs/outputs.md", msg)
}

func isFunction(name string) bool {
	for _, f := range Functions {
		if f.Name == name {
			return true
		}
	}
	return false
}

func use(name string) string {
	for _, f := range Functions {
		if f.Name == name {
			return f.Use
		}
	}
	return ""
}

// call reads fn(args), whose name has been read.
func (p *parser) call(fn token, depth int) (node, error) {
	if !isFunction(fn.text) {
		names := make([]string, len(Functions))
		for i, f := range Functions {
			names[i] = f.Name
		}
		return node{}, errorf(fn.pos, "unknown function %s%s", strconv.Quote(fn.text), scenarios.DidYouMean(fn.text, names, "the functions are"))
	}
	if depth >= maxDepth {
		return node{}, errorf(fn.pos, "nested more than %d deep", maxDepth)
	}
	p.next() // (
	n := node{fn: fn.text, pos: fn.pos}
	wantArgs := 1
	if fn.text == "ratio" {
		wantArgs = 2
	}
	for i := range wantArgs {
		if i > 0 {
			if _, err := p.expect(tComma, "',' and a second argument of "+use(fn.text)); err != nil {
				return node{}, err
			}
		}
		a, err := p.expr(depth + 1)
		if err != nil {
			return node{}, err
		}
		n.args = append(n.args, a)
	}
	switch fn.text {
	case "at":
		if _, err := p.expect(tComma, "',' and a day: "+use(fn.text)); err != nil {
			return node{}, err
		}
		d, err := p.day()
		if err != nil {
			return node{}, err
		}
		n.from, n.to, n.hasWindow = d, d, true
	case "mean", "sum", "min", "max":
		if p.tok.kind == tComma {
			p.next()
			wpos := p.tok.pos
			from, err := p.day()
			if err != nil {
				return node{}, err
			}
			if _, err := p.expect(tDots, "'..' in a window of days A..B"); err != nil {
				return node{}, err
			}
			to, err := p.day()
			if err != nil {
				return node{}, err
			}
			if (from >= 0) == (to >= 0) && from > to {
				return node{}, errorf(wpos, "empty window: day %d is before day %d", to, from)
			}
			n.from, n.to, n.hasWindow = from, to, true
		}
	}
	if _, err := p.expect(tRParen, "')' to close "+fn.text+"("); err != nil {
		return node{}, err
	}
	if fn.text != "ratio" && n.args[0].shape() != Series {
		a := &n.args[0]
		what := "a number"
		if a.total != nil {
			what = a.total.Name + " is a total over the run"
		} else if a.fn != "" {
			what = a.fn + "(...) is one number"
		}
		return node{}, errorf(a.pos, "%s, not a daily series: %s reads a column such as mau", what, fn.text)
	}
	return n, nil
}

// day reads a whole day number, negative from the end.
func (p *parser) day() (int, error) {
	t := p.tok
	if t.kind != tNumber {
		return 0, errorf(t.pos, "want a day number, got %s", t.describe())
	}
	p.next()
	d, err := strconv.Atoi(t.text)
	if err != nil || d > 1<<20 || d < -(1<<20) {
		return 0, errorf(t.pos, "want a whole day number, got %q", t.text)
	}
	return d, nil
}
