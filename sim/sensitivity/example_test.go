package sensitivity_test

import (
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/paywars/hongbao/sim/sensitivity"
)

// model stands in for a simulation run: y = x + 2·z with a parameter w that
// has no effect.
func model(x, z, w float64) float64 { return x + 2*z + 0*w }

func ExampleFullFactorial() {
	d, err := sensitivity.FullFactorial([]sensitivity.Param{
		{Name: "agents", Levels: []float64{100, 1000}},
		{Name: "rate", Min: 0, Max: 0.1, Step: 0.05},
	})
	if err != nil {
		log.Fatal(err)
	}
	for i := range d.Len() {
		fmt.Println(d.Points.RawRowView(i))
	}
	// Output:
	// [100 0]
	// [100 0.05]
	// [100 0.1]
	// [1000 0]
	// [1000 0.05]
	// [1000 0.1]
}

func ExampleLatinHypercube() {
	d, err := sensitivity.LatinHypercube([]sensitivity.Param{
		{Name: "x", Min: 0, Max: 1},
		{Name: "habit", Dist: sensitivity.LogUniform, Min: 0.01, Max: 1},
	}, 4, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		log.Fatal(err)
	}
	// Each column has one point in each quarter of [0, 1).
	for i := range d.Len() {
		u := d.Unit.RawRowView(i)
		fmt.Printf("quarter %d %d\n", int(4*u[0]), int(4*u[1]))
	}
	// Output:
	// quarter 2 1
	// quarter 3 3
	// quarter 1 0
	// quarter 0 2
}

// ExampleSaltelli runs a Sobol' analysis end to end: design, one model run
// per row, analysis. For y = x + 2z with x, z ~ U(0, 1) the exact indices are
// 1/5 and 4/5, and 0 for w.
func ExampleSaltelli() {
	params := []sensitivity.Param{
		{Name: "x", Min: 0, Max: 1},
		{Name: "z", Min: 0, Max: 1},
		{Name: "w", Dist: sensitivity.Normal, Mu: 0, Sigma: 1},
	}
	d, err := sensitivity.Saltelli(params, 1024, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		log.Fatal(err)
	}
	y := make([]float64, d.Len())
	for i := range y {
		p := d.Points.RawRowView(i)
		y[i] = model(p[0], p[1], p[2])
	}
	res, err := sensitivity.AnalyzeSobol(d, y, sensitivity.SobolOptions{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Len(), "runs")
	for _, ix := range res.Indices {
		fmt.Printf("%s S1=%.2f ST=%.2f\n", ix.Name, ix.S1, ix.ST)
	}
	// Output:
	// 5120 runs
	// x S1=0.20 ST=0.20
	// z S1=0.80 ST=0.80
	// w S1=0.00 ST=0.00
}

// ExampleMorris screens the same model: the elementary effects are per unit
// of the normalised input, so μ* is the coefficient times the range.
func ExampleMorris() {
	params := []sensitivity.Param{
		{Name: "x", Min: 0, Max: 1},
		{Name: "z", Min: 0, Max: 10},
		{Name: "w", Levels: []float64{1, 2, 3, 4}},
	}
	d, err := sensitivity.Morris(params, sensitivity.MorrisOptions{Trajectories: 10, Levels: 4, Candidates: 50},
		rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		log.Fatal(err)
	}
	y := make([]float64, d.Len())
	for i := range y {
		p := d.Points.RawRowView(i)
		y[i] = model(p[0], p[1], p[2])
	}
	res, err := sensitivity.AnalyzeMorris(d, y, sensitivity.NaNError)
	if err != nil {
		log.Fatal(err)
	}
	for _, ix := range res.Indices {
		fmt.Printf("%s μ*=%.2f μ=%.2f σ=%.2f\n", ix.Name, ix.MuStar, ix.Mu, ix.Sigma)
	}
	// Output:
	// x μ*=1.00 μ=1.00 σ=0.00
	// z μ*=20.00 μ=20.00 σ=0.00
	// w μ*=0.00 μ=0.00 σ=0.00
}

func ExampleNewSobolSequence() {
	s, err := sensitivity.NewSobolSequence(2)
	if err != nil {
		log.Fatal(err)
	}
	for range 5 {
		fmt.Println(s.Next(nil))
	}
	// Output:
	// [0 0]
	// [0.5 0.5]
	// [0.75 0.25]
	// [0.25 0.75]
	// [0.375 0.375]
}
