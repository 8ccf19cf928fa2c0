package calibrate

import (
	"context"
	"fmt"
	"slices"

	"github.com/paywars/hongbao/sim/ensemble"
)

// CompareOffset is where the seeds of paired comparisons start, after the
// spec's seed: apart from the search's, the re-checks', the
// confirmation's (search.ConfirmOffset), validation's (3<<20) and the
// posterior's (PosteriorOffset). Replicate r uses the seeds
// Seed + CompareOffset + r·Seeds + j, the same for both candidates.
const CompareOffset = 5 << 20

// Candidate is a set of behavioural values to compare: keys as the profile
// names them and their values; keys it does not name keep the profile's.
type Candidate struct {
	Name string
	Keys []string
	X    []float64
	// Episodes, when set, are the episodes as the candidate was fitted
	// on them: their changes of inputs (Episode.Set) replace the spec's
	// for the candidate's runs, so a fit of a model with other history
	// is compared on its own model, on the same targets and seeds.
	Episodes []Episode
}

// episodes is the spec's episodes with the candidate's changes of inputs:
// an episode the candidate was fitted on takes the candidate's Set.
func (c Candidate) episodes(sp *Spec) []Episode {
	if c.Episodes == nil {
		return sp.Episodes
	}
	out := slices.Clone(sp.Episodes)
	for i, e := range out {
		out[i].Set, out[i].Lift = nil, nil
		for _, ce := range c.Episodes {
			if ce.Scenario == e.Scenario {
				out[i].Set, out[i].Lift = ce.Set, ce.Lift
			}
		}
	}
	return out
}

// CandidateOf is the optimum of a calibration's result (result.json), of
// whatever spec: a fit with more or other parameters than the spec compared
// on is a candidate like any other.
func CandidateOf(name string, r *Result) (Candidate, error) {
	if r.Search == nil || len(r.Search.X) != len(r.Params) {
		return Candidate{}, fmt.Errorf("calibrate: %s: the result has no optimum", name)
	}
	c := Candidate{Name: name, X: r.Search.X, Episodes: r.Episodes}
	for _, p := range r.Params {
		c.Keys = append(c.Keys, p.Key)
	}
	return c, nil
}

// Comparison is two candidates' loss (Σz² over the spec's targets) on the
// same fresh seeds, replicate by replicate, and the paired difference.
type Comparison struct {
	Spec       string    `json:"spec"`
	Users      int       `json:"users"`
	Seeds      int       `json:"seeds_per_replicate"`
	Replicates int       `json:"replicates"`
	Names      [2]string `json:"candidates"`
	// Loss[c][r] is candidate c's loss on replicate r's seeds.
	Loss [2][]float64 `json:"loss"`
	Mean [2]float64   `json:"mean_loss"`
	// Diff is the second candidate's loss less the first's, paired by
	// replicate, with its 95% t interval: below zero, the second fits the
	// targets better.
	Diff ensemble.Diff `json:"difference"`
	// RMSEShares is each candidate's in-sample share RMSE (points) on the
	// targets' means over every replicate's seeds.
	RMSEShares  [2]float64 `json:"rmse_shares_points"`
	Simulations int        `json:"simulations"`
}

// Compare runs two candidates on the spec's targets on replicates groups
// of the spec's seeds per replicate, both on the same seeds (common random
// numbers), so the loss difference is measured without the seed-to-seed
// noise they share. The search's own loss of a fit is measured on its own
// confirmation seeds and spec, so two fits, or two specs, are compared
// here and not by their reports. workers runs replicates in parallel.
func Compare(ctx context.Context, sp *Spec, a, b Candidate, replicates, workers int) (*Comparison, error) {
	if replicates < 2 {
		return nil, fmt.Errorf("calibrate: a comparison needs at least 2 replicates, got %d", replicates)
	}
	cands := [2]Candidate{a, b}
	c := &Comparison{Spec: sp.file, Users: sp.Users, Seeds: sp.Seeds, Replicates: replicates, Names: [2]string{a.Name, b.Name}}
	means := [2][][]float64{make([][]float64, replicates), make([][]float64, replicates)}
	type done struct {
		ev  *Evaluation
		err error
	}
	err := ensemble.Stream(ctx, 2*replicates, workers,
		func(ctx context.Context, _, i int) (done, bool) {
			cand, r := cands[i%2], i/2
			seeds := make([]uint64, sp.Seeds)
			for j := range seeds {
				seeds[j] = sp.Seed + CompareOffset + uint64(r*sp.Seeds+j)
			}
			ev, err := Evaluate(ctx, sp.Targets, cand.episodes(sp), cand.Keys, cand.X, sp.Users, seeds)
			return done{ev, err}, ctx.Err() == nil
		},
		func(i int, d done) error {
			if d.err != nil {
				return fmt.Errorf("calibrate: %s, replicate %d: %w", cands[i%2].Name, i/2, d.err)
			}
			means[i%2][i/2] = d.ev.Mean
			return nil
		})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	eps := map[string]bool{}
	for _, t := range sp.Targets {
		eps[t.Episode] = true
	}
	c.Simulations = 2 * replicates * sp.Seeds * len(eps)
	for k := range cands {
		pooled := &Evaluation{Mean: make([]float64, len(sp.Targets)), Seeds: make([][]float64, len(sp.Targets))}
		for r := range replicates {
			l := Loss(sp.Targets, means[k][r])
			c.Loss[k] = append(c.Loss[k], l)
			c.Mean[k] += l / float64(replicates)
			for i, m := range means[k][r] {
				pooled.Mean[i] += m / float64(replicates)
			}
		}
		c.RMSEShares[k] = RMSEShares(fitTable(sp.Targets, pooled))
	}
	c.Diff, err = ensemble.Paired(c.Loss[1], c.Loss[0])
	return c, err
}
