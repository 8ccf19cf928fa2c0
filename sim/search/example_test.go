package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/paywars/hongbao/sim/search"
)

// A noisy payoff whose expectation is 5 − (x − 2)², each seed one world:
// the search finds x ≈ 2 on common seeds and gives the value an interval
// from fresh seeds.
func Example() {
	payoff := func(_ context.Context, x []float64, seeds []uint64) (float64, error) {
		r := rand.New(rand.NewPCG(seeds[0], 0))
		return 5 - (x[0]-2)*(x[0]-2) + 0.5*r.NormFloat64(), nil
	}
	s, err := search.New(search.Problem{
		Params:    []search.Param{{Name: "cashback", Lo: 0, Hi: 10}},
		Objective: payoff,
		Maximize:  true,
	}, search.Config{Seed: 1, Budget: 300})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := s.Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("cashback %.1f, value in [%.1f, %.1f]\n", res.X[0], res.Interval.Lo, res.Interval.Hi)
	// Output: cashback 2.0, value in [4.8, 5.2]
}
