package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/reporter"
)

// reportFlags collects repeated --report EXPR reporters, parsed as they
// are given so that a typo stops the command before the run.
type reportFlags []*reporter.Reporter

func (r *reportFlags) String() string {
	parts := make([]string, len(*r))
	for i, rep := range *r {
		parts[i] = rep.String()
	}
	return strings.Join(parts, " ")
}

func (r *reportFlags) Set(v string) error {
	rep, err := reporter.Parse(v)
	if err != nil {
		return err
	}
	*r = append(*r, rep)
	return nil
}

// check reports a reporter that names a platform the scenario lacks or a
// day past its horizon.
func (r reportFlags) check(s *scenarios.Scenario) error {
	names := make([]string, len(s.Platforms))
	for i, p := range s.Platforms {
		names[i] = p.Name
	}
	for _, rep := range r {
		for _, pl := range rep.Platforms() {
			if !slices.Contains(names, pl) {
				msg := fmt.Sprintf("--report %s: no platform %q in %s", rep, pl, s.World.Name)
				if sg := scenarios.Suggest(pl, names); sg != "" {
					msg += "; did you mean " + sg + "?"
				}
				return fmt.Errorf("%s (its platforms are %s)", msg, strings.Join(names, ", "))
			}
		}
		days, _ := rep.Days()
		for _, d := range days {
			if d >= s.World.Days || d < -s.World.Days {
				return fmt.Errorf("--report %s: day %d is outside the run's %d days (0 to %d, or −1 for the last)", rep, d, s.World.Days, s.World.Days-1)
			}
		}
	}
	return nil
}

// printReports prints each reporter's value: a table with one column per
// platform for the reporters that name no platform, then one line for
// each of the others; after a blank line when something was printed
// before.
func printReports(w io.Writer, res *sim.Result, reps reportFlags, after bool) {
	var per, one []*reporter.Reporter
	width := len("reporter")
	for _, rep := range reps {
		if rep.Unqualified() != "" {
			per = append(per, rep)
		} else {
			one = append(one, rep)
		}
		width = max(width, len(rep.String()))
	}
	if len(reps) > 0 && after {
		fmt.Fprintln(w)
	}
	if len(per) > 0 {
		fmt.Fprintf(w, "%-*s", width, "reporter")
		for _, p := range res.Platforms {
			fmt.Fprintf(w, " %14s", p.Name)
		}
		fmt.Fprintln(w)
		for _, rep := range per {
			fmt.Fprintf(w, "%-*s", width, rep)
			for _, p := range res.Platforms {
				fmt.Fprintf(w, " %14s", formatReport(rep.Value(res, p.Name)))
			}
			fmt.Fprintln(w)
		}
	}
	for _, rep := range one {
		fmt.Fprintf(w, "%-*s %14s\n", width, rep, formatReport(rep.Value(res, "")))
	}
}

// formatReport prints a value with six significant digits, in full for
// whole numbers up to a billion.
func formatReport(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e9 {
		return scenarios.GroupThousands(strconv.FormatFloat(v, 'f', 0, 64))
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
