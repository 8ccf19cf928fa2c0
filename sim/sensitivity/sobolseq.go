package sensitivity

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// MaxSobolDim is the largest dimension SobolSequence supports: dimension 1
// plus the 297 dimensions of new-joe-kuo-6.21201 that this package embeds
// (see directions.go). A Saltelli design needs 2k dimensions for k
// parameters, so it supports up to 149 parameters.
const MaxSobolDim = len(joeKuo) + 1

// sobolBits is the number of binary digits of each coordinate; a sequence
// yields at most 2^sobolBits points.
const sobolBits = 32

// SobolSequence generates the Sobol' low-discrepancy sequence in [0, 1)^d
// with the direction numbers of Joe and Kuo (2008), in the Gray-code order
// of Antonov and Saleev (1979), as in Joe and Kuo's reference program
// sobol.cc. Point n is
//
//	x_n = x_(n−1) ⊕ v_c,  c = index of the lowest zero bit of n−1,
//
// with x_0 = 0, where ⊕ is bitwise exclusive or on 32-bit binary fractions
// and v_c are the direction numbers. A scrambled sequence (see
// NewScrambledSobolSequence) replaces every v_c by L·v_c for a random lower
// triangular binary matrix L with unit diagonal and XORs every point with a
// random digital shift (Matoušek 1998, "On the L2-discrepancy for anchored
// boxes", J. Complexity 14:527), which keeps the net structure and makes the
// points unbiased for integration. A SobolSequence must be made by one of the
// constructors.
type SobolSequence struct {
	v     [][sobolBits]uint32 // v[dim][c] is direction number c+1 of dim
	x     []uint32            // the last point, before the shift
	shift []uint32
	n     uint64 // index of the next point
}

// NewSobolSequence returns the unscrambled Sobol' sequence in dim
// dimensions, 1 ≤ dim ≤ MaxSobolDim. Its first points in dimension 1 are
// 0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125.
func NewSobolSequence(dim int) (*SobolSequence, error) {
	if dim < 1 || dim > MaxSobolDim {
		return nil, fmt.Errorf("sensitivity: Sobol dimension %d out of range [1, %d]", dim, MaxSobolDim)
	}
	s := &SobolSequence{
		v:     make([][sobolBits]uint32, dim),
		x:     make([]uint32, dim),
		shift: make([]uint32, dim),
	}
	for i := range sobolBits {
		s.v[0][i] = 1 << (sobolBits - 1 - i)
	}
	for d := 1; d < dim; d++ {
		jk := joeKuo[d-1]
		v := &s.v[d]
		deg := int(jk.s)
		for i := 0; i < deg && i < sobolBits; i++ {
			v[i] = jk.m[i] << (sobolBits - 1 - i)
		}
		// Bratley and Fox (1988), Algorithm 659, recurrence (2):
		//	v_i = a_1 v_(i−1) ⊕ … ⊕ a_(s−1) v_(i−s+1) ⊕ v_(i−s) ⊕ (v_(i−s) >> s).
		for i := deg; i < sobolBits; i++ {
			v[i] = v[i-deg] ^ (v[i-deg] >> deg)
			for k := 1; k < deg; k++ {
				if (jk.a>>(deg-1-k))&1 == 1 {
					v[i] ^= v[i-k]
				}
			}
		}
	}
	return s, nil
}

// NewScrambledSobolSequence returns the Sobol' sequence in dim dimensions
// with a random linear matrix scramble and digital shift drawn from rnd,
// as described on SobolSequence. The same rnd state gives the same
// sequence.
func NewScrambledSobolSequence(dim int, rnd *rand.Rand) (*SobolSequence, error) {
	if rnd == nil {
		return nil, fmt.Errorf("sensitivity: nil random source")
	}
	s, err := NewSobolSequence(dim)
	if err != nil {
		return nil, err
	}
	for d := range s.v {
		// Row r of L (digit r, most significant first) has a one on the
		// diagonal and random bits left of it.
		var rows [sobolBits]uint32
		for r := range sobolBits {
			diag := uint32(1) << (sobolBits - 1 - r)
			below := ^(diag<<1 - 1) // digits 0 … r−1
			rows[r] = diag | uint32(rnd.Uint64())&below
		}
		for c, v := range s.v[d] {
			var w uint32
			for r, row := range rows {
				w |= uint32(bits.OnesCount32(row&v)&1) << (sobolBits - 1 - r)
			}
			s.v[d][c] = w
		}
		s.shift[d] = uint32(rnd.Uint64())
	}
	return s, nil
}

// Dim returns the dimension of the sequence.
func (s *SobolSequence) Dim() int { return len(s.x) }

// Next stores the next point of the sequence in dst, allocating it when dst
// is nil, and returns it. Next panics if len(dst) differs from Dim, or after
// 2³² points.
func (s *SobolSequence) Next(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(s.x))
	}
	if len(dst) != len(s.x) {
		panic("sensitivity: Sobol point length mismatch")
	}
	if s.n > 0 {
		c := bits.TrailingZeros64(^(s.n - 1))
		if c >= sobolBits {
			panic("sensitivity: Sobol sequence exhausted")
		}
		for d := range s.x {
			s.x[d] ^= s.v[d][c]
		}
	}
	s.n++
	for d, x := range s.x {
		dst[d] = float64(x^s.shift[d]) * 0x1p-32
	}
	return dst
}
