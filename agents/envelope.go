package agents

import "github.com/paywars/hongbao/scenarios"

// SplitLuckyMoney splits totalFen among n grabbers the way WeChat's lucky
// money is described (the "double-mean method", 二倍均值法): each grab but
// the last takes a uniform amount between 1 fen and twice the mean of what
// is left, capped so that every later grabber can still get 1 fen, and the
// last takes the remainder. Every share is at least 1 fen and the shares sum
// to totalFen exactly. With R fen left and m grabbers to go, a draw is
//
//	x = max(1, min(round(U·2R/m), R − (m−1)))
//
// Rounding to nearest (not down) keeps every position's mean at total/n up
// to a fraction of a fen (RECORD.md §2). uniform supplies draws in [0, 1).
// out is reused when it has capacity. It returns nil when totalFen < n.
func SplitLuckyMoney(totalFen int64, n int, uniform func() float64, out []int64) []int64 {
	if n < 1 || totalFen < int64(n) {
		return nil
	}
	out = out[:0]
	rest := totalFen
	for m := n; m > 1; m-- {
		hi := 2 * float64(rest) / float64(m)
		x := scenarios.RoundFen(uniform() * hi)
		x = max(1, min(x, rest-int64(m-1)))
		out = append(out, x)
		rest -= x
	}
	return append(out, rest)
}
