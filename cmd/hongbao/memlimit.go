package main

import (
	"os"
	"runtime/debug"

	"github.com/paywars/hongbao/scenarios"
)

// memoryLimitMinUsers is the smallest world whose run tells the Go runtime
// its memory budget (limitMemory). A smaller world's budget is small
// against the runtime's own few megabytes, and a sweep runs many worlds
// in one process, so neither sets a limit.
const memoryLimitMinUsers = 1 << 18

// limitMemory tells the Go runtime the memory budget of the one large
// world this process runs (200 B a user + 8 B a friendship end, issue
// #16; the ends are users × mean degree) as a soft limit
// (debug.SetMemoryLimit), unless GOMEMLIMIT already sets one. Almost all
// of a world's memory is arrays without pointers, so a collection costs
// milliseconds; but with the default GOGC a large world is collected only
// a few times, all in set-up (the live heap after it is some 220 MB of the
// filing day's default at a million users, so the next one waits for
// twice that), and the garbage of its growing buffers stayed until the
// end: that world's live heap at the end was 297 MB and its peak RSS
// 355-369 MB over runs, against a budget of 360. With the limit the
// runtime collects when the process nears the budget instead. A world
// whose live heap passes the budget is not stopped: the runtime then
// spends up to half its time collecting, and the run goes on slower.
// It returns the limit set, 0 for none.
func limitMemory(s *scenarios.Scenario) int64 {
	if s.World.Users < memoryLimitMinUsers || os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	users := float64(s.World.Users)
	limit := int64(memoryBudget(users, users*s.Graph.MeanDegree))
	debug.SetMemoryLimit(limit)
	return limit
}

// memoryBudget is issue #16's memory budget of a world, bytes: 200 B a
// user and 8 B a friendship end. hongbao bench checks its peak against
// it; limitMemory makes it the runtime's soft limit.
func memoryBudget(users, ends float64) float64 {
	return 200*users + 8*ends
}
