package scenarios

import "math"

// Scale-true runs. A scenario with a real population (world.represents > 0)
// states its extensive money in real-world yuan: treasuries, treasury
// floors, campaign daily budgets and sponsored envelope budgets. The run
// divides them among the simulated users at world build, by
// users/represents, so that `--users N` changes the precision of a run and
// not its economics: money per simulated user is the same at every size.
// Everything else is already per user or per 1,000 users (cashback, caps,
// merchant and invitation densities, capacity) and is not scaled.

// AmountScale is the factor real-world amounts are multiplied by to get the
// model's amounts: users/represents, or 1 when the scenario has no real
// population (its amounts are then at the model's scale).
func (s *Scenario) AmountScale() float64 {
	if s.World.Represents <= 0 || s.World.Users <= 0 {
		return 1
	}
	return float64(s.World.Users) / s.World.Represents
}

// ExtensiveAmounts lists, for each platform of s, pointers to the amounts
// that are stated in real-world yuan and scale with the population: the
// treasury, the strategy's floor, and each campaign's daily budget and
// sponsored envelope budget. Tests use it to check that every extensive key
// of the schema is scaled.
func (s *Scenario) ExtensiveAmounts() []*Yuan {
	var out []*Yuan
	for i := range s.Platforms {
		p := &s.Platforms[i]
		out = append(out, &p.Treasury, &p.Strategy.Floor)
		for j := range p.Campaigns {
			out = append(out, &p.Campaigns[j].BudgetPerDay, &p.Campaigns[j].SponsoredPerDay)
		}
	}
	return out
}

// AtModelScale returns a copy of s whose extensive amounts are at the
// model's scale (real-world amounts times AmountScale, rounded to the fen),
// sharing everything else with s. At scale 1 it returns s itself.
func (s *Scenario) AtModelScale() *Scenario {
	f := s.AmountScale()
	if f == 1 {
		return s
	}
	c := *s
	c.Platforms = append([]Platform(nil), s.Platforms...)
	for i := range c.Platforms {
		c.Platforms[i].Campaigns = append([]Campaign(nil), s.Platforms[i].Campaigns...)
	}
	for _, y := range c.ExtensiveAmounts() {
		*y = Yuan(math.Round(float64(*y) * f))
	}
	return &c
}
