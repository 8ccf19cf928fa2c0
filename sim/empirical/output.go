package empirical

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/game"
)

// Output file names in a game's output directory.
const (
	NFGFile       = "game.nfg"          // the estimated game in Gambit's format
	PayoffsCSV    = "payoffs.csv"       // the payoff table, one row per profile
	BestReplyDOT  = "best-response.dot" // the best-response graph, for Graphviz
	ReportJSON    = "game.json"         // everything, as --json prints it
	ReportText    = "report.txt"        // the text report the command prints
	ReportFormat  = "hongbao-game/1"    // Report.Format
	heatmapPrefix = "heatmap-"
	replPrefix    = "replicator-"
)

// Report is everything a game found, as `hongbao game --json` prints it and
// game.json holds. It depends only on the game file, the base scenario and
// the simulations, never on the machine, the worker count or interruptions.
type Report struct {
	// Format is ReportFormat, "hongbao-game/1".
	Format string `json:"format"`
	// Name, Description and Scenario come from the game file.
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Scenario    string `json:"scenario"`
	// Metric is the payoff metric; PayoffMetric the scenario's own
	// payoff definition when Metric is "payoff".
	Metric       string `json:"metric"`
	PayoffMetric string `json:"payoff_metric,omitempty"`
	// Users, Days, Seed, Replicates, CommonRandomNumbers and Runs say
	// what was simulated; Epsilon and Z how the equilibria were checked.
	Users               int     `json:"users"`
	Days                int     `json:"days"`
	Seed                uint64  `json:"seed"`
	Replicates          int     `json:"replicates"`
	CommonRandomNumbers bool    `json:"common_random_numbers"`
	Runs                int64   `json:"runs"`
	Epsilon             float64 `json:"epsilon"`
	Z                   float64 `json:"z"`
	// Players, Profiles, Equilibria and BestReplies are the results (see
	// Analysis); Notes say what could not be computed; Files are the
	// output files, relative to the output directory.
	Players     []ReportPlayer  `json:"players"`
	Profiles    []ReportProfile `json:"profiles"`
	Equilibria  []ReportNE      `json:"equilibria"`
	BestReplies []ReportReply   `json:"best_replies"`
	Notes       []string        `json:"notes,omitempty"`
	Files       []string        `json:"files"`
}

// ReportPlayer is a player: its platform, display label and strategies.
type ReportPlayer struct {
	Name       string   `json:"name"`
	Label      string   `json:"label"`
	Strategies []string `json:"strategies"`
}

// ReportProfile is one pure profile: each player's mean payoff and its
// standard error, whether it is an equilibrium of the estimated game, and
// whether the noise rules out that it is one (Stable false).
type ReportProfile struct {
	Index         int              `json:"index"`
	Strategies    []string         `json:"strategies"`
	Mean          []float64        `json:"mean"`
	SE            []float64        `json:"se"`
	Equilibrium   bool             `json:"equilibrium"`
	Stable        bool             `json:"stable"`
	BestDeviation *ReportDeviation `json:"best_deviation,omitempty"`
}

// ReportDeviation is a unilateral deviation and its estimated gain.
type ReportDeviation struct {
	Player      string  `json:"player"`
	Strategy    string  `json:"strategy"`
	Gain        float64 `json:"gain"`
	SE          float64 `json:"se"`
	Significant bool    `json:"significant"`
}

// ReportNE is an equilibrium of the estimated game (see Equilibrium).
type ReportNE struct {
	NE          string            `json:"ne"`
	Method      string            `json:"method"`
	Found       []string          `json:"found_by"`
	Pure        bool              `json:"pure"`
	Strategies  []string          `json:"strategies,omitempty"`
	Profile     [][]float64       `json:"profile"`
	Payoffs     []float64         `json:"payoffs"`
	Regret      float64           `json:"regret"`
	RegretUpper float64           `json:"regret_upper95"`
	NotRejected bool              `json:"not_rejected"`
	Confirmed   bool              `json:"confirmed"`
	Deviations  []ReportDeviation `json:"deviations"`
}

// ReportReply is a best reply (see BestReply); Against maps each other
// player to its strategy.
type ReportReply struct {
	Player      string            `json:"player"`
	Against     map[string]string `json:"against"`
	Best        []string          `json:"best"`
	Payoff      float64           `json:"payoff"`
	RunnerUp    string            `json:"runner_up,omitempty"`
	Margin      float64           `json:"margin"`
	MarginSE    float64           `json:"margin_se"`
	Significant bool              `json:"significant"`
}

