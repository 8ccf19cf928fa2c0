package reporter

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// Shape is what a reporter yields: a value for each day of a run, or one
// number for the whole run.
type Shape uint8

const (
	// Series reporters have a value on each day: a column, or a ratio of
	// columns. Asked for one number, a series gives its last day.
	Series Shape = iota
	// Scalar reporters are one number: a run total, a number, or a
	// summary of a series (at, last, mean, sum, min, max).
	Scalar
)

// A Reporter is a parsed reporter expression. The zero value is not
// usable; build one with Parse.
type Reporter struct {
	root node
}

// Error is a reporter that does not parse: Col is the 1-based byte
// column of the problem in the expression.
type Error struct {
	Col int
	Msg string
}

// Error formats the problem with its column, prefixed "reporter:" like
// every error of the package.
func (e *Error) Error() string { return "reporter: column " + strconv.Itoa(e.Col) + ": " + e.Msg }

// node is one term of a reporter.
type node struct {
	fn   string // "" for a column, a total or a number
	args []node
	// A window: days from..to (inclusive), or one day for at.
	from, to  int
	hasWindow bool
	// A reference: platform.name, or name alone.
	platform string
	column   *sim.Column
	total    *sim.Total
	number   float64
	isNumber bool
	pos      int // 1-based column in the source
}

// Functions are the reporter functions, with what they do.
var Functions = []struct{ Name, Use, Doc string }{
	{"last", "last(x)", "x on the last day"},
	{"at", "at(x, D)", "x on day D (a negative day counts from the end: −1 is the last)"},
	{"mean", "mean(x[, A..B])", "mean of x over days A to B inclusive (default the whole run)"},
	{"sum", "sum(x[, A..B])", "sum of x over days A to B"},
	{"min", "min(x[, A..B])", "smallest x over days A to B"},
	{"max", "max(x[, A..B])", "largest x over days A to B"},
	{"ratio", "ratio(x, y)", "x / y, day by day for two series; NaN where y is 0"},
}

// Shape reports whether the reporter is a series or a number.
func (r *Reporter) Shape() Shape { return r.root.shape() }

func (n *node) shape() Shape {
	switch {
	case n.column != nil:
		return Series
	case n.fn == "ratio":
		if n.args[0].shape() == Series || n.args[1].shape() == Series {
			return Series
		}
	}
	return Scalar
}

// String writes the reporter back in a canonical form.
func (r *Reporter) String() string {
	var b strings.Builder
	r.root.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch {
	case n.isNumber:
		b.WriteString(strconv.FormatFloat(n.number, 'f', -1, 64))
	case n.fn == "":
		if n.platform != "" {
			b.WriteString(n.platform + ".")
		}
		b.WriteString(n.name())
	default:
		b.WriteString(n.fn + "(")
		for i := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			n.args[i].write(b)
		}
		if n.hasWindow {
			b.WriteString(", " + strconv.Itoa(n.from))
			if n.fn != "at" {
				b.WriteString(".." + strconv.Itoa(n.to))
			}
		}
		b.WriteString(")")
	}
}

func (n *node) name() string {
	if n.column != nil {
		return n.column.Name
	}
	if n.total != nil {
		return n.total.Name
	}
	return ""
}

// walk calls f on every node.
func (n *node) walk(f func(*node)) {
	f(n)
	for i := range n.args {
		n.args[i].walk(f)
	}
}

// Platforms lists the platforms the reporter names, in order of
// appearance, each once.
func (r *Reporter) Platforms() []string {
	var out []string
	r.root.walk(func(n *node) {
		if n.platform != "" && !slices.Contains(out, n.platform) {
			out = append(out, n.platform)
		}
	})
	return out
}

// Unqualified returns the first platform column or total that names no
// platform, or "": such a name is read for the platform the reporter is
// evaluated for.
func (r *Reporter) Unqualified() string {
	found := ""
	r.root.walk(func(n *node) {
		if found == "" && n.platform == "" && (n.total != nil || n.column != nil && n.column.Scope == sim.PlatformScope) {
			found = n.name()
		}
	})
	return found
}

// Qualified returns the reporter with platform given to every platform
// column and total that names none.
func (r *Reporter) Qualified(platform string) *Reporter {
	root := r.root.clone()
	root.walk(func(n *node) {
		if n.platform == "" && (n.total != nil || n.column != nil && n.column.Scope == sim.PlatformScope) {
			n.platform = platform
		}
	})
	return &Reporter{root: root}
}

func (n node) clone() node {
	if n.args != nil {
		args := make([]node, len(n.args))
		for i := range n.args {
			args[i] = n.args[i].clone()
		}
		n.args = args
	}
	return n
}

// Days returns the days the reporter reads by number (at's day and the
// windows' ends), with the byte column of each, so that a caller can
// check them against a horizon before running.
func (r *Reporter) Days() (days, cols []int) {
	r.root.walk(func(n *node) {
		if n.hasWindow {
			days, cols = append(days, n.from), append(cols, n.pos)
			if n.fn != "at" {
				days, cols = append(days, n.to), append(cols, n.pos)
			}
		}
	})
	return days, cols
}

