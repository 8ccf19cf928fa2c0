//go:build !unix

package main

import "time"

// peakRSS is not read where getrusage is missing; the heap figure stands.
func peakRSS() (uint64, bool) { return 0, false }

// processCPU is not read where getrusage is missing; bench leaves out the
// CPU time per user-day.
func processCPU() (time.Duration, bool) { return 0, false }
