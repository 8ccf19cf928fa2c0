package agents

// TreasuryFloor is a policy under a treasury floor: the decisions of Base,
// with the promise that no spending takes the treasury below FloorFen
// ([platforms.strategy] floor; the engine keeps it through Spendable).
type TreasuryFloor struct {
	Base     Policy
	FloorFen int64
}

// Decide is Base's decision under the floor.
func (f *TreasuryFloor) Decide(obs Observation) Decision {
	d := f.Base.Decide(obs)
	d.FloorFen = max(d.FloorFen, f.FloorFen)
	return d
}

// Unwrap returns the policy under the floor.
func (f *TreasuryFloor) Unwrap() Policy { return f.Base }

// Spendable is what a treasury may spend above its floor, in fen:
//
//	max(0, treasury − floor)
//
// Every outlay of a platform (cashback, first-payment returns, merchant
// bonuses, sponsored envelopes, referral bonuses) is paid within it, and a
// platform with nothing spendable offers nothing (docs/brief.md, "treasury").
func Spendable(treasuryFen, floorFen int64) int64 { return max(0, treasuryFen-floorFen) }
