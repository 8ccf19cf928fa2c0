package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/sensitivity"
)

// Layout is a sweep's design made concrete: the value of every parameter at
// every point, and how runs are numbered. It depends on the sweep file only
// (never on the base scenario, the machine or the shard), so that merges and
// analyses rebuild exactly the design the runs used.
//
// Run r is replicate r mod Replicates of point r div Replicates: the
// replicates of a point are consecutive, so points.csv streams.
type Layout struct {
	// Design is the sensitivity design; its Method is zero for a sweep
	// without parameters (a single point).
	Design     sensitivity.Design
	Points     int
	Replicates int

	params []Param
	values []float64 // Points × len(params): a number, or a label's index
}

// Runs returns the number of runs, points × replicates.
func (l *Layout) Runs() int64 { return int64(l.Points) * int64(l.Replicates) }

// PointOf returns the point and replicate of run.
func (l *Layout) PointOf(run int64) (point, replicate int) {
	return int(run / int64(l.Replicates)), int(run % int64(l.Replicates))
}

// Value returns parameter j's value at point i: a number, or for a
// parameter with labels the index of the label.
func (l *Layout) Value(point, j int) float64 { return l.values[point*len(l.params)+j] }

// Layout returns the sweep's design, built by ParseSpec.
func (s *Spec) Layout() *Layout { return s.layout }

// Domain constants keep the random streams of a sweep apart: run seeds mix
// run numbers below maxRuns, the design stream a number far above them.
// Their values are part of the file format: changing one changes every
// sweep's results.
const (
	designDomain   = 0xd5e5_1600_0000_0001
	designStream   = 0x5eed_de51_9000_0000
	bootstrapSalt  = 0xb007_5742_0000_0001
	splitmixGolden = 0x9e3779b97f4a7c15
)

