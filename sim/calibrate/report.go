package calibrate

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paywars/hongbao/scenarios"
)

// num prints a figure with its size in mind: shares with a decimal, counts
// in M or B.
func num(v float64, unit string) string {
	switch {
	case unit == "percent":
		return fmt.Sprintf("%.1f%%", v)
	case math.Abs(v) >= 1e9:
		return fmt.Sprintf("%.2fB", v/1e9)
	case math.Abs(v) >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	}
	return fmt.Sprintf("%.3g", v)
}

// WriteReport prints a calibration's result for people.
func WriteReport(w io.Writer, r *Result) {
	fmt.Fprintf(w, "calibration of profile %q (%s), %d users per episode (screen %d), fingerprint %s\n", r.Profile, r.Spec, r.Users, r.ScreenUsers, r.Fingerprint)
	s := r.Search
	fmt.Fprintf(w, "search: %d full calls + %d screening calls, %d generations, %d restarts (stopped: %s); %d simulations in all\n",
		s.Calls, s.ScreenCalls, s.Generations, s.Restarts, s.Stopped, r.Simulations)
	fmt.Fprintf(w, "loss Σz² at the optimum: %.1f (95%% %.1f to %.1f over %d fresh replicates)\n\n", r.Loss.Mean, r.Loss.Lo, r.Loss.Hi, r.Loss.N)
	fmt.Fprintf(w, "%-28s %12s %12s %12s  %s\n", "parameter", "value", "95% lo", "95% hi", "")
	for _, p := range r.Params {
		flag := ""
		if p.Poor {
			flag += " poorly identified"
		}
		if p.OnBound {
			flag += " on a bound"
		}
		fmt.Fprintf(w, "%-28s %12.4g %12.4g %12.4g %s\n", p.Key, p.Value, p.Lo, p.Hi, flag)
	}
	fmt.Fprintf(w, "intervals: %s, on %d evaluations\n", r.Method, r.SurfacePts)
	fmt.Fprintln(w, "  (a local cross-check, overconfident when the loss is noisy: the credible intervals are the ABC-SMC posterior's, --posterior abc)")
	if len(r.Correlated) > 0 {
		fmt.Fprintln(w, "correlated pairs (|r| > 0.7):")
		for _, c := range r.Correlated {
			fmt.Fprintf(w, "  %s ~ %s: %+.2f\n", c.A, c.B, c.Corr)
		}
	}
	fmt.Fprintf(w, "\n%-26s %-22s %-8s %10s %10s %8s %7s\n", "figure (fit)", "episode", "period", "record", "model", "seed sd", "z")
	for _, t := range r.Fit {
		fmt.Fprintf(w, "%-26s %-22s %-8s %10s %10s %8s %+7.2f\n", t.ID, t.Episode, t.Period, num(t.Record, t.Unit), num(t.Model, t.Unit), num(t.SeedSD, t.Unit), t.Z)
	}
	fmt.Fprintf(w, "in-sample RMSE of the shares: %.2f points\n", r.RMSEShares)
	writeOverrides(w)
}

// writeOverrides lists every library scenario's declared overrides of its
// profile: behaviour the calibration did not set for it.
func writeOverrides(w io.Writer) {
	var lines []string
	for _, e := range scenarios.Library() {
		s, err := scenarios.Load(e.Name, nil)
		if err != nil {
			continue
		}
		for _, o := range s.Overrides {
			lines = append(lines, fmt.Sprintf("  %s: %s (%s)", e.Name, o.Key, o.Reason))
		}
	}
	fmt.Fprintf(w, "\nper-episode overrides of the profile in the library: %d\n", len(lines))
	if len(lines) > 0 {
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	}
}

// WriteValidation prints a validation for people.
func WriteValidation(w io.Writer, v *Validation) {
	fmt.Fprintf(w, "validation of profile %q on held-out figures: %d users, %d seeds × %d parameter draws (+ the point estimate), %d simulations\n\n",
		v.Profile, v.Users, v.Seeds, v.Draws, v.Simulations)
	fmt.Fprintf(w, "%-26s %-18s %-10s %10s %10s %21s %6s %7s\n", "figure (held out)", "episode", "period", "record", "point", "90% band", "inside", "ratio")
	for _, p := range v.Predictions {
		in := "no"
		if p.Inside {
			in = "yes"
		}
		fmt.Fprintf(w, "%-26s %-18s %-10s %10s %10s %10s-%-10s %6s %7.2f\n", p.ID, p.Episode, p.Period, num(p.Record, p.Unit), num(p.Median, p.Unit),
			num(p.Lo, p.Unit), num(p.Hi, p.Unit), in, p.Ratio)
	}
	fmt.Fprintf(w, "point: the median over seeds at the fitted values; band: 5-95%% over seeds and posterior draws\n")
	if v.DrawsFrom != "" {
		fmt.Fprintf(w, "posterior draws: %s\n", v.DrawsFrom)
	}
	fmt.Fprintf(w, "held-out RMSE of the shares at the fitted values: %.2f points\n", v.RMSEShares)
	if len(v.RMSESharesFrom) > 1 {
		fmt.Fprintf(w, "  over the figures from each year on:")
		for _, y := range v.RMSESharesFrom {
			fmt.Fprintf(w, " %s on %.2f (%d)", y.Year, y.RMSE, y.Figures)
		}
		fmt.Fprintln(w)
	}
}

