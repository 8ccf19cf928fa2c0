package empirical

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paywars/hongbao/scenarios"
)

// A strategy is given as overrides of its platform, but a sweep parameter
// is one key with a list of values. The two meet in an overlay: the
// platform as the strategy leaves it, written as a TOML inline table of
// the fields that differ from the base (`platforms.wechat={campaigns=[…]}`),
// which the scenario loader lays over the platform. Tables are written as
// the differences only; lists (campaigns, arms, merchant kinds) and values
// whole, because the loader replaces a list rather than merging it.

var yuanType = reflect.TypeOf(scenarios.Yuan(0))

// tomlKey returns the TOML key of struct field i of t, or "" if it has none.
func tomlKey(t reflect.Type, i int) string {
	f := t.Field(i)
	if !f.IsExported() {
		return ""
	}
	k, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if k == "-" {
		return ""
	}
	return k
}

// appendValue writes v, a value of the scenario schema, as one TOML value
// that the loader reads back to the same value.
func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	t := v.Type()
	switch {
	case t == yuanType:
		return append(b, scenarios.Yuan(v.Int()).String()...), nil
	case t.Kind() == reflect.String:
		return appendString(b, v.String()), nil
	case t.Kind() == reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		if v.Uint() > math.MaxInt64 {
			return b, fmt.Errorf("empirical: %d does not fit a TOML integer", v.Uint())
		}
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		x := v.Float()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("empirical: %v is not a finite number", x)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64), nil
	case t.Kind() == reflect.Struct:
		b = append(b, '{')
		first := true
		for i := 0; i < t.NumField(); i++ {
			k := tomlKey(t, i)
			if k == "" {
				continue
			}
			if !first {
				b = append(b, ", "...)
			}
			first = false
			b = append(b, k...)
			b = append(b, " = "...)
			var err error
			if b, err = appendValue(b, v.Field(i)); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case t.Kind() == reflect.Slice:
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			var err error
			if b, err = appendValue(b, v.Index(i)); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	return b, fmt.Errorf("empirical: cannot write a %s as TOML", t)
}

// appendString writes s as a TOML basic string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b = append(b, `\"`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == utf8.RuneError && size == 1:
			b = append(b, `\uFFFD`...)
		case r < 0x20 || r == 0x7f:
			b = fmt.Appendf(b, `\u%04X`, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// diffTable writes the fields of struct b that differ from those of struct a
// (of the same type) as an inline table: sub-tables as their own
// differences, lists and values whole. It returns "{}" when they are equal.
func diffTable(a, b reflect.Value) (string, error) {
	out, err := appendDiff(nil, a, b)
	return string(out), err
}

func appendDiff(out []byte, a, b reflect.Value) ([]byte, error) {
	t := a.Type()
	out = append(out, '{')
	first := true
	for i := 0; i < t.NumField(); i++ {
		k := tomlKey(t, i)
		if k == "" || same(a.Field(i).Interface(), b.Field(i).Interface()) {
			continue
		}
		if !first {
			out = append(out, ", "...)
		}
		first = false
		out = append(out, k...)
		out = append(out, " = "...)
		var err error
		if t.Field(i).Type.Kind() == reflect.Struct && t.Field(i).Type != yuanType {
			out, err = appendDiff(out, a.Field(i), b.Field(i))
		} else {
			out, err = appendValue(out, b.Field(i))
		}
		if err != nil {
			return out, err
		}
	}
	return append(out, '}'), nil
}

// diffSets returns --set overrides that turn scenario a into scenario b:
// one per top-level table that differs (world={days=60}), one per element
// of a list of tables of the same length (platforms[0]={campaigns=[…]}),
// and whole lists otherwise.
func diffSets(a, b *scenarios.Scenario) ([]string, error) {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	t := va.Type()
	var sets []string
	for i := 0; i < t.NumField(); i++ {
		k := tomlKey(t, i)
		fa, fb := va.Field(i), vb.Field(i)
		if k == "" || same(fa.Interface(), fb.Interface()) {
			continue
		}
		ft := t.Field(i).Type
		switch {
		case ft.Kind() == reflect.Struct:
			d, err := diffTable(fa, fb)
			if err != nil {
				return nil, err
			}
			sets = append(sets, k+"="+d)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && fa.Len() == fb.Len():
			for j := 0; j < fa.Len(); j++ {
				if same(fa.Index(j).Interface(), fb.Index(j).Interface()) {
					continue
				}
				d, err := diffTable(fa.Index(j), fb.Index(j))
				if err != nil {
					return nil, err
				}
				sets = append(sets, k+"["+strconv.Itoa(j)+"]="+d)
			}
		default:
			v, err := appendValue(nil, fb)
			if err != nil {
				return nil, err
			}
			sets = append(sets, k+"="+string(v))
		}
	}
	return sets, nil
}

// same reports whether a and b hold the same scenario values, as
// reflect.DeepEqual does except that a nil list equals an empty one: TOML
// has no nil, and the engine reads both as "none".
func same(a, b any) bool { return sameValue(reflect.ValueOf(a), reflect.ValueOf(b)) }

func sameValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Map, reflect.Interface, reflect.Func, reflect.Chan:
		return reflect.DeepEqual(a.Interface(), b.Interface())
	}
	if !a.CanInterface() {
		return false
	}
	return a.Interface() == b.Interface()
}
