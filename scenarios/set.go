package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// An override "key.path=value" changes one value, or overlays one table,
// after a file is read. The path walks the schema: table keys, and elements
// of arrays of tables by name (kind for merchants) or index:
//
//	platforms.wechat.fee_rate=0.01
//	platforms.0.fee_rate=0.01
//	platforms[0].campaigns[1].cashback=5
//	users.ticket={kind="const", mean=30}
//
// The value is TOML, with some slack for shells (see parseSetValue).

// ApplySet applies one override to an already valid scenario, as sweeps and
// the visualizer do between runs. The result is validated like a file; on
// any problem s is left as it was and the error is Problems.
func ApplySet(s *Scenario, set string) error {
	if s == nil {
		return Problems{{File: setFile, Key: setPath(set), Message: "no scenario to apply the override to"}}
	}
	c := copyScenario(s)
	d := &decoder{file: setFile, origins: map[string]int{}, origin: 0}
	root := reflect.ValueOf(c).Elem()
	d.applySet(root, set)
	if len(d.problems) == 0 {
		if setsHorizon([]string{set}) {
			cutSchedule(c) // the one horizon rule (horizon.go)
		}
		d.validate(c)
	}
	if len(d.problems) > 0 {
		return d.result(root)
	}
	*s = *c
	return nil
}

// setPath returns the path part of an override, for messages.
func setPath(set string) string {
	p, _, _ := strings.Cut(set, "=")
	return strings.TrimSpace(p)
}

// applySet applies one override to root, reporting problems under the
// current origin.
func (d *decoder) applySet(root reflect.Value, set string) {
	fail := func(key, format string, args ...any) {
		d.problems = append(d.problems, problem{key: key, msg: fmt.Sprintf(format, args...), origin: d.origin})
	}
	if len(set) > MaxSetBytes {
		fail(Echo(setPath(set)), "override too long: %d bytes, at most %d are allowed", len(set), MaxSetBytes)
		return
	}
	pathText, valueText, ok := strings.Cut(set, "=")
	pathText = strings.TrimSpace(pathText)
	if !ok {
		fail(pathText, "missing =: an override is key.path=value, e.g. world.days=120")
		return
	}
	if pathText == "" {
		fail("", "empty key path in %q: an override is key.path=value, e.g. world.days=120", set)
		return
	}
	segs, err := parseSetPath(pathText)
	if err != nil {
		fail(pathText, "%v", err)
		return
	}
	value, err := parseSetValue(valueText)
	if err != nil {
		fail(pathText, "%v", err)
		return
	}

	cur, f := root, field{typ: root.Type()}
	path := ""
	for i, seg := range segs {
		last := i == len(segs)-1
		switch {
		case cur.Kind() == reflect.Struct:
			if _, isIndex := segIndex(seg); isIndex {
				fail(pathText, "%s is a table, not a list: use a key instead of %s", orRoot(displayPath(root, path)), seg)
				return
			}
			nf, ok := fieldByKey(cur.Type(), seg)
			if !ok {
				fail(pathText, "%s", unknownKey(seg, keysOf(cur.Type())))
				return
			}
			f, cur, path = nf, cur.Field(nf.index), joinKey(path, nf.key)
		case cur.Kind() == reflect.Slice:
			idx, msg := findElem(cur, f, seg)
			if msg != "" {
				fail(pathText, "%s", msg)
				return
			}
			cur, path = cur.Index(idx), joinIndex(path, idx)
			f = field{key: f.key, typ: cur.Type(), unit: f.unit}
		default:
			fail(pathText, "%s is a single value, it has no key %s", displayPath(root, path), seg)
			return
		}
		if last {
			// A string field takes the text as written, so that
			// world.name=2024 names the scenario "2024".
			if cur.Kind() == reflect.String {
				switch value.(type) {
				case string, time.Time:
				default:
					value = strings.TrimSpace(valueText)
				}
			}
			d.assign(cur, f, value, path)
		}
	}
}

func orRoot(path string) string {
	if path == "" {
		return "the scenario"
	}
	return path
}