// fileStem is a player's name as it appears in file names.
func fileStem(name string) string { return scenarios.FileStem(name) }

// chartFiles are the chart files a game writes: a heat map per player for
// two players, one table heat map otherwise, and a replicator plot for
// each player with two strategies.
func chartFiles(t *Table) []string {
	var out []string
	if len(t.Players) == 2 {
		for _, p := range t.Players {
			out = append(out, heatmapPrefix+fileStem(p)+".png")
		}
	} else {
		out = append(out, heatmapPrefix+"payoffs.png")
	}
	for i, p := range t.Players {
		if len(t.Strategies[i]) == 2 {
			out = append(out, replPrefix+fileStem(p)+".png")
		}
	}
	return out
}

// NewReport builds the report of a solved game.
func NewReport(p *Plan, a *Analysis) *Report {
	s, t := p.Spec, a.Table
	rep := &Report{Format: ReportFormat, Name: s.Name, Description: s.Description, Scenario: p.ScenarioLabel,
		Metric: s.Payoff.Metric, Users: p.Sweep.Base.World.Users, Days: p.Sweep.Base.World.Days,
		Seed: s.Seed, Replicates: s.Replicates, CommonRandomNumbers: s.CommonRandomNumbers, Runs: s.Runs(),
		Epsilon: a.Epsilon, Z: a.Z, Notes: a.Notes, Files: files(t)}
	if s.Payoff.Metric == "payoff" {
		rep.PayoffMetric = p.Sweep.Base.Payoff.Metric
	}
	for i, pl := range t.Players {
		rep.Players = append(rep.Players, ReportPlayer{Name: pl, Label: p.Labels[i], Strategies: t.Strategies[i]})
	}
	dev := func(d Deviation) ReportDeviation {
		return ReportDeviation{Player: t.Players[d.Player], Strategy: t.Strategies[d.Player][d.Strategy], Gain: d.Gain, SE: d.SE, Significant: d.Significant}
	}
	for k, ps := range a.Profiles {
		rp := ReportProfile{Index: k, Strategies: strategyNames(t, ps.Strategies), Mean: ps.Mean, SE: ps.SE, Equilibrium: ps.Equilibrium, Stable: ps.Stable}
		if ps.Best.Player >= 0 {
			d := dev(ps.Best)
			rp.BestDeviation = &d
		}
		rep.Profiles = append(rep.Profiles, rp)
	}
	for _, e := range a.Equilibria {
		ne := ReportNE{NE: e.NE, Method: e.Method, Found: e.Found, Pure: e.Pure, Profile: e.Profile.Float, Payoffs: e.Payoffs,
			Regret: e.Regret, RegretUpper: e.RegretUpper, NotRejected: e.NotRejected, Confirmed: e.Confirmed}
		if s := PureStrategies(e.Profile); s != nil {
			ne.Strategies = strategyNames(t, s)
		}
		for _, d := range e.Deviations {
			ne.Deviations = append(ne.Deviations, dev(d))
		}
		rep.Equilibria = append(rep.Equilibria, ne)
	}
	for _, br := range a.BestReplies {
		rr := ReportReply{Player: t.Players[br.Player], Against: map[string]string{}, Payoff: br.Payoff,
			Margin: br.Margin, MarginSE: br.MarginSE, Significant: br.Significant}
		for i, j := range br.Against {
			if i != br.Player {
				rr.Against[t.Players[i]] = t.Strategies[i][j]
			}
		}
		for _, j := range br.Best {
			rr.Best = append(rr.Best, t.Strategies[br.Player][j])
		}
		if br.RunnerUp >= 0 {
			rr.RunnerUp = t.Strategies[br.Player][br.RunnerUp]
		}
		rep.BestReplies = append(rep.BestReplies, rr)
	}
	return rep
}

// files lists every output file of a game, in the order written.
func files(t *Table) []string {
	return append([]string{NFGFile, PayoffsCSV, BestReplyDOT}, append(chartFiles(t), ReportText, ReportJSON)...)
}

