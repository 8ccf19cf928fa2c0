package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
)

// Problem is one thing wrong with a scenario, located in its source.
type Problem struct {
	File    string // file name as given (or "--set" for an override)
	Line    int    // 1-based; 0 when unknown
	Col     int    // 1-based; 0 when unknown
	Key     string // key path, e.g. "platforms.wechat.campaigns[0].cashback"
	Message string
	// Override is 1 + the index of the override a --set problem is blamed
	// on, so that a file that lists overrides (a game's sets) can point at
	// the right one; 0 for problems of the file.
	Override int
}

// setFile is the File of problems that come from a --set override.
const setFile = "--set"

// String formats the problem as "file:line:col: key: message", the form
// editors and terminals turn into a link; unknown parts are left out.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(Echo(p.File))
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(Echo(p.Key))
		b.WriteString(": ")
	}
	b.WriteString(escapeText(p.Message))
	return b.String()
}

// Problems is a list of problems; it is the error returned for invalid input,
// so that a caller can show every problem at once instead of one per run.
type Problems []Problem

// maxShown bounds the problems Error lists: a generated file can have
// thousands, and the first ones are what the user fixes first.
const maxShown = 100

// Error lists one problem per line (at most maxShown), in source order, with the problems of
// --set overrides after those of the file.
func (ps Problems) Error() string {
	sorted := append(Problems(nil), ps...)
	sortProblems(sorted)
	lines := make([]string, 0, min(len(sorted), maxShown+1))
	for i, p := range sorted {
		if i == maxShown {
			lines = append(lines, fmt.Sprintf("... and %d more problems", len(sorted)-maxShown))
			break
		}
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// sortProblems orders file problems by position (key and message break ties,
// so that output is the same on every run) and keeps --set problems after
// them in the order of the overrides.
func sortProblems(ps Problems) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if as, bs := a.File == setFile, b.File == setFile; as != bs {
			return bs
		} else if as {
			return false
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Message < b.Message
	})
}

// Parse reads a scenario from TOML source. file names the source in messages.
// sets are --set overrides "key.path=value", applied after the file and
// validated like it. On invalid input it returns a nil scenario and a
// Problems error listing every problem found.
func Parse(file string, src []byte, sets []string) (*Scenario, error) {
	raw, err := DecodeTOML(file, src)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file, loc: locate(src), origins: map[string]int{}, origin: fromFile}
	s := new(Scenario)
	s.SetDefaults()
	root := reflect.ValueOf(s).Elem()
	prof, ps := profileOf(file, raw) // behaviour shared by episodes: profile.go
	if ps != nil {
		return nil, ps
	}
	if prof != nil {
		prof.under(d, root)
	}
	d.overlay(root, raw, "")
	if prof != nil {
		prof.over(s, raw)
	}
	for i, set := range sets {
		d.origin = i
		d.applySet(root, set)
	}
	if setsHorizon(sets) {
		cutSchedule(s) // the one horizon rule (horizon.go)
	}
	d.validate(s)
	if len(d.problems) > 0 {
		return nil, d.result(root)
	}
	return s, nil
}

// Load resolves nameOrPath, a library name ("default") or a path to a .toml
// file, and parses it with the overrides sets. Anything with a path separator
// or a .toml suffix is a path, so a file never shadows a library name.
func Load(nameOrPath string, sets []string) (*Scenario, error) {
	if !IsPath(nameOrPath) {
		src, err := LibrarySource(nameOrPath)
		if err != nil {
			return nil, err
		}
		return Parse("library/"+nameOrPath+".toml", src, sets)
	}
	if _, err := os.Stat(nameOrPath); err != nil && errors.Is(err, fs.ErrNotExist) {
		msg := "no such file"
		{
			base := strings.TrimSuffix(filepath.Base(nameOrPath), ".toml")
			if s := suggest(base, libraryNames()); s != "" {
				msg += "; did you mean the library scenario " + s + "?"
			}
			msg += " Library scenarios (give the name without .toml): " + strings.Join(libraryNames(), ", ") + "."
		}
		return nil, Problems{{File: nameOrPath, Message: msg}}
	}
	src, err := ReadInput(nameOrPath, "scenario")
	if err != nil {
		return nil, err
	}
	return Parse(nameOrPath, src, sets)
}

// IsPath reports whether nameOrPath names a file rather than a library
// scenario: it has a path separator or ends in .toml.
func IsPath(nameOrPath string) bool {
	return strings.ContainsAny(nameOrPath, "/"+string(os.PathSeparator)) || strings.HasSuffix(nameOrPath, ".toml")
}

