package scene

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/paywars/hongbao/scenarios"
)

// Stop is a moment the guided mode pauses at: the key events of the
// episode that happen on one day, from its file.
type Stop struct {
	// Day is the Snapshot.Day (days simulated) to pause at: the day after
	// the one the events happen on, so that their first day is on screen.
	Day   int
	Date  time.Time // the date the events happen on
	Lines []string  // what happens, one line an event
}

// Stops lists the guided mode's stops of a scenario, by day: its calendar
// events beginning, and every scheduled campaign starting and ending (on
// the first day without it). Events and campaigns a strategy or a person starts live are
// not in the file and have no stop.
func Stops(s *scenarios.Scenario) []Stop {
	start, err := time.Parse(time.DateOnly, s.World.StartDate)
	if err != nil { // a loaded scenario has a valid date; keep the days
		start = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date := func(d int) time.Time { return start.AddDate(0, 0, d) }
	byDay := map[int][]string{}
	add := func(day int, line string) {
		if day >= 0 && day < s.World.Days {
			byDay[day] = append(byDay[day], line)
		}
	}
	for _, e := range s.Events {
		add(e.Day, fmt.Sprintf("%s begins, for %d day%s", eventName(e), e.Days, plural(e.Days)))
	}
	for _, p := range s.Platforms {
		who := p.Label
		if who == "" {
			who = p.Name
		}
		for _, c := range p.Campaigns {
			add(c.Start, fmt.Sprintf("%s starts campaign %q, to %s", who, c.Name, date(c.End).Format("2 Jan 2006")))
			// The end is told on the first day without the campaign, so
			// that it shares a stop with the campaign that follows it
			// (the library's schedules hand over from one to the next).
			add(c.End+1, fmt.Sprintf("%s's campaign %q is over (its last day was %s)", who, c.Name, date(c.End).Format("2 Jan")))
		}
	}
	out := make([]Stop, 0, len(byDay))
	for d, lines := range byDay {
		out = append(out, Stop{Day: d + 1, Date: date(d), Lines: lines})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out
}

func eventName(e scenarios.Event) string {
	if e.Name != "" {
		return e.Name
	}
	return strings.ReplaceAll(e.Kind, "_", " ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Wrap breaks text into lines no wider than width as measure measures
// them, between words; a word wider than width stands on its own line.
func Wrap(text string, width float64, measure func(string) float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line == "" {
			line = w
			continue
		}
		if next := line + " " + w; measure(next) <= width {
			line = next
			continue
		}
		lines = append(lines, line)
		line = w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