// splitmix64 is the finaliser of Steele et al.'s SplitMix64, the same mixer
// the engine uses for its streams: it turns structured inputs into
// well-spread seeds.
func splitmix64(x uint64) uint64 {
	x += splitmixGolden
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// mix derives a seed from a sweep seed and an index.
func mix(seed, i uint64) uint64 { return splitmix64(seed ^ splitmix64(i)) }

// RunSeed returns the world.seed of a run, a pure function of the sweep seed
// and the run number:
//
//	seed(r) = splitmix64(S ⊕ splitmix64(r))
//
// or, with common random numbers, of the replicate r mod R instead of r.
// It never depends on the worker or shard that runs it.
func (s *Spec) RunSeed(run int64) uint64 {
	i := uint64(run)
	if s.CommonRandomNumbers {
		i = uint64(run % int64(s.Replicates))
	}
	return mix(s.Seed, i)
}

// checkDesign reports parameters the design cannot use, at the parameter,
// before the sensitivity package reports it more tersely.
func (p *parser) checkDesign(s *Spec) {
	kind := s.Design.Kind
	for i, q := range s.Params {
		path := joinIndex("params", i)
		switch {
		case kind == Factorial && q.Dist != "":
			p.Addf(path, "the factorial design needs a list of values or a step range; this parameter has a %s distribution (use latin_hypercube, saltelli or morris)", q.Dist)
		case kind == Morris && (q.Dist == "normal" || q.Dist == "lognormal") && !(q.Min < q.Max):
			p.Addf(path, "the morris design needs a bounded range: give min and max to truncate the %s distribution", q.Dist)
		case kind == Morris && len(q.Values)+len(q.Labels) == 1:
			p.Addf(joinKey(path, "values"), "the morris design needs at least two values to move between")
		case kind == Morris && q.Step > 0 && q.Min == q.Max:
			p.Addf(path, "the morris design needs at least two levels; min equals max")
		}
	}
	if n := estimatePoints(s); n > float64(pointLimit) {
		p.Addf("design", "the design has %.0f points, more than %d", n, pointLimit)
	}
	if kind == Saltelli && 2*len(s.Params) > sensitivity.MaxSobolDim {
		p.Addf("design.kind", "the saltelli design supports at most %d parameters, this sweep has %d", sensitivity.MaxSobolDim/2, len(s.Params))
	}
}

// maxPoints bounds a design before it is built: the design holds two
// float64 matrices of points × parameters, so a mistyped size should fail
// at once rather than allocate gigabytes.
const maxPoints = 1 << 22

// pointLimit is maxPoints, lowered by the fuzz test, which is after parsing
// bugs and not after the time it takes to build a legitimately large design.
var pointLimit = maxPoints

// estimatePoints is the number of points the design of s will have.
func estimatePoints(s *Spec) float64 {
	k := float64(len(s.Params))
	switch s.Design.Kind {
	case LatinHypercube:
		return float64(s.Design.Points)
	case Saltelli:
		if s.Design.SecondOrder {
			return float64(s.Design.BaseRows) * (2*k + 2)
		}
		return float64(s.Design.BaseRows) * (k + 2)
	case Morris:
		return float64(s.Design.Trajectories) * (k + 1)
	}
	n := 1.0
	for _, q := range s.Params {
		switch {
		case len(q.Values)+len(q.Labels) > 0:
			n *= float64(len(q.Values) + len(q.Labels))
		case q.Step > 0 && q.Max >= q.Min:
			n *= math.Floor((q.Max-q.Min)/q.Step) + 1
		}
	}
	return n
}

// newLayout builds the design of s. The design's random stream is seeded
// from the sweep seed, so the same file always gives the same points.
func newLayout(s *Spec) (*Layout, error) {
	l := &Layout{Replicates: s.Replicates, params: s.Params}
	k := len(s.Params)
	if k == 0 {
		l.Points = 1
		return l, checkRuns(l)
	}
	sp := make([]sensitivity.Param, k)
	for j := range s.Params {
		q := &s.Params[j]
		q.setQuoting()
		sp[j] = sensitivity.Param{Name: q.Name, Min: q.Min, Max: q.Max, Step: q.Step, Dist: q.Dist, Mu: q.Mu, Sigma: q.Sigma}
		switch {
		case len(q.Labels) > 0:
			sp[j] = sensitivity.Param{Name: q.Name, Levels: make([]float64, len(q.Labels))}
			for i := range q.Labels {
				sp[j].Levels[i] = float64(i)
			}
		case len(q.Values) > 0:
			sp[j] = sensitivity.Param{Name: q.Name, Levels: q.Values}
		}
	}
	rnd := rand.New(rand.NewPCG(mix(s.Seed, designDomain), designStream))
	var d sensitivity.Design
	var err error
	switch s.Design.Kind {
	case Factorial:
		d, err = sensitivity.FullFactorial(sp)
	case LatinHypercube:
		d, err = sensitivity.LatinHypercube(sp, s.Design.Points, rnd)
	case Saltelli:
		if s.Design.SecondOrder {
			d, err = sensitivity.SaltelliSecondOrder(sp, s.Design.BaseRows, rnd)
		} else {
			d, err = sensitivity.Saltelli(sp, s.Design.BaseRows, rnd)
		}
	case Morris:
		d, err = sensitivity.Morris(sp, sensitivity.MorrisOptions{Trajectories: s.Design.Trajectories, Levels: s.Design.Levels, Candidates: s.Design.Candidates}, rnd)
	default:
		return nil, fmt.Errorf("sweep: unknown design kind %q", s.Design.Kind)
	}
	if err != nil {
		return nil, err
	}
	l.Design = d
	l.Points = d.Len()
	if err := checkRuns(l); err != nil {
		return nil, err
	}
	l.values = make([]float64, l.Points*k)
	for i := range l.Points {
		for j := range s.Params {
			l.values[i*k+j] = s.Params[j].normalise(d.Points.At(i, j))
		}
	}
	return l, nil
}

func checkRuns(l *Layout) error {
	if l.Runs() > maxRuns {
		return fmt.Errorf("the sweep has %d points × %d replicates = %d runs, more than %d", l.Points, l.Replicates, l.Runs(), maxRuns)
	}
	return nil
}

// setQuoting decides whether labels need TOML quotes: they do for a string
// field; booleans and TOML values (inline tables) go in as written.
func (q *Param) setQuoting() {
	t, ok := leafType(q.Key)
	q.quote = ok && t.Kind() == reflect.String
}

// quantum is the step drawn values are rounded to: Round if given, else 1
// for whole-number fields and 0.01 for yuan amounts, else none (0).
func (q *Param) quantum() float64 {
	if q.Round > 0 {
		return q.Round
	}
	t, ok := leafType(q.Key)
	switch {
	case !ok:
		return 0
	case t == reflect.TypeOf(scenarios.Yuan(0)):
		return 0.01
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return 1
	}
	return 0
}

// normalise turns a design value into the value a run uses: a label index
// as is; a listed value as written; a step level or a draw rounded to the
// parameter's quantum (a step level also to the decimals of min and step,
// so that 0.1·3 is 0.3 and not 0.30000000000000004).
func (q *Param) normalise(v float64) float64 {
	if len(q.Labels) > 0 || len(q.Values) > 0 {
		return v
	}
	if q.Step > 0 {
		v = roundDecimals(v, max(decimals(q.Min), decimals(q.Step)))
	}
	if qu := q.quantum(); qu > 0 {
		v = roundDecimals(math.Round(v/qu)*qu, decimals(qu))
	}
	return v
}

// decimals is the number of decimals in the shortest form of x.
func decimals(x float64) int {
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

func roundDecimals(x float64, n int) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', n, 64), 64)
	if err != nil {
		return x
	}
	return v
}

// Text returns the value of parameter j at a point as a --set value.
func (l *Layout) Text(point, j int) string {
	q := &l.params[j]
	v := l.Value(point, j)
	if len(q.Labels) > 0 {
		lab := q.Labels[int(v)]
		if q.quote {
			return tomlQuote(lab)
		}
		return lab
	}
	return formatFloat(v)
}

// Label returns the value of parameter j at a point as it is written in
// output files: the label, or the number.
func (l *Layout) Label(point, j int) string {
	q := &l.params[j]
	if len(q.Labels) > 0 {
		return q.Labels[int(l.Value(point, j))]
	}
	return formatFloat(l.Value(point, j))
}

// formatFloat is the one float format of every output file: the shortest
// text that reads back to the same float64, so files are exact and the
// same on every machine. NaN is left empty (a missing value to pandas,
// polars and DuckDB).
func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// tomlQuote writes s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// leafType walks the scenario schema by TOML keys to the type a --set key
// path sets. Elements of arrays are skipped whatever names them (a name or an
// index), since all elements have one type; whether the element exists is
// left to scenarios.ApplySet.
func leafType(key string) (reflect.Type, bool) {
	t := reflect.TypeOf(scenarios.Scenario{})
	for _, seg := range strings.Split(strings.ReplaceAll(strings.ReplaceAll(key, "[", "."), "]", ""), ".") {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByTOML(t, seg)
			if !ok {
				return nil, false
			}
			t = f.Type
		case reflect.Slice:
			t = t.Elem()
		default:
			return nil, false
		}
	}
	return t, true
}

func fieldByTOML(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
