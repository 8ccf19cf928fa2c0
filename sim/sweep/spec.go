package sweep

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/reporter"
)

// Spec is a parsed sweep file: what to vary, how to sample it, how often to
// repeat each point and what to record. Make one with ParseSpec, which
// checks it on its own and builds its Layout; Bind checks it against its
// base scenario. The fields are for reading: changing them after ParseSpec
// does not change the layout.
type Spec struct {
	// File names the source in messages; relative scenario paths are
	// resolved from its directory.
	File string
	// Source is the file's text, kept so that manifests can carry it and
	// merges and analyses can rebuild the design without the file.
	Source []byte

	// Header is the name, description, base scenario (a library name such
	// as "default" or a .toml path) and the sweep seed every run's seed
	// derives from (see RunSeed).
	Header
	// Sets are --set overrides applied to the base before any parameter.
	Sets []string
	// Replicates is the number of runs of each design point.
	Replicates int
	// CommonRandomNumbers seeds runs from (Seed, replicate) instead of
	// (Seed, run), so that replicate r of every point shares its random
	// numbers: differences between points then carry less noise.
	CommonRandomNumbers bool

	Design  Design
	Params  []Param
	Outputs []Output
	Series  Series

	layout *Layout
}

// Design kinds accepted in [design] kind.
const (
	Factorial      = "factorial"
	LatinHypercube = "latin_hypercube"
	Saltelli       = "saltelli"
	Morris         = "morris"
)

var designKinds = []string{Factorial, LatinHypercube, Saltelli, Morris}

// Design says how the points of a sweep are chosen.
type Design struct {
	// Kind is Factorial (every combination of levels), LatinHypercube,
	// Saltelli (for Sobol' indices) or Morris (elementary effects).
	Kind string
	// Points is the number of Latin hypercube points.
	Points int
	// BaseRows is N of a Saltelli design, which has N·(k+2) points, or
	// N·(2k+2) with SecondOrder.
	BaseRows int
	// SecondOrder adds the runs a Saltelli design needs for second-order
	// Sobol' indices (sensitivity.SaltelliSecondOrder).
	SecondOrder bool
	// Trajectories, Levels and Candidates configure a Morris design
	// (see sensitivity.MorrisOptions); it has Trajectories·(k+1) points.
	Trajectories, Levels, Candidates int
}

// Param is one swept input: a --set key of the scenario and how its value
// varies. Exactly one of Values, Labels, a step range (Step > 0) or a
// distribution (Dist, or Min < Max alone for uniform) is set.
type Param struct {
	// Key is the --set key path, e.g. "platforms.wechat.fee_rate".
	Key string
	// Name is the column name in outputs; by default Key with every
	// character that is not a letter or digit replaced by '_'.
	Name string
	// Values are numeric levels, in the order given.
	Values []float64
	// Labels are levels applied as written (strings, booleans, TOML
	// values such as inline tables), in the order given.
	Labels []string
	// Min, Max and Step describe a step range or bound a distribution.
	Min, Max, Step float64
	// Dist is a distribution name of package sensitivity: uniform,
	// normal, lognormal or loguniform.
	Dist string
	// Mu and Sigma parameterise normal and lognormal distributions.
	Mu, Sigma float64
	// Round is the quantum drawn values are rounded to; 0 means the
	// field's own (1 for whole numbers, 0.01 for yuan amounts) or none.
	Round float64

	quote bool // labels are strings that need TOML quotes
}

// Output is one recorded value per run: a metric on the last day, on a
// given day, summarised over a day range, or a run total.
type Output struct {
	// Name is the column name; see the file format for its default.
	Name string
	Selection
}

// Series asks for per-day values of some metrics in a long-format file.
type Series struct {
	Metrics []string
	// Every keeps one day in Every (days 0, Every, 2·Every, …).
	Every int

	reps []*reporter.Reporter
}

// maxRuns bounds points × replicates: each run costs the journal index 8
// bytes and a bit, so a typo should fail instead of exhausting memory.
const maxRuns = 1 << 28

// namePattern is what column names must look like: safe as a CSV header, a
// parquet column, a pandas attribute and a SQL identifier without quoting.
var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// fixedColumns are the columns of runs.csv before parameters and outputs.
var fixedColumns = []string{"run", "point", "replicate", "seed", "error", "n", "failed"}