// Value evaluates the reporter on a finished run, for platform (the
// platform of columns and totals that name none; "" when every one names
// its platform). A series gives its last day. Days outside the run, and
// platforms absent from it, give NaN.
func (r *Reporter) Value(res *sim.Result, platform string) float64 {
	e := evaluator{res: res, platform: platform}
	if r.root.shape() == Series {
		return e.day(&r.root, len(res.History)-1)
	}
	return e.scalar(&r.root)
}

// Daily evaluates a series reporter on each day of a run; a number is
// the same on every day.
func (r *Reporter) Daily(res *sim.Result, platform string) []float64 {
	e := evaluator{res: res, platform: platform}
	out := make([]float64, len(res.History))
	if r.root.shape() == Scalar {
		v := e.scalar(&r.root)
		for d := range out {
			out[d] = v
		}
		return out
	}
	for d := range out {
		out[d] = e.day(&r.root, d)
	}
	return out
}

type evaluator struct {
	res      *sim.Result
	platform string
}

// platformIndex finds the platform of a reference; −1 when the run has
// none of that name.
func (e *evaluator) platformIndex(n *node) int {
	name := n.platform
	if name == "" {
		name = e.platform
	}
	for p := range e.res.Platforms {
		if e.res.Platforms[p].Name == name {
			return p
		}
	}
	return -1
}

// day is a series node's value on day d.
func (e *evaluator) day(n *node, d int) float64 {
	if d < 0 || d >= len(e.res.History) {
		return math.NaN()
	}
	switch {
	case n.column != nil:
		dm := &e.res.History[d]
		if n.column.Scope == sim.DayScope {
			return n.column.Value(dm, nil)
		}
		p := e.platformIndex(n)
		if p < 0 || p >= len(dm.Platforms) {
			return math.NaN()
		}
		return n.column.Value(dm, &dm.Platforms[p])
	case n.fn == "ratio":
		return divide(e.at(&n.args[0], d), e.at(&n.args[1], d))
	}
	return e.scalar(n)
}

// at is a node's value on day d, whatever its shape.
func (e *evaluator) at(n *node, d int) float64 {
	if n.shape() == Series {
		return e.day(n, d)
	}
	return e.scalar(n)
}

func divide(x, y float64) float64 {
	if y == 0 {
		return math.NaN()
	}
	return x / y
}

// scalar is a scalar node's value.
func (e *evaluator) scalar(n *node) float64 {
	nd := len(e.res.History)
	switch {
	case n.isNumber:
		return n.number
	case n.total != nil:
		p := e.platformIndex(n)
		if p < 0 {
			return math.NaN()
		}
		return n.total.Value(&e.res.Platforms[p])
	case n.fn == "ratio":
		return divide(e.scalar(&n.args[0]), e.scalar(&n.args[1]))
	case n.fn == "last":
		return e.day(&n.args[0], nd-1)
	case n.fn == "at":
		return e.day(&n.args[0], resolve(n.from, nd))
	}
	from, to := 0, nd-1
	if n.hasWindow {
		from, to = resolve(n.from, nd), resolve(n.to, nd)
	}
	if from < 0 || to >= nd || from > to {
		return math.NaN()
	}
	acc := 0.0
	switch n.fn {
	case "min":
		acc = math.Inf(1)
	case "max":
		acc = math.Inf(-1)
	}
	for d := from; d <= to; d++ {
		v := e.day(&n.args[0], d)
		switch n.fn {
		case "min":
			acc = math.Min(acc, v)
		case "max":
			acc = math.Max(acc, v)
		default:
			acc += v
		}
	}
	if n.fn == "mean" {
		acc /= float64(to - from + 1)
	}
	return acc
}

// resolve turns a possibly negative day into an index into n days: −1 is
// the last.
func resolve(d, n int) int {
	if d < 0 {
		return n + d
	}
	return d
}

// Names lists the names a reporter can use: the numeric columns of
// timeseries.csv, then the run totals.
func Names() []string {
	var out []string
	for i := range sim.TimeseriesColumns {
		if c := &sim.TimeseriesColumns[i]; c.Metric() {
			out = append(out, c.Name)
		}
	}
	for _, t := range sim.RunTotals {
		out = append(out, t.Name)
	}
	return out
}

func suggest(word string, candidates []string) string { return scenarios.Suggest(word, candidates) }

func errorf(pos int, format string, args ...any) *Error {
	return &Error{Col: pos, Msg: fmt.Sprintf(format, args...)}
}

// At returns at(r, day): a series reporter read on one day.
func (r *Reporter) At(day int) *Reporter {
	return &Reporter{root: node{fn: "at", args: []node{r.root.clone()}, from: day, to: day, hasWindow: true, pos: r.root.pos}}
}

// Over returns fn(r, from..to), fn one of mean, sum, min or max: a series
// reporter summarised over a window of days.
func (r *Reporter) Over(fn string, from, to int) *Reporter {
	return &Reporter{root: node{fn: fn, args: []node{r.root.clone()}, from: from, to: to, hasWindow: true, pos: r.root.pos}}
}
