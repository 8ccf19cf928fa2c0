package sim

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// benchWorld is the library's default scenario at a given size, warm
// (warmWorld).
func benchWorld(b *testing.B, users int) *World {
	b.Helper()
	s, err := scenarios.Load("default", []string{"world.users=" + itoa(users)})
	if err != nil {
		b.Fatal(err)
	}
	return warmWorld(b, s)
}

// warmWorld is s built and stepped past its first festival (30 days), so
// that every mechanism is warm.
func warmWorld(b *testing.B, s *scenarios.Scenario) *World {
	b.Helper()
	w, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	for range 30 {
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
	return w
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// BenchmarkStep measures one day of the default scenario at 100,000
// users; user-days/s is the figure the target is stated in.
func BenchmarkStep(b *testing.B) {
	w := benchWorld(b, 100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w.Done() {
			b.StopTimer()
			w = benchWorld(b, 100_000)
			b.StartTimer()
		}
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.N)*float64(b.N)/b.Elapsed().Seconds(), "user-days/s")
}

// BenchmarkStepMillion is the engine issue's size: a million users, mean
// degree 20, three platforms (the default scenario).
func BenchmarkStepMillion(b *testing.B) {
	w := benchWorld(b, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.N)*float64(b.N)/b.Elapsed().Seconds(), "user-days/s")
}

// BenchmarkStepCore is issue #16's core scenario (scenarios.Core: no
// envelopes, campaigns, events, outages, strategies or merchant dynamics)
// at 100,000 users, mean degree 20; hongbao bench --core runs it at a
// million for a year.
func BenchmarkStepCore(b *testing.B) { benchCoreSteps(b, 100_000, 0) }

// coreScenario is the core scenario (scenarios.Core) at a size.
func coreScenario(b *testing.B, users int) *scenarios.Scenario {
	b.Helper()
	s, err := scenarios.Load("default", []string{"world.users=" + itoa(users)})
	if err != nil {
		b.Fatal(err)
	}
	scenarios.Core(s)
	return s
}

// benchCoreSteps times days of the core scenario at a size, after warm
// days untimed, building the world again when its year is done.
func benchCoreSteps(b *testing.B, users, warm int) {
	s := coreScenario(b, users)
	w, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	for range warm {
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w.Done() {
			b.StopTimer()
			if w, err = New(s); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.N)*float64(b.N)/b.Elapsed().Seconds(), "user-days/s")
}

// TestCoreAcrossVersionsLoads: testdata/core-60854fa.toml, the world the
// README times across versions for issue #16, still loads, builds and is
// already the core scenario (scenarios.Core leaves it unchanged), so a
// version that read it differently or a slip in the file would show here.
func TestCoreAcrossVersionsLoads(t *testing.T) {
	s, err := scenarios.Load("testdata/core-60854fa.toml", []string{"world.users=2000", "world.days=5"})
	require.NoError(t, err)
	stripped := *s
	stripped.Platforms = append([]scenarios.Platform(nil), s.Platforms...)
	stripped.Merchants = append([]scenarios.MerchantKind(nil), s.Merchants...)
	scenarios.Core(&stripped)
	assert.Equal(t, s, &stripped, "the file is not the core scenario: scenarios.Core changed it")
	assert.Empty(t, s.Profile, "the file carries its own behaviour, as 60854fa's default did")
	w, err := New(s)
	require.NoError(t, err)
	for !w.Done() {
		w.Step()
	}
}

// BenchmarkNewCoreMillion times the set-up of the core scenario at the
// engine issue's size (a million users, mean degree 20): the graph, the
// traits, the users and their counts, which hongbao bench prints as
// set-up and which a whole run pays once.
func BenchmarkNewCoreMillion(b *testing.B) {
	s := coreScenario(b, 1_000_000)
	for i := 0; i < b.N; i++ {
		if _, err := New(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStepCoreMillion is one day of the core scenario at the engine
// issue's size (a million users, mean degree 20), past its first month:
// hongbao bench --core's steps, one at a time.
func BenchmarkStepCoreMillion(b *testing.B) { benchCoreSteps(b, 1_000_000, 30) }

// BenchmarkFilingDefaultCacheFit runs 120 days of the filing day's
// default (docs/perf/default-at-filing.toml) drawing paying days ahead at
// every size, at 30,000 users, whose arrays fit in the caches, and at a
// million, whose do not. The CPU a user-day of the two says how much of
// the engine's time waits on memory (README, Performance, "Where it
// stands"); set-up is left out.
func BenchmarkFilingDefaultCacheFit(b *testing.B) {
	old := payAheadMinUsers
	payAheadMinUsers = 0
	defer func() { payAheadMinUsers = old }()
	const days = 120
	for _, n := range []int{30_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s, err := scenarios.Load("../docs/perf/default-at-filing.toml", []string{"world.users=" + itoa(n)})
			require.NoError(b, err)
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				w, err := New(s)
				require.NoError(b, err)
				b.StartTimer()
				c0 := processCPU(b)
				for range days {
					require.NoError(b, w.Step())
				}
				cpu += processCPU(b) - c0
			}
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(n*days*b.N), "cpu-ns/user-day")
		})
	}
}

// processCPU is the process's CPU time so far, user and system, all
// threads: a step's work is spread over the workers.
func processCPU(b *testing.B) time.Duration {
	var r syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &r))
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// BenchmarkStepAtFiling is one day of issue #16's two workloads as they
// stood the day it was filed (docs/perf/core-at-filing.toml and
// default-at-filing.toml, a million users, mean degree 20), after 30 days
// untimed (warmWorld), so that the engine of any day can be timed on the
// same worlds with benchstat: the filing day's engine runs this benchmark
// and warmWorld as they are (README, Performance, "Where it stands").
// Past the year it builds the world again, untimed.
func BenchmarkStepAtFiling(b *testing.B) {
	for _, world := range []string{"core", "default"} {
		b.Run("world="+world, func(b *testing.B) {
			s, err := scenarios.Load("../docs/perf/"+world+"-at-filing.toml", nil)
			if err != nil {
				b.Fatal(err)
			}
			w := warmWorld(b, s)
			b.ResetTimer()
			for range b.N {
				if w.Done() {
					b.StopTimer()
					w = warmWorld(b, s)
					b.StartTimer()
				}
				if err := w.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(w.N)*float64(b.N)/b.Elapsed().Seconds(), "user-days/s")
		})
	}
}
