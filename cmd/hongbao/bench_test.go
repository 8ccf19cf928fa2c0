package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBench runs the benchmark small and checks it reports every figure
// the engine issue asks for: speed, wall time, each phase, peak memory
// against the budget.
func TestBench(t *testing.T) {
	code, out, errs := hb("bench", "--users", "3000", "--days", "10")
	require.Equal(t, 0, code, errs)
	for _, re := range []string{
		`default scenario: users 3000, friendship ends \d+, days 10, GOMAXPROCS \d+`,
		`CPU/user-day +\d+\.\d ns`,
		`set-up +\d+\.\d\d s`, `steps +\d+\.\d\d s`, `wall +\d+\.\d\d s`,
		`user-days/s +\d+\.\d\d M`,
		`  users +\d+\.\d\d s +\d+\.\d%`, `  settle +\d+\.\d\d s`,
		`peak heap +\d+\.\d MB`,
		`memory budget +\d+\.\d MB \(200 B a user \+ 8 B a friendship end\): (within|OVER), \d+ B a user`,
	} {
		assert.Regexp(t, regexp.MustCompile(re), out)
	}
}

// TestBenchCore: --core runs the stripped scenario and says so.
func TestBenchCore(t *testing.T) {
	code, out, errs := hb("bench", "--core", "--users", "3000", "--days", "10")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `core scenario: users 3000, friendship ends \d+, days 10`, out)
}

// TestBenchBadFlags: a bad flag is an error with usage, not a run.
func TestBenchBadFlags(t *testing.T) {
	code, _, errs := hb("bench", "--users", "many")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "Usage: hongbao bench")
	assert.Contains(t, errs, "-cpuprofile", "the help lists the flags")
	code, _, errs = hb("bench", "extra", "-h")
	assert.Equal(t, 0, code, "-h after an argument still means help")
	assert.Contains(t, errs, "Usage: hongbao bench")
	code, _, errs = hb("bench", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "hongbao bench: takes no arguments, got extra")
	code, _, errs = hb("bench", "--users", "5")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `(?m)^--users: world\.users: must be between 10 and`, errs, "the flag given is named, not --set")
}

// TestBenchScenario: --scenario times another scenario at the bench's
// size, named in the report, and the filing day's core scenario runs (the
// README's like-for-like rows use it); a file that does not load is an
// error naming it, not a run of the default.
func TestBenchScenario(t *testing.T) {
	code, out, errs := hb("bench", "--scenario", "../../docs/perf/core-at-filing.toml", "--users", "3000", "--days", "10")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `core-at-filing scenario: users 3000, friendship ends \d+, days 10`, out)
	code, out, errs = hb("bench", "--scenario", "taxi-war-2014", "--core", "--users", "3000", "--days", "10")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `core of taxi-war-2014 scenario: users 3000`, out)
	code, out, errs = hb("bench", "--scenario", "no-such-scenario.toml", "--users", "3000", "--days", "10")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, errs, "no-such-scenario.toml")
	assert.NotContains(t, out, "default scenario")
}
