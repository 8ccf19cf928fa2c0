// Package sim is hongbao's engine: it builds a World from a scenario (New)
// and steps it one day at a time (World.Step), writing what happened as
// daily metrics (timeseries.csv, kinds.csv) that a run, a sweep or a game
// reads.
//
// # The state
//
// A World's state is grouped by concern (world.go): the users' traits, the
// adoption funnel, habit and trust, the payments' wallets, the merchants,
// the ledger and the platforms. Users live in struct-of-arrays form, per
// user and platform at index u*K+p (World.slot); a user's stage and flags
// with a platform share one byte, read and written only through the
// helpers of standing.go.
//
// # The day
//
// Step runs docs/brief.md's mechanisms as a list of phases (PhaseNames). Users
// are split into partitions that run in parallel on every core; each
// partition owns its users, its random stream and its tallies, and writes
// nothing another partition reads in the same phase. Messages between
// partitions (envelopes, invitations) are delivered in a later phase, and
// changes other users see (a friend joined, a card bound) are applied
// after the users' phase in partition order.
//
// # Determinism
//
// Every random stream (rng.go) is seeded from the scenario's seed, its
// purpose and an index, and none is shared between goroutines, so the same
// scenario and seed give byte-identical outputs whatever GOMAXPROCS;
// golden_test.go holds every library scenario to it.
//
// # Speed
//
// Most user-days have nothing to do but pay: trials of awareness,
// adoption and dormancy are drawn ahead as candidate days, and users with
// no wallet are paid for in one draw per partition and merchant kind. See
// docs/model.md, "How the step stays fast", and `hongbao bench`.
package sim
