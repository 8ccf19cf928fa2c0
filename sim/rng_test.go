package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNextTrial: gaps between candidate days are geometric, with mean
// (1−p)/p failures, as a day-by-day Bernoulli(p) process would give.
func TestNextTrial(t *testing.T) {
	r := newStream(1, 99, 0)
	for _, p := range []float64{0.02, 0.3, 0.9} {
		const n = 200_000
		logq := trialLog(p)
		sum, zeros := 0.0, 0
		for range n {
			g := int(r.nextTrial(0, logq))
			sum += float64(g)
			if g == 0 {
				zeros++
			}
		}
		mean := (1 - p) / p
		sd := math.Sqrt(1-p) / p / math.Sqrt(n) // standard error of the mean
		assert.InDelta(t, mean, sum/n, 4*sd, "p=%v: mean gap", p)
		assert.InDelta(t, p, float64(zeros)/n, 4*math.Sqrt(p*(1-p)/n), "p=%v: a trial on the first day", p)
	}
	assert.Equal(t, int16(7), r.nextTrial(7, trialLog(1)), "p = 1: every day")
	assert.Equal(t, int16(noTrial), r.nextTrial(7, trialLog(0)), "p = 0: never")
}
