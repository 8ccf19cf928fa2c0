package empirical_test

import (
	"fmt"

	"github.com/paywars/hongbao/sim/empirical"
)

// A prisoner's dilemma estimated from three replicates of each profile,
// on common random numbers: defecting is the one equilibrium, and every
// deviation from it loses by many standard errors, so it is confirmed.
// The shared shock cancels in the paired differences: their standard error
// is 0.05, where comparing the means as if independent would give 0.83.
func ExampleAnalyze() {
	noise := []float64{-1, 0, 1} // replicate r's shock, shared by every profile
	pd := map[[2]int][2]float64{{0, 0}: {3, 3}, {1, 0}: {5, 0}, {0, 1}: {0, 5}, {1, 1}: {1, 1}}
	t := &empirical.Table{
		Players:    []string{"row", "column"},
		Strategies: [][]string{{"cooperate", "defect"}, {"cooperate", "defect"}},
		Paired:     true,
	}
	for k := range 4 {
		s := t.Profile(k)
		u := pd[[2]int{s[0], s[1]}]
		var v [][]float64
		for i := range 2 {
			xs := make([]float64, len(noise))
			for r, n := range noise {
				xs[r] = u[i] + n + 0.05*float64((r+k+i)%3) // and a little of its own
			}
			v = append(v, xs)
		}
		t.Values = append(t.Values, v)
	}
	a, err := empirical.Analyze(t, empirical.AnalyzeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range a.Equilibria {
		kind := "mixed"
		if e.Pure {
			kind = "pure"
		}
		fmt.Println(e.NE, kind, "confirmed:", e.Confirmed)
	}
	for _, br := range a.BestReplies {
		fmt.Printf("%s's best reply: %s, by %.2f ± %.2f\n", t.Players[br.Player], t.Strategies[br.Player][br.Best[0]], br.Margin, br.MarginSE)
	}
	// Output:
	// NE,0.000000,1.000000,0.000000,1.000000 pure confirmed: true
	// row's best reply: defect, by 2.00 ± 0.05
	// row's best reply: defect, by 1.00 ± 0.05
	// column's best reply: defect, by 2.00 ± 0.05
	// column's best reply: defect, by 1.00 ± 0.05
}