// ParseSpec reads a sweep file. file names it in messages. Every problem
// found is returned at once as scenarios.Problems, each located at its key
// as "file:line:col: key: message". It does not look at the base scenario;
// Bind does.
func ParseSpec(file string, src []byte) (*Spec, error) {
	raw, err := scenarios.DecodeTOML(file, src)
	if err != nil {
		return nil, err
	}
	p := &parser{scenarios.NewTableReader(file, src)}
	s := &Spec{File: file, Source: append([]byte(nil), src...)}
	p.spec(s, raw)
	p.checkNames(s)
	p.checkDesign(s)
	if p.Count() == 0 {
		l, err := newLayout(s)
		if err != nil {
			p.Addf("design.kind", "%s", strings.TrimPrefix(err.Error(), "sensitivity: "))
		}
		s.layout = l
	}
	if p.Count() > 0 {
		return nil, p.Problems()
	}
	return s, nil
}

// parser reads a sweep file's decoded TOML, recording every problem.
type parser struct{ *scenarios.TableReader }

var topKeys = []string{"name", "description", "scenario", "sets", "seed", "replicates", "common_random_numbers", "design", "params", "outputs", "series"}

// spec decodes the whole file into s.
func (p *parser) spec(s *Spec, m map[string]any) {
	p.CheckKeys(m, "", topKeys)
	s.Header = ReadHeader(p.TableReader, m, s.File, "sweep", "default")
	s.Sets, _ = p.Strings(m, "sets", "", `["a", "b"]`)
	s.Replicates = 1
	if v, ok := p.Int(m, "replicates", ""); ok {
		if v < 1 || v > maxRuns {
			p.Addf("replicates", "must be between 1 and %d, got %d", maxRuns, v)
		} else {
			s.Replicates = int(v)
		}
	}
	s.CommonRandomNumbers, _ = p.Bool(m, "common_random_numbers", "")

	if d, ok := p.Table(m, "design", ""); ok {
		p.design(s, d)
	} else if _, present := m["design"]; !present {
		s.Design.Kind = Factorial
	}
	if ts, ok := p.Tables(m, "params", ""); ok {
		for i, t := range ts {
			if t == nil {
				continue // not a table: reported
			}
			s.Params = append(s.Params, p.param(t, joinIndex("params", i)))
		}
	}
	if ts, ok := p.Tables(m, "outputs", ""); ok {
		for i, t := range ts {
			if t == nil {
				continue // not a table: reported
			}
			s.Outputs = append(s.Outputs, p.output(t, joinIndex("outputs", i)))
		}
		if len(ts) == 0 {
			p.Addf("outputs", "empty: record at least one output")
		}
	} else if _, present := m["outputs"]; !present {
		p.Addf("", "missing [[outputs]]: record at least one output, e.g. metric = \"wechat.share_value\"")
	}
	if t, ok := p.Table(m, "series", ""); ok {
		p.series(s, t)
	}
	if len(s.Params) == 0 && s.Design.Kind != "" && s.Design.Kind != Factorial {
		p.Addf("design.kind", "the %s design needs at least one [[params]]", s.Design.Kind)
	}
}

// designAliases are other names people give the designs.
var designAliases = map[string]string{
	"sobol": Saltelli + " (for Sobol' indices)", "full_factorial": Factorial, "grid": Factorial,
	"lhs": LatinHypercube, "latin": LatinHypercube, "elementary_effects": Morris,
}

var designKeys = map[string][]string{
	Factorial:      {"kind"},
	LatinHypercube: {"kind", "points"},
	Saltelli:       {"kind", "base_rows", "second_order"},
	Morris:         {"kind", "trajectories", "levels", "candidates"},
}

