package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimePhases checks that Step times its phases only when asked
// (TimePhases), and times the day either way (Result's Elapsed), and that
// the timing changes no output.
func TestTimePhases(t *testing.T) {
	run := func(timed bool) *World {
		w, err := New(testScenario(500, 5, 7))
		require.NoError(t, err)
		w.TimePhases(timed)
		for !w.Done() {
			require.NoError(t, w.Step())
		}
		return w
	}
	plain, timed := run(false), run(true)
	assert.Equal(t, [numPhases]time.Duration{}, plain.PhaseTimes(), "no phase timed unless asked")
	assert.Positive(t, plain.Result().Elapsed, "the days are timed anyway")
	assert.Positive(t, timed.PhaseTimes()[PhaseUsers], "the users' phase timed when asked")
	assert.Equal(t, plain.Result().History, timed.Result().History, "timing moves no output")
}
