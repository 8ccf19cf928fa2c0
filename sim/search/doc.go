// Package search finds the parameters that make a noisy simulation's
// objective best: a bounded CMA-ES with IPOP restarts whose candidates are
// judged on common random numbers, each new best re-checked on fresh seeds,
// the winner's value given with an interval, and its levers ranked by the
// value lost when each one moves. It knows nothing of the simulation: the
// caller supplies an [Objective] of a parameter vector and a list of seeds.
// It is shared by `hongbao optimize` (a platform's best plan and best
// responses between platforms, [Respond]) and `hongbao calibrate`.
//
// The workflow is
//
//  1. describe the parameters as [Param] values: a name, bounds, optionally
//     a log or integer scale and a prior (uniform, normal, log-uniform) from
//     which restarts start;
//  2. build a [Problem] (the objective, optionally a cheap screening
//     objective, maximise or minimise) and a [Config] (budget, seeds,
//     workers, the output folder of the journal);
//  3. [New] then [Search.Run]; [Search.Surface] evaluates a grid of two
//     levers around the optimum on the same seeds, for a response-surface
//     chart; [Search.Confirm] evaluates another point on the confirmation
//     seeds, for a paired comparison; [Search.Evaluations] lists every
//     call, for a calibration's intervals;
//  4. for a game, [Respond] iterates players' best responses, each a
//     search, to an approximate equilibrium or a cycle.
//
// # Method
//
// The search runs in the unit cube: parameter k is mapped to u_k in [0, 1]
// linearly, or linearly in log x on a log scale; integer parameters are
// rounded after mapping back. CMA-ES (Hansen 2016, "The CMA Evolution
// Strategy: A Tutorial", the purecma algorithm) samples an unbounded y and
// each coordinate is folded into [0, 1] by reflection (u = y mod 2, then
// 2 − u above 1), so an optimum on a bound is reached from both sides. When
// a run of the strategy stops (its step below TolX, its values flat, or
// its generations spent), it restarts from a point drawn from the priors
// with twice the population (IPOP, Auger & Hansen 2005), until the budget
// of objective calls is spent.
//
// Every candidate is scored on the same search seeds (common random
// numbers: differences between candidates are not drowned by the noise of
// different worlds). A candidate whose search score beats every earlier one
// is re-checked on Recheck fresh replicates, and becomes the incumbent only
// if that re-check also beats the incumbent's, so one lucky draw cannot
// take the lead. At the end the incumbent is evaluated on Confirm further
// replicates, never used to choose it, and its value is reported as
// mean ± t(0.975, n−1)·sd/√n (Interval).
//
// A replicate is a group of GroupSize seeds passed to the objective in one
// call: GroupSize 1 when each simulation gives a value (a platform's
// payoff), more when the objective needs several seeds at once (a
// calibration's loss on moments averaged over seeds).
//
// # Determinism and resumption
//
// Candidates are drawn from math/rand/v2 PCG streams seeded by Config.Seed,
// never the global source, and every generation's calls run on a pool of
// workers whose results are put back in candidate order, so a search gives
// the same bytes whatever GOMAXPROCS. Every call's value is appended to a
// journal in the output folder (one JSON line, fsync'd at the end of each
// batch); a killed search, re-run, replays the calls from the journal and
// continues where it stopped, with the same result as an uninterrupted
// run. A torn last line, what a kill leaves, is dropped.
package search
