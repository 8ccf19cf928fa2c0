package agents

import "math"

// expNonPositive returns e^x for x ≤ 0 with a relative error below 2e-7,
// faster than math.Exp: the method choice needs one per wallet per
// payment, and logit weights need nothing like full precision. It writes
// e^x = 2^n · e^g with n = ⌊x·log₂e⌋ and g in [0, ln 2), computes e^g by
// its Taylor series to degree 8 (remainder below (ln 2)^9/9! ≈ 1.0e-7)
// and puts n into the exponent bits directly.
func expNonPositive(x float64) float64 {
	if x < -700 {
		return 0
	}
	t := x * math.Log2E
	n := math.Floor(t)
	f := (t - n) * math.Ln2 // e^f' with f' in [0, ln 2)
	p := 1 + f*(1+f*(1.0/2+f*(1.0/6+f*(1.0/24+f*(1.0/120+f*(1.0/720+f*(1.0/5040+f*(1.0/40320))))))))
	return math.Float64frombits(math.Float64bits(p) + uint64(int64(n))<<52)
}
