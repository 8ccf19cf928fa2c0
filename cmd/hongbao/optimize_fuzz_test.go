package main

import (
	"testing"
)

// FuzzOptimizeSpec: no input makes the optimize file parser panic, and
// what it accepts is a spec the search can take.
func FuzzOptimizeSpec(f *testing.F) {
	f.Add(optimizeExample)
	f.Add([]byte("scenario = \"default\"\n[[players]]\nplatform = \"wechat\"\n[[players.levers]]\nkey = \"fee_rate\"\nlo = 0\nhi = 0.01\nlog = true\n"))
	f.Add([]byte("scenario = \"x\"\n[objective]\nmetric = \"share\"\nfrom = 3\nto = 1\n[constraint]\nmax_subsidies = -1\n"))
	f.Add([]byte("players = [{platform = \"a\", levers = [{key = \"b\", lo = 1, hi = 2, prior = \"normal\", mean = 1, sd = 0}]}]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := parseOptSpec("fuzz.toml", src)
		if err != nil {
			return
		}
		if len(s.Players) == 0 {
			t.Fatal("a spec without players was accepted")
		}
		for _, p := range s.Players {
			for _, l := range p.Levers {
				if err := l.param().Validate(); err != nil {
					t.Fatalf("an invalid lever was accepted: %v", err)
				}
			}
		}
		if s.Confirm < 2 || s.Replicates < 1 || s.Budget < 1 {
			t.Fatalf("bad counts accepted: %+v", s)
		}
	})
}