func (p *parser) design(s *Spec, m map[string]any) {
	d := &s.Design
	kind, ok := p.String(m, "kind", "design")
	if !ok {
		if _, present := m["kind"]; !present {
			p.Addf("design", "missing key kind: one of %s", strings.Join(designKinds, ", "))
		}
		return
	}
	known, ok := designKeys[kind]
	if !ok {
		msg := "unknown design kind " + strconv.Quote(kind)
		if alias, ok := designAliases[strings.ToLower(kind)]; ok {
			msg += "; did you mean " + alias + "?"
		} else {
			msg += scenarios.DidYouMean(kind, designKinds, "the kinds are")
		}
		p.Addf("design.kind", "%s", msg)
		return
	}
	d.Kind = kind
	all := []string{"kind", "points", "base_rows", "second_order", "trajectories", "levels", "candidates"}
	for k := range m {
		if slices.Contains(all, k) && !slices.Contains(known, k) {
			p.Addf(joinKey("design", k), "%s does not apply to the %s design (its keys: %s)", k, kind, strings.Join(known, ", "))
		}
	}
	p.CheckKeys(m, "design", all)
	positive := func(key string, min int64, need bool) int {
		v, ok := p.Int(m, key, "design")
		if !ok {
			if _, present := m[key]; !present && need {
				p.Addf("design", "missing key %s for the %s design", key, kind)
			}
			return 0
		}
		if v < min || v > maxRuns {
			p.Addf(joinKey("design", key), "must be between %d and %d, got %d", min, maxRuns, v)
			return 0
		}
		return int(v)
	}
	switch kind {
	case LatinHypercube:
		d.Points = positive("points", 1, true)
	case Saltelli:
		d.BaseRows = positive("base_rows", 2, true)
		if v, ok := p.Bool(m, "second_order", "design"); ok {
			d.SecondOrder = v
		}
	case Morris:
		d.Trajectories = positive("trajectories", 2, true)
		d.Levels = 4
		if _, present := m["levels"]; present {
			d.Levels = positive("levels", 2, false)
			if d.Levels%2 != 0 {
				p.Addf("design.levels", "must be even, got %d", d.Levels)
			}
		}
		d.Candidates = positive("candidates", 0, false)
	}
}

var paramKeys = []string{"key", "name", "values", "min", "max", "step", "dist", "mu", "sigma", "round"}

var dists = []string{"uniform", "normal", "lognormal", "loguniform"}

