package agents

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// plainThree is ChooseMethod over cash and two wallets, the computation
// ChooseOfThree must reproduce choice for choice.
func plainThree(v1, v2, u float64) int {
	return ChooseMethod([]float64{0, v1, v2}, u)
}

// threeBoundaries are the uniforms at which the plain computation's
// choice changes (cash's share of the total weight and cash's plus wallet
// 1's) and the uniforms at which ChooseOfThree's bounds change, so the
// property test can draw uniforms a few ulps either side of each.
func threeBoundaries(v1, v2 float64) []float64 {
	top := max(max(0, v1), v2)
	w := [3]float64{}
	for i, v := range [3]float64{0, v1, v2} {
		w[i] = 1
		if v != top {
			w[i] = expNonPositive(v - top)
		}
	}
	T := w[0] + w[1] + w[2]
	h0, h1, h2 := expBound(top), expBound(top-v1), expBound(top-v2)
	return []float64{
		w[0] / T, (w[0] + w[1]) / T,
		h0 * choiceSlack, (h0 + h1) * choiceSlack,
		1 / ((1 + h1 + h2) * choiceSlack), 1 / ((1 + h0 + h2) * choiceSlack),
	}
}

// TestChooseOfThreeTable: cases picked by hand, the logit's shares among
// them, against ChooseMethod.
func TestChooseOfThreeTable(t *testing.T) {
	ln3 := math.Log(3)
	tests := []struct {
		name   string
		v1, v2 float64
		u      float64
		want   int
	}{
		{"equal weights, cash", 0, 0, 0.33, 0},
		{"equal weights, wallet 1", 0, 0, 0.34, 1},
		{"equal weights, wallet 2", 0, 0, 0.67, 2},
		{"shares 1/5, 3/5, 1/5: wallet 1", ln3, 0, 0.79, 1},
		{"shares 1/5, 3/5, 1/5: wallet 2", ln3, 0, 0.81, 2},
		{"a habitual wallet 2", 1, 6, 0.5, 2},
		{"a habitual wallet 1, low draw", 6, 1, 0.001, 0},
		{"cash far ahead", -30, -40, 0.999, 0},
		{"extreme wallet", 1e6, 0, 0.5, 1},
		{"infinite wallet", math.Inf(1), 3, 0.999, 1},
		{"minus infinity", math.Inf(-1), 2, 0.5, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, plainThree(tc.v1, tc.v2, tc.u), "the plain computation")
			assert.Equal(t, tc.want, ChooseOfThree(tc.v1, tc.v2, tc.u))
		})
	}
}

// TestChooseOfThreeMatchesPlain: over millions of random utilities (the
// payments' range, ties, near ties, extremes, infinities and NaNs) and
// uniforms (random, and a few ulps either side of every boundary of the
// plain computation and of the bounds), ChooseOfThree chooses what
// ChooseMethod chooses, every time.
func TestChooseOfThreeMatchesPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 8))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 700, -700, 701, -745, 1e6, -1e6, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, math.MaxFloat64}
	utility := func() float64 {
		switch r.IntN(6) {
		case 0:
			return special[r.IntN(len(special))]
		case 1:
			return 10 * (r.Float64() - 0.5) // either side of cash
		case 2:
			return 40 * (r.Float64() - 0.5) // far from cash
		case 3:
			return math.Ldexp(r.Float64()-0.5, r.IntN(40)-20) // near cash, at every scale
		default:
			return 9 * r.Float64() // the payments' wallet utilities, about 0..9
		}
	}
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	fails := 0
	for range n {
		v1, v2 := utility(), utility()
		switch r.IntN(5) {
		case 0:
			v2 = v1 // a tie
		case 1:
			v2 = v1 + float64(r.IntN(7)-3)*math.Abs(v1)*0x1p-52 // a near tie
		}
		if r.IntN(2) == 0 {
			v1, v2 = v2, v1
		}
		us := []float64{r.Float64(), r.Float64(), 0, 1 - 0x1p-53}
		for _, b := range threeBoundaries(v1, v2) {
			for k := range 4 {
				us = append(us, b+float64(k-2)*0x1p-53, b*(1+float64(k-2)*1e-7))
			}
		}
		for _, u := range us {
			if want, got := plainThree(v1, v2, u), ChooseOfThree(v1, v2, u); want != got {
				fails++
				if fails <= 10 {
					t.Errorf("v1 = %v, v2 = %v, u = %v: ChooseMethod %d, ChooseOfThree %d", v1, v2, u, want, got)
				}
			}
		}
	}
	assert.Zero(t, fails, "choices that differ")
}

// FuzzChooseOfThree: ChooseOfThree chooses what ChooseMethod chooses for
// any utilities and any uniform, even outside [0, 1).
func FuzzChooseOfThree(f *testing.F) {
	f.Add(0.0, 0.0, 0.5)
	f.Add(3.0, 1.0, 0.001)
	f.Add(1.0, 6.0, 0.05)
	f.Add(math.Inf(1), math.Inf(1), 0.5)
	f.Add(math.NaN(), 2.0, 0.5)
	f.Add(-3.0, -3.0, 1.5)
	f.Fuzz(func(t *testing.T, v1, v2, u float64) {
		if want, got := plainThree(v1, v2, u), ChooseOfThree(v1, v2, u); want != got {
			t.Fatalf("v1 = %v, v2 = %v, u = %v: ChooseMethod %d, ChooseOfThree %d", v1, v2, u, want, got)
		}
	})
}

// TestReferenceLoss: a cut below the reference is felt λ times its size;
// a rise or no change is no loss, and λ = 0 turns it off.
func TestReferenceLoss(t *testing.T) {
	cases := []struct {
		name                   string
		lambda, ref, cur, want float64
	}{
		{"a cut", 2, 10, 4, 12},
		{"a cut to nothing", 0.5, 3, 0, 1.5},
		{"a rise", 2, 4, 10, 0},
		{"no change", 2, 5, 5, 0},
		{"off", 0, 10, 0, 0},
		{"negative weight is off", -1, 10, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.InDelta(t, c.want, ReferenceLoss(c.lambda, c.ref, c.cur), 1e-12)
		})
	}
}

// TestFollowReference: the reference moves 1/days of the way to today's
// offer, all of it at one day (or less, which is read as one), and after
// n days without an offer (1 − 1/days)^n of it is left.
func TestFollowReference(t *testing.T) {
	assert.InDelta(t, 7.5, FollowReference(10, 0, 4), 1e-12)
	assert.InDelta(t, 4.0, FollowReference(10, 4, 1), 1e-12)
	assert.InDelta(t, 4.0, FollowReference(10, 4, 0.2), 1e-12)
	assert.InDelta(t, 12.0, FollowReference(10, 20, 5), 1e-12)
	ref := 10.0
	for range 14 {
		ref = FollowReference(ref, 0, 14)
	}
	assert.InDelta(t, 10*math.Pow(13.0/14, 14), ref, 1e-9)
}
