package agents

import "math"

// DecayHabit returns the habit left after days without use (docs/brief.md
// section 4, habit):
//
//	h·(1−decay)^days
//
// The engine stores habit as of the last use and decays it when read, so
// an idle user costs nothing per day; it reads (1−decay)^days from a table
// of DecayHabit(1, days, decay), made when the world is built.
func DecayHabit(h float64, days int, decay float64) float64 {
	if days <= 0 || h == 0 {
		return h
	}
	return h * math.Pow(1-decay, float64(days))
}

// ReinforceHabit returns the habit after one more use: h + gain·(1−h)
// (docs/brief.md section 4, habit).
func ReinforceHabit(h, gain float64) float64 { return h + gain*(1-h) }

// RecoverTrust returns the trust deficit left days after the last failure
// (docs/brief.md section 4, trust):
//
//	δ·(1−recovery)^days
//
// The engine tabulates RecoverTrust(1, days, recovery) as it does habit.
func RecoverTrust(deficit float64, days int, recovery float64) float64 {
	if days <= 0 || deficit == 0 {
		return deficit
	}
	return deficit * math.Pow(1-recovery, float64(days))
}

// LoseTrust adds the deficit of one failed payment, capped at 1:
// min(1, δ + loss) (docs/brief.md section 4, trust).
func LoseTrust(deficit, loss float64) float64 { return min(1, deficit+loss) }
