package sim

import (
	"bytes"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParallelBeside: the serial task runs once, every partition once,
// whatever GOMAXPROCS, and a subset of the partitions gets only its own.
func TestParallelBeside(t *testing.T) {
	s := testScenario(3000, 2, 4)
	s.World.Partitions = 7
	w, err := New(s)
	require.NoError(t, err)
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		var serial atomic.Int32
		seen := make([]atomic.Int32, len(w.parts))
		w.parallelBeside(func(*World) { serial.Add(1) }, func(pt *partition, wk *worker) {
			require.NotNil(t, wk)
			seen[pt.id].Add(1)
		})
		assert.EqualValues(t, 1, serial.Load(), "GOMAXPROCS %d: serial once", procs)
		for i := range seen {
			assert.EqualValues(t, 1, seen[i].Load(), "GOMAXPROCS %d: partition %d once", procs, i)
		}
		sub := []*partition{w.parts[1], w.parts[4]}
		for i := range seen {
			seen[i].Store(0)
		}
		w.pool(sub, nil, func(pt *partition, _ *worker) { seen[pt.id].Add(1) })
		for i := range seen {
			want := int32(0)
			if i == 1 || i == 4 {
				want = 1
			}
			assert.Equal(t, want, seen[i].Load(), "GOMAXPROCS %d: pool over a subset, partition %d", procs, i)
		}
	}
}

// TestReplyRoundsPooledOrNot: a round of replies gives the same bytes
// whether it runs on the calling goroutine or over the workers
// (smallReplyRound), at one core or four.
func TestReplyRoundsPooledOrNot(t *testing.T) {
	mk := func() []byte {
		s := testScenario(3000, 30, 4)
		s.Envelopes.PerDay, s.Envelopes.Reply = 0.05, 0.6
		s.World.Partitions = 7
		return outputBytes(t, s)
	}
	prev, prevSmall := runtime.GOMAXPROCS(0), smallReplyRound
	defer func() { runtime.GOMAXPROCS(prev); smallReplyRound = prevSmall }()
	runtime.GOMAXPROCS(1)
	want := mk()
	for _, procs := range []int{1, 4} {
		for _, small := range []int{0, 1 << 30} {
			runtime.GOMAXPROCS(procs)
			smallReplyRound = small
			assert.True(t, bytes.Equal(want, mk()), "GOMAXPROCS %d, smallReplyRound %d", procs, small)
		}
	}
}
