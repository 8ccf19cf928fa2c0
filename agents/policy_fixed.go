package agents

// Fixed is the policy of a platform that follows its campaign schedule and
// adds nothing (strategy kind "fixed").
type Fixed struct{}

// Decide adds nothing to the schedule.
func (Fixed) Decide(Observation) Decision { return Decision{} }
