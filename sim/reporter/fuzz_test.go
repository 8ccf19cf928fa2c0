package reporter

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParse checks that no input panics, that every error has a column
// inside the input (or just past it), and that a parsed reporter prints
// to a form that parses to the same form and evaluates without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"wechat.mau", "mean(share_value, 30..90)", "at(mau, -1)", "ratio(sum(a), sum(new_card_bound))",
		"mean(mau, 3..", "((((", "x.y.z", "1e400", "-", "at(mau, 99999999999999999999)", "ratio(1, 0)"} {
		f.Add(s)
	}
	r := history(5)
	f.Fuzz(func(t *testing.T, src string) {
		rep, err := Parse(src)
		if err != nil {
			e, ok := err.(*Error)
			require.True(t, ok, "%T", err)
			require.True(t, e.Col >= 1 && e.Col <= len(src)+1, "column %d of %q", e.Col, src)
			return
		}
		again, err := Parse(rep.String())
		require.NoError(t, err, "%q printed as %q", src, rep.String())
		require.Equal(t, rep.String(), again.String())
		rep.Value(r, "wechat")
		rep.Daily(r, "alipay")
	})
}
