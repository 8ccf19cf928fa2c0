package game

import (
	"fmt"
	"math"
)

// Solvers estimate their cost before they start: vertex enumeration grows
// combinatorially with the strategies (a random 20×20 game took more than
// 4 GB), the dynamics linearly with their steps. Past these limits they
// return a *CostError that suggests a method that fits.
const (
	// MaxVertices bounds the upper-bound-theorem count of vertices of
	// either best-response polytope EnumMixed enumerates (see
	// VertexBound): 30,000 admits every square game up to 12×12 (24,752;
	// a random one solves in about 10 s and 200 MB) and refuses 13×13.
	MaxVertices = 30_000
	// maxBasesPerVertex bounds the bases EnumMixed visits per allowed
	// vertex: a degenerate game has more bases than vertices, and this
	// guard stops the search where the estimate was too kind.
	maxBasesPerVertex = 20
	// MaxDynamicsWork bounds steps × pure profiles × players of
	// Replicator and FictitiousPlay: about 10 s of arithmetic.
	MaxDynamicsWork = 1e9
)

// CostError says that a method would cost too much for a game, and which
// methods would fit.
type CostError struct {
	Method  string
	Reason  string
	Suggest string
}

func (e *CostError) Error() string {
	return fmt.Sprintf("game: %s: %s; %s", e.Method, e.Reason, e.Suggest)
}

// binom is the binomial coefficient C(n, k) as a float, +Inf past float64.
func binom(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	k = min(k, n-k)
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}

// VertexBound is McMullen's upper bound on the vertices of a d-dimensional
// polytope with f facets (Ziegler 1995, Lectures on Polytopes, section
// 8.4): C(f − ⌊(d+1)/2⌋, f − d) + C(f − ⌊(d+2)/2⌋, f − d). A best-response
// polytope of a player with d strategies against n has d + n facets.
func VertexBound(d, facets int) float64 {
	return binom(facets-(d+1)/2, facets-d) + binom(facets-(d+2)/2, facets-d)
}

// enumMixedCost refuses a game whose polytopes may have more than
// MaxVertices vertices.
func enumMixedCost(g *Game) error {
	m, n := g.NumStrategies(0), g.NumStrategies(1)
	v := math.Max(VertexBound(m, m+n), VertexBound(n, m+n))
	if v <= MaxVertices {
		return nil
	}
	return &CostError{Method: "enummixed",
		Reason:  fmt.Sprintf("a %d×%d game may have up to %.3g vertices per best-response polytope, more than the limit of %d (enumeration would take hours and gigabytes)", m, n, v, MaxVertices),
		Suggest: "use --method logit for one equilibrium of any game, enumpure for the pure ones, or lcp for one by Lemke–Howson"}
}

// dynamicsCost refuses steps of a dynamic past MaxDynamicsWork.
func dynamicsCost(g *Game, method string, steps int) error {
	work := float64(steps) * float64(g.NumProfiles()) * float64(g.NumPlayers())
	if work <= MaxDynamicsWork {
		return nil
	}
	most := int(MaxDynamicsWork / (float64(g.NumProfiles()) * float64(g.NumPlayers())))
	return &CostError{Method: method,
		Reason:  fmt.Sprintf("%d steps on %d profiles of %d players is %.3g operations, more than the limit of %.0e", steps, g.NumProfiles(), g.NumPlayers(), work, MaxDynamicsWork),
		Suggest: fmt.Sprintf("use at most %d steps, or --method logit", most)}
}

// CheckCost estimates what a method of package game would cost on g before
// it starts: "enummixed" (vertex enumeration) and "replicator" and
// "fictitious" (steps) have limits; the others (enumpure, lcp, logit,
// iesds) are polynomial in the size of the game, which the .nfg reader
// and the game file already bound. The error is a *CostError.
func CheckCost(g *Game, method string, steps int) error {
	switch method {
	case "enummixed":
		if g.NumPlayers() == 2 {
			return enumMixedCost(g)
		}
	case "replicator", "fictitious":
		return dynamicsCost(g, method, steps)
	}
	return nil
}
