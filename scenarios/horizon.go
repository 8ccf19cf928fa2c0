package scenarios

import (
	"fmt"
	"strings"
)

// The one horizon rule: a shorter run is the scenario's first days, its
// schedule cut there. Whether the horizon comes from `--days N` (run,
// compare, bench), from an override `world.days=N` (--set, a compare
// variant, a sweep parameter or a game's sets, the visualizer's -set) or
// from a game's `days`, campaigns end by the last day, events and
// campaigns that would start later are dropped, and strategies stop by
// then. Only a file's own world.days is strict: a file that schedules
// beyond its own horizon is still an error, because that is a typo, not a
// request for a shorter run.

// SetHorizon changes a valid scenario's number of days and cuts its
// schedule there (see the rule above). This is what `hongbao run --days N`
// means ("run the first N days").
func SetHorizon(s *Scenario, days int) error {
	if days < 1 || days > 3660 {
		return Problems{{File: "--days", Key: "world.days", Message: fmt.Sprintf("must be between 1 and 3660, got %d", days)}}
	}
	s.World.Days = days
	cutSchedule(s)
	return nil
}

// setsHorizon reports whether one of the overrides sets world.days, the
// overrides after which [Parse] and [ApplySet] cut the schedule.
func setsHorizon(sets []string) bool {
	for _, set := range sets {
		if strings.EqualFold(strings.ReplaceAll(setPath(set), " ", ""), "world.days") {
			return true
		}
	}
	return false
}

// cutSchedule drops or shortens whatever s schedules at or after its
// horizon, s.World.Days. With no valid horizon it does nothing, and
// validation reports world.days.
func cutSchedule(s *Scenario) {
	days := s.World.Days
	if days < 1 {
		return
	}
	last := days - 1
	for p := range s.Platforms {
		pl := &s.Platforms[p]
		kept := pl.Campaigns[:0]
		for _, c := range pl.Campaigns {
			if c.Start > last {
				continue
			}
			c.End = min(c.End, last)
			kept = append(kept, c)
		}
		pl.Campaigns = kept
		if pl.Strategy.Until > last {
			pl.Strategy.Until = last
		}
		if pl.Strategy.From > last {
			pl.Strategy.From = last
		}
	}
	kept := s.Events[:0]
	for _, e := range s.Events {
		if e.Day <= last {
			kept = append(kept, e)
		}
	}
	s.Events = kept
}
