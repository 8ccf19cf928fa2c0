package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMessagePacking: a message's packed recipient, platform and kind come
// back as given at the largest values a valid scenario allows.
func TestMessagePacking(t *testing.T) {
	for _, c := range []struct {
		to         int32
		plat, kind uint8
	}{{0, 0, msgEnvelope}, {49_999_999, MaxPlatforms - 1, msgInvite}, {12345, 3, msgRefund}} {
		m := newMessage(c.to, -1, math.MaxInt32, c.plat, c.kind)
		assert.Equal(t, c.to, m.to())
		assert.Equal(t, c.plat, m.plat())
		assert.Equal(t, c.kind, m.kind())
		assert.Equal(t, int32(-1), m.from)
		assert.Equal(t, int32(math.MaxInt32), m.amount)
	}
	assert.Less(t, 50_000_000, 1<<26, "world.users' bound fits the recipient's 26 bits")
}

// TestStageBits: countTies reads "registered or card-bound" as bit 1 of
// the stage and "dormant" as bit 2 of the state byte.
func TestStageBits(t *testing.T) {
	for _, s := range []Stage{Unaware, Aware, Registered, CardBound} {
		assert.Equal(t, s >= Registered, uint8(s)>>1&1 == 1, "stage %d", s)
	}
	assert.Equal(t, 1<<2, flagDormant)
}