func strategyNames(t *Table, s []int) []string {
	out := make([]string, len(s))
	for i, j := range s {
		out[i] = t.Strategies[i][j]
	}
	return out
}

// WriteFiles writes a solved game's files into dir, each atomically:
// game.nfg (the estimated game), payoffs.csv, best-response.dot, the charts,
// report.txt and game.json. It returns their names, relative to dir.
func WriteFiles(dir string, p *Plan, a *Analysis) ([]string, error) {
	rep := NewReport(p, a)
	write := func(name string, f func(io.Writer) error) error {
		if err := sim.WriteFileAtomic(filepath.Join(dir, name), f); err != nil {
			return fmt.Errorf("empirical: %w", err)
		}
		return nil
	}
	if err := write(NFGFile, func(w io.Writer) error { return WriteNFG(w, p, a) }); err != nil {
		return nil, err
	}
	if err := write(PayoffsCSV, func(w io.Writer) error { return WritePayoffsCSV(w, a) }); err != nil {
		return nil, err
	}
	if err := write(BestReplyDOT, func(w io.Writer) error { return WriteDOT(w, p, a) }); err != nil {
		return nil, err
	}
	if err := writeCharts(dir, p, a); err != nil {
		return nil, err
	}
	if err := write(ReportText, func(w io.Writer) error { return WriteText(w, rep) }); err != nil {
		return nil, err
	}
	if err := write(ReportJSON, func(w io.Writer) error { return WriteJSON(w, rep) }); err != nil {
		return nil, err
	}
	return rep.Files, nil
}

// WriteNFG writes the estimated game (the mean payoffs) in Gambit's .nfg
// format, with a comment saying what the payoffs are.
func WriteNFG(w io.Writer, p *Plan, a *Analysis) error {
	g := *a.Game // Title and Comment are the only mutable fields
	g.Comment = fmt.Sprintf("hongbao game %s: mean %s over %d replicates of each profile of %s", p.Spec.Name, p.Spec.Payoff.Metric, a.Table.Replicates(), p.ScenarioLabel)
	return game.WriteNFG(w, &g, game.NFGPayoff)
}

// WritePayoffsCSV writes the payoff table: one row per profile with each
// player's strategy, then each player's mean payoff, its standard error and
// the number of replicates, and whether the profile is an equilibrium of
// the estimated game and stable against the noise.
func WritePayoffsCSV(w io.Writer, a *Analysis) error {
	t := a.Table
	bw := bufio.NewWriter(w)
	cols := append([]string{"profile"}, t.Players...)
	for _, pl := range t.Players {
		cols = append(cols, pl+"_mean", pl+"_se")
	}
	cols = append(cols, "replicates", "equilibrium", "stable")
	writeCSVRow(bw, cols)
	for k, ps := range a.Profiles {
		row := []string{strconv.Itoa(k)}
		row = append(row, strategyNames(t, ps.Strategies)...)
		for i := range t.Players {
			row = append(row, fmtFloat(ps.Mean[i]), fmtFloat(ps.SE[i]))
		}
		row = append(row, strconv.Itoa(t.Replicates()), strconv.FormatBool(ps.Equilibrium), strconv.FormatBool(ps.Stable))
		writeCSVRow(bw, row)
	}
	return bw.Flush()
}

