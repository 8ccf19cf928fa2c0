//go:build !unix

package main

// peakRSS is not read where getrusage is missing; the heap figure stands.
func peakRSS() (uint64, bool) { return 0, false }
