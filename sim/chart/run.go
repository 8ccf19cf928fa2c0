package chart

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/sim"
)

// Run is a run's daily history with what is needed to draw it: the
// platforms' names, labels and colours and the real population it stands
// for. Platforms[p] describes the platform at History[d].Platforms[p].
type Run struct {
	Scenario   string  // world.name of the scenario
	Seed       uint64  // the run's seed
	Users      int     // simulated users
	Represents float64 // real population the users stand for; 0 means none given
	Platforms  []Platform
	History    []sim.DayMetrics
}

// Platform names one wallet platform of a run as charts show it.
type Platform struct {
	Name  string // short name, as in timeseries.csv
	Label string // display name; Name when empty
	Color string // "#rrggbb"; a colour of a fixed palette when empty or malformed
}

// Scale is how many real people one simulated user stands for,
// Represents/Users, or 1 when the run does not say; it matches
// [sim.Result.Scale].
func (r *Run) Scale() float64 {
	if r.Represents <= 0 || r.Users <= 0 {
		return 1
	}
	return r.Represents / float64(r.Users)
}

// label returns the display name of platform p.
func (pl Platform) label() string {
	if pl.Label != "" {
		return pl.Label
	}
	return pl.Name
}

// FromResult builds the Run of a finished run in memory. The history is
// shared with r, not copied. A nil result gives a nil Run, which
// WriteRunCharts rejects.
func FromResult(r *sim.Result) *Run {
	if r == nil {
		return nil
	}
	s := r.Scenario
	run := &Run{History: r.History}
	if s != nil {
		run.Scenario, run.Seed, run.Users, run.Represents = s.World.Name, s.World.Seed, s.World.Users, s.World.Represents
	}
	for _, ps := range r.Platforms {
		pl := Platform{Name: ps.Name}
		if s != nil {
			for _, c := range s.Platforms {
				if c.Name == ps.Name {
					pl.Label, pl.Color = c.Label, c.Color
					break
				}
			}
		}
		run.Platforms = append(run.Platforms, pl)
	}
	return run
}

// ReadRunDir reads a run directory written by [sim.WriteRunDir]:
// summary.json for the scenario and its platforms, then timeseries.csv for
// the history. Errors name the file and, for the CSV, the line.
// Columns are found by name, so columns it does not know are ignored; the
// columns charts need (and day, date, platform) must be present.
func ReadRunDir(dir string) (*Run, error) {
	sumPath := filepath.Join(dir, "summary.json")
	src, err := os.ReadFile(sumPath)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	var sum sim.Summary
	if err := json.Unmarshal(src, &sum); err != nil {
		return nil, fmt.Errorf("chart: %s: %v", sumPath, err)
	}
	if len(sum.Platforms) == 0 {
		return nil, fmt.Errorf("chart: %s: no platforms", sumPath)
	}
	run := &Run{Scenario: sum.Scenario, Seed: sum.Seed, Users: sum.Users, Represents: sum.Represents}
	for _, p := range sum.Platforms {
		run.Platforms = append(run.Platforms, Platform{Name: p.Name, Label: p.Label, Color: p.Color})
	}
	tsPath := filepath.Join(dir, "timeseries.csv")
	f, err := os.Open(tsPath)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	defer f.Close()
	if run.History, err = readTimeseries(f, tsPath, run.Platforms); err != nil {
		return nil, err
	}
	return run, nil
}

// requiredColumns are the columns of timeseries.csv that ReadRunDir
// cannot do without.
var requiredColumns = []string{"day", "date", "platform", "card_bound", "mau", "share_value",
	"subsidy_user_fen", "subsidy_merchant_fen", "envelopes_p2p", "envelopes_sponsored", "treasury_fen", "events"}

// readTimeseries parses timeseries.csv: one row per day and platform, the
// rows of a day together, days in increasing order.
func readTimeseries(in io.Reader, name string, platforms []Platform) ([]sim.DayMetrics, error) {
	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("chart: %s: empty file", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header = append([]string(nil), header...) // ReuseRecord: keep the header
	col := map[string]int{}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		col[header[i]] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("chart: %s:1: missing column %s", name, strings.Join(missing, ", "))
	}
	// The tallies of the column registry, by position; nil for the keys
	// and for columns this build does not know.
	columns := make([]*sim.Column, len(header))
	for i, h := range header {
		if c, ok := sim.LookupColumn(h); ok && c.Scope != sim.KeyScope {
			columns[i] = c
		}
	}
	index := map[string]int{}
	for p, pl := range platforms {
		index[pl.Name] = p
	}

	var hist []sim.DayMetrics
	var seen []bool // platforms seen on the current day
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		bad := func(column, format string, args ...any) error {
			return fmt.Errorf("chart: %s:%d: %s: %s", name, line, column, fmt.Sprintf(format, args...))
		}
		day, err := strconv.Atoi(rec[col["day"]])
		if err != nil {
			return nil, bad("day", "not an integer: %q", rec[col["day"]])
		}
		pname := rec[col["platform"]]
		p, ok := index[pname]
		if !ok {
			return nil, bad("platform", "%q is not a platform of summary.json", pname)
		}
		if n := len(hist); n == 0 || hist[n-1].Day != day {
			if n > 0 && day < hist[n-1].Day {
				return nil, bad("day", "day %d after day %d: rows must be in day order", day, hist[n-1].Day)
			}
			if n > 0 {
				if err := checkComplete(seen, platforms, hist[n-1].Day); err != nil {
					return nil, fmt.Errorf("chart: %s:%d: %v", name, line-1, err)
				}
			}
			dm := sim.DayMetrics{Day: day, Date: rec[col["date"]], Platforms: make([]sim.PlatformDay, len(platforms))}
			if ev := rec[col["events"]]; ev != "" {
				dm.Events = strings.Split(ev, ";")
			}
			hist = append(hist, dm)
			seen = make([]bool, len(platforms))
		}
		dm := &hist[len(hist)-1]
		if seen[p] {
			return nil, bad("platform", "%q twice on day %d", pname, day)
		}
		seen[p] = true
		m := &dm.Platforms[p]
		for i, c := range columns { // in column order, so the first bad field is reported
			if c != nil {
				if err := c.Parse(dm, m, rec[i]); err != nil {
					return nil, bad(c.Name, "%v", err)
				}
			}
		}
	}
	if len(hist) == 0 {
		return nil, fmt.Errorf("chart: %s: no rows after the header", name)
	}
	if err := checkComplete(seen, platforms, hist[len(hist)-1].Day); err != nil {
		return nil, fmt.Errorf("chart: %s: %v", name, err)
	}
	return hist, nil
}

// checkComplete reports a platform missing from a day's rows.
func checkComplete(seen []bool, platforms []Platform, day int) error {
	for p, ok := range seen {
		if !ok {
			return fmt.Errorf("day %d has no row for platform %q", day, platforms[p].Name)
		}
	}
	return nil
}

// csvError formats an error of encoding/csv as file:line: message.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("chart: %s:%d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("chart: %s: %v", name, err)
}
