package agents

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestSplitLuckyMoneyInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		total int64
		n     int
	}{{1, 1}, {5, 5}, {6, 5}, {100, 10}, {20000, 100}, {1e6, 3}, {7, 2}} {
		for range 2000 {
			s := SplitLuckyMoney(tc.total, tc.n, r.Float64, nil)
			require.Len(t, s, tc.n)
			sum := int64(0)
			for _, x := range s {
				require.GreaterOrEqual(t, x, int64(1), "every share is at least 1 fen")
				sum += x
			}
			require.Equal(t, tc.total, sum, "shares sum to the total")
		}
	}
	assert.Nil(t, SplitLuckyMoney(4, 5, r.Float64, nil), "fewer fen than grabbers cannot be split")
}

// luckyVarianceTheory is docs/record.md §2's variance by position of the
// continuous double-mean method with mean mu = M/n:
// Var(X_i) = mu²[(4/3)Π_{j=1}^{i-1}(1+1/(3(n−j)²)) − 1] for i ≤ n−1, and
// Var(X_n) = Var(X_{n−1}).
func luckyVarianceTheory(n int, mu float64) []float64 {
	v := make([]float64, n)
	prod := 1.0
	for i := 1; i <= n-1; i++ {
		if i > 1 {
			prod *= 1 + 1/(3*float64((n-(i-1))*(n-(i-1))))
		}
		v[i-1] = mu * mu * (4.0/3*prod - 1)
	}
	v[n-1] = v[n-2]
	return v
}

// TestSplitLuckyMoneyOracles checks the statistical oracles of docs/record.md
// §2 on n = 10 shares of 100 yuan (10,000 fen): equal means by position,
// the variance by position, the last two positions alike, the first share
// uniform (KS).
func TestSplitLuckyMoneyOracles(t *testing.T) {
	const (
		n     = 10
		total = 10000
		draws = 200_000
	)
	mu := float64(total) / n
	r := rand.New(rand.NewPCG(2, 3))
	xs := make([][]float64, n)
	for i := range xs {
		xs[i] = make([]float64, draws)
	}
	buf := make([]int64, 0, n)
	for k := range draws {
		buf = SplitLuckyMoney(total, n, r.Float64, buf)
		for i, x := range buf {
			xs[i][k] = float64(x)
		}
	}
	theory := luckyVarianceTheory(n, mu)
	for i := range n {
		mean, sd := stat.MeanStdDev(xs[i], nil)
		// The mean of draws is within 4 standard errors of total/n; the
		// rounding to whole fen moves it by well under a fen.
		se := sd / math.Sqrt(draws)
		assert.InDelta(t, mu, mean, 4*se+0.5, "position %d mean", i+1)
		// The SD of the sample SD is about SD·sqrt((κ−1)/(4N)); with κ < 4
		// for these bounded draws that is under 0.2% at N = 200,000, so a
		// 1% tolerance (docs/record.md's oracle) is five of those and more.
		assert.InEpsilon(t, math.Sqrt(theory[i]), sd, 0.01, "position %d SD", i+1)
	}
	_, sd9 := stat.MeanStdDev(xs[n-2], nil)
	_, sd10 := stat.MeanStdDev(xs[n-1], nil)
	assert.InEpsilon(t, sd9, sd10, 0.01, "the last two shares are exchangeable")
	assert.Greater(t, sd10, 1.2*math.Sqrt(theory[0]), "later grabs vary more")

	// X_1 ~ U(0, 2μ): Kolmogorov–Smirnov distance against the uniform CDF;
	// the 1% critical value is 1.63/√N.
	first := append([]float64(nil), xs[0][:20000]...)
	u := distuv.Uniform{Min: 0, Max: 2 * mu}
	d := ksUniform(first, u.CDF)
	assert.Less(t, d, 1.63/math.Sqrt(float64(len(first)))+1.0/(2*mu), "first share is uniform (KS)")
}

func ksUniform(x []float64, cdf func(float64) float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	d := 0.0
	n := float64(len(s))
	for i, v := range s {
		f := cdf(v)
		d = math.Max(d, math.Max(math.Abs(float64(i+1)/n-f), math.Abs(f-float64(i)/n)))
	}
	return d
}

