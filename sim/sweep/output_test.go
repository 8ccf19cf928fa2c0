package sweep

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestTQuantileKept: the kept Student quantiles are the ones distuv
// computes, the first time and every time after.
func TestTQuantileKept(t *testing.T) {
	for _, df := range []int{1, 2, 9, 49, 1000} {
		want := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
		for range 2 {
			assert.Equal(t, want, tQuantile975(df), "df %d", df)
		}
	}
}