func (p *parser) param(m map[string]any, path string) Param {
	var q Param
	p.CheckKeys(m, path, paramKeys)
	if v, ok := p.String(m, "key", path); ok {
		q.Key = strings.TrimSpace(v)
		switch {
		case q.Key == "":
			p.Addf(joinKey(path, "key"), "empty: give a --set key such as platforms.wechat.fee_rate")
		case q.Key == "world.seed":
			p.Addf(joinKey(path, "key"), "world.seed cannot be swept: every run's seed derives from the sweep's seed (use replicates)")
		case strings.ContainsAny(q.Key, "= \t"):
			p.Addf(joinKey(path, "key"), "want a key path such as platforms.wechat.fee_rate, without = or spaces")
		}
	} else if _, present := m["key"]; !present {
		p.Addf(path, "missing key: the --set key path of the scenario value to vary, e.g. platforms.wechat.fee_rate")
	}
	if v, ok := p.String(m, "name", path); ok {
		q.Name = v
	} else {
		q.Name = columnName(q.Key)
	}
	_, hasValues := m["values"]
	_, hasStep := m["step"]
	_, hasDist := m["dist"]
	_, hasMin := m["min"]
	_, hasMax := m["max"]
	_, hasMu := m["mu"]
	_, hasSigma := m["sigma"]
	forms := 0
	for _, b := range []bool{hasValues, hasStep, hasDist} {
		if b {
			forms++
		}
	}
	if forms > 1 {
		p.Addf(path, "give one of values, a step range (min, max, step) or a distribution (dist); this parameter has more than one")
		return q
	}
	if v, ok := p.Float(m, "round", path); ok {
		if v <= 0 {
			p.Addf(joinKey(path, "round"), "must be above 0, got %v", v)
		}
		q.Round = v
	}
	q.Min, _ = p.Float(m, "min", path)
	q.Max, _ = p.Float(m, "max", path)
	switch {
	case hasValues:
		for _, k := range []string{"min", "max", "mu", "sigma"} {
			if _, present := m[k]; present {
				p.Addf(joinKey(path, k), "%s does not apply to a list of values", k)
			}
		}
		p.values(&q, m["values"], joinKey(path, "values"))
	case hasStep:
		step, ok := p.Float(m, "step", path)
		if !hasMin || !hasMax {
			p.Addf(path, "a step range needs min, max and step")
			return q
		}
		for _, k := range []string{"mu", "sigma"} {
			if _, present := m[k]; present {
				p.Addf(joinKey(path, k), "%s does not apply to a step range", k)
			}
		}
		if !ok {
			return q
		}
		q.Step = step
		if step <= 0 {
			p.Addf(joinKey(path, "step"), "must be above 0, got %v", step)
		} else if q.Max < q.Min {
			p.Addf(joinKey(path, "max"), "empty range: max %v is below min %v", q.Max, q.Min)
		} else if n := (q.Max-q.Min)/step + 1; n > 1<<20 {
			p.Addf(joinKey(path, "step"), "the range has %.0f levels, more than %d", n, 1<<20)
		}
	default:
		dist := "uniform"
		if v, ok := p.String(m, "dist", path); ok {
			dist = v
			if !slices.Contains(dists, v) {
				p.Addf(joinKey(path, "dist"), "%s", "unknown distribution "+strconv.Quote(v)+scenarios.DidYouMean(v, dists, "the distributions are"))
				return q
			}
		} else if hasDist {
			return q
		} else if !hasMin && !hasMax {
			p.Addf(path, "say how the parameter varies: values = [...], a step range (min, max, step) or a distribution (dist, min, max, mu, sigma)")
			return q
		}
		q.Dist = dist
		q.Mu, _ = p.Float(m, "mu", path)
		q.Sigma, _ = p.Float(m, "sigma", path)
		switch dist {
		case "uniform", "loguniform":
			for _, k := range []string{"mu", "sigma"} {
				if _, present := m[k]; present {
					p.Addf(joinKey(path, k), "%s does not apply to the %s distribution", k, dist)
				}
			}
			if !hasMin || !hasMax {
				p.Addf(path, "the %s distribution needs min and max", dist)
			} else if !(q.Min < q.Max) {
				p.Addf(joinKey(path, "max"), "empty range: max %v is not above min %v", q.Max, q.Min)
			} else if dist == "loguniform" && q.Min <= 0 {
				p.Addf(joinKey(path, "min"), "loguniform needs min above 0, got %v", q.Min)
			}
		default:
			if !hasMu || !hasSigma {
				p.Addf(path, "the %s distribution needs mu and sigma", dist)
			} else if q.Sigma <= 0 {
				p.Addf(joinKey(path, "sigma"), "must be above 0, got %v", q.Sigma)
			}
			if hasMin != hasMax {
				p.Addf(path, "truncating the %s distribution needs both min and max", dist)
			} else if hasMin && !(q.Min < q.Max) {
				p.Addf(joinKey(path, "max"), "empty range: max %v is not above min %v", q.Max, q.Min)
			}
		}
	}
	return q
}

// values reads a list of levels: all numbers, or all strings or booleans.
func (p *parser) values(q *Param, raw any, path string) {
	list, ok := raw.([]any)
	if !ok {
		p.Addf(path, "want a list such as [0.5, 1, 2], got %s", describe(raw))
		return
	}
	if len(list) == 0 {
		p.Addf(path, "empty list: give at least one value")
		return
	}
	numeric := false
	switch list[0].(type) {
	case int64, float64:
		numeric = true
	}
	for i, e := range list {
		ep := joinIndex(path, i)
		switch x := e.(type) {
		case int64:
			if !numeric {
				p.Addf(ep, "mixes numbers with strings or booleans: give all values as one kind")
				continue
			}
			q.Values = append(q.Values, float64(x))
		case float64:
			if !numeric {
				p.Addf(ep, "mixes numbers with strings or booleans: give all values as one kind")
				continue
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				p.Addf(ep, "want a finite number, got %v", x)
				continue
			}
			q.Values = append(q.Values, x)
		case string:
			if numeric {
				p.Addf(ep, "mixes numbers with strings: give all values as one kind")
				continue
			}
			q.Labels = append(q.Labels, x)
		case bool:
			if numeric {
				p.Addf(ep, "mixes numbers with booleans: give all values as one kind")
				continue
			}
			q.Labels = append(q.Labels, strconv.FormatBool(x))
		case time.Time:
			if numeric {
				p.Addf(ep, "mixes numbers with dates: give all values as one kind")
				continue
			}
			q.Labels = append(q.Labels, x.Format(time.DateOnly))
		default:
			p.Addf(ep, "want a number, a string or a boolean, got %s (give tables as TOML text in a string: '{kind=\"const\", mean=30}')", describe(e))
		}
	}
}

