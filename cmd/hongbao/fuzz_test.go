package main

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseVariant: compare's variant parser never panics, and what it
// accepts is a scenario with well-formed key=value overrides.
func FuzzParseVariant(f *testing.F) {
	for _, s := range []string{"default", "my/war.toml", `C:\w.toml`, "default:a.b=1,c=[1,2]", `d:x="a,b"`, ":x=1", "d:x=1,,y=2", "d:{=}", "d:x='"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		v, err := parseVariant(arg)
		if err != nil {
			return
		}
		if v.label != arg || v.scenario == "" && arg != "" {
			t.Fatalf("%q: label %q scenario %q", arg, v.label, v.scenario)
		}
		for _, kv := range v.sets {
			if !strings.Contains(kv, "=") || strings.HasPrefix(kv, "=") || strings.TrimSpace(kv) != kv {
				t.Fatalf("%q: override %q is not key=value", arg, kv)
			}
		}
	})
}

// FuzzParseSeeds: what --seeds accepts prints back as the same list.
func FuzzParseSeeds(f *testing.F) {
	for _, s := range []string{"1", "1,2,3", " 4 , 5", "x", "1,,2", "18446744073709551615", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seeds, err := parseSeeds(s)
		if err != nil {
			return
		}
		var parts []string
		for _, n := range seeds {
			parts = append(parts, strconv.FormatUint(n, 10))
		}
		again, err := parseSeeds(strings.Join(parts, ","))
		if err != nil || len(again) != len(seeds) {
			t.Fatalf("%q gave %v, which reads back as %v (%v)", s, seeds, again, err)
		}
	})
}
