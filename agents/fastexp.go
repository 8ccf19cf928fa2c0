package agents

import "math"

// expNonPositive returns e^x for x ≤ 0 with a relative error below 2e-7,
// in about a third of math.Exp's instructions: the method choice needs
// one per wallet payment, and logit weights need nothing like full
// precision. It writes x·log₂e = n + j/64 + r·log₂e with k = 64n + j the
// nearest integer to 64·x·log₂e, so e^x = 2^n · 2^(j/64) · e^r with
// |r| ≤ ln 2/128; 2^(j/64) comes from a table, e^r from four terms of its
// series (remainder below r⁵/120 ≈ 4e-14), and n goes into the exponent
// bits directly.
func expNonPositive(x float64) float64 {
	if x < -700 {
		return 0
	}
	t := x * (64 * math.Log2E)
	k := int64(t - 0.5) // rounds to nearest: t − 0.5 ≤ 0, and conversion truncates toward zero
	r := x - float64(k)*(math.Ln2/64)
	p := exp2Table[k&63] * (1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24)))))
	return math.Float64frombits(math.Float64bits(p) + uint64(k>>6)<<52)
}

// exp2Table[j] is 2^(j/64).
var exp2Table = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()
