package scenarios

import (
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
