package game

import (
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rat parses a rational such as "1/2" or "-3"; it fails the test on bad input.
func rat(t testing.TB, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	require.True(t, ok, "bad rational %q", s)
	return r
}

// bimatrix builds an exact two-player game from matrices written as rows of
// space-separated rationals, e.g. "3 0; 5 1".
func bimatrix(t testing.TB, a, b string) *Game {
	t.Helper()
	parse := func(s string) [][]*big.Rat {
		var m [][]*big.Rat
		for _, row := range strings.Split(s, ";") {
			var r []*big.Rat
			for _, f := range strings.Fields(row) {
				r = append(r, rat(t, f))
			}
			m = append(m, r)
		}
		return m
	}
	g, err := Bimatrix(parse(a), parse(b))
	require.NoError(t, err)
	return g
}

// neLines formats profiles with FormatNE.
func neLines(ps []Profile) []string {
	var s []string
	for _, p := range ps {
		s = append(s, FormatNE(p))
	}
	return s
}
