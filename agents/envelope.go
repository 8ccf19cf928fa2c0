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
// to a fraction of a fen (docs/record.md §2). uniform supplies draws in [0, 1).
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

// ReciprocityHalf is the number of peer envelopes a user must have
// received on a platform for EnvelopeKeep to reach half its way from a
// naive sender to a saturated one: a handful, about one festival's worth
// in a group of friends (docs/record.md §1c: 5M grabbers took 20M envelopes on
// the 2014 eve, four each). Fixed, not fitted: the record has no figure
// per sender that would tell it apart from the gain.
const ReciprocityHalf = 4.0

// EnvelopeKeep is reciprocity in gift exchange applied to red envelopes:
// the chance that an envelope a sender would send at the full
// (saturated) propensity is sent, given the peer envelopes received on the
// platform so far. A sender's propensity rises with what it has received
// and saturates:
//
//	M(R) = 1 + g·R/(R + ReciprocityHalf),  keep = M(R)/(1 + g)
//
// so a sender who has received nothing sends 1/(1+g) of the full rate and
// one who has received many sends it all; g = 0 keeps every envelope (no
// reciprocity). Source: gifts oblige a return gift (Mauss, The Gift, 1925;
// the norm of reciprocity, Gouldner 1960), and hongbao are gifts answered
// in kind; docs/record.md §1c: WeChat's eve envelopes grew ×50, ×8 and ×1.8
// from 2014 to 2017 while card-bound users grew about ×2.5, ×2.3 and ×1.6
// (docs/calibration.md, miss 3), so envelopes per sender grew and
// saturated. docs/brief.md step 5 has card-bound users send "far more at Spring
// Festival" with no per-sender growth; this rule is that growth.
func EnvelopeKeep(gain float64, received int) float64 {
	if gain <= 0 {
		return 1
	}
	r := float64(max(received, 0))
	return (1 + gain*r/(r+ReciprocityHalf)) / (1 + gain)
}

// SeasonKeep is EnvelopeKeep on a day whose envelopes are m times the
// everyday rate (a Spring Festival: m is festival.envelopes, or
// eve_envelopes on the eve), when a part tradition of the season's extra
// m − 1 is tradition rather than habit: every card-bound sender sends that
// part at the naive rate 1/(1+g), whatever it has received, and
// reciprocity grows only the rest:
//
//	keep = [EnvelopeKeep(g, R)·(1 + (1−t)(m−1)) + t·(m−1)/(1+g)] / m
//
// so t = 0 is EnvelopeKeep (every envelope of the season grows with what
// the sender has received) and t = 1 leaves the season's extra envelopes
// at what a sender who has received nothing sends. Why: the eve's
// envelopes go to family and friends by custom (the festival's money
// gifts, docs/brief.md step 5), so a sender who learnt to send everyday lucky
// money does not thereby send twenty times as many on the eve; under t = 0
// the received counts that a year of everyday envelopes builds saturate
// every sender, and the eve's envelopes a sender grow ×21 with them where
// the record's eves grow ×8 and ×1.8 a year from 2015 (docs/calibration.md,
// miss 4). On a day of m ≤ 1 there is no extra and keep is EnvelopeKeep.
func SeasonKeep(gain, tradition, m float64, received int) float64 {
	keep := EnvelopeKeep(gain, received)
	if tradition <= 0 || m <= 1 || gain <= 0 {
		return keep
	}
	extra := m - 1
	return (keep*(1+(1-tradition)*extra) + tradition*extra/(1+gain)) / m
}

// RepliesInKind says whether a card-bound user who has just claimed a
// share of a peer envelope answers it the same day with an envelope of its
// own: with probability reply, at most once a day on a platform (the
// engine keeps that limit). u is a uniform draw in [0, 1).
//
// Replies make envelopes a cascade within a day: an envelope offered to a
// group is grabbed by up to its shares' number of friends, each of whom may
// answer, so a day's envelopes grow with the reproduction number
//
//	R ≈ reply · (shares claimed per envelope) · (part of them card-bound)
//
// which rises with the card-bound share of a sender's friends and is capped
// by each user answering once: growth that is faster than adoption while
// wallets spread and saturates after. Source: the record's eves (docs/record.md
// §1c; record/wechat.csv) grew ×50, ×8 and ×1.8 a year from 2014 to 2017
// while WeChat Pay's card-bound users grew about ×2.5, ×2.3 and ×1.6, and
// Tencent counted 409,000 envelopes sent or received a second at the 2016
// eve's peak and 760,000 at 2017's midnight, the burst of an evening's
// exchanges in groups. reply = 0 sends no reply and draws nothing.
func RepliesInKind(reply, u float64) bool {
	return reply > 0 && u < reply
}
