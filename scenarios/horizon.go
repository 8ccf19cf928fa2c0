package scenarios

import "fmt"

// SetHorizon changes a valid scenario's number of days. Shortening it cuts
// the schedule at the new horizon: campaigns end by the last day, events
// and campaigns that would start later are dropped, and strategies stop by
// then. This is what `hongbao run --days N` means ("run the first N days");
// a file that schedules beyond its own horizon is still an error.
func SetHorizon(s *Scenario, days int) error {
	if days < 1 || days > 3660 {
		return Problems{{File: "--days", Key: "world.days", Message: fmt.Sprintf("must be between 1 and 3660, got %d", days)}}
	}
	s.World.Days = days
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
	return nil
}
