package sweep

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// netlogoStride picks the sample of BenchmarkNetLogoScale: every 64th of
// the 1,024 points, with all 50 of its replicates, 800 runs spread over the
// whole design. Whole points, because a sweep builds a point's scenario
// once and shares it among the replicates a worker runs.
const netlogoStride = 64

// BenchmarkNetLogoScale runs a sample of the NetLogo-scale sweep
// (examples/netlogo.sweep.toml: 51,200 runs of 1,000 users, 50 merchants,
// 50 days) through Execute, journal included, at 1 and 2 workers. It
// reports runs/s, the CPU time per run (meaningful on a busy machine, where
// wall time is not), and the projected wall time of all 51,200 runs.
func BenchmarkNetLogoScale(b *testing.B) {
	p, err := Load("examples/netlogo.sweep.toml")
	if err != nil {
		b.Fatal(err)
	}
	l := p.Spec.Layout()
	only := func(run int64) bool {
		point, _ := l.PointOf(run)
		return point%netlogoStride == 0
	}
	perIter := int64(l.Points/netlogoStride) * int64(l.Replicates)
	Version() // hashes the executable once a process: not a cost of either worker count
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cpu0, wait0 := cpuTime(), runqWait()
			start := time.Now()
			for range b.N {
				rep, err := Execute(context.Background(), p, Options{Out: b.TempDir(), Workers: workers, only: only})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Ran != perIter {
					b.Fatalf("ran %d runs, want %d", rep.Ran, perIter)
				}
			}
			wall := time.Since(start).Seconds()
			runs := float64(perIter) * float64(b.N)
			b.ReportMetric(runs/wall, "runs/s")
			b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/runs, "cpu-ms/run")
			b.ReportMetric(float64(l.Runs())/(runs/wall), "s/51200runs")
			b.ReportMetric((runqWait()-wait0).Seconds()*1000/runs, "wait-ms/run")
		})
	}
}

// runqWait is the time the process's threads have spent ready to run but
// waiting for a core (the kernel's schedstat; 0 where there is none): on
// a shared machine, what other jobs took from the benchmark, which is
// why two workers may fall short of twice one.
func runqWait() time.Duration {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0
	}
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			if ns, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				sum += time.Duration(ns)
			}
		}
	}
	return sum
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWriteResults times the final stage of the NetLogo-scale sweep:
// runs.csv, runs.parquet and points.csv from 51,200 records, without
// running anything. It reports the seconds the stage adds to the sweep.
func BenchmarkWriteResults(b *testing.B) {
	p, err := Load("examples/netlogo.sweep.toml")
	if err != nil {
		b.Fatal(err)
	}
	l := p.Spec.Layout()
	outs := len(p.Spec.Outputs)
	b.ReportAllocs()
	for range b.N {
		var run int64
		next := func() (*Record, error) {
			if run >= l.Runs() {
				return nil, io.EOF
			}
			r := &Record{Run: run, Outputs: make([]float64, outs)}
			for k := range r.Outputs {
				r.Outputs[k] = float64(run%997) / float64(k+1)
			}
			run++
			return r, nil
		}
		if _, err := writeResults(b.TempDir(), p.Spec, p.Hash, next); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/51200runs")
}
