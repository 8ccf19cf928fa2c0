// Package sweep runs many simulations of one scenario: the parameters of a
// sweep file varied over an experimental design, each point replicated with
// seeds that derive from the sweep's seed, and the chosen outputs of every
// run recorded in runs.csv, runs.parquet and points.csv.
//
// A sweep goes through three stages:
//
//  1. [ParseSpec] reads a sweep file and builds its [Layout], the design's
//     points (through package sensitivity), without looking at the base
//     scenario; [Bind] then applies every parameter to the base scenario
//     and checks every output against it. Problems come back all at once as
//     scenarios.Problems, "file:line:col: key: message".
//  2. [Execute] runs the runs on a pool of workers, in memory, and appends
//     each finished run to an append-only journal with per-record checksums
//     (see journal.go). Killed at any moment, even by SIGKILL, the same call
//     resumes: the torn tail is cut, finished runs are kept, the rest run.
//  3. The result files are written from the journal in run order, each
//     atomically, then the manifest. A run's record depends only on the sweep
//     file, the base scenario and the run number, never on the worker, the
//     worker count, GOMAXPROCS or the shard, so the files are the same bytes
//     however the sweep was run, split or resumed.
//
// On a cluster each job runs one [Shard] (a stripe of the runs) into its own
// directory, and [Merge] checks that every run is present exactly once, from
// the same sweep and binary, and writes the files a single machine would.
// [Analyze] computes Sobol' indices or Morris elementary effects from a
// sweep with a saltelli or morris design.
//
// This follows the shape of Agents.jl's paramscan and ensemblerun!: a
// sweep is an explicit list of (parameters, seed) runs, each reproducible on
// its own ([Plan.RunScenario]), and data collection (the outputs) is chosen
// by the user and kept apart from stepping.
package sweep
