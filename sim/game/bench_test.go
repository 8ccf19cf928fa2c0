package game

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

func randomBimatrix(rng *rand.Rand, m, n int, maxPay int64) *Game {
	a := make([][]*big.Rat, m)
	b := make([][]*big.Rat, m)
	for r := range a {
		a[r] = make([]*big.Rat, n)
		b[r] = make([]*big.Rat, n)
		for c := range a[r] {
			a[r][c] = big.NewRat(rng.Int64N(maxPay), 1)
			b[r][c] = big.NewRat(rng.Int64N(maxPay), 1)
		}
	}
	g, _ := Bimatrix(a, b)
	return g
}

// BenchmarkEnumMixed measures vertex enumeration on random integer games.
func BenchmarkEnumMixed(b *testing.B) {
	for _, size := range []int{4, 6, 8} {
		g := randomBimatrix(rand.New(rand.NewPCG(3, 3)), size, size, 100)
		b.Run(string(rune('0'+size)), func(b *testing.B) {
			for b.Loop() {
				if _, err := EnumMixed(g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLemkeHowson measures one Lemke–Howson path on a random 20×20 game.
func BenchmarkLemkeHowson(b *testing.B) {
	g := randomBimatrix(rand.New(rand.NewPCG(4, 4)), 20, 20, 100)
	for b.Loop() {
		if _, err := LemkeHowson(g, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogit3x3x3 measures the logit path on a random 3×3×3 game.
func BenchmarkLogit3x3x3(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	pay := make([][]float64, 27)
	for k := range pay {
		pay[k] = []float64{rng.Float64(), rng.Float64(), rng.Float64()}
	}
	s := []string{"a", "b", "c"}
	g, _ := NewFloat([]string{"1", "2", "3"}, [][]string{s, s, s}, pay)
	for b.Loop() {
		if _, err := Logit(g, LogitOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
