// Package ensemble runs many simulations at once and summarises them.
//
// Every command that runs a scenario more than once (compare, sweeps and
// games through sim/sweep, and the calibration and optimisation searches)
// stands on the same two pieces:
//
//   - a worker pool: [Stream] hands jobs 0..n-1 to a fixed number of
//     goroutines and passes each result to one collecting goroutine, and
//     [Run] builds on it to run (scenario variant × seed) jobs and return
//     their results in job order, whatever order they finish in;
//   - statistics across seeds: [Summarize] gives the mean, sample standard
//     deviation and standard error of a sample, and [Paired] the mean
//     difference of two samples on common seeds with a Student-t interval.
//
// Each run is deterministic given its scenario and seed, so results do not
// depend on the number of workers or on GOMAXPROCS.
package ensemble