// syntaxProblem turns a toml.Decode error into a Problem. Line and column
// are recomputed from the byte offset: ParseError's own column is off on
// the first byte of a line, and an error found at a newline (an unclosed
// header) has the next line's number and no column there.
func syntaxProblem(file string, src []byte, err error) Problem {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return Problem{File: file, Message: "invalid TOML: " + err.Error()}
	}
	p := Problem{File: file, Line: pe.Position.Line, Message: "invalid TOML: " + pe.Message}
	if at := pe.Position.Start; at >= 0 && at <= len(src) {
		line, lineStart := 1, 0
		for i := 0; i < at; i++ {
			if src[i] == '\n' {
				line++
				lineStart = i + 1
			}
		}
		p.Line, p.Col = line, at-lineStart+1
	}
	return p
}

// fromFile is the origin of values read from the file; overrides are
// numbered from 0 in the order given.
const fromFile = -1

// problem is a Problem before it is located: path is a key path with
// indices, resolved to a position and a display key at the end.
type problem struct {
	path   string
	key    string // shown instead of path when set (a --set path that did not resolve)
	msg    string
	origin int
}

// decoder walks decoded TOML against the schema and collects problems.
type decoder struct {
	file     string
	loc      *locator
	problems []problem
	// origins records which override last set a value (by key path), so
	// that a range problem found after all overrides is blamed on the
	// override and not on the file line it replaced.
	origins map[string]int
	origin  int
	kinds   []string // the merchant kinds defined, while validating
	// badType holds the paths whose value had the wrong type, which
	// validation then leaves alone.
	badType map[string]bool
}

// typeErrorf reports a value of the wrong type.
func (d *decoder) typeErrorf(path, format string, args ...any) {
	if d.badType == nil {
		d.badType = map[string]bool{}
	}
	d.badType[path] = true
	d.addf(path, format, args...)
}

func (d *decoder) addf(path, format string, args ...any) {
	d.problems = append(d.problems, problem{path: path, msg: fmt.Sprintf(format, args...), origin: d.origin})
}

// originOf returns the origin of the value at path: the innermost
// assignment that covers it.
func (d *decoder) originOf(path string) int {
	for {
		if o, ok := d.origins[path]; ok {
			return o
		}
		if path == "" {
			return fromFile
		}
		path = parentPath(path)
	}
}

// setOrigin records that the current origin wrote path; a whole value
// replaced (a list, a new array of tables) forgets older overrides inside it.
func (d *decoder) setOrigin(path string, replaced bool) {
	if d.origin == fromFile {
		return
	}
	if replaced {
		for k := range d.origins {
			if strings.HasPrefix(k, path+".") || strings.HasPrefix(k, path+"[") {
				delete(d.origins, k)
			}
		}
	}
	d.origins[path] = d.origin
}

// result locates the problems and returns them in order.
func (d *decoder) result(root reflect.Value) Problems {
	type keyed struct {
		Problem
		origin int
	}
	out := make([]keyed, 0, len(d.problems))
	for _, p := range d.problems {
		key := p.key
		if key == "" {
			key = displayPath(root, p.path)
		}
		k := keyed{Problem: Problem{Key: key, Message: p.msg}, origin: p.origin}
		if p.origin == fromFile {
			at := d.loc.find(p.path)
			k.File, k.Line, k.Col = d.file, at.line, at.col
		} else {
			k.File, k.Override = setFile, p.origin+1
		}
		out = append(out, k)
	}
	// Overrides in the order given; within one, in the order found.
	sort.SliceStable(out, func(i, j int) bool { return out[i].origin < out[j].origin })
	ps := make(Problems, len(out))
	for i, k := range out {
		ps[i] = k.Problem
	}
	sortProblems(ps)
	return ps
}

// field describes one field of a schema struct, from its tags.
type field struct {
	key   string
	index int
	typ   reflect.Type
	doc   string
	unit  string
	min   string
	max   string
	enum  []string
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf lists the fields of a schema struct that have a toml key, in
// declaration order.
func fieldsOf(t reflect.Type) []field {
	if t.Kind() != reflect.Struct {
		return nil
	}
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if !sf.IsExported() || key == "" || key == "-" {
			continue
		}
		f := field{key: key, index: i, typ: sf.Type, doc: sf.Tag.Get("doc"), unit: sf.Tag.Get("unit"),
			min: sf.Tag.Get("min"), max: sf.Tag.Get("max")}
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, "|")
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs
}