// fmtFloat writes x in the shortest form that reads back to the same
// float64, without an exponent unless x is very small or very large.
func fmtFloat(x float64) string {
	if ax := math.Abs(x); ax != 0 && (ax < 1e-4 || ax >= 1e21) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// writeCSVRow writes one RFC 4180 row, quoting fields that need it.
func writeCSVRow(w *bufio.Writer, fields []string) {
	for i, f := range fields {
		if i > 0 {
			w.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\n\r") {
			w.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
		} else {
			w.WriteString(f)
		}
	}
	w.WriteByte('\n')
}

// WriteDOT writes the best-response graph in Graphviz's DOT language: a node
// per pure profile, and from each profile an edge for every player who is
// not playing a best reply, to the profile where that player plays it.
// Edges are labelled with the player and the estimated gain and drawn
// dashed when the gain is not significant at 95%; pure equilibria (the
// sinks) have a double border. Render it with `dot -Tpng`.
func WriteDOT(w io.Writer, p *Plan, a *Analysis) error {
	t := a.Table
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Best-response graph of the estimated game %s: an edge is a player\n", p.Spec.Name)
	b.WriteString("// switching to its best reply, labelled with the gain (dashed: not\n// significant at 95%); double borders are pure equilibria.\n")
	fmt.Fprintf(&b, "digraph %s {\n", dotString(p.Spec.Name))
	b.WriteString("  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for k, ps := range a.Profiles {
		var lines []string
		for i, j := range ps.Strategies {
			lines = append(lines, t.Players[i]+": "+t.Strategies[i][j]+" ("+fmtNum(ps.Mean[i])+")")
		}
		attrs := ""
		if ps.Equilibrium {
			attrs = ", peripheries=2, style=bold"
		}
		fmt.Fprintf(&b, "  p%d [label=%s%s];\n", k, dotString(strings.Join(lines, "\n")), attrs)
	}
	for _, br := range a.BestReplies {
		s := append([]int(nil), br.Against...)
		for j := range t.Strategies[br.Player] {
			if containsInt(br.Best, j) {
				continue
			}
			s[br.Player] = j
			from := t.Index(s)
			for _, best := range br.Best {
				s[br.Player] = best
				to := t.Index(s)
				gain, se := t.Difference(br.Player, to, from)
				style := ""
				if gain <= a.Z*se {
					style = ", style=dashed"
				}
				color := p.Colors[br.Player]
				if color == "" {
					color = "#555555"
				}
				fmt.Fprintf(&b, "  p%d -> p%d [label=%s, color=%s, fontcolor=%s%s];\n", from, to,
					dotString(t.Players[br.Player]+" +"+fmtNum(gain)), dotString(color), dotString(color), style)
				s[br.Player] = j
			}
		}
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// dotString quotes s as a DOT string.
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep *Report) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(rep)
}

// fmtNum formats a payoff for people: thousands separated, with fewer
// decimals the larger it is.
func fmtNum(x float64) string {
	ax := math.Abs(x)
	switch {
	case ax >= 1000:
		return scenarios.GroupThousands(strconv.FormatFloat(x, 'f', 0, 64))
	case ax >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case ax >= 1:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case ax == 0:
		return "0"
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// fmtPM formats mean ± se.
func fmtPM(mean, se float64) string { return fmtNum(mean) + " ± " + fmtNum(se) }

// fmtSigned formats a gain with its sign.
func fmtSigned(x float64) string {
	if x >= 0 {
		return "+" + fmtNum(x)
	}
	return fmtNum(x)
}

// WriteText writes the report as text: the payoff table, the equilibria
// with their checks against the noise, the best replies and the files.
func WriteText(w io.Writer, rep *Report) error {
	var b bytes.Buffer
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	shape := make([]string, len(rep.Players))
	for i, p := range rep.Players {
		shape[i] = strconv.Itoa(len(p.Strategies))
	}
	crn := "independent seeds"
	if rep.CommonRandomNumbers {
		crn = "common random numbers"
	}
	line("Game %s: %s, %d users, %d days; %s strategies, %d replicates each (%s), %d runs.",
		rep.Name, rep.Scenario, rep.Users, rep.Days, strings.Join(shape, " × "), rep.Replicates, crn, rep.Runs)
	if rep.Description != "" {
		line("%s", rep.Description)
	}
	metric := rep.Metric
	if rep.PayoffMetric != "" {
		metric += " (the scenario's payoff: " + rep.PayoffMetric + ")"
	}
	line("Payoff: each platform's %s.", metric)

	// The payoff table, one row per profile.
	line("\nPayoffs, mean ± standard error over the replicates:")
	head := make([]string, 0, 2*len(rep.Players)+1)
	for _, p := range rep.Players {
		head = append(head, p.Name)
	}
	for _, p := range rep.Players {
		head = append(head, p.Name)
	}
	head = append(head, "")
	rows := [][]string{head}
	for _, pr := range rep.Profiles {
		row := append([]string(nil), pr.Strategies...)
		for i := range rep.Players {
			row = append(row, fmtPM(pr.Mean[i], pr.SE[i]))
		}
		note := ""
		switch {
		case pr.Equilibrium:
			note = "equilibrium"
		case pr.Stable:
			note = "no significant deviation"
		}
		rows = append(rows, append(row, note))
	}
	writeColumns(&b, rows, len(rep.Players))

	if len(rep.Players) == 2 {
		line("\nEquilibria of the estimated game (its mean payoffs; `hongbao nash %s` prints the NE lines):", NFGFile)
	} else {
		line("\nEquilibria of the estimated game (its mean payoffs; `hongbao nash %s` prints the logit one, --method enumpure the pure ones):", NFGFile)
	}
	if len(rep.Equilibria) == 0 {
		line("  none found")
	}
	for n, e := range rep.Equilibria {
		kind := "mixed"
		if e.Pure {
			kind = "pure"
		}
		line("  %d. %s   (%s; found by %s)", n+1, e.NE, kind, strings.Join(e.Found, ", "))
		if e.Pure {
			parts := make([]string, len(e.Strategies))
			for i, s := range e.Strategies {
				parts[i] = rep.Players[i].Name + " plays " + s
			}
			line("     %s", strings.Join(parts, ", "))
		} else {
			for i, d := range e.Profile {
				var parts []string
				for j, x := range d {
					if x > sameTol {
						parts = append(parts, fmt.Sprintf("%s %.3f", rep.Players[i].Strategies[j], x))
					}
				}
				line("     %s mixes %s", rep.Players[i].Name, strings.Join(parts, ", "))
			}
		}
		pays := make([]string, len(e.Payoffs))
		for i, x := range e.Payoffs {
			pays[i] = rep.Players[i].Name + " " + fmtNum(x)
		}
		line("     payoffs: %s", strings.Join(pays, ", "))
		worst := -1
		for d := range e.Deviations {
			if worst < 0 || e.Deviations[d].Gain+rep.Z*e.Deviations[d].SE > e.Deviations[worst].Gain+rep.Z*e.Deviations[worst].SE {
				worst = d
			}
		}
		wd := ""
		if worst >= 0 {
			d := e.Deviations[worst]
			wd = fmt.Sprintf(" (from %s switching to %s: gain %s ± %s)", d.Player, d.Strategy, fmtSigned(d.Gain), fmtNum(d.SE))
		}
		line("     regret %s; 95%% upper bound on the regret %s%s", fmtNum(e.Regret), fmtNum(e.RegretUpper), wd)
		verdict := "not rejected: no deviation gains significantly"
		if !e.NotRejected {
			verdict = "rejected: a deviation gains significantly"
		}
		if rep.Epsilon > 0 {
			verdict += " more than ε = " + fmtNum(rep.Epsilon)
		}
		conf := "an ε-equilibrium at 95% confidence for ε ≥ " + fmtNum(e.RegretUpper)
		if e.Confirmed {
			conf = "confirmed: every deviation's 95% upper bound is at most ε = " + fmtNum(rep.Epsilon)
		}
		line("     %s; %s", verdict, conf)
	}

	line("\nBest replies (margin over the runner-up ± standard error; * significant at 95%%):")
	for _, br := range rep.BestReplies {
		var against []string
		for _, p := range rep.Players {
			if s, ok := br.Against[p.Name]; ok {
				against = append(against, p.Name+" "+s)
			}
		}
		margin := ""
		switch {
		case len(br.Best) > 1:
			margin = " (tied)"
		case br.RunnerUp != "":
			star := ""
			if br.Significant {
				star = " *"
			}
			margin = fmt.Sprintf(" (%s ± %s over %s)%s", fmtSigned(br.Margin), fmtNum(br.MarginSE), br.RunnerUp, star)
		}
		line("  %s against %s: %s%s", br.Player, strings.Join(against, ", "), strings.Join(br.Best, " = "), margin)
	}
	for _, n := range rep.Notes {
		line("\nNote: %s", n)
	}
	line("\nFiles: %s", strings.Join(rep.Files, ", "))
	_, err := w.Write(b.Bytes())
	return err
}

// writeColumns writes rows as aligned columns: the first split columns
// (strategy names) left-aligned, then a bar, the numbers right-aligned and
// a last column of notes.
func writeColumns(b *bytes.Buffer, rows [][]string, split int) {
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var l strings.Builder
		l.WriteString(" ")
		for i, c := range r {
			if i == split {
				l.WriteString(" |")
			}
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			l.WriteString(" ")
			switch {
			case i == len(r)-1:
				l.WriteString(c)
			case i >= split:
				l.WriteString(pad + c)
			default:
				l.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
}
