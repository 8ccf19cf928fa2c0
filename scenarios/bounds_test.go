package scenarios

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// horizonBounded are the day keys that the horizon checks bound (a
// campaign's start ≤ end < world.days, an event's day < world.days), so
// that a day past the horizon gets that message and not a second one.
var horizonBounded = map[string]bool{"platforms.campaigns.start": true, "platforms.campaigns.end": true, "events.day": true}

// TestEveryNumberBounded: every numeric key of the schema has a max (or,
// in a distribution, a limit in distLimits), so that no file can ask the
// engine for more than it can represent. The seed takes any 64-bit value.
func TestEveryNumberBounded(t *testing.T) {
	var walk func(tp reflect.Type, path string)
	walk = func(tp reflect.Type, path string) {
		for _, f := range fieldsOf(tp) {
			p := joinKey(path, f.key)
			ft := f.typ
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			switch {
			case ft == distType:
				// Checked by distLimits.
			case ft.Kind() == reflect.Struct:
				walk(ft, p)
			case horizonBounded[p]:
				// Bounded by the horizon checks: before world.days ≤ 3660.
			case ft.Kind() >= reflect.Int && ft.Kind() <= reflect.Float64 && p != "world.seed":
				assert.NotEmpty(t, f.max, "%s has no max tag", p)
			}
		}
	}
	walk(reflect.TypeOf(Scenario{}), "")
	var s Scenario
	s.SetDefaults()
	for _, f := range fieldsOf(reflect.TypeOf(Users{})) {
		if f.typ == distType {
			_, ok := distLimits["users."+f.key]
			assert.True(t, ok, "users.%s has no entry in distLimits", f.key)
		}
	}
	_, ok := distLimits["envelopes.amount"]
	assert.True(t, ok)
}

// TestBoundsRefuse: amounts that overflowed or exhausted memory are
// refused at validation, located at the key to change.
func TestBoundsRefuse(t *testing.T) {
	defer SetMemoryBudget(-1)
	SetMemoryBudget(4 << 30) // a fixed budget, so that the test does not depend on the machine
	cases := []struct {
		name string
		sets []string
		want string
	}{
		{"ticket 1e300", []string{"users.ticket.mean=1e300"}, "--set: users.ticket.mean: must be between"},
		{"ticket 1e15", []string{"users.ticket.mean=1e15"}, "--set: users.ticket.mean: must be between"},
		{"merchant density", []string{"merchants.shop.per_thousand=1e9"}, "--set: merchants.shop.per_thousand: must be between 0 and 100000"},
		{"graph past int32", []string{"world.users=50000000", "graph.mean_degree=100"}, "--set: graph.mean_degree: users × mean_degree"},
		{"money past int64", []string{"world.users=50000000", "world.days=3660", "users.ticket.kind=const", "users.ticket.mean=100000", "users.payments_per_day.kind=const", "users.payments_per_day.mean=100"}, "--set: users.ticket: money could overflow"},
		{"memory past the budget", []string{"world.users=20000000"}, "--set: world.users: too large for this machine"},
		{"too many merchant kinds", []string{"merchants=[" + manyKinds(65) + "]"}, "--set: merchants.k64: too many merchants: 65"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("default", c.sets)
			msg := mustProblems(t, err).Error()
			assert.Contains(t, msg, c.want)
		})
	}
	SetMemoryBudget(0)
	_, err := Load("default", []string{"world.users=20000000"})
	assert.NoError(t, err, "--force-size lifts the budget")
}

// TestBoundsInFile: a file's amount past its bound is located at its line.
func TestBoundsInFile(t *testing.T) {
	src, err := LibrarySource("example-minimal")
	require.NoError(t, err)
	src = append(src, []byte("\n[users.ticket]\nkind = \"const\"\nmean = 1e300\n")...)
	_, err = Parse("f.toml", src, nil)
	msg := mustProblems(t, err).Error()
	assert.Regexp(t, `^f\.toml:\d+:1: users\.ticket\.mean: must be between`, msg)
}

// TestEstimateGrows: the estimate grows with each size key, and the
// library fits on a 4 GiB machine.
func TestEstimateGrows(t *testing.T) {
	base, err := Load("default", nil)
	require.NoError(t, err)
	e0 := Estimate(base)
	for _, set := range []string{"world.users=200000", "graph.mean_degree=40", "merchants.shop.per_thousand=100", "world.days=730"} {
		s, err := Load("default", []string{set})
		require.NoError(t, err)
		assert.Greater(t, Estimate(s).Bytes, e0.Bytes, set)
	}
	for _, name := range libraryNames() {
		s, err := Load(name, nil)
		require.NoError(t, err)
		assert.Less(t, Estimate(s).Bytes, float64(4<<30), name)
	}
}

// manyKinds returns n inline tables of distinct merchant kinds.
func manyKinds(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{kind = "k%d", weight = 1},`, i)
	}
	return b.String()
}
