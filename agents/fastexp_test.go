package agents

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestExpNonPositive: within 2e-7 relative of math.Exp over the whole
// range (the Taylor remainder is 1.0e-7), including exact powers of two.
func TestExpNonPositive(t *testing.T) {
	const tol = 2e-7
	worst, at := 0.0, 0.0
	for x := 0.0; x > -700; x -= 0.0137 {
		want := math.Exp(x)
		if want < 1e-300 {
			continue
		}
		if e := math.Abs(expNonPositive(x)-want) / want; e > worst {
			worst, at = e, x
		}
	}
	assert.Less(t, worst, tol, "largest relative error %.3g at x = %v", worst, at)
	assert.Equal(t, 1.0, expNonPositive(0))
	assert.InEpsilon(t, 0.5, expNonPositive(-math.Ln2), tol)
	assert.Zero(t, expNonPositive(-1000))
}

func BenchmarkExpNonPositive(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += expNonPositive(-float64(i&1023) * 0.01)
	}
	_ = s
}

func BenchmarkMathExp(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += math.Exp(-float64(i&1023) * 0.01)
	}
	_ = s
}
