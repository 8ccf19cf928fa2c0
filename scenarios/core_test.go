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

// TestCoreAtFiling: docs/perf/core-at-filing.toml, the workload README's
// Performance section times every engine on, still loads and is already
// core: Core changes nothing in it. Without this it could stop loading (a
// key renamed) and the README's command would fail for its next reader.
func TestCoreAtFiling(t *testing.T) {
	s := loadAtFiling(t, "core-at-filing.toml")
	before := *s
	before.Platforms = append([]Platform(nil), s.Platforms...)
	before.Merchants = append([]MerchantKind(nil), s.Merchants...)
	Core(s)
	assert.Equal(t, before.Envelopes, s.Envelopes)
	assert.Equal(t, before.Platforms, s.Platforms)
	assert.Equal(t, before.Merchants, s.Merchants)
	assert.Equal(t, before.Events, s.Events)
}

// TestDefaultAtFiling: docs/perf/default-at-filing.toml, the filing day's
// `hongbao bench` world that README's Performance section times today's
// engine on, still loads as that day's full world (envelopes, events,
// campaigns) with its own behaviour, not today's profile.
func TestDefaultAtFiling(t *testing.T) {
	s := loadAtFiling(t, "default-at-filing.toml")
	assert.Positive(t, s.Envelopes.PerDay, "the bench's world sends envelopes")
	assert.NotEmpty(t, s.Events, "the bench's world has its festivals and sale")
	campaigns := 0
	for _, p := range s.Platforms {
		campaigns += len(p.Campaigns)
	}
	assert.Positive(t, campaigns, "the bench's world runs campaigns")
}

// loadAtFiling loads one of docs/perf's filing-day worlds, which both
// keep the bench's size and their own behaviour (no profile).
func loadAtFiling(t *testing.T, name string) *Scenario {
	t.Helper()
	s, err := Load("../docs/perf/"+name, nil)
	require.NoError(t, err)
	assert.Equal(t, 1_000_000, s.World.Users)
	assert.Equal(t, 365, s.World.Days)
	assert.Empty(t, s.Profile, "the file carries its own behaviour, not today's profile")
	return s
}