func fieldByKey(t reflect.Type, key string) (field, bool) {
	for _, f := range fieldsOf(t) {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

func keysOf(t reflect.Type) []string {
	var keys []string
	for _, f := range fieldsOf(t) {
		keys = append(keys, f.key)
	}
	return keys
}

var yuanType = reflect.TypeOf(Yuan(0))

// newElem returns a new element of a slice of structs, with the defaults of
// its type when it has them.
func newElem(t reflect.Type) reflect.Value {
	v := reflect.New(t)
	if sd, ok := v.Interface().(interface{ SetDefaults() }); ok {
		sd.SetDefaults()
	}
	return v.Elem()
}

// idKey is the key that names the elements of an array of tables in key
// paths: name when they have one, else kind (merchants).
func idKey(t reflect.Type) (field, bool) {
	if f, ok := fieldByKey(t, "name"); ok && f.typ.Kind() == reflect.String {
		return f, true
	}
	if f, ok := fieldByKey(t, "kind"); ok && f.typ.Kind() == reflect.String {
		return f, true
	}
	return field{}, false
}

// elemID returns the name element i of slice is shown by in key paths, or ""
// when it has none that is usable: empty, not unique, or not a plain word.
func elemID(slice reflect.Value, i int) string {
	f, ok := idKey(slice.Type().Elem())
	if !ok {
		return ""
	}
	id := slice.Index(i).Field(f.index).String()
	if !isPlainWord(id) {
		return ""
	}
	for j := 0; j < slice.Len(); j++ {
		if j != i && slice.Index(j).Field(f.index).String() == id {
			return ""
		}
	}
	return id
}

func isPlainWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBare(s[i]) {
			return false
		}
	}
	return true
}

// displayPath rewrites a key path with indices for people: elements of arrays
// of tables are shown by name when they have a usable one
// ("platforms.wechat.fee_rate"), else by index ("campaigns[0]").
func displayPath(root reflect.Value, path string) string {
	cur := root
	out := ""
	for _, seg := range splitPath(path) {
		if i, ok := segIndex(seg); ok {
			if cur.IsValid() && cur.Kind() == reflect.Slice && i < cur.Len() {
				if cur.Type().Elem().Kind() == reflect.Struct {
					if id := elemID(cur, i); id != "" {
						out = joinKey(out, id)
						cur = cur.Index(i)
						continue
					}
				}
				cur = cur.Index(i)
			} else {
				cur = reflect.Value{}
			}
			out += seg
			continue
		}
		out = joinKey(out, seg)
		if cur.IsValid() && cur.Kind() == reflect.Struct {
			if f, ok := fieldByKey(cur.Type(), seg); ok {
				cur = cur.Field(f.index)
				continue
			}
		}
		cur = reflect.Value{}
	}
	return out
}

// overlay assigns the keys of m onto the struct v, leaving the others as
// they are, and reports unknown keys.
func (d *decoder) overlay(v reflect.Value, m map[string]any, path string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := joinKey(path, k)
		f, ok := fieldByKey(v.Type(), k)
		if !ok {
			d.addf(p, "%s", unknownKey(k, keysOf(v.Type())))
			continue
		}
		d.assign(v.Field(f.index), f, m[k], p)
	}
}

// unknownKey phrases the message for a key the schema does not have.
func unknownKey(key string, known []string) string {
	return "unknown key" + DidYouMean(key, known, "the keys here are")
}