// findElem finds the element of slice named by seg: "[i]" is an index; a bare
// segment is a name (or kind) first, then an index.
func findElem(slice reflect.Value, f field, seg string) (int, string) {
	if i, ok := segIndex(seg); ok {
		return checkIndex(slice, f, i)
	}
	var ids []string
	id, hasID := idKey(slice.Type().Elem())
	if hasID {
		for i := 0; i < slice.Len(); i++ {
			name := slice.Index(i).Field(id.index).String()
			if name == seg {
				return i, ""
			}
			if name != "" {
				ids = append(ids, name)
			}
		}
	}
	if n, err := strconv.Atoi(seg); err == nil {
		return checkIndex(slice, f, n)
	}
	if !hasID {
		return 0, fmt.Sprintf("%s is a list: give an index such as %s.0", f.key, f.key)
	}
	what := strings.TrimSuffix(f.key, "s")
	if id.key != "name" {
		what += " " + id.key
	}
	return 0, unknownName(what, seg, ids)
}

func checkIndex(slice reflect.Value, f field, i int) (int, string) {
	if i < 0 || i >= slice.Len() {
		return 0, fmt.Sprintf("index %d is out of range: %s has %d elements", i, f.key, slice.Len())
	}
	return i, ""
}

// parseSetPath splits an override's path into segments, accepting both
// platforms.0 and platforms[0].
func parseSetPath(path string) ([]string, error) {
	var segs []string
	for _, dotted := range strings.Split(path, ".") {
		dotted = strings.TrimSpace(dotted)
		if dotted == "" {
			return nil, fmt.Errorf("empty segment in key path %q", path)
		}
		for _, seg := range splitPath(dotted) {
			if strings.HasPrefix(seg, "[") {
				if _, ok := segIndex(seg); !ok {
					return nil, fmt.Errorf("bad index %s in key path %q: want an index such as [0] or [1]", seg, path)
				}
			} else if strings.ContainsAny(seg, "]") {
				return nil, fmt.Errorf("bad segment %q in key path %q", seg, path)
			}
			segs = append(segs, strings.TrimSpace(seg))
		}
	}
	return segs, nil
}

// parseSetValue reads the value of an override as TOML. Shells make quotes
// awkward, so it also takes a word that is not TOML as a string
// (graph.kind=uniform, platforms.wechat.color=#ff0000), a list of words as a
// list of strings ([taxi, shop]), and quotes that arrive still escaped
// ([\"taxi\"]).
func parseSetValue(text string) (any, error) {
	t := strings.TrimSpace(text)
	v, err := tomlValue(t)
	var pe toml.ParseError
	if err == nil {
		return v, nil
	} else if !errors.As(err, &pe) {
		return nil, err // valid TOML, but not one value: never a bare string
	}
	if strings.Contains(t, `\"`) {
		if v, err2 := tomlValue(strings.ReplaceAll(t, `\"`, `"`)); err2 == nil {
			return v, nil
		}
	}
	if words, ok := wordList(t); ok {
		return words, nil
	}
	if t != "" && strings.ContainsRune(`[{"'`, rune(t[0])) {
		return nil, fmt.Errorf("the value %s is not valid TOML: %s", t, pe.Message)
	}
	return t, nil
}

// tomlValue parses one TOML value.
func tomlValue(t string) (any, error) {
	var m map[string]any
	if p := CheckRaw(setFile, []byte("v = "+t)); p != nil {
		return nil, errors.New(p.Message)
	}
	if _, err := toml.Decode("v = "+t, &m); err != nil {
		return nil, err
	}
	if v, ok := m["v"]; ok && len(m) == 1 {
		return v, nil
	}
	return nil, fmt.Errorf("the value %q is more than one TOML value", t)
}

// wordList reads [a, b, c] with bare words as a list of strings.
func wordList(t string) ([]any, bool) {
	inner, ok := strings.CutPrefix(t, "[")
	if !ok {
		return nil, false
	}
	if inner, ok = strings.CutSuffix(inner, "]"); !ok {
		return nil, false
	}
	words := []any{}
	if strings.TrimSpace(inner) == "" {
		return words, true
	}
	for _, w := range strings.Split(inner, ",") {
		w = strings.TrimSpace(w)
		if !isPlainWord(w) {
			return nil, false
		}
		words = append(words, w)
	}
	return words, true
}

// copyScenario returns a deep copy of s, so that a failed override can leave
// the original untouched.
func copyScenario(s *Scenario) *Scenario {
	c := *s
	deepen(reflect.ValueOf(&c).Elem())
	return &c
}

// deepen replaces every slice reachable from v by a copy.
func deepen(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).CanSet() {
				deepen(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := 0; i < c.Len(); i++ {
			deepen(c.Index(i))
		}
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			deepen(e)
			c.SetMapIndex(it.Key(), e)
		}
		v.Set(c)
	}
}
