package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/ensemble"
)

// measure is one KPI of the comparison tables: how to read it from
// ensemble.KPI, its name in the CSV, its header with the unit, and how to
// print a level and a difference.
type measure struct {
	key   string // compare.csv column stem
	head  string // table header, with the unit
	get   func(ensemble.KPI) float64
	level func(float64) string
	diff  func(float64) string
}

// measures returns the compared KPIs; the payoff's unit depends on the
// scenario's payoff metric, the window's length names the window column.
func measures(metric string, window int) []measure {
	pct := func(x float64) string { return fixed(100*x, 1) + "%" }
	pts := func(x float64) string { return signed(fixed(100*x, 1)) + " pts" }
	payoff := measure{key: "payoff", head: payoffHead(metric), get: func(k ensemble.KPI) float64 { return k.Payoff },
		level: money, diff: func(x float64) string { return signed(money(x)) }}
	switch metric {
	case "share":
		payoff.level, payoff.diff = pct, pts
	case "mau":
		payoff.level, payoff.diff = count, func(x float64) string { return signed(count(x)) }
	}
	return []measure{
		{"share_end", "share, last day", func(k ensemble.KPI) float64 { return k.ShareEnd }, pct, pts},
		{"share_window", fmt.Sprintf("share, last %d days", window), func(k ensemble.KPI) float64 { return k.ShareWindow }, pct, pts},
		{"mau_end", "MAU, last day", func(k ensemble.KPI) float64 { return k.MAUEnd }, count, func(x float64) string { return signed(count(x)) }},
		{"burn_yuan", "burn ¥", func(k ensemble.KPI) float64 { return k.BurnYuan }, money, func(x float64) string { return signed(money(x)) }},
		{"cost_per_retained_yuan", "¥ per retained MAU", func(k ensemble.KPI) float64 { return k.CostPerRetainedYuan }, money, func(x float64) string { return signed(money(x)) }},
		{"payback_days", "payback, days", func(k ensemble.KPI) float64 { return k.PaybackDays }, days, func(x float64) string { return signed(fixed(x, 1)) }},
		{"treasury_end_yuan", "treasury ¥, last day", func(k ensemble.KPI) float64 { return k.TreasuryEndYuan }, money, func(x float64) string { return signed(money(x)) }},
		payoff,
	}
}

// payoffHead is the header of a payoff column, with the metric's unit.
func payoffHead(metric string) string {
	switch metric {
	case "value":
		return "payoff: value ¥"
	case "mau":
		return "payoff: MAU"
	}
	return "payoff: " + metric
}

// payoffCell prints a payoff in its metric's unit.
func payoffCell(metric string, x float64) string {
	switch metric {
	case "share":
		return fixed(100*x, 1) + "%"
	case "mau":
		return count(x)
	}
	return money(x)
}

