package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCore: the core scenario keeps the default world and drops every
// mechanism issue #16 leaves out, and stays valid.
func TestCore(t *testing.T) {
	s, err := Load("default", nil)
	require.NoError(t, err)
	users, platforms := s.World.Users, len(s.Platforms)
	Core(s)
	assert.Equal(t, users, s.World.Users)
	assert.Len(t, s.Platforms, platforms)
	assert.Zero(t, s.Envelopes.PerDay)
	assert.Empty(t, s.Events)
	for _, pl := range s.Platforms {
		assert.Empty(t, pl.Campaigns, pl.Name)
		assert.Equal(t, "fixed", pl.Strategy.Kind, pl.Name)
		assert.Zero(t, pl.OutageRate, pl.Name)
	}
	for _, m := range s.Merchants {
		assert.Equal(t, 1.0, m.Stickiness, m.Kind)
	}
	assert.NoError(t, validateAgain(s))
}
