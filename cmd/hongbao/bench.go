package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
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

// benchHelp is printed by bench -h.
var benchHelp = help{
	synopsis: []string{"hongbao bench [--users N] [--days N] [--core] [--scenario NAME|FILE] [--cpuprofile FILE]"},
	about: `Runs the default scenario at 1,000,000 users and mean degree 20 for 365 days and
prints set-up time, user-days per second, wall time, the time of each phase of
the step and peak memory. --core strips the scenario to the engine's core: no
envelopes, campaigns, events, outages, strategies or merchant dynamics.
--scenario runs another scenario (a library name or a file) at the same size,
so that engines of different days can be timed on one workload: the library's
default carries today's behaviour profile, which moves with each fit, while
docs/perf/core-at-filing.toml and docs/perf/default-at-filing.toml keep the
core scenario and the default of the day issue #16 was filed.`,
	examples: []string{"hongbao bench --users 200000", "hongbao bench --core", "hongbao bench --scenario docs/perf/core-at-filing.toml", "hongbao bench --cpuprofile steps.prof"},
}

func benchCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", stderr, benchHelp)
	users := fs.Int("users", 1_000_000, "simulated users")
	days := fs.Int("days", 365, "days")
	core := fs.Bool("core", false, "run the core scenario: the default without envelopes, campaigns, events, outages, strategies or merchant dynamics")
	scenario := fs.String("scenario", "default", "the scenario to time: a library name or a file")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the steps to this file (go tool pprof)")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "hongbao bench: takes no arguments, got %s (hongbao bench -h for help)\n", strings.Join(pos, " "))
		return 2
	}
	sets := append(append([]string(nil), benchSets...), fmt.Sprintf("world.users=%d", *users))
	s, err := scenarios.Load(*scenario, sets)
	err = blameFlags(err, map[string]string{"world.users": "--users"}) // --users 5 is the flag's fault, not a --set's
	if err == nil {
		if *core {
			scenarios.Core(s)
		}
		err = scenarios.SetHorizon(s, *days)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	// Set-up takes seconds at this size: say what is happening first.
	fmt.Fprintf(stderr, "building the %s scenario at %s users (mean degree %g), then simulating %d days...\n",
		s.World.Name, count(float64(s.World.Users)), s.Graph.MeanDegree, s.World.Days)
	limitMemory(s)
	t0 := time.Now()
	w, err := sim.New(s)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	setup := time.Since(t0)
	w.TimePhases(true)
	ctx := context.Background()
	// The profile is kept in memory and written when complete, so that an
	// interrupted bench leaves no half-written file.
	var prof bytes.Buffer
	if *cpuprofile != "" {
		if err := pprof.StartCPUProfile(&prof); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer pprof.StopCPUProfile() // on an early return; a no-op after the one below
	}
	t1 := time.Now()
	cpu0, _ := processCPU()
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
	cpu1, haveCPU := processCPU()
	stepCPU := cpu1 - cpu0
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
		if err := sim.WriteFileAtomic(*cpuprofile, func(w io.Writer) error { _, err := w.Write(prof.Bytes()); return err }); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	ud := float64(s.World.Users) * float64(s.World.Days)
	ends := w.Graph().Ends()
	what := s.World.Name
	if *core && *scenario == "default" {
		what = "core"
	} else if *core {
		what = "core of " + what
	}
	fmt.Fprintf(stdout, "%s scenario: users %d, friendship ends %d, days %d, GOMAXPROCS %d\n", what, s.World.Users, ends, s.World.Days, runtime.GOMAXPROCS(0))
	if haveCPU {
		fmt.Fprintf(stdout, "CPU/user-day  %8.1f ns (steps, all cores)\n", stepCPU.Seconds()*1e9/ud)
	}
	fmt.Fprintf(stdout, "set-up        %8.2f s\n", setup.Seconds())
	fmt.Fprintf(stdout, "steps         %8.2f s\n", run.Seconds())
	fmt.Fprintf(stdout, "wall          %8.2f s\n", (setup + run).Seconds())
	fmt.Fprintf(stdout, "user-days/s   %8.2f M (steps)\n", ud/run.Seconds()/1e6)
	for i, d := range w.PhaseTimes() {
		fmt.Fprintf(stdout, "  %-10s  %8.2f s  %5.1f%%\n", sim.PhaseNames[i], d.Seconds(), 100*d.Seconds()/run.Seconds())
	}
	heap := peakHeap()
	budget := memoryBudget(float64(s.World.Users), float64(ends))
	fmt.Fprintf(stdout, "peak heap     %8.1f MB\n", float64(heap)/1e6)
	if rss, ok := peakRSS(); ok {
		fmt.Fprintf(stdout, "peak RSS      %8.1f MB\n", float64(rss)/1e6)
		heap = max(heap, rss)
	}
	verdict := "within"
	if float64(heap) > budget {
		verdict = "OVER"
	}
	fmt.Fprintf(stdout, "memory budget %8.1f MB (200 B a user + 8 B a friendship end): %s, %.0f B a user\n",
		budget/1e6, verdict, float64(heap)/float64(s.World.Users))
	return 0
}

// peakHeap reads the largest heap the Go runtime has mapped for objects
// (garbage not yet collected included).
func peakHeap() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(ms.HeapSys-ms.HeapReleased, sample[0].Value.Uint64())
}