// WritePosterior prints an ABC-SMC posterior for people; quad, when
// set, is the search's result, whose quadratic-surface intervals are
// printed beside for comparison.
func WritePosterior(w io.Writer, p *Posterior, quad *Result) {
	s := p.Settings
	fmt.Fprintf(w, "posterior of profile %q (%s), fingerprint %s\n", p.Profile, p.Spec, p.Fingerprint)
	fmt.Fprintf(w, "method: %s\n", p.Method)
	fmt.Fprintf(w, "%d particles (α %.2g keeps %d), %d fresh seed(s) per particle at %d users; %d particles simulated (%d replayed from the journal), %d simulations; stopped: %s\n\n",
		s.Particles, s.Alpha, s.kept(), s.Seeds, s.Users, p.Particles, p.Replayed, p.Simulations, p.Stopped)
	if s.Moved > 0 {
		fmt.Fprintf(w, "moves repeated (Drovandi & Pettitt 2011) until a particle has moved with chance %.2g, at most %d rounds a generation; stopping rate %.3g\n\n", s.Moved, s.MaxMoves, s.MinAcceptance)
	}
	fmt.Fprintf(w, "%-10s %12s %9s %11s %10s %12s %8s %7s\n", "generation", "tolerance ε", "simulated", "accepted", "rate", "next ε", "ESS", "rounds")
	for _, g := range p.Generations {
		eps := "none (prior)"
		if g.Generation > 0 {
			eps = fmt.Sprintf("%.4g", g.Tolerance)
		}
		rounds := fmt.Sprint(max(1, g.Rounds))
		if g.Discarded {
			rounds = "1, not kept"
		}
		fmt.Fprintf(w, "%-10d %12s %9d %5d/%-5d %10.3f %12.4g %8.1f %7s\n", g.Generation, eps, g.Simulated, g.Accepted, g.Proposed, g.Acceptance, g.Next, g.ESS, rounds)
	}
	fmt.Fprintf(w, "final tolerance Σz² ≤ %.4g; effective sample size %.1f of %d kept (%d distinct particles; copies of a refused move count as one)\n\n",
		p.Tolerance, p.ESS, s.kept(), len(p.Weights))
	quadCol := quad != nil && len(quad.Params) == len(p.Params)
	fmt.Fprintf(w, "%-28s %11s %11s %11s %11s  %-7s", "parameter", "mean", "median", "95% lo", "95% hi", "width")
	if quadCol {
		fmt.Fprintf(w, " %-25s", "quadratic (search)")
	}
	fmt.Fprintln(w)
	for i, q := range p.Params {
		flag := ""
		if q.Poor {
			flag = " poorly identified"
		}
		fmt.Fprintf(w, "%-28s %11.4g %11.4g %11.4g %11.4g  %-7.2f", q.Key, q.Mean, q.Median, q.Lo, q.Hi, q.Width)
		if quadCol {
			r := quad.Params[i]
			fmt.Fprintf(w, " %8.4g [%.4g, %.4g]", r.Value, r.Lo, r.Hi)
		}
		fmt.Fprintln(w, flag)
	}
	fmt.Fprintln(w, "width: the 95% credible interval's share of the range (log scale for log-uniform priors); poorly identified above 0.5")
	if len(p.Correlated) > 0 {
		fmt.Fprintln(w, "correlated pairs (weighted |r| > 0.7 in the final population):")
		for _, c := range p.Correlated {
			fmt.Fprintf(w, "  %s ~ %s: %+.2f\n", c.A, c.B, c.Corr)
		}
	} else {
		fmt.Fprintln(w, "correlated pairs (weighted |r| > 0.7): none")
	}
	fmt.Fprintf(w, "\n%-26s %-22s %-8s %10s %10s %21s %7s\n", "figure (fit)", "episode", "period", "record", "posterior", "95% of particles", "z")
	for _, f := range p.Fit {
		fmt.Fprintf(w, "%-26s %-22s %-8s %10s %10s %10s-%-10s %+7.2f\n", f.ID, f.Episode, f.Period, num(f.Record, f.Unit), num(f.Mean, f.Unit),
			num(f.Lo, f.Unit), num(f.Hi, f.Unit), f.Z)
	}
	fmt.Fprintln(w, "posterior: the weighted mean over the final particles of each figure (each a mean over its seeds); z at that mean")
}

// WriteComparison prints a paired comparison of two fits.
func WriteComparison(w io.Writer, c *Comparison) {
	fmt.Fprintf(w, "comparison on %s: %d users per episode, %d replicates of %d seed(s), the same seeds for both; %d simulations\n\n",
		c.Spec, c.Users, c.Replicates, c.Seeds, c.Simulations)
	width := 3
	for _, name := range c.Names {
		width = max(width, len(name))
	}
	fmt.Fprintf(w, "%-3s %-*s %12s %18s\n", "", width, "fit", "mean loss", "share RMSE (pts)")
	for k, name := range c.Names {
		fmt.Fprintf(w, "%-3s %-*s %12.1f %18.2f\n", string(rune('A'+k)), width, name, c.Mean[k], c.RMSEShares[k])
	}
	verdict := "the difference is within the noise"
	switch {
	case c.Diff.Hi < 0:
		verdict = "B fits the targets better"
	case c.Diff.Lo > 0:
		verdict = "A fits the targets better"
	}
	fmt.Fprintf(w, "\nloss B − A, paired by replicate: %.1f (95%% %.1f to %.1f): %s\n", c.Diff.Mean, c.Diff.Lo, c.Diff.Hi, verdict)
}