// count prints a whole number with thousands separators.
func count(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return scenarios.GroupThousands(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
}

// money prints yuan: whole yuan with thousands separators from 100 up,
// yuan and fen below.
func money(x float64) string {
	if math.Abs(x) < 100 && !math.IsNaN(x) {
		return fixed(x, 2)
	}
	return count(x)
}

// days prints a payback period; NaN means the subsidies were not paid back.
func days(x float64) string {
	if math.IsNaN(x) {
		return "never"
	}
	return fixed(x, 0)
}

func fixed(x float64, prec int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// signed puts a + before a positive difference.
func signed(s string) string {
	if s != "n/a" && !strings.HasPrefix(s, "-") && strings.Trim(s, "0.,% pts") != "" {
		return "+" + s
	}
	return s
}

// compareRow is one variant and platform: each measure summarised over
// seeds and, for every variant after the first, its paired difference
// from the baseline's same platform.
type compareRow struct {
	variant, platform, metric string
	seeds                     int
	levels                    []ensemble.Summary
	diffs                     []ensemble.Diff // nil for the baseline, or a platform it lacks
}

// compareRows computes the rows: platforms of each variant in its
// scenario's order, each measure over the seeds; every variant after the
// first is paired with the first on the common seeds (every variant runs
// every seed, in the same order).
func compareRows(specs []variantSpec, outcomes []ensemble.Outcome, window int, real bool) []compareRow {
	metric := outcomes[0].Result.Scenario.Payoff.Metric
	ms := measures(metric, window)
	// values[variant][platform name][measure] = one value per seed.
	values := make([]map[string][][]float64, len(specs))
	var order [][]string
	for vi := range specs {
		values[vi] = map[string][][]float64{}
		order = append(order, nil)
	}
	for _, o := range outcomes {
		for p, ps := range o.Result.Platforms {
			v := values[o.Variant][ps.Name]
			if v == nil {
				v = make([][]float64, len(ms))
				order[o.Variant] = append(order[o.Variant], ps.Name)
			}
			k := ensemble.KPIs(o.Result, p, window, real)
			for mi, m := range ms {
				v[mi] = append(v[mi], m.get(k))
			}
			values[o.Variant][ps.Name] = v
		}
	}
	var rows []compareRow
	for vi, spec := range specs {
		for _, name := range order[vi] {
			v := values[vi][name]
			r := compareRow{variant: spec.label, platform: name, metric: metric, seeds: len(v[0])}
			base, paired := values[0][name]
			for mi := range ms {
				r.levels = append(r.levels, ensemble.Summarize(v[mi]))
				if vi > 0 && paired {
					d, err := ensemble.Paired(v[mi], base[mi])
					if err == nil {
						r.diffs = append(r.diffs, d)
					}
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// printCompareTable prints the levels table and, with more than one
// variant, the differences from the baseline, one line per variant,
// platform and measure.
func printCompareTable(w io.Writer, rows []compareRow, seeds, window int, real bool) {
	ms := measures(rows[0].metric, window)
	units := "model units: simulated users and yuan"
	if real {
		units = "real units: people and yuan (× represents/users)"
	}
	head := []string{"variant", "platform"}
	for _, m := range ms {
		head = append(head, m.head)
	}
	table := [][]string{head}
	for _, r := range rows {
		line := []string{r.variant, r.platform}
		for mi, m := range ms {
			st := r.levels[mi]
			cell := m.level(st.Mean)
			if seeds > 1 && !math.IsNaN(st.SD) && !math.IsNaN(st.Mean) {
				cell += " ± " + strings.TrimPrefix(strings.TrimPrefix(m.diff(st.SD), "+"), "-")
			}
			line = append(line, cell)
		}
		table = append(table, line)
	}
	writeAligned(w, table, 2)
	if seeds > 1 {
		fmt.Fprintf(w, "(mean ± sd over %d seeds; %s)\n", seeds, units)
	} else {
		fmt.Fprintf(w, "(one seed; %s)\n", units)
	}

	var diffs [][]string
	for _, r := range rows {
		for mi, d := range r.diffs {
			m := ms[mi]
			interval, mark := "", ""
			if !math.IsNaN(d.Lo) {
				interval = "[" + m.diff(d.Lo) + ", " + m.diff(d.Hi) + "]"
				if d.Significant() {
					mark = "*"
				}
			}
			diffs = append(diffs, []string{r.variant, r.platform, m.head, m.diff(d.Mean), interval, mark})
		}
	}
	if len(diffs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nDifference from the baseline %s, paired on %d common seed%s:\n", rows[0].variant, seeds, plural(seeds))
	writeAligned(w, append([][]string{{"variant", "platform", "measure", "difference", "95% interval", ""}}, diffs...), 3)
	if seeds < 2 {
		fmt.Fprintln(w, "(one seed: no interval; give --seeds 1,2,3,... for one)")
	} else {
		fmt.Fprintln(w, "(* the interval excludes 0)")
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// writeAligned prints a table with two spaces between columns, the first
// left columns left-aligned and the rest right-aligned.
func writeAligned(w io.Writer, table [][]string, left int) {
	widths := make([]int, len(table[0]))
	for _, row := range table {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range table {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i < left {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// compareColumns returns the header of compare.csv: for each measure its
// mean and sd over seeds, and its paired difference from the baseline with
// the interval's bounds (empty for the baseline itself).
func compareColumns(metric string, window int) []string {
	cols := []string{"variant", "platform", "seeds", "units", "payoff_metric", "window_days"}
	for _, m := range measures(metric, window) {
		cols = append(cols, m.key+"_mean", m.key+"_sd", m.key+"_diff", m.key+"_diff_lo", m.key+"_diff_hi")
	}
	return cols
}

// writeCompareCSV writes the rows with six decimals at most; a value a run
// cannot define (a payback never reached) is empty.
func writeCompareCSV(out io.Writer, rows []compareRow, window int, real bool) error {
	w := csv.NewWriter(out)
	w.Write(compareColumns(rows[0].metric, window))
	units := "model"
	if real {
		units = "real"
	}
	num := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		s := strconv.FormatFloat(x, 'f', 6, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		if s == "-0" {
			s = "0"
		}
		return s
	}
	for _, r := range rows {
		fields := []string{r.variant, r.platform, strconv.Itoa(r.seeds), units, r.metric, strconv.Itoa(window)}
		for mi, st := range r.levels {
			fields = append(fields, num(st.Mean), num(st.SD))
			if r.diffs == nil {
				fields = append(fields, "", "", "")
				continue
			}
			d := r.diffs[mi]
			fields = append(fields, num(d.Mean), num(d.Lo), num(d.Hi))
		}
		w.Write(fields)
	}
	w.Flush()
	return w.Error()
}
