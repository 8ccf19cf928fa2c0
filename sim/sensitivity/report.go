package sensitivity

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// Table renders r as aligned text, one line per parameter in design order:
//
//	param  S1  [lo, hi]  ST  [lo, hi]
//
// with the bootstrap percentile intervals in brackets, followed by a line
// giving N, the dropped base rows and the bootstrap settings; then, when
// there are any, the second-order indices of each pair, and the
// convergence check with its verdict.
func (r SobolResult) Table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	ci := fmt.Sprintf("%g%% CI", 100*r.Confidence)
	fmt.Fprintf(tw, "param\tS1\t%s\tST\t%s\n", ci, ci)
	for _, ix := range r.Indices {
		fmt.Fprintf(tw, "%s\t%.3f\t[%.3f, %.3f]\t%.3f\t[%.3f, %.3f]\n",
			ix.Name, ix.S1, ix.S1Lo, ix.S1Hi, ix.ST, ix.STLo, ix.STHi)
	}
	tw.Flush()
	fmt.Fprintf(&b, "N=%d base rows (%d dropped), V=%.4g, %d bootstrap resamples\n",
		r.N, r.Dropped, r.Variance, r.Resamples)
	if len(r.Second) > 0 {
		b.WriteString("\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "pair\tS2\t%s\n", ci)
		for _, p := range r.Second {
			fmt.Fprintf(tw, "%s × %s\t%.3f\t[%.3f, %.3f]\n", p.NameI, p.NameJ, p.S2, p.Lo, p.Hi)
		}
		tw.Flush()
	}
	if len(r.Convergence) > 1 {
		b.WriteString("\nconvergence (indices on the first N base rows):\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "N")
		for _, ix := range r.Indices {
			fmt.Fprintf(tw, "\t%s S1\tST", ix.Name)
		}
		fmt.Fprintln(tw)
		for _, st := range r.Convergence {
			fmt.Fprintf(tw, "%d", st.N)
			for i := range st.S1 {
				fmt.Fprintf(tw, "\t%.3f\t%.3f", st.S1[i], st.ST[i])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		verdict := "settled"
		if !r.Converged() {
			verdict = "NOT settled: run more base_rows"
		}
		fmt.Fprintf(&b, "the last doubling moved an index by at most %.3f (%s; tolerance %.2f)\n",
			r.LastChange(), verdict, ConvergenceTolerance)
	}
	return b.String()
}

// Table renders r as aligned text, one line per parameter in design order:
//
//	param  μ*  μ  σ  n
//
// where n is the number of elementary effects used.
func (r MorrisResult) Table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "param\tμ*\tμ\tσ\tn\n")
	for _, ix := range r.Indices {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g\t%d\n", ix.Name, ix.MuStar, ix.Mu, ix.Sigma, ix.N)
	}
	tw.Flush()
	if r.Dropped > 0 {
		fmt.Fprintf(&b, "%d elementary effects dropped for non-finite outputs\n", r.Dropped)
	}
	return b.String()
}
