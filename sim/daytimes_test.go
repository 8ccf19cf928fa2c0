package sim

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestDayTimes times a world day by day, for comparing engines on the
// days where they differ (README, Performance, "World by world against
// the filing day"): with HONGBAO_DAYTIMES_WORLD set to a scenario file
// and HONGBAO_DAYTIMES_OUT to a file to write, it runs the world whole
// and writes a row a day: the day, its step's wall milliseconds and each
// phase's, in PhaseNames' order. Without them it skips: it is a measurement, not a check, and
// takes a minute at a million users. It reads only what every engine
// since the filing day has (New, Step, Done, PhaseTimes), and asks for
// phase times where the engine has to be asked (TimePhases, which the
// filing day's lacked, timing always), so the file can be copied as it
// is into an older tree's sim/ to time that engine, as
// BenchmarkStepAtFiling's source is:
//
//	cd TREE/sim && HONGBAO_DAYTIMES_WORLD=/abs/world.toml \
//	  HONGBAO_DAYTIMES_OUT=/tmp/days.txt go test -run TestDayTimes -count 1
func TestDayTimes(t *testing.T) {
	world, out := os.Getenv("HONGBAO_DAYTIMES_WORLD"), os.Getenv("HONGBAO_DAYTIMES_OUT")
	if world == "" || out == "" {
		t.Skip("a measurement, not a check: set HONGBAO_DAYTIMES_WORLD (a scenario file) and HONGBAO_DAYTIMES_OUT (the file to write) to run it")
	}
	s, err := scenarios.Load(world, nil)
	require.NoError(t, err)
	w, err := New(s)
	require.NoError(t, err)
	if tp, ok := any(w).(interface{ TimePhases(bool) }); ok {
		tp.TimePhases(true)
	}
	f, err := os.Create(out)
	require.NoError(t, err)
	var prev [numPhases]time.Duration
	for d := 0; !w.Done(); d++ {
		t0 := time.Now()
		require.NoError(t, w.Step())
		row := fmt.Sprintf("%d %.2f", d, time.Since(t0).Seconds()*1000)
		ph := w.PhaseTimes()
		for k := range ph {
			row += fmt.Sprintf(" %.2f", (ph[k]-prev[k]).Seconds()*1000)
		}
		prev = ph
		_, err := fmt.Fprintln(f, row)
		require.NoError(t, err)
	}
	require.NoError(t, f.Close())
}
