package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/reporter"
)

// Plan is a sweep bound to its base scenario: every parameter has been
// applied to the base and every output checked against it, so that a run
// can only fail for a reason of its own.
type Plan struct {
	Spec *Spec
	// Base is the base scenario with the sweep's sets applied. It is
	// shared by every run and never written to.
	Base *scenarios.Scenario
	// BaseSource is the base scenario's TOML, hashed into Hash.
	BaseSource []byte
	// Hash identifies the sweep: the sweep file and the base scenario's
	// source. Resumes and merges refuse to mix runs of different hashes.
	Hash string
}

// Load reads and parses a sweep file and binds it to its base scenario.
func Load(path string) (*Plan, error) {
	src, err := ReadSource(path, "sweep")
	if err != nil {
		return nil, err
	}
	s, err := ParseSpec(path, src)
	if err != nil {
		return nil, err
	}
	return Bind(s)
}

// maxChecked bounds how many levels of one parameter Bind applies to the
// base: enough to catch a bad range without a long wait on a 10⁶-level step.
const maxChecked = 64

// Bind loads the base scenario of s, applies its sets, and checks every
// parameter by applying it to the base (each listed value, the levels of a
// step range, or the bounds and median of a distribution) and every output
// against the base's platforms and horizon. All problems come back at once
// as scenarios.Problems, located in the sweep file where possible and in
// the base scenario for its own problems.
func Bind(s *Spec) (*Plan, error) {
	r := scenarios.NewTableReader(s.File, s.Source)
	var extra scenarios.Problems
	addf := func(path, msg string) { r.Addf(path, "%s", msg) }
	fail := func() error {
		return append(r.Problems(), extra...)
	}

	label, src, _, msg := scenarios.ReadNamed(s.Scenario, s.File, "sweep")
	if msg != "" {
		addf("scenario", msg)
		return nil, fail()
	}
	base, err := scenarios.Parse(label, src, nil)
	if err != nil {
		addf("scenario", "the base scenario "+s.Scenario+" has problems (listed with its own file name)")
		var ps scenarios.Problems
		if errors.As(err, &ps) {
			extra = ps
		} else {
			extra = scenarios.Problems{{File: label, Message: err.Error()}}
		}
		return nil, fail()
	}
	if len(s.Sets) > 0 {
		// The sets are applied together, as `hongbao run --set` does, so
		// that two that only make sense together (a shorter horizon and
		// a campaign that ends sooner) are fine in any order.
		withSets, err := scenarios.Parse(label, src, s.Sets)
		if err == nil {
			base = withSets
		} else {
			for _, pr := range problemsOf(err, label) {
				switch {
				case pr.File == "--set":
					addf(SetIndexPath(s.Sets, pr.Key), keyed(pr))
				default:
					addf("sets", "with these sets the base scenario has a problem: "+pr.String())
				}
			}
		}
	}
	// A failed set leaves base as it was, so the checks below still
	// find the parameters' own problems.
	l := s.layout
	minDays := base.World.Days
	for j, q := range s.Params {
		path := joinIndex("params", j)
		tested := testPoints(l, j)
		var msgs []string
		var at []string
		for _, i := range tested {
			c := *base
			set := q.Key + "=" + l.Text(i, j)
			if err := scenarios.ApplySet(&c, set); err != nil {
				msgs = append(msgs, strings.Join(setMessages(err), "; "))
				at = append(at, valuePath(&q, path, l.Value(i, j)))
				continue
			}
			if q.Key == "world.days" {
				minDays = min(minDays, c.World.Days)
			}
		}
		switch {
		case len(msgs) == 0:
		case len(msgs) == len(tested) && allSame(msgs):
			// Every value fails alike: the key is the problem.
			addf(joinKey(path, "key"), msgs[0])
		default:
			addf(at[0], msgs[0])
		}
	}

	names := make([]string, len(base.Platforms))
	for i, p := range base.Platforms {
		names[i] = p.Name
	}
	checkPlatform := func(path, metric string, rep *reporter.Reporter) {
		if rep == nil {
			return
		}
		for _, pl := range rep.Platforms() {
			if slices.Contains(names, pl) {
				continue
			}
			m := "no platform " + quote(pl) + " in the base scenario"
			if sg := suggest(pl, names); sg != "" {
				m += "; did you mean " + strings.Replace(metric, pl+".", sg+".", 1) + "?"
			} else {
				m += "; its platforms are " + strings.Join(names, ", ")
			}
			addf(path, m)
			return
		}
	}
	for i, o := range s.Outputs {
		path := joinIndex("outputs", i)
		checkPlatform(joinKey(path, "metric"), o.Metric, o.base)
		o.CheckDays(minDays, path, addf)
	}
	for i, rep := range s.Series.reps {
		checkPlatform(joinIndex("series.metrics", i), s.Series.Metrics[i], rep)
	}
	if r.Count() > 0 {
		return nil, fail()
	}
	return &Plan{Spec: s, Base: base, BaseSource: src, Hash: sweepHash(s.Source, src)}, nil
}

