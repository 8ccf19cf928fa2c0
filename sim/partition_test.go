package sim

import (
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestMessagePacking: a message's packed recipient, platform and kind come
// back as given at the largest values a valid scenario allows: the last
// user of the schema's largest world, the last platform and message kind.
func TestMessagePacking(t *testing.T) {
	f, ok := reflect.TypeOf(scenarios.World{}).FieldByName("Users")
	require.True(t, ok)
	maxUsers, err := strconv.Atoi(f.Tag.Get("max"))
	require.NoError(t, err, "world.users has a bound")
	for _, c := range []struct {
		to         int32
		plat, kind uint8
	}{{0, 0, msgEnvelope}, {int32(maxUsers - 1), MaxPlatforms - 1, msgInvite}, {12345, 3, msgRefund}} {
		m := newMessage(c.to, -1, math.MaxInt32, c.plat, c.kind)
		assert.Equal(t, c.to, m.to())
		assert.Equal(t, c.plat, m.plat())
		assert.Equal(t, c.kind, m.kind())
		assert.Equal(t, int32(-1), m.from)
		assert.Equal(t, int32(math.MaxInt32), m.amount)
	}
}

// TestStageBits: countTies reads "registered or card-bound" as bit 1 of
// the stage and "dormant" as bit 2 of the state byte.
func TestStageBits(t *testing.T) {
	for _, s := range []Stage{Unaware, Aware, Registered, CardBound} {
		assert.Equal(t, s >= Registered, uint8(s)>>1&1 == 1, "stage %d", s)
	}
	assert.Equal(t, 1<<2, flagDormant)
}

// TestPartOfDivides: partOf divides by a multiplication (divisorMul); it
// must give the quotient of the division for every user of worlds of
// many sizes and partition counts (one user a partition included), and
// for the largest user ids against large partitions.
func TestPartOfDivides(t *testing.T) {
	for _, c := range []struct{ n, p int }{{1, 1}, {7, 7}, {7, 3}, {1000, 1}, {1000, 7}, {100_000, 13}, {1_000_000, 122}, {262_143, 64}, {3, 1024}} {
		w := &World{N: c.n, parts: make([]*partition, min(c.p, c.n))}
		chunk := (w.N + len(w.parts) - 1) / len(w.parts)
		w.partMul = divisorMul(chunk)
		for u := range c.n {
			require.Equal(t, u/chunk, w.partOf(int32(u)), "%d users, %d partitions: user %d", c.n, len(w.parts), u)
		}
	}
	for _, d := range []int{2, 3, 7, 1 << 20, 1<<31 - 1, 1 << 31} {
		m := divisorMul(d)
		for _, n := range []uint64{0, 1, uint64(d) - 1, uint64(d), uint64(d) + 1, 1<<31 - 1, 1<<32 - 1} {
			hi, _ := bits.Mul64(m, n)
			require.Equal(t, n/uint64(d), hi, "%d / %d", n, d)
		}
	}
}
