package empirical

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSetsBlamed: a game's days past the horizon its sets leave is
// refused at days (the generated sweep could not lengthen it), and a bad
// value in a sets list is located at its own element, not the next line.
func TestSetsBlamed(t *testing.T) {
	src, err := os.ReadFile("testdata/tiny.game.toml")
	require.NoError(t, err)
	cases := []struct {
		name, from, to, want string
	}{
		{"days past the horizon the sets leave",
			`sets = ["platforms.alipay.strategy.kind=fixed"]`,
			"sets = [\"platforms.alipay.strategy.kind=fixed\",\n  \"world.days=30\"]",
			"g.game.toml:8:1: days: days (60) is more than the 30 days"},
		{"bad value on its own line",
			`sets = ["platforms.alipay.strategy.kind=fixed"]`,
			"sets = [\n  \"platforms.alipay.strategy.kind=fixed\",\n  \"payoff.terminal_mau=-1\",\n]",
			"g.game.toml:7:3: sets[1]: payoff.terminal_mau: must be between 0 and"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			changed := strings.Replace(string(src), c.from, c.to, 1)
			require.NotEqual(t, string(src), changed)
			path := filepath.Join(t.TempDir(), "g.game.toml")
			require.NoError(t, os.WriteFile(path, []byte(changed), 0o644))
			_, err := Load(path)
			require.Error(t, err)
			for _, line := range strings.Split(err.Error(), "\n") {
				assert.Contains(t, line, c.want)
			}
		})
	}
}

// TestTooLargeForEnumMixed: a two-player game past vertex enumeration's
// limit (13 × 13 strategies) is solved by the logit path instead, with a
// note that says why, and not by a search that exhausts memory.
func TestTooLargeForEnumMixed(t *testing.T) {
	tb := randomTable(rand.New(rand.NewPCG(13, 13)), []int{13, 13}, 2, false)
	a, err := Analyze(tb, AnalyzeOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, a.Notes)
	assert.Contains(t, a.Notes[0], "enummixed")
	assert.Contains(t, a.Notes[0], "logit")
	logit := false
	for _, e := range a.Equilibria {
		for _, by := range e.Found {
			logit = logit || by == "logit"
			assert.NotEqual(t, "enummixed", by)
		}
	}
	assert.True(t, logit, "the logit solution is reported")
}