// problemsOf returns the Problems in err, or one problem of file.
func problemsOf(err error, file string) scenarios.Problems {
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return scenarios.Problems{{File: file, Message: err.Error()}}
}

func keyed(p scenarios.Problem) string {
	if p.Key != "" {
		return p.Key + ": " + p.Message
	}
	return p.Message
}

// SetIndexPath finds the entry of a sweep's or game's sets that a --set
// problem is about, by its key: "sets[i]" for the set whose key path is
// the problem's key or the longest that leads to it, "sets" for none.
func SetIndexPath(sets []string, key string) string {
	best, bestLen := -1, -1
	for i, set := range sets {
		k, _, _ := strings.Cut(set, "=")
		k = strings.TrimSpace(k)
		if (key == k || strings.HasPrefix(key, k+".") || strings.HasPrefix(key, k+"[")) && len(k) > bestLen {
			best, bestLen = i, len(k)
		}
	}
	if best < 0 {
		return "sets"
	}
	return joinIndex("sets", best)
}

// setMessages returns the messages of an ApplySet error, each with its key.
func setMessages(err error) []string {
	var ps scenarios.Problems
	if !errors.As(err, &ps) {
		return []string{err.Error()}
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		if p.Key != "" {
			out[i] = p.Key + ": " + p.Message
		} else {
			out[i] = p.Message
		}
	}
	return out
}

// testPoints picks the design points whose values of parameter j Bind
// applies: one per distinct value, at most maxChecked of them spread over
// the sorted distinct values (the extremes always among them).
func testPoints(l *Layout, j int) []int {
	first := map[float64]int{}
	var vals []float64
	for i := range l.Points {
		v := l.Value(i, j)
		if _, ok := first[v]; !ok {
			first[v] = i
			vals = append(vals, v)
		}
	}
	sortFloats(vals)
	if len(vals) > maxChecked {
		picked := make([]float64, 0, maxChecked)
		for k := range maxChecked {
			picked = append(picked, vals[k*(len(vals)-1)/(maxChecked-1)])
		}
		vals = picked
	}
	out := make([]int, len(vals))
	for k, v := range vals {
		out[k] = first[v]
	}
	return out
}

// valuePath locates a failing value: the listed value itself, else the
// bound nearest to it, else the parameter.
func valuePath(q *Param, path string, v float64) string {
	switch {
	case len(q.Labels) > 0:
		return joinIndex(joinKey(path, "values"), int(v))
	case len(q.Values) > 0:
		for i, x := range q.Values {
			if x == v {
				return joinIndex(joinKey(path, "values"), i)
			}
		}
	case q.Step > 0 || q.Min < q.Max:
		if math.Abs(v-q.Min) <= math.Abs(v-q.Max) {
			return joinKey(path, "min")
		}
		return joinKey(path, "max")
	}
	return path
}

func allSame(list []string) bool {
	for _, s := range list {
		if s != list[0] {
			return false
		}
	}
	return true
}

// sweepHash is SHA-256 over the sweep file and the base scenario, each
// length-prefixed so that no two pairs hash alike.
func sweepHash(sweepSrc, baseSrc []byte) string {
	h := sha256.New()
	h.Write([]byte("hongbao-sweep/1\x00"))
	var n [8]byte
	for _, b := range [][]byte{sweepSrc, baseSrc} {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
