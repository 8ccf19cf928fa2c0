package calibrate

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/paywars/hongbao/sim/search"
)

// LeftOut is one episode's figures predicted by a fit that did not see
// them.
type LeftOut struct {
	Episode string         `json:"episode"`
	X       []float64      `json:"x"` // the fit without the episode
	Fit     []TargetResult `json:"figures"`
	RMSE    float64        `json:"rmse_shares_points"` // of its share figures, 0 when it has none
	Calls   int            `json:"calls"`
}

// LeaveOneEpisodeOut refits the spec once per episode with that episode's
// targets left out, each search starting from start (the full fit) with
// budget full calls, and predicts the left-out targets on the confirmation
// seeds. A parameter only that episode informs drifts in its refit: the
// prediction then shows what the other episodes say about it. dir, when
// set, gets one journal folder per episode (loeo-NAME).
func LeaveOneEpisodeOut(ctx context.Context, sp *Spec, start []float64, budget int, dir string, workers int, progress func(string, search.Progress)) ([]LeftOut, error) {
	var order []string
	seen := map[string]bool{}
	for _, t := range sp.Targets {
		if !seen[t.Episode] {
			seen[t.Episode] = true
			order = append(order, t.Episode)
		}
	}
	var out []LeftOut
	for _, ep := range order {
		var keep, left []Target
		for _, t := range sp.Targets {
			if t.Episode == ep {
				left = append(left, t)
			} else {
				keep = append(keep, t)
			}
		}
		if len(keep) == 0 {
			continue
		}
		sub := *sp
		sub.Targets, sub.Budget = keep, budget
		sub.src = append(append([]byte(nil), sp.src...), []byte("\n# leave out "+ep)...)
		opt := Options{Workers: workers, Start: start}
		if dir != "" {
			opt.Dir = filepath.Join(dir, "loeo-"+ep)
		}
		if progress != nil {
			opt.Progress = func(p search.Progress) { progress(ep, p) }
		}
		res, err := Calibrate(ctx, &sub, opt)
		if err != nil {
			return nil, fmt.Errorf("calibrate: leaving out %s: %w", ep, err)
		}
		seeds := make([]uint64, sp.Confirm*sp.Seeds)
		for i := range seeds {
			seeds[i] = sp.Seed + search.ConfirmOffset + uint64(i)
		}
		ev, err := Evaluate(ctx, left, sp.Episodes, sp.Keys(), res.Search.X, sp.Users, seeds)
		if err != nil {
			return nil, err
		}
		lo := LeftOut{Episode: ep, X: res.Search.X, Fit: fitTable(left, ev), Calls: res.Search.Calls + res.Search.ScreenCalls}
		lo.RMSE = RMSEShares(lo.Fit)
		out = append(out, lo)
	}
	return out, nil
}
