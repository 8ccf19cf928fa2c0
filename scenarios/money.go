package scenarios

// Money in hongbao is held as integer fen (1 yuan = 100 fen) wherever it
// is counted: the ledger, balances, offers, budgets. Yuan is the type a
// scenario file's amounts arrive in (already fen, exact). Floats of yuan
// appear only where a rule weighs money (a utility's subsidy, a merchant's
// outlook, a payoff in reports), and they come from fen through FenToYuan.
//
// One rounding rule: an amount computed in floating point (a share of a
// ticket, a drawn envelope, a fee) becomes fen through YuanToFen or
// RoundFen, to the nearest fen, halves away from zero (math.Round).

// FenPerYuan is the number of fen in a yuan. Scale by it only amounts that
// stay in floating point (a mean ticket in fen, a chart's axis); an amount
// that becomes whole fen goes through YuanToFen or RoundFen.
const FenPerYuan = 100

// FenToYuan is an amount of fen in yuan: fen/100.
func FenToYuan(fen int64) float64 { return float64(fen) / 100 }

// YuanToFen is an amount of yuan in fen, rounded to the nearest fen
// (halves away from zero): round(100·yuan).
func YuanToFen(yuan float64) int64 { return RoundFen(100 * yuan) }

// RoundFen rounds an amount already in fen, computed in floating point, to
// the nearest fen (halves away from zero): int64(math.Round(fen)) for any
// amount an int64 holds, written so that it inlines into the payment path
// (the fraction left by truncation is exact). The two tests are separate
// ifs, not a switch, so that the compiler makes them flag moves (SETCC)
// rather than jumps: whether a drawn ticket's fraction reaches a half is a
// coin toss, and a jump on it was mispredicted on about every other
// payment.
func RoundFen(fen float64) int64 {
	r := int64(fen)
	f := fen - float64(r)
	if f >= 0.5 {
		r++
	}
	if f <= -0.5 {
		r--
	}
	return r
}
