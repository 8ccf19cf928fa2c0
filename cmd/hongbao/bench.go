package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

func init() {
	register(command{name: "bench", summary: "time the engine on a fixed 1,000,000-user year and print user-days/s", run: benchCmd})
}

// benchSets turn the default scenario into the benchmark of the engine
// issue: a million users, mean degree 20, three platforms, 365 days, with
// its envelopes, festival and campaigns, the ledger checked every day.
var benchSets = []string{"world.users=1000000", "graph.mean_degree=20", "world.check_ledger=true"}

func benchCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	users := fs.Int("users", 1_000_000, "simulated users")
	days := fs.Int("days", 365, "days")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the steps to this file (go tool pprof)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: hongbao bench [--users N] [--days N]")
		fmt.Fprintln(stderr, "\nRuns the default scenario at 1,000,000 users and mean degree 20 for 365 days and")
		fmt.Fprintln(stderr, "prints set-up time, user-days per second, wall time and peak memory.")
		fmt.Fprintln(stderr, "\nExample:\n  hongbao bench --users 200000")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	sets := append(append([]string(nil), benchSets...), fmt.Sprintf("world.users=%d", *users))
	s, err := scenarios.Load("default", sets)
	if err == nil {
		err = scenarios.SetHorizon(s, *days)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	t0 := time.Now()
	w, err := sim.New(s)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	setup := time.Since(t0)
	ctx := context.Background()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	t1 := time.Now()
	for !w.Done() {
		if err := ctx.Err(); err != nil {
			return 1
		}
		if err := w.Step(); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	run := time.Since(t1)
	ud := float64(s.World.Users) * float64(s.World.Days)
	fmt.Fprintf(stdout, "users %d, friendship ends %d, days %d, GOMAXPROCS %d\n", s.World.Users, w.Graph().Ends(), s.World.Days, runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "set-up        %8.2f s\n", setup.Seconds())
	fmt.Fprintf(stdout, "steps         %8.2f s\n", run.Seconds())
	fmt.Fprintf(stdout, "user-days/s   %8.2f M\n", ud/run.Seconds()/1e6)
	for i, d := range w.PhaseTimes() {
		fmt.Fprintf(stdout, "  %-10s  %8.2f s  %5.1f%%\n", sim.PhaseNames[i], d.Seconds(), 100*d.Seconds()/run.Seconds())
	}
	peak := peakHeap()
	fmt.Fprintf(stdout, "peak heap     %8.1f MiB (%.0f bytes per user, %.1f per friendship end counted against users)\n",
		float64(peak)/(1<<20), float64(peak)/float64(s.World.Users), float64(peak)/float64(w.Graph().Ends()))
	return 0
}

// peakHeap reads the largest heap the Go runtime has mapped for objects.
func peakHeap() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	metrics.Read(sample)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(ms.HeapSys-ms.HeapReleased, sample[0].Value.Uint64())
}