// assign stores the decoded TOML value raw into v, the field f at path.
// Only types are checked here; ranges and cross-checks run on the result,
// after every override (see validate).
func (d *decoder) assign(v reflect.Value, f field, raw any, path string) {
	t := v.Type()
	switch {
	case t == yuanType:
		var y Yuan
		var err error
		switch x := raw.(type) {
		case int64:
			y, err = YuanFromFloat(float64(x))
		case float64:
			y, err = YuanFromFloat(x)
		default:
			d.typeErrorf(path, "want an amount in yuan (a number with at most 2 decimals), got %s", describe(raw))
			return
		}
		if err != nil {
			d.typeErrorf(path, "%v", err)
			return
		}
		v.SetInt(int64(y))
	case t.Kind() == reflect.String:
		switch x := raw.(type) {
		case string:
			v.SetString(x)
		case time.Time:
			if f.unit != "date" {
				d.typeErrorf(path, "want a string, got %s", describe(raw))
				return
			}
			if x.Location().String() != "date-local" {
				d.typeErrorf(path, "want a date as YYYY-MM-DD, got a date with a time of day")
				return
			}
			v.SetString(x.Format(time.DateOnly))
		default:
			d.typeErrorf(path, "want a string, got %s (put it in quotes)", describe(raw))
			return
		}
	case t.Kind() == reflect.Bool:
		x, ok := raw.(bool)
		if !ok {
			d.typeErrorf(path, "want true or false, got %s", describe(raw))
			return
		}
		v.SetBool(x)
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		n, ok := d.wholeNumber(raw, path)
		if !ok {
			return
		}
		if v.OverflowInt(n) {
			d.typeErrorf(path, "%d is too large", n)
			return
		}
		v.SetInt(n)
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		n, ok := d.wholeNumber(raw, path)
		if !ok {
			return
		}
		if n < 0 {
			d.typeErrorf(path, "must be 0 or more, got %d", n)
			return
		}
		if v.OverflowUint(uint64(n)) {
			d.typeErrorf(path, "%d is too large", n)
			return
		}
		v.SetUint(uint64(n))
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		var x float64
		switch r := raw.(type) {
		case int64:
			x = float64(r)
		case float64:
			x = r
		default:
			d.typeErrorf(path, "want a number, got %s", describe(raw))
			return
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			d.typeErrorf(path, "want a finite number, got %v", x)
			return
		}
		v.SetFloat(x)
	case t.Kind() == reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			if _, isList := tables(raw); isList {
				d.typeErrorf(path, "want a table, got a list: write [%s], with one bracket", headerPath(path))
				return
			}
			d.typeErrorf(path, "want a table, got %s", describe(raw))
			return
		}
		d.overlay(v, m, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		elems, ok := tables(raw)
		if !ok {
			if _, isTable := raw.(map[string]any); isTable {
				d.typeErrorf(path, "want an array of tables, got a table: write [[%s]], with two brackets, once for each element", headerPath(path))
				return
			}
			d.typeErrorf(path, "want an array of tables, got %s", describe(raw))
			return
		}
		d.setOrigin(path, true)
		s := reflect.MakeSlice(t, len(elems), len(elems))
		for i, m := range elems {
			e := newElem(t.Elem())
			d.overlay(e, m, joinIndex(path, i))
			s.Index(i).Set(e)
		}
		v.Set(s)
		return
	case t.Kind() == reflect.Slice:
		list, ok := raw.([]any)
		if !ok {
			d.typeErrorf(path, "want a list such as [%s], got %s", listExample(t.Elem()), describe(raw))
			return
		}
		d.setOrigin(path, true)
		s := reflect.MakeSlice(t, len(list), len(list))
		elemField := field{key: f.key, typ: t.Elem(), unit: f.unit}
		for i, x := range list {
			d.assign(s.Index(i), elemField, x, joinIndex(path, i))
		}
		v.Set(s)
		return
	default:
		// A field type the loader does not know yet: a schema change, not a
		// user error, but reported rather than panicking.
		d.typeErrorf(path, "cannot be set: the loader does not support fields of type %s", t)
		return
	}
	d.setOrigin(path, false)
}

// headerPath is the TOML header of the table at path: its keys without
// indices, as in [[platforms.campaigns]].
func headerPath(path string) string {
	var keys []string
	for _, seg := range splitPath(path) {
		if _, ok := segIndex(seg); !ok {
			keys = append(keys, seg)
		}
	}
	return strings.Join(keys, ".")
}

// wholeNumber accepts an integer, or a float with no fractional part.
func (d *decoder) wholeNumber(raw any, path string) (int64, bool) {
	switch x := raw.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), true
		}
		d.typeErrorf(path, "want a whole number, got %v", x)
	default:
		d.typeErrorf(path, "want a whole number, got %s", describe(raw))
	}
	return 0, false
}

// tables accepts an array of tables, or an array whose elements are all
// inline tables.
func tables(raw any) ([]map[string]any, bool) {
	out, bad, ok := asTables(raw)
	return out, ok && len(bad) == 0
}

func listExample(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return `"a", "b"`
	case reflect.Bool:
		return "true, false"
	}
	return "1, 2"
}

// describe names the TOML type of a decoded value, with the value when it is
// short, for "want X, got Y" messages.
func describe(raw any) string {
	switch x := raw.(type) {
	case string:
		if len(x) > 40 {
			return "a string"
		}
		return "the string " + strconv.Quote(x)
	case int64:
		return "the integer " + strconv.FormatInt(x, 10)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return "the boolean " + strconv.FormatBool(x)
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a value of type %T", raw)
}
