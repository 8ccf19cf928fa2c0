package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// benchWorld is the library's default scenario at a given size, stepped
// past its first festival so that every mechanism is warm.
func benchWorld(b *testing.B, users int) *World {
	b.Helper()
	s, err := scenarios.Load("default", []string{"world.users=" + itoa(users)})
	if err != nil {
		b.Fatal(err)
	}
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
