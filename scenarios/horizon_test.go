package scenarios

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetHorizon(t *testing.T) {
	s, err := Load("default", nil)
	require.NoError(t, err)
	require.NoError(t, SetHorizon(s, 20))
	assert.Equal(t, 20, s.World.Days)
	for _, p := range s.Platforms {
		for _, c := range p.Campaigns {
			assert.LessOrEqual(t, c.End, 19, "campaign %s ends by the horizon", c.Name)
			assert.LessOrEqual(t, c.Start, 19)
		}
		assert.LessOrEqual(t, p.Strategy.Until, 19)
	}
	for _, e := range s.Events {
		assert.Less(t, e.Day, 20)
	}
	// The cut scenario is valid as it stands.
	assert.NoError(t, validateAgain(s))
	assert.Error(t, SetHorizon(s, 0))
	assert.Error(t, SetHorizon(s, 4000))
}

// validateAgain re-checks a scenario by setting a key to its own value.
func validateAgain(s *Scenario) error {
	return ApplySet(s, "world.name="+s.World.Name)
}

// TestOneHorizonRule: every way of shortening a run cuts the schedule the
// same way as SetHorizon, the rule of `run --days`.
func TestOneHorizonRule(t *testing.T) {
	want, err := Load("default", nil)
	require.NoError(t, err)
	require.NoError(t, SetHorizon(want, 120))
	require.NotEmpty(t, want.Events, "the cut keeps the early events")

	fromSet, err := Load("default", []string{"world.days=120"})
	require.NoError(t, err, "--set world.days (run, compare variants, sweep and game sets, the visualizer)")
	assert.Equal(t, want, fromSet)

	fromSpaced, err := Load("default", []string{" world.days = 120"})
	require.NoError(t, err)
	assert.Equal(t, want, fromSpaced)

	applied, err := Load("default", nil)
	require.NoError(t, err)
	require.NoError(t, ApplySet(applied, "world.days=120"), "ApplySet (a sweep parameter)")
	assert.Equal(t, want, applied)

	// Lengthening keeps the whole schedule.
	longer, err := Load("default", []string{"world.days=2000"})
	require.NoError(t, err)
	full, err := Load("default", nil)
	require.NoError(t, err)
	assert.Equal(t, full.Events, longer.Events)

	// A bad horizon is still reported, and nothing is cut.
	_, err = Load("default", []string{"world.days=0"})
	assert.ErrorContains(t, err, "world.days")
}

// TestFileHorizonStaysStrict: a file whose own schedule passes its own
// horizon is a mistake, not a request for a shorter run.
func TestFileHorizonStaysStrict(t *testing.T) {
	src, err := LibrarySource("default")
	require.NoError(t, err)
	s, err := Load("default", nil)
	require.NoError(t, err)
	text := strings.Replace(string(src), "days = "+strconv.Itoa(s.World.Days), "days = 120", 1)
	require.NotEqual(t, string(src), text, "the default scenario states its days as `days = N`")
	_, err = Parse("short.toml", []byte(text), nil)
	assert.ErrorContains(t, err, "outside the horizon")
}