var outputKeys = append([]string{"name"}, SelectionKeys...)

func (p *parser) output(m map[string]any, path string) Output {
	p.CheckKeys(m, path, outputKeys)
	o := Output{Selection: ReadSelection(p.TableReader, m, path, false, "")}
	if v, ok := p.String(m, "name", path); ok {
		o.Name = v
	} else {
		o.Name = o.defaultName()
	}
	return o
}

// reporterSeparators are the runs of characters a column name cannot hold.
var reporterSeparators = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// defaultName is metric with '.' as '_' (a reporter's punctuation as one
// '_', its minus signs as m), then _day7 for a day or
// _mean_30_59 for a range; a negative day n is written m|n|.
func (o Output) defaultName() string {
	day := func(d int) string {
		if d < 0 {
			return "m" + strconv.Itoa(-d)
		}
		return strconv.Itoa(d)
	}
	n := columnName(o.Metric)
	if strings.Contains(o.Metric, "(") { // a reporter: one '_' between words, m for minus
		n = strings.Trim(reporterSeparators.ReplaceAllString(strings.ReplaceAll(o.Metric, "-", "m"), "_"), "_")
	}
	switch {
	case o.HasDay:
		n += "_day" + day(o.Day)
	case o.HasRange:
		n += "_" + o.Stat + "_" + day(o.From) + "_" + day(o.To)
	}
	return n
}

func (p *parser) series(s *Spec, m map[string]any) {
	p.CheckKeys(m, "series", []string{"metrics", "every"})
	s.Series.Every = 1
	if v, ok := p.Int(m, "every", "series"); ok {
		if v < 1 {
			p.Addf("series.every", "must be 1 or more, got %d", v)
		} else {
			s.Series.Every = int(v)
		}
	}
	list, ok := p.Strings(m, "metrics", "series", `["a", "b"]`)
	if !ok {
		if _, present := m["metrics"]; !present {
			p.Addf("series", "missing key metrics, e.g. metrics = [\"wechat.share_value\"]")
		}
		return
	}
	seen := map[string]bool{}
	for i, name := range list {
		path := joinIndex("series.metrics", i)
		rep, msg := parseMetric(name, false)
		switch {
		case msg != "":
			p.Addf(path, "%s", msg)
			continue
		case rep.Shape() != reporter.Series:
			p.Addf(path, "%s is one number for the run and has no daily series", name)
			continue
		case seen[name]:
			p.Addf(path, "%s is listed twice", name)
			continue
		}
		seen[name] = true
		s.Series.Metrics = append(s.Series.Metrics, name)
		s.Series.reps = append(s.Series.reps, rep)
	}
}

// checkNames checks column names: valid, and unique among parameters,
// outputs and the fixed columns.
func (p *parser) checkNames(s *Spec) {
	seen := map[string]string{}
	for _, c := range fixedColumns {
		seen[c] = "a fixed column"
	}
	check := func(name, path, what string) {
		if !namePattern.MatchString(name) {
			p.Addf(path, "%s name %q must start with a letter or '_' and have only letters, digits and '_'", what, name)
			return
		}
		if prev, dup := seen[name]; dup {
			p.Addf(path, "%s name %q is already used by %s; give this one a name = \"...\"", what, name, prev)
			return
		}
		seen[name] = what + " " + path
	}
	keys := map[string]string{}
	for i, q := range s.Params {
		path := joinIndex("params", i)
		if prev, dup := keys[q.Key]; dup {
			p.Addf(joinKey(path, "key"), "%s is already swept by %s", q.Key, prev)
		}
		keys[q.Key] = path
		check(q.Name, joinKey(path, "name"), "parameter")
	}
	for i, o := range s.Outputs {
		check(o.Name, joinKey(joinIndex("outputs", i), "name"), "output")
	}
}

// columnName turns a key path or metric into a column name.
func columnName(key string) string {
	b := []byte(key)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	s := string(b)
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	return s
}

// describe names the TOML type of a decoded value for "want X, got Y".
func describe(raw any) string { return scenarios.DescribeValue(raw) }

// suggest is the scenario loader's "did you mean", so every file reads alike.
func suggest(word string, candidates []string) string { return scenarios.Suggest(word, candidates) }