func TestChooseMethod(t *testing.T) {
	// With utilities 0 and ln 3, the logit gives 1/4 and 3/4.
	utils := []float64{0, math.Log(3)}
	assert.Equal(t, 0, ChooseMethod(utils, 0.2499))
	assert.Equal(t, 1, ChooseMethod(utils, 0.2501))
	assert.Equal(t, 0, ChooseMethod([]float64{5}, 0.9))
	// Extreme utilities must not overflow.
	assert.Equal(t, 1, ChooseMethod([]float64{0, 1e6}, 0.5))
}

func TestMerchantWantsWallet(t *testing.T) {
	tests := []struct {
		name string
		o    MerchantOutlook
		want bool
	}{
		{"no customers", MerchantOutlook{FixedCostYuan: 5, BenefitRate: 0.03, FeeRate: 0.006}, false},
		{"enough sales", MerchantOutlook{WeeklyValueYuan: 1000, FixedCostYuan: 5, BenefitRate: 0.03, FeeRate: 0.006}, true},
		{"bonus tips it", MerchantOutlook{WeeklyValueYuan: 100, WeeklyPayments: 3, BonusYuan: 2, FixedCostYuan: 5, BenefitRate: 0.03, FeeRate: 0.006}, true},
		{"fee too high", MerchantOutlook{WeeklyValueYuan: 1000, FixedCostYuan: 5, BenefitRate: 0.03, FeeRate: 0.05}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, MerchantWantsWallet(tc.o)) })
	}
}

func TestEnvelopeKeep(t *testing.T) {
	for _, tc := range []struct {
		name     string
		gain     float64
		received int
		want     float64
	}{
		{"no reciprocity keeps every envelope", 0, 0, 1},
		{"no reciprocity whatever was received", 0, 50, 1},
		{"a naive sender sends 1/(1+g)", 9, 0, 0.1},
		{"half way at ReciprocityHalf", 9, 4, (1 + 9*0.5) / 10},
		{"many received approach the full rate", 9, 400, (1 + 9*400.0/404) / 10},
		{"a negative count is none", 3, -2, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, EnvelopeKeep(tc.gain, tc.received), 1e-12)
		})
	}
	prev := 0.0
	for r := 0; r < 200; r++ {
		k := EnvelopeKeep(20, r)
		require.GreaterOrEqual(t, k, prev, "the propensity never falls with envelopes received")
		require.LessOrEqual(t, k, 1.0, "a chance")
		prev = k
	}
}

func TestSeasonKeep(t *testing.T) {
	sat := EnvelopeKeep(9, 400)
	for _, tc := range []struct {
		name               string
		gain, tradition, m float64
		received           int
		want               float64
	}{
		{"no tradition is EnvelopeKeep", 9, 0, 100, 400, sat},
		{"an everyday day is EnvelopeKeep", 9, 1, 1, 400, sat},
		{"a day below the everyday rate is EnvelopeKeep", 9, 1, 0.5, 400, sat},
		{"no reciprocity keeps every envelope", 0, 1, 100, 400, 1},
		{"a naive sender is naive either way", 9, 1, 100, 0, 0.1},
		{"all tradition: the extra at the naive rate", 9, 1, 100, 400, (sat + 99*0.1) / 100},
		{"half tradition", 9, 0.5, 100, 400, (sat*(1+49.5) + 49.5*0.1) / 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, SeasonKeep(tc.gain, tc.tradition, tc.m, tc.received), 1e-12)
		})
	}
	// A sender's expected envelopes on a festival day, m·keep: tradition
	// takes away only what reciprocity added to the extra, so it lies
	// between the naive sender's m/(1+g) and the untouched m·EnvelopeKeep.
	for r := 0; r < 200; r += 7 {
		for _, tr := range []float64{0, 0.3, 1} {
			k := SeasonKeep(20, tr, 400, r)
			require.GreaterOrEqual(t, k, 1/21.0-1e-15, "never below the naive rate")
			require.LessOrEqual(t, k, EnvelopeKeep(20, r)+1e-15, "never above reciprocity's own")
			require.GreaterOrEqual(t, SeasonKeep(20, tr, 400, r+1), k-1e-15, "never falls with envelopes received")
		}
	}
}
