//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// peakRSS is the most memory the process has held resident, as the
// kernel counts it (getrusage): the figure a machine's owner sees.
func peakRSS() (uint64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return uint64(ru.Maxrss), true // bytes there
	}
	return uint64(ru.Maxrss) * 1024, true // KiB on Linux and the BSDs
}

// processCPU is the CPU time the process has used so far, user and system,
// on all cores: bench reports the steps' share of it per user-day, a
// figure that does not move with how loaded a shared machine is.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
