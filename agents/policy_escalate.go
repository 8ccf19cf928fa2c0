package agents

// Escalate raises its cashback while it is losing (strategy kind
// "escalate"): every Period days it adds IncrementFen while its share of
// wallet payment value is below Target, up to the policy's maximum
// (schedule included), and takes IncrementFen off while the share is
// above Target, never below nothing added.
type Escalate struct {
	window
	IncrementFen int64
	Target       float64
	Period       int // days between reviews, at least 1
}

// Decide reviews the cashback on review days and keeps it in between.
func (e *Escalate) Decide(obs Observation) Decision {
	if !e.active(obs.Day) {
		return e.idle()
	}
	if (obs.Day-e.from)%e.Period != 0 {
		return e.decision()
	}
	own := obs.ScheduledHeadlineFen
	switch {
	case obs.ShareValue < e.Target:
		e.cashbackFen = e.limit(own+e.cashbackFen+e.IncrementFen) - own
	case obs.ShareValue > e.Target:
		e.cashbackFen = max(0, e.cashbackFen-e.IncrementFen)
	}
	e.cashbackFen = max(0, e.cashbackFen)
	return e.decision()
}
