package agents

// Match answers a rival's advertised cashback with a little more, lag days
// later (strategy kind "match"; Kuaidi's "always one yuan more" against
// Didi in 2014): it tops its own schedule up to
//
//	min(max, rival's headline lag days ago + increment)
//
// and adds nothing while the rival pays nothing.
type Match struct {
	window
	Rival        int // the platform it watches (−1: none, so it never acts)
	Lag          int // days before it answers; 0 answers the latest headline it saw, yesterday's
	IncrementFen int64
}

// Decide tops the schedule up to the rival's headline of Lag days ago
// plus the increment.
func (m *Match) Decide(obs Observation) Decision {
	if !m.active(obs.Day) {
		return m.idle()
	}
	rival := m.rivalHeadline(obs)
	if rival <= 0 {
		m.cashbackFen = 0
		return m.decision()
	}
	want := m.limit(rival + m.IncrementFen)
	m.cashbackFen = max(0, want-obs.ScheduledHeadlineFen)
	return m.decision()
}

// rivalHeadline is the rival's headline cashback Lag days before the day
// decided for (at the latest the day observed: today's is not known yet
// when the platform decides), 0 when there is none yet.
func (m *Match) rivalHeadline(obs Observation) int64 {
	if m.Rival < 0 || m.Rival >= len(obs.Platforms) {
		return 0
	}
	h := obs.Platforms[m.Rival].HeadlinesFen
	if at := min(obs.Day+1-m.Lag, obs.Day); at >= 0 && at < len(h) {
		return h[at]
	}
	return 0
}
