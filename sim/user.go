package sim

import (
	"encoding/binary"
	"math"
	"math/bits"
	"sync/atomic"
	"unsafe"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// live runs one day of every user the partition owns: docs/brief.md's steps 2
// to 6 in order (awareness, adoption, payments, envelopes sent, retention).
// Envelopes received are delivered in a later phase.
//
// Most user-days have nothing to do but pay: trials of awareness, adoption
// and dormancy are drawn ahead as candidate days (trialRec.next, trialRec.dnext)
// and a user with none due today (World.due) skips them; a user with no
// wallet pays only cash, drawn for the partition as a whole (cashDay).
func (pt *partition) live(d int, wk *worker) {
	w := pt.w
	pt.envGap = pt.rng.failures(w.Scenario.Envelopes.PerDay * w.season.envelopes)
	pt.beginFlows()
	for p, pl := range w.plat {
		pt.ceilBase[p] = agents.AdoptionCeilingBase(&pl.adoptW, pl.services)
	}
	pt.beginCeiling(d)
	// On most days of a world without envelopes and flows (the core
	// scenario's), a wallet's only business is the day's payments at the
	// users' own rates: the day is ordinary, no personal flows are live,
	// and no envelope is sent, as there are none today (envGap is then
	// MaxInt32) or the partition's pairs of a user and an envelope
	// platform are fewer than the gap to the first that sends. Such a day
	// runs a loop of its own, which never looks at envelopes and flows;
	// the general loop is left as it was, since any change to it moved
	// its registers and cost the other worlds more than it saved.
	ordinary := w.ordinaryDay()
	switch {
	case ordinary && w.flowMask == 0 && pt.envGap >= (pt.hi-pt.lo)*bits.OnesCount8(w.envelopeMask) && !generalLoops:
		loopsRun[loopPlain].Add(1)
		pt.usersPlain(d, wk)
	case ordinary && w.flowMask == 0 && !w.sendersFrom && !generalLoops:
		loopsRun[loopEnvelopes].Add(1)
		pt.usersEnvelopes(d, wk)
	default:
		loopsRun[loopGeneral].Add(1)
		pt.users(d, ordinary, wk)
	}
	wk.addTakings()
	pt.cashDay()
	pt.c.settleKinds(w.K)
	pt.spentAllowance(w.K)
	pt.endCeiling()
}

// spentAllowance counts what the day's payments spent of the platforms'
// money: the cashback and first-payment returns walletPayment paid, which
// are all that draws on the partition's allowance, so they are the
// allowance it was given less what is left.
func (pt *partition) spentAllowance(K int) {
	for p := range K {
		used := pt.allowed[p] - pt.allowance[p]
		pt.c.day[p].spent += used
		pt.c.day[p].subsidyUser += used
	}
}

// Adoption trials try the ceiling of their index first (adopt), which
// saves gathering the index on the trials it cuts but costs the others
// its own work: about a third of the trials must end there for it to pay
// (callgrind: some 60 instructions a trial against 200 a trial cut). Where
// users' indices run high (the NetLogo-scale study's campaigns: one in
// ten), it does not; a partition whose ceiling cut under a quarter of a
// day's trials (a margin for worlds near the break-even, such as the core
// scenario's, at 31%) leaves it out, and tries it again every
// ceilingRetry days in case that has changed.
// The outcome of a trial is the same either way (OverLogistic is never
// true where UnderLogistic would be), so only the work differs.
const (
	ceilingRetry     = 8
	ceilingMinTrials = 32 // a day with fewer trials leaves the decision as it was
)

// ceilingForced, when not 0, makes every partition try the ceiling on
// every trial (+1) or never (−1): tests compare the three ways.
var ceilingForced = 0

// beginCeiling decides whether today's adoption trials try the ceiling.
func (pt *partition) beginCeiling(d int) {
	pt.ceilOn = pt.ceilWorth || d%ceilingRetry == 0
	if ceilingForced != 0 {
		pt.ceilOn = ceilingForced > 0
	}
	pt.ceilTried, pt.ceilCut = 0, 0
}

// endCeiling notes whether the ceiling paid for itself today.
func (pt *partition) endCeiling() {
	if pt.ceilOn && pt.ceilTried >= ceilingMinTrials {
		pt.ceilWorth = 4*pt.ceilCut >= pt.ceilTried
	}
}

// users is live's walk over the partition's users on a day that is not
// plain (see live).
func (pt *partition) users(d int, ordinary bool, wk *worker) {
	w := pt.w
	// The arrays stay; their headers are read once, cut to the partition's
	// end so that the loop's index needs no bounds check.
	hi := pt.hi
	bmask := w.bmask[:hi]
	dueDay := w.due[:len(bmask)]
	ahead, cur := pt.prefetch, pt.lo // partition.prefetchDue
	for u := pt.lo; ; u++ {
		// Most users have no wallet and no trial due: nothing to do today.
		for u < len(bmask) && bmask[u] == 0 && int(dueDay[u]) > d {
			u++
		}
		if u >= len(bmask) {
			break
		}
		if ahead {
			cur = pt.prefetchDue(cur, min(u+prefetchAhead, len(bmask)), d, dueDay)
		}
		due := int(dueDay[u]) <= d
		if due {
			pt.trials(u, d)
		}
		if bound := bmask[u]; bound != 0 { // read again: a trial may have bound a card
			if ordinary {
				// One draw against the precomputed e^(−rate) says whether
				// there is anything to do (most users pay nothing): this is
				// poisson with e^(−rate) kept a user, written out for the
				// loop that runs for every user with a wallet.
				if x, none := pt.rng.float(), float64(w.expNegRate[u]); x > none {
					pt.payments(u, d, pt.rng.poissonFrom(x, float64(w.payRate[u]), none), bound, wk)
				}
			} else {
				pt.pay(u, d, bound, wk)
			}
			env := bound & w.envelopeMask
			if w.sendersFrom && env != 0 {
				env = w.envelopeSenders(u, env)
			}
			// No jump on env itself: whether u holds an envelope wallet
			// is a coin toss per user (cachegrind's simulated predictor
			// missed the test 6.0 M times in 28.5 M in
			// BenchmarkNetLogoScale's 800 runs). With env 0, n is 0 and
			// the gap (never negative) passes it unchanged; were the gap
			// negative, sendEnvelopes of no platform does nothing.
			if n := bits.OnesCount8(env); pt.envGap >= n {
				pt.envGap -= n // none of u's pairs sends today
			} else {
				pt.sendEnvelopes(u, d, env)
			}
			if fl := bound & w.flowMask; fl != 0 {
				pt.sendFlows(u, d, fl)
			}
		}
		if due {
			pt.retain(u, d)
		}
		pt.touchAhead(u + touchAhead)
	}
}

// usersPlain is users on a plain day (see live): the same draws in the
// same order, less the look at envelopes and flows, which would do
// nothing. It repeats users' loop on purpose: one loop with a branch
// for plain days, tried three ways, cost the default world 0.6-0.8% more
// instructions than it saved the core scenario (callgrind). A world
// that draws paying days ahead runs usersPaying instead.
func (pt *partition) usersPlain(d int, wk *worker) {
	w := pt.w
	if w.payAhead {
		pt.usersPaying(d, true, wk)
		return
	}
	// The arrays stay; their headers are read once, cut to the partition's
	// end so that the loop's index needs no bounds check.
	hi := pt.hi
	bmask := w.bmask[:hi]
	dueDay := w.due[:len(bmask)]
	ahead, cur := pt.prefetch, pt.lo // partition.prefetchDue
	expNeg, rate := w.expNegRate[:len(bmask)], w.payRate[:len(bmask)]
	for u := pt.lo; ; u++ {
		// Most users have no wallet and no trial due: nothing to do today.
		for u < len(bmask) && bmask[u] == 0 && int(dueDay[u]) > d {
			u++
		}
		if u >= len(bmask) {
			break
		}
		if ahead {
			cur = pt.prefetchDue(cur, min(u+prefetchAhead, len(bmask)), d, dueDay)
		}
		due := int(dueDay[u]) <= d
		if due {
			pt.trials(u, d)
		}
		if bound := bmask[u]; bound != 0 { // read again: a trial may have bound a card
			// users' draw of an ordinary day
			if x, none := pt.rng.float(), float64(expNeg[u]); x > none {
				pt.payments(u, d, pt.rng.poissonFrom(x, float64(rate[u]), none), bound, wk)
			}
		}
		if due {
			pt.retain(u, d)
		}
		pt.touchAhead(u + touchAhead)
	}
}

// usersEnvelopes is users on an ordinary day without personal flows, where
// envelopes may be sent and any card-bound user may send them (no
// platform's senders start from a day): the NetLogo-scale study's days.
// A world that draws paying days ahead runs usersPaying instead.
// The same draws in the same order, less users' tests of the day's kind,
// of the senders' days and of flows, which would do nothing, about a
// tenth of the work of a user with a wallet who does not pay.
func (pt *partition) usersEnvelopes(d int, wk *worker) {
	w := pt.w
	if w.payAhead {
		pt.usersPaying(d, false, wk)
		return
	}
	// The arrays stay; their headers are read once, cut to the partition's
	// end so that the loop's index needs no bounds check.
	hi := pt.hi
	bmask := w.bmask[:hi]
	dueDay := w.due[:len(bmask)]
	ahead, cur := pt.prefetch, pt.lo // partition.prefetchDue
	expNeg, rate := w.expNegRate[:len(bmask)], w.payRate[:len(bmask)]
	envMask, sure := w.envelopeMask, w.failBits == 0 && !generalLoops
	for u := pt.lo; ; u++ {
		// Most users have no wallet and no trial due: nothing to do today.
		for u < len(bmask) && bmask[u] == 0 && int(dueDay[u]) > d {
			u++
		}
		if u >= len(bmask) {
			break
		}
		if ahead {
			cur = pt.prefetchDue(cur, min(u+prefetchAhead, len(bmask)), d, dueDay)
		}
		due := int(dueDay[u]) <= d
		if due {
			pt.trials(u, d)
		}
		if bound := bmask[u]; bound != 0 { // read again: a trial may have bound a card
			// users' draw of an ordinary day
			if x, none := pt.rng.float(), float64(expNeg[u]); x > none {
				if n := pt.rng.poissonFrom(x, float64(rate[u]), none); sure {
					pt.paymentsPlain(u, d, n, bound, wk)
				} else {
					pt.payments(u, d, n, bound, wk)
				}
			}
			// users' count of the envelope pairs against the gap
			env := bound & envMask
			if n := bits.OnesCount8(env); pt.envGap >= n {
				pt.envGap -= n
			} else {
				pt.sendEnvelopes(u, d, env)
			}
		}
		if due {
			pt.retain(u, d)
		}
		pt.touchAhead(u + touchAhead)
	}
}

// payAheadMinUsers is the smallest world whose ordinary days without
// flows run usersPaying, which draws each wallet's paying days ahead,
// instead of usersPlain's and usersEnvelopes' draw for each wallet every
// day. It is prefetchMinUsers, for the draws more than for speed. At
// 100,000 users drawing ahead measured 0.82 on the core world (the
// pairs' median of 10 pairs) and 0.91 on the filing day's default (8
// pairs), but 1.05 on the NetLogo-scale study's worlds of 1,000 users
// (its sweep benchmark's CPU a run, medians of 3 alternations). The
// draws differ, and every library scenario (100,000 users at most) and
// every figure in the docs comes from a smaller world: lowering the
// threshold changes them all, which needs them all refreshed (README,
// Performance, seventeenth round).
var payAheadMinUsers = 1 << 18 // a var so that tests can draw ahead in small worlds

// payUndrawn is the paying day of a wallet whose next paying day is not
// drawn yet (World.payDay): before every day, so that usersPaying's next
// day draws it.
const payUndrawn = math.MinInt16

// usersPaying is usersPlain and usersEnvelopes in a world that draws
// paying days ahead (World.payAhead). A wallet holder pays on an ordinary
// day with chance 1 − e^(−rate), independently each day, a Poisson number
// given that it pays; usersPlain and usersEnvelopes draw a uniform for
// each wallet holder every day to find those who pay. Here each wallet
// keeps its next paying day (World.payDay), drawn as the day after a
// geometric number of days without (stream.nextTrial at 1 − e^(−rate)),
// which is the same process in law, by memorylessness also across the
// days the general loop runs (users), which draw for themselves: a paying
// day that fell on one is drawn again from the next day this loop runs.
//
// So a day visits only the users with a trial, a payment or an envelope
// due, a block of visitBlock users at a time. A first pass lists them
// without a jump on each user (who pays is a coin toss, which the scan's
// jump and the draw's both missed often). It also finds the envelope pairs
// that send today: it counts the pairs of every user with a wallet against
// the gap to the next that sends (partition.envGap, as sendEnvelopes does)
// and draws each next gap from a stream of its own (partition.gaps), so
// that it can go on past them before the second pass draws their
// envelopes; a user with a pair that sends is listed with those pairs
// (partition.sends). On a plain day (plain, from usersPlain: see live) the
// gap outlasts every pair, so the first pass leaves envelopes out
// (listDue), and nothing is sent, as in usersPlain. The second pass works
// through the list, asking for the lines of the user visitAhead places on
// (prefetchVisit) where the world is large enough to prefetch. A card
// bound today by a trial in the second pass adds a pair the first did not
// count: on a day that is not plain it sends with its own chance,
// 1 − e^(−λ), the same law.
//
// A wallet holder's paying days here are those of its payments at its
// wallet merchants, the usual merchants that accept one of its wallets;
// its payments at the others, cash at its mean ticket, are drawn for the
// partition at once after the list (cashOnlyDay: cashonly.go says why
// that is the same law).
//
// The draws are not the daily loops', so a world's output differs from
// what it was before it drew ahead (in worlds of payAheadMinUsers or
// more); TestPayAheadSameLaw checks the law.
func (pt *partition) usersPaying(d int, plain bool, wk *worker) {
	w := pt.w
	visit, sends := pt.visit, pt.sends
	sure := w.failBits == 0 && !generalLoops
	lam := w.Scenario.Envelopes.PerDay * w.season.envelopes
	pt.redraw = 1 // payments at wallet merchants only (cashonly.go)
	for lo := pt.lo; lo < pt.hi; lo += visitBlock {
		hi := min(lo+visitBlock, pt.hi)
		var n int
		if plain {
			n = pt.listDue(lo, hi, d)
		} else {
			n = pt.listDueAndSending(lo, hi, d, lam)
		}
		for k := n; k < n+visitAhead; k++ {
			visit[k] = int32(min(hi, pt.hi-1)) // past the list's end the prefetch asks for the next block's first user
		}
		pt.visitList(visit[:n+visitAhead], sends, d, plain, lam, sure, wk)
		wk.addTakings()
	}
	pt.redraw = 0 // the general loop's payments are at all of a user's merchants
	pt.cashOnlyDay()
}

// visitBlock is how many users usersPaying lists at a time: the list
// (partition.visit, with its sending pairs) then stays in the first
// caches, and takes 20 KiB a partition where a list of all its users
// took 5 B a user, which put the filing day's default world over its
// memory budget (363 MB of RSS against 360).
const visitBlock = 4096

// visitList is usersPaying's second pass over one block's list, visit
// (with visitAhead entries past its end for the prefetch), and the
// pairs that send, sends.
func (pt *partition) visitList(visit []int32, sends []uint8, d int, plain bool, lam float64, sure bool, wk *worker) {
	w := pt.w
	// The arrays stay: their headers are read once.
	dueDay := w.due[:pt.hi]
	payDay := w.payDay[:len(dueDay)]
	bmask := w.bmask[:len(dueDay)]
	wp := w.walletPay[:len(dueDay)]
	envMask, ahead := w.envelopeMask, pt.prefetch
	for k := 0; k < len(visit)-visitAhead; k++ {
		u := int(visit[k])
		if ahead {
			pt.prefetchVisit(int(visit[k+visitAhead]), d)
			if !plain && sends[k+visitAhead] != 0 {
				pt.prefetchSender(int(visit[k+visitAhead]))
			}
		}
		due := int(dueDay[u]) <= d
		var before uint8 // u's wallets before its trials, which may bind a card
		if due {
			before = bmask[u]
			pt.trials(u, d)
		}
		// A wallet's turn (read now: a trial may have bound a card). A
		// paying day before today is drawn again from today: a new
		// wallet's (payUndrawn), or one that fell on a day the general
		// loop ran. On its paying day a wallet pays a Poisson number
		// given that it pays (at least one, inverted above e^(−rate)) and
		// draws the next from tomorrow.
		if pd := int(payDay[u]); pd <= d {
			r := float64(wp[u].rate) // at its wallet merchants (cashonly.go)
			if pd < d {
				pd = int(pt.rng.nextTrial(d, payLog(r)))
			}
			if pd == d {
				if c := pt.rng.poissonAtLeastOne(r, float64(wp[u].expNeg)); sure {
					pt.paymentsPlain(u, d, c, bmask[u], wk)
				} else {
					pt.payments(u, d, c, bmask[u], wk)
				}
				pd = int(pt.rng.nextTrial(d+1, payLog(r)))
			}
			payDay[u] = int16(pd)
		}
		if !plain {
			for o := sends[k]; o != 0; o &= o - 1 {
				pt.sendPair(u, bits.TrailingZeros8(o), d, lam)
			}
			if due {
				for o := (bmask[u] &^ before) & envMask; o != 0; o &= o - 1 {
					if pt.rng.float() >= w.envelopeExpNeg {
						pt.sendPair(u, bits.TrailingZeros8(o), d, lam)
					}
				}
			}
		}
		if due {
			pt.retain(u, d)
		}
	}
}

// listDue is usersPaying's first pass on a plain day: it lists the
// users from lo to hi with a trial or a payment due today in pt.visit and
// returns how many. Each user is written, and kept by moving the end
// past it only if something is due: no jump on it.
func (pt *partition) listDue(lo, hi, d int) int {
	w := pt.w
	dueDay := w.due[:hi]
	payDay := w.payDay[:len(dueDay)]
	visit := pt.visit
	n, day := 0, int16(d)
	u := lo
	// Four users at once, from one load of their four days due and one
	// of their four days to pay (dueLanes), where a load puts the first
	// in the low lane.
	c, lanes := uint64(uint16(day+1))*lanes16, nativeLittle
	for ; lanes && u+4 <= len(dueDay); u += 4 {
		m := dueLanes(*(*uint64)(unsafe.Pointer(&dueDay[u])), c) | dueLanes(*(*uint64)(unsafe.Pointer(&payDay[u])), c)
		visit[n] = int32(u)
		n += int(m >> 15 & 1)
		visit[n] = int32(u + 1)
		n += int(m >> 31 & 1)
		visit[n] = int32(u + 2)
		n += int(m >> 47 & 1)
		visit[n] = int32(u + 3)
		n += int(m >> 63)
	}
	for ; u < len(dueDay); u++ {
		visit[n] = int32(u)
		if min(dueDay[u], payDay[u]) <= day {
			n++
		}
	}
	return n
}

// nativeLittle says that the machine stores the low byte of a number
// first (amd64, arm64, wasm), so that one load of consecutive int16 or
// bytes puts the first in a word's low lane: listDue and
// countFriendsGather read lanes so, and take their values one at a time
// on a machine that does not.
var nativeLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// lanes16 has a one in each 16-bit lane of a word.
const lanes16 = 0x0001_0001_0001_0001

// dueLanes takes four int16 days in the lanes of x (little-endian, as
// four consecutive int16 in memory load) and c, today + 1 in every lane
// (today ≥ 0), and sets a lane's top bit where its day is at most today,
// and clears every other bit. A day is at most today if it is negative
// (its top bit) or if its low 15 bits are below today + 1: setting the
// top bit of every lane before subtracting c keeps each lane's borrow
// inside it (today + 1 < 2^15), and the top bit survives the subtraction
// where the low bits are at least c. TestDueLanes checks it against the
// comparison lane by lane.
func dueLanes(x, c uint64) uint64 {
	const top = 0x8000 * lanes16
	return (x | ^((x | top) - c)) & top
}

// listDueAndSending is listDue on a day envelopes may be sent: it also
// lists the users with a pair that sends today, whose pairs it writes to
// pt.sends, by counting every wallet's pairs against the gap to the next
// that sends and drawing each next gap at today's rate lam from
// partition.gaps (see usersPaying).
func (pt *partition) listDueAndSending(lo, hi, d int, lam float64) int {
	w := pt.w
	dueDay := w.due[:hi]
	payDay := w.payDay[:len(dueDay)]
	bmask := w.bmask[:len(dueDay)]
	visit, sends := pt.visit, pt.sends[:len(pt.visit)]
	envMask := w.envelopeMask
	envWord := uint64(envMask) * 0x0101010101010101 // the mask in each byte of a word
	n, day, gap := 0, int16(d), pt.envGap
	for u := lo; u < len(dueDay); u++ {
		// Eight users' pairs at once, from one load of their eight bytes:
		// where the gap outlasts them all (most of the time, where few
		// pairs send a day), none sends, and the eight are listed as
		// listDue lists them. Otherwise u is taken alone, as below.
		if u+8 <= len(dueDay) {
			if c := bits.OnesCount64(binary.LittleEndian.Uint64(bmask[u:u+8]) & envWord); gap >= c {
				gap -= c
				for v := u; v < u+8; v++ {
					visit[n], sends[n] = int32(v), 0
					if min(dueDay[v], payDay[v]) <= day {
						n++
					}
				}
				u += 7
				continue
			}
		}
		env := bmask[u] & envMask
		var sm uint8 // u's pairs that send today
		if c := bits.OnesCount8(env); gap >= c {
			gap -= c
		} else {
			for o := env; o != 0; o &= o - 1 {
				if gap > 0 {
					gap--
					continue
				}
				sm |= o & -o
				gap = pt.gaps.failures(lam)
			}
		}
		visit[n], sends[n] = int32(u), sm
		if min(dueDay[u], payDay[u]) <= day || sm != 0 {
			n++
		}
	}
	pt.envGap = gap
	return n
}

// visitAhead is how many places on in usersPaying's list the second pass
// asks for a user's lines (prefetchVisit): on the core world at a million
// users, 8 against 16 measured 0.963 and 0.953 by the pairs' medians of
// 3 and 4 pairs at the same time, and the filing day's default world
// 0.964 of 3; 4 measured 0.963 and 32 1.050. A listed user's turn is
// longer than a user's in the daily loops, most being payers, so fewer
// places give the lines as much time.
const visitAhead = 8

// payLog is trialLog of the chance 1 − e^(−rate) of paying on a day:
// ln e^(−rate) = −rate, or +Inf (never) for a rate of 0.
func payLog(rate float64) float64 {
	if rate <= 0 {
		return math.Inf(1)
	}
	return -rate
}

// prefetchVisit asks for the lines that user u's turn in usersPaying
// will read: when a trial is due, the trials' (prefetchTrial), and when
// its paying day has come, its standing, use records, usual merchants
// (first and last), rate at its wallet merchants (World.walletPay) and
// ticket; it counts in prefetched, which tests read. Two in five of the
// core world's visits are a trial's alone (20.9M of 53.9M at a million
// users), whose payment lines went unread: leaving them out measured
// 0.975 and 0.980 (the pairs' medians of two sets of 4 pairs). A user's
// usual merchants (20 B where it has five) mostly lie in one line; then
// the last one's place asks for its wallets' byte (bmask), whose line
// the first pass of a plain day does not read: 0.970 and 0.957 on the
// core world (4 and 3 pairs), 0.987 on the filing day's default (3).
// Where u's use records (8 B a platform) run into a second line, that
// place asks for it instead, since a bmask line serves 64 users in turn:
// the core world 0.985 and 0.976 (5 pairs; swapped 1.019 and 1.018, 4
// pairs), the filing day's default 0.987 and 0.991 (3 pairs).
func (pt *partition) prefetchVisit(u, d int) {
	w := pt.w
	if int(w.due[u]) <= d {
		pt.prefetchTrial(u)
	}
	if int(w.payDay[u]) <= d {
		i, f := u*w.K, u*w.nUsual
		first, last := uintptr(unsafe.Pointer(&w.usual[f])), uintptr(unsafe.Pointer(&w.usual[f+w.nUsual-1]))
		if first>>6 == last>>6 { // one 64-byte line
			last = uintptr(unsafe.Pointer(&w.bmask[u]))
			use0, use1 := uintptr(unsafe.Pointer(&w.use[i])), uintptr(unsafe.Pointer(&w.use[i+w.K-1]))
			if use0>>6 != use1>>6 { // u's use records run into a second line (3 users in 8 where K is 3)
				last = use1
			}
		}
		prefetch6(uintptr(unsafe.Pointer(&w.st[i])), uintptr(unsafe.Pointer(&w.use[i])),
			first, last,
			uintptr(unsafe.Pointer(&w.walletPay[u])), uintptr(unsafe.Pointer(&w.ticket[u])))
	}
	pt.prefetched++
}

// prefetchSender asks for the lines a sender's envelopes read first: its
// claims received (reciprocity's keep, sendPair) and where its ties start
// (pickRecipients).
func (pt *partition) prefetchSender(u int) {
	w := pt.w
	r := uintptr(unsafe.Pointer(&w.received[u*w.K]))
	o := uintptr(unsafe.Pointer(unsafe.SliceData(w.graph.Off))) + uintptr(u)*4
	prefetch6(r, r+uintptr(2*w.K-1), o, o+4, r, r)
}

// touchAhead is how many users ahead of the one they are at the users
// loops touch a payer's lines (partition.touchAhead): 4, 8 and 12
// measured alike on the core scenario at a million users; 8 is the middle.
const touchAhead = 8

// touchMinUsers is the smallest world whose users loops touch ahead: on
// the core scenario (hongbao bench --scenario
// docs/perf/core-at-filing.toml --users N) the touch cut CPU a user-day
// by 22% at 1,000,000 users and 14% at 300,000, by 1.6% at 100,000, and
// added 1.2% at 30,000 and 1.3% to a NetLogo-scale run of the sweep,
// whose arrays the caches hold anyway.
var touchMinUsers = 1 << 16 // a var so that TestTouchAheadChangesNothing can touch in small worlds

// touchAhead loads the first line of user a's usual merchants and use
// records, the arrays a payment reads (and the use records it writes)
// whose lines were the steps' longest waits in a world of a
// million users: the users loops go up the users in order, but only
// about half of the users with a wallet pay on a day, and their lines
// came late (pprof: habitNow's read of use took 18% of the core
// scenario's CPU, payments' read of usual 9%). A load a few users ahead
// has the line on its way when the payment needs it. The values are
// summed into a field nothing reads, so that the compiler keeps the
// loads; they change nothing a run computes. touchEnd is the
// partition's end (the next partition's lines are another core's to
// write), or 0 in a world under touchMinUsers, where nothing is touched.
// Adding st, next, dnext, ticket or priceSens to the touch measured no
// better, nor did PREFETCHT0 in assembly (a call a user), nor huge pages
// for the per-slot arrays (2%). Balances are read only for wallets that
// hold money (World.balanceAt), so they are no longer touched.
func (pt *partition) touchAhead(a int) {
	if a < pt.touchEnd {
		w := pt.w
		pt.touched += int64(w.use[a*w.K].lastUse) + int64(w.usual[a*w.nUsual])
	}
}

// touchTrial loads, as u's trials begin, the first line of each per-user
// or per-slot array they may read besides st and trialRec (social
// sensitivity, carried ties, accepting merchants, use records; not
// balances, which the trials read only where the standing says there is
// money, World.balanceAt),
// in a world of touchMinUsers or more (touchEnd is not 0). The trials
// read these one after another, each behind a test on the last, and the
// trials' users are a few in a hundred: in a world of a million users
// each read was a wait on memory after the one before. Loaded here
// together, their waits overlap. Like touchAhead, it sums them into a
// field nothing reads and changes nothing a run computes. Where the
// users loops prefetch (partition.prefetch), prefetchDue asked for these
// lines many users earlier, and the touch is left out: the steps of the
// core scenario without it were 0.97 of those with it by the medians and
// 0.99 by the pairs' median (4 pairs at the same time, 0.92-1.03), so
// the loads add nothing there.
func (pt *partition) touchTrial(u int) {
	if pt.touchEnd != 0 && !pt.prefetch {
		w := pt.w
		i := u * w.K
		pt.touched += int64(math.Float32bits(w.socialSens[u])) + int64(w.carried[i]) + int64(w.accepting[i]) + int64(w.use[i].lastUse)
	}
}

// prefetchMinUsers is the smallest world whose users loops prefetch due
// users' lines (partition.prefetchDue): on the core scenario the prefetch
// took the steps to 0.82 at 300,000 users (5 pairs at the same time, one
// core each, 0.80-0.84) and to 0.915 on today's core world at 300,000
// users over 150 days, but to 1.07 at 100,000 users over 150 days
// (BenchmarkStepCore: +5.9%, p = 0.007), whose arrays the L3 cache
// mostly holds, and 1.065 at 200,000 (4 pairs, 0.90-1.45).
var prefetchMinUsers = 1 << 18 // a var so that TestTouchAheadChangesNothing can prefetch in small worlds

// prefetchAhead is how many users ahead of the one they are at the users
// loops ask for the lines of users due today (partition.prefetchDue): 8,
// 16, 32 and 64 measured alike on the core scenario at a million users.
const prefetchAhead = 16

// prefetchDue asks for the lines that the trials of each user due today
// from cur up to end (u+prefetchAhead) will read (prefetchTrial), and returns
// where it stopped, the next call's cur. A user's trials read half a
// dozen lines of as many arrays, and the users due on a day are some 6%
// of them, far apart: each of those reads waited on memory when the
// trials came to it (pprof of the core scenario at a million users:
// trialDue and touchTrial, the first reads, 3.6 s of 13.3 s of CPU).
// Asked for some sixteen users ahead, the lines are mostly there when
// the trials begin. Loads would not do here: a load that misses holds
// back every instruction after it, which is why touchAhead loads a few
// users ahead and only two lines, and why a cursor of loads over the due
// users measured worse (README, Performance). It runs in worlds of
// prefetchMinUsers or more where prefetch6 has assembly (partition.prefetch).
func (pt *partition) prefetchDue(cur, end, d int, dueDay []int16) int {
	for ; cur < end; cur++ {
		if int(dueDay[cur]) <= d {
			pt.prefetchTrial(cur)
		}
	}
	return cur
}

// prefetchTrial asks for the first line of u's standing, trial records,
// social sensitivity, carried ties, accepting merchants and use records,
// what its trials read first (touchTrial, trials), then for the lines of
// its last platform's trial and use records and of its wallets' byte,
// and counts it in prefetched, which tests read. A user's trial records
// and use records take 8 B a platform, so with three platforms the last
// lies on the next line for three users in eight, and the trials read
// every platform's (trialDue: 0.42 s of the core world's 5.5 s at a
// million users); adopt reads the wallets (otherWallets). The second
// call measured 0.934 and 0.901 on the core world (4 and 3 pairs at the
// same time), 0.983 on the filing day's default (3 pairs).
func (pt *partition) prefetchTrial(u int) {
	w := pt.w
	i := u * w.K
	prefetch6(uintptr(unsafe.Pointer(&w.st[i])), uintptr(unsafe.Pointer(&w.tr[i])),
		uintptr(unsafe.Pointer(&w.socialSens[u])), uintptr(unsafe.Pointer(&w.carried[i])),
		uintptr(unsafe.Pointer(&w.accepting[i])), uintptr(unsafe.Pointer(&w.use[i])))
	j := i + w.K - 1
	t, s, b := uintptr(unsafe.Pointer(&w.tr[j])), uintptr(unsafe.Pointer(&w.use[j])), uintptr(unsafe.Pointer(&w.bmask[u]))
	prefetch6(t, s, b, t, s, b)
	pt.prefetched++
}

// trials runs u's awareness and adoption trials due today.
func (pt *partition) trials(u, d int) {
	w := pt.w
	K := w.K
	pt.touchTrial(u)
	for p := 0; p < K; p++ {
		i := u*K + p
		s := w.st[i]
		if s.stage() == CardBound || s.dormant() || !w.trialDue(i, d) {
			continue
		}
		if s.stage() == Unaware && (!pt.becomeAware(u, p, d) || !w.trialDue(i, d)) {
			continue
		}
		pt.adopt(u, p, d)
	}
}

// retain runs u's dormancy trials due today (driftToDormancy), after the
// day's payments and envelopes, and sets u's next due day.
func (pt *partition) retain(u, d int) {
	w := pt.w
	K := w.K
	due := int16(noTrial)
	for p := 0; p < K; p++ {
		i := u*K + p
		s := w.st[i]
		if s.dormant() {
			continue
		}
		if s.stage() >= Registered {
			dn := w.tr[i].dnext
			if int(dn) <= d {
				if pt.driftToDormancy(u, p, d) {
					continue
				}
				dn = w.tr[i].dnext // drawn anew
			}
			due = min(due, dn)
		}
		if s.stage() != CardBound {
			due = min(due, w.tr[i].next)
		}
	}
	w.due[u] = due
}

// wake makes sure u's trials are looked at on day t (World.due).
func (w *World) wake(u int, t int16) {
	if t < w.due[u] {
		w.due[u] = t
	}
}

// becomeAware is the Bass step: an unaware user hears of platform p from
// advertising (p) or from friends on it over the ties it carries (q times
// their share of those ties); under uniform mixing, from the whole
// population over the platform's average reach.
func (pt *partition) becomeAware(u, p, d int) bool {
	w := pt.w
	pl := w.plat[p]
	i := w.slot(u, p)
	var h float64
	if w.mixing {
		h = agents.AwarenessHazard(pl.cfg.Advertising+pl.plan.Advertising, pl.cfg.WordOfMouth, float64(w.onCount[p]), float64(w.N), pl.reachAvg)
	} else {
		h = agents.AwarenessHazard(pl.cfg.Advertising+pl.plan.Advertising, pl.cfg.WordOfMouth, float64(w.tr[i].friendsOn), float64(w.carried[i]), 1)
	}
	// Today is a candidate day (probability awareBound); it turns into
	// awareness with probability hazardProb(h)/awareBound. hazardProb(h)
	// is never above h (TestHazardProbUnderHazard), so a draw at h or
	// above fails without it: most failures, and no exp.
	if x := pt.rng.float() * pl.awareBound; x >= h || x >= hazardProb(h) {
		pt.rescheduleAwareness(i, d+1, pl)
		return false
	}
	w.setStage(i, Aware)
	pt.c.level[p].aware++
	pt.rescheduleAdoption(i, d) // adoption may start today
	return true
}

// friendsOnPlatform is the number of u's friends on p that adoption sees;
// under uniform mixing, the expected number among mean_degree contacts.
func (w *World) friendsOnPlatform(u, p int) float64 {
	if w.mixing {
		return w.Scenario.Graph.MeanDegree * w.plat[p].reachAvg * float64(w.onCount[p]) / float64(w.N)
	}
	return float64(w.tr[u*w.K+p].friendsOn)
}

// adopt takes an aware or registered user one or two steps down the funnel
// (register, then bind a card) by the adoption logit of agents: a step
// happens on a day with probability max_rate·Λ(U). Such trials succeed at
// most with probability max_rate, so the days on which one can succeed
// (candidate days, probability max_rate) are drawn ahead as geometric gaps
// (trialRec.next), and on a candidate day the step happens with probability
// Λ(U). The process is the same; idle users cost a comparison a day.
func (pt *partition) adopt(u, p, d int) {
	w := pt.w
	i := w.slot(u, p)
	a := &w.Scenario.Adoption
	// The trial's draw comes first: where users' indices run low, most
	// fail against the ceiling of the index (agents.AdoptionCeiling),
	// which needs none of what costs the index most to gather; where they
	// do not, the partition leaves the ceiling out (beginCeiling).
	x := pt.rng.float()
	aware := w.stage(i) == Aware
	// What the ceiling needs of what u weighs about p today: all but the
	// merchant share, balance and trust deficit (adoptionRest). It is
	// gathered here rather than in a function of its own, as many trials
	// end at the ceiling and a call is a good part of their cost.
	var in agents.AdoptionInput
	pl := w.plat[p]
	subsidy := pl.typicalYuan
	if !w.firstPaid(i) {
		subsidy += pl.firstTypicalYuan
	}
	in.Friends = w.friendsOnPlatform(u, p)
	in.SubsidyYuan = subsidy
	in.Services = pl.services
	in.OtherWallets = bits.OnesCount8(w.otherWallets(u, p))
	// A trait weighs nothing against 0 friends or 0 subsidy: those trials
	// (most, without campaigns) skip reading it.
	if in.Friends != 0 {
		in.SocialSensitivity = float64(w.socialSens[u])
	}
	if subsidy != 0 {
		in.PriceSensitivity = float64(w.priceSens[u])
	}
	if pt.ceilOn {
		ceil := agents.AdoptionCeiling(&pl.adoptW, pt.ceilBase[p], &in)
		if !aware {
			ceil += a.BindOffset
		}
		pt.ceilTried++
		if agents.OverLogistic(x, ceil) {
			pt.ceilCut++
			pt.rescheduleAdoption(i, d+1)
			return
		}
	}
	w.adoptionRest(u, p, d, &in)
	util := pl.adoptW.Utility(&in)
	if aware {
		if !agents.UnderLogistic(x, util) {
			pt.rescheduleAdoption(i, d+1)
			return
		}
		pt.register(u, p, d)
		if pt.rescheduleAdoption(i, d); !w.trialDue(i, d) {
			return // binding a card waits for a later candidate day
		}
		x = pt.rng.float() // registered today: binding is a trial of its own
	}
	if agents.UnderLogistic(x, util+a.BindOffset) {
		pt.bind(u, p, d)
		return
	}
	pt.rescheduleAdoption(i, d+1)
}

// adoptionRest completes the input adopt gathered for the ceiling with
// the merchant share, the balance and the trust deficit.
func (w *World) adoptionRest(u, p, d int, in *agents.AdoptionInput) {
	i := w.slot(u, p)
	in.MerchantShare = w.merchantShare(u, p)
	in.HasBalance = w.balance(i) > 0
	in.TrustDeficit = w.deficitAt(i, d)
}

// merchantShare is the share of u's usual merchants that accept p, from
// the counts flipAccept keeps (World.accepting).
func (w *World) merchantShare(u, p int) float64 {
	return float64(w.accepting[u*w.K+p]) / float64(w.nUsual)
}

// register makes u a registered user of p, now one of the friends on p its
// friends see. When a campaign pays referral bonuses, the friend credited
// is chosen after the day (payReferral), when friends' states are settled.
func (pt *partition) register(u, p, d int) {
	w := pt.w
	i := w.slot(u, p)
	if w.stage(i) == Unaware {
		pt.c.level[p].aware++
	}
	w.setStage(i, Registered)
	w.tr[i].since = int16(d)
	pt.rescheduleDormancy(i, d+1)
	w.wake(u, w.tr[i].dnext)
	pt.c.level[p].registered++
	pt.events = append(pt.events, netEvent{u: int32(u), p: uint8(p), kind: evOn})
	if w.plat[p].plan.ReferralFen > 0 {
		pt.events = append(pt.events, netEvent{u: int32(u), p: uint8(p), kind: evReferral})
	}
}

// bind gives u a card on p: it can now pay with it.
func (pt *partition) bind(u, p, d int) {
	w := pt.w
	i := w.slot(u, p)
	others := w.otherWallets(u, p)
	if others == 0 {
		pt.countNoWallet(u, -1) // from now on u's payments are its own
	}
	w.bmask[u] |= 1 << p
	if w.payAhead { // and usersPaying's next day draws its paying day
		w.refreshWalletMerchants(pt, w.accept, u, w.walletMerchantMask(w.accept, u, others, -1, 0), others != 0)
	}
	w.setStage(i, CardBound)
	w.tr[i].since = int16(d)
	pt.c.level[p].bound++
	pt.c.day[p].newBound++
	if w.viaClaim(i) {
		pt.c.day[p].newBoundFromClaim++
	}
	switch n := bits.OnesCount8(others); {
	case n == 1:
		pt.c.level[bits.TrailingZeros8(others)].multiHomed++ // the other wallet is now multi-homed too
		fallthrough
	case n > 1:
		pt.c.level[p].multiHomed++
	}
	pt.events = append(pt.events, netEvent{u: int32(u), p: uint8(p), kind: evBind})
}

// habitNow is u's habit with p today, decayed since its last use.
func (h *habits) habitNow(i, d int) float64 {
	r := &h.use[i]
	if r.lastUse == neverUsed {
		return 0
	}
	return float64(r.habit) * h.habitKeep[min(d-int(r.lastUse), len(h.habitKeep)-1)]
}

// trustDeficit is u's trust deficit with p today, recovered since its last
// failed payment.
func (h *habits) trustDeficit(i, d int) float64 {
	fd := h.use[i].failDay
	if fd == neverUsed {
		return 0
	}
	return float64(h.deficit[i]) * h.trustKeep[min(d-int(fd), len(h.trustKeep)-1)]
}

// deficitAt is slot i's trust deficit today (trustDeficit), read only
// when one of its payments ever failed: the standing byte, which every
// trial and payment reads anyway, says so, and most slots never fail.
func (w *World) deficitAt(i, d int) float64 { return w.deficitOf(w.st[i], i, d) }

// deficitOf is deficitAt with slot i's standing st already read.
func (w *World) deficitOf(st standing, i, d int) float64 {
	if !st.distrusts() {
		return 0
	}
	return w.trustDeficit(i, d)
}

// markUse records that u used p today (paid, sent or claimed an envelope):
// habit rises, the user counts as daily and monthly active, and a dormant
// user wakes up.
func (pt *partition) markUse(u, p, d int) {
	pt.markUseHabit(u, p, d, pt.w.habitNow(u*pt.w.K+p, d), pt.w.st[u*pt.w.K+p])
}

// markUseHabit is markUse with u's habit with p today (habitNow) and its
// standing st known: a payment's, as walletUtility read them into the
// till (nothing the payment does between changes the dormant flag).
func (pt *partition) markUseHabit(u, p, d int, h float64, st standing) {
	w := pt.w
	i := w.slot(u, p)
	r := &w.use[i]
	r.habit = float32(agents.ReinforceHabit(h, w.habitGain))
	// On u's first use of p today its last use moves from its old day (if
	// any) to today in the histogram, which is how u counts as daily
	// active (record reads today's count, less what it began the day
	// with, partition.useStart).
	// Whether this is the first use today is a coin toss per payment (a
	// second payment with the same wallet is not), and jumps on it were
	// mispredicted often (cachegrind's simulated predictor: 5.8 M times in
	// 15.6 M in BenchmarkNetLogoScale's 800 runs); so the counts move by
	// flags of 0 or 1, which the compiler makes flag and conditional
	// moves, and nothing moves when both are 0.
	lu := int(r.lastUse)
	first, had, old := 0, 0, d // old: the day whose count drops, d when none does
	if lu != d {
		first = 1
	}
	if lu != neverUsed {
		had, old = first, lu
	}
	ad, hist := pt.activeDays, pt.useHist[p] // the slice's header read once
	hist[old+ad] -= int32(had)
	hist[d+ad] += int32(first)
	r.lastUse = int16(d)
	if st.dormant() && w.Scenario.Retention.ReviveOnUse {
		w.setDormant(i, false)
		pt.rescheduleAdoption(i, d+1)
		pt.rescheduleDormancy(i, d+1)
		w.wake(u, min(w.tr[i].next, w.tr[i].dnext))
		pt.events = append(pt.events, netEvent{u: int32(u), p: uint8(p), kind: evOn})
	}
}

// driftToDormancy is docs/brief.md's retention rule: a registered user with no
// use for a while, no friends on the platform and nothing in the wallet
// drifts to dormancy with probability dormancy_rate a day: it stops
// counting as a friend on the platform and stops adopting, until it uses
// the wallet again. Today is a candidate day (trialRec.dnext), the day's coin
// already came up; it reports whether u went dormant, and otherwise draws
// the next candidate day.
func (pt *partition) driftToDormancy(u, p, d int) bool {
	w := pt.w
	i := w.slot(u, p)
	last := max(int(w.use[i].lastUse), int(w.tr[i].since))
	if agents.GoesDormant(w.balance(i), d-last, w.Scenario.Retention.DormantAfter, w.friendsOnPlatform(u, p)) {
		w.setDormant(i, true)
		pt.events = append(pt.events, netEvent{u: int32(u), p: uint8(p), kind: evOff})
		return true
	}
	pt.rescheduleDormancy(i, d+1)
	return false
}

// pay makes the payments of the day of u, who holds a wallet (bound is
// not 0; users with none pay in cashDay): a Poisson number times the
// season, at its usual merchants, each by the method chosen among those
// both sides accept (cash always). On an ordinary day (ordinaryDay) live
// draws the number itself, against the precomputed e^(−rate).
func (pt *partition) pay(u, d int, bound uint8, wk *worker) {
	w := pt.w
	ss := &w.season
	lam := float64(w.payRate[u]) * ss.spending
	mer := w.usual[u*w.nUsual : (u+1)*w.nUsual]
	// Where users pay: evenly over their usual merchants, unless a flash
	// sale or a subsidy (induced demand) pulls extra payments to some.
	total := 0.0
	weighted := ss.flash || w.induced
	if weighted {
		pw, K := w.payWeight, w.K
		for j, m := range mer {
			x := pw[int(w.mKind[m])<<K|int(bound&w.accept[m])]
			pt.weightBuf[j] = x
			total += x
		}
		lam *= total / float64(len(mer))
	}
	if n := pt.rng.poisson(lam); n > 0 {
		if weighted {
			pt.weight, pt.weightTotal = pt.weightBuf[:len(mer)], total
			pt.payments(u, d, n, bound, wk)
			pt.weight = nil
		} else {
			pt.payments(u, d, n, bound, wk)
		}
	}
}

// setPayWeights works out, once a day after the plans, the pull of a
// usual merchant on a user's payments (pay) for every merchant kind k and
// set of wallets both accept, index k<<K | wallets: the season's
// multiplier for the kind, times 1 + users.subsidy_elasticity × the best
// share of the ticket one of those wallets pays back there today
// (platform.kindShare) on a day of induced demand. pay worked it out for
// every usual merchant of every wallet holder every day, over each
// wallet both accept (0.79 s of today's default's 23 s of steps on one
// core); the table has 2^K entries a kind.
func (w *World) setPayWeights() {
	K := w.K
	w.payWeight = resize(w.payWeight, len(w.kinds)<<K, 0)
	e := w.Scenario.Users.SubsidyElasticity
	for k := range w.kinds {
		for wallets := range 1 << K {
			x := w.season.kindMul[k]
			if w.induced {
				best := 0.0
				for o := uint8(wallets); o != 0; o &= o - 1 {
					best = max(best, w.plat[bits.TrailingZeros8(o)].kindShare[k])
				}
				x *= 1 + e*best
			}
			w.payWeight[k<<K|wallets] = x
		}
	}
}

// ordinaryDay reports whether today's payments follow the users' own
// rates, evenly over their usual merchants: no season's spending, flash
// sale or subsidy-induced demand (see live).
func (w *World) ordinaryDay() bool {
	return w.season.spending == 1 && !w.season.flash && !w.induced
}

// till is what a user's payments of the day carry from one to the next:
// the cashback each wallet has paid today and how many payments earned
// it (daily caps; counted only on a platform whose offers have such caps
// today, platform.dailyCaps, as nothing else reads them), and for the
// current payment the habit with each wallet as weighed, which the
// payment's markUse reuses instead of decaying it again, the cashback
// weighed, which a fixed amount pays as it is (walletPayment), and the
// standing walletUtility read, whose first-payment flag walletPayment
// tests (nothing between them changes the flag). A
// partition keeps one (partition.tl) for the user it is paying for:
// payments start it afresh.
type till struct {
	cb       [MaxPlatforms]int64
	cnt      [MaxPlatforms]int
	habit    [MaxPlatforms]float64
	expected [MaxPlatforms]int64
	st       [MaxPlatforms]standing
}

// payments makes n payments of u at its usual merchants, picked evenly or,
// when pay set partition.weight, in proportion to it. The arguments are
// few, and the till and weights are the partition's, because this runs
// for every user who pays on a day: each argument is moved and saved
// around the calls at every one. The loop counts n down, keeping no
// counter of its own: one register more for each payment's draw, whose
// shifts the compiler otherwise wrote with a spill and a reload of the
// value (go tool objdump). Comments inside this function move the lines
// of its calls, which cmd/hongbao/default.pgo names: the compiler then
// stops inlining walletUtility, walletPayment and markUseHabit here
// (2.8% more CPU a NetLogo-scale run) until the profile is taken again.
func (pt *partition) payments(u, d, n int, bound uint8, wk *worker) {
	w := pt.w
	// u's usual merchants are w.usual[first : first+nU]; indexing from
	// first costs a payment less than slicing costs a payer.
	nU := w.nUsual
	first := u * nU
	if pt.tlCashback { // the previous payer's caps; the habits need no reset (walletUtility writes before walletPayment reads)
		pt.tl.cb, pt.tl.cnt = [MaxPlatforms]int64{}, [MaxPlatforms]int{}
		pt.tlCashback = false
	}
	ticketFen := scenarios.FenPerYuan * float64(w.ticket[u])
	for ; n > 0; n-- {
		// One 64-bit draw is the payment's spread, its merchant when
		// merchants are picked evenly, and the uniform of its choice
		// between a wallet and cash (payDraw).
		sp, j, x := payDraw(pt.rng.Uint64(), nU)
		if weight := pt.weight; weight != nil {
			y := pt.rng.float() * pt.weightTotal
			j = 0
			for j < nU-1 && y >= weight[j] {
				y -= weight[j]
				j++
			}
		}
		m := w.usual[first+j]
		kind := int(w.mKind[m])
		mean := ticketFen * w.kinds[kind].factor
		opts := bound & w.accept[m]
		if opts == 0 { // nothing both accept: cash, at the mean ticket (no draw needed), or drawn again (partition.redraw)
			if n += pt.redraw; pt.redraw == 0 {
				pt.cashPayment(kind, 1, w.cashTicket(u, kind))
			}
			continue
		}
		t := max(1, scenarios.RoundFen(mean*w.spread[sp]))
		var p int
		if opts&(opts-1) == 0 { // one wallet on offer (most payments): chooseMethod's binary logit, written out
			p = bits.TrailingZeros8(opts)
			if !agents.UnderLogistic(x, pt.walletUtility(u, d, kind, t, p)) {
				p = -1
			}
		} else {
			p = pt.chooseMethod(u, d, kind, t, opts, x)
		}
		if p >= 0 {
			if w.failing(p) && pt.rng.float() < w.plat[p].failProb {
				p = pt.failOver(u, p, d, kind, t, opts)
			}
		}
		if p < 0 {
			pt.cashPayment(kind, 1, t)
			continue
		}
		K := w.K
		if !w.offering(p) {
			// The common day: nothing on offer, no cashback, bonus or
			// first-payment return. walletPayment's money, written out to
			// save a call per payment: u pays from its balance first, then
			// its card; the merchant receives t.
			i := u*K + p
			fromBal := min(w.balance(i), t)
			w.addBalance(i, -fromBal)
			pt.walletTotal -= fromBal
			pt.c.outsideDelta -= t - fromBal
			wk.takings = append(wk.takings, taking{int(m)*K + p, t})
			w.setFirstPaid(i)
			j := kind*(K+1) + p
			pt.c.kindPay[j]++
			pt.c.kindValue[j] += t
		} else {
			pt.walletPayment(u, p, int(m), kind, t, d, wk)
		}
		// One call for both ways to pay, in this loop: the compiler
		// inlines it here, not inside walletPayment inlined here.
		pt.markUseHabit(u, p, d, pt.tl.habit[p], pt.tl.st[p])
	}
}

// generalLoops makes every day run the general loops (users, payments)
// instead of the loops specialised for plain days (usersPlain,
// usersEnvelopes, paymentsPlain), which repeat them for speed:
// TestSpecialisedLoopsMatchGeneral sets it to show that both give the
// same bytes, so a change made to one copy and not the other fails.
var generalLoops bool

// loopsRun counts the partition-days each users loop ran (loopPlain,
// loopEnvelopes, loopGeneral), so the test can show that each world it
// compares takes the loops it means to compare; once a partition-day,
// it costs nothing a run shows.
var loopsRun [3]atomic.Int64

// The users loops loopsRun counts.
const (
	loopPlain = iota
	loopEnvelopes
	loopGeneral
)

// paymentsPlain is payments on a day when u's merchants are picked evenly
// (pt.weight is nil: an ordinary day) and no platform's payments can fail
// (World.failBits is 0): the same draws in the same order, less the looks
// at weights and failures, which would do nothing. It repeats payments on
// purpose, as usersPlain repeats users: the loops that call it run for
// every payer, and the payment's loop keeps fewer values without those
// paths.
func (pt *partition) paymentsPlain(u, d, n int, bound uint8, wk *worker) {
	w := pt.w
	// u's usual merchants are w.usual[first : first+nU]; indexing from
	// first costs a payment less than slicing costs a payer.
	nU := w.nUsual
	first := u * nU
	if pt.tlCashback { // the previous payer's caps; the habits need no reset (walletUtility writes before walletPayment reads)
		pt.tl.cb, pt.tl.cnt = [MaxPlatforms]int64{}, [MaxPlatforms]int{}
		pt.tlCashback = false
	}
	ticketFen := scenarios.FenPerYuan * float64(w.ticket[u])
	for ; n > 0; n-- {
		// One 64-bit draw is the payment's spread, its merchant when
		// merchants are picked evenly, and the uniform of its choice
		// between a wallet and cash (payDraw).
		sp, j, x := payDraw(pt.rng.Uint64(), nU)
		m := w.usual[first+j]
		kind := int(w.mKind[m])
		mean := ticketFen * w.kinds[kind].factor
		opts := bound & w.accept[m]
		if opts == 0 { // nothing both accept: cash, at the mean ticket (no draw needed), or drawn again (partition.redraw)
			if n += pt.redraw; pt.redraw == 0 {
				pt.cashPayment(kind, 1, w.cashTicket(u, kind))
			}
			continue
		}
		t := max(1, scenarios.RoundFen(mean*w.spread[sp]))
		var p int
		if opts&(opts-1) == 0 { // one wallet on offer (most payments): chooseMethod's binary logit, written out
			p = bits.TrailingZeros8(opts)
			if !agents.UnderLogistic(x, pt.walletUtility(u, d, kind, t, p)) {
				p = -1
			}
		} else {
			p = pt.chooseMethod(u, d, kind, t, opts, x)
		}
		if p < 0 {
			pt.cashPayment(kind, 1, t)
			continue
		}
		K := w.K
		if !w.offering(p) {
			// The common day: nothing on offer, no cashback, bonus or
			// first-payment return. walletPayment's money, written out to
			// save a call per payment: u pays from its balance first, then
			// its card; the merchant receives t.
			i := u*K + p
			fromBal := min(w.balance(i), t)
			w.addBalance(i, -fromBal)
			pt.walletTotal -= fromBal
			pt.c.outsideDelta -= t - fromBal
			wk.takings = append(wk.takings, taking{int(m)*K + p, t})
			w.setFirstPaid(i)
			j := kind*(K+1) + p
			pt.c.kindPay[j]++
			pt.c.kindValue[j] += t
		} else {
			pt.walletPayment(u, p, int(m), kind, t, d, wk)
		}
		// One call for both ways to pay, in this loop: the compiler
		// inlines it here, not inside walletPayment inlined here.
		pt.markUseHabit(u, p, d, pt.tl.habit[p], pt.tl.st[p])
	}
}

// failOver is a payment p could not process (failPayment): u chooses again
// among the other wallets in opts and cash, on a fresh uniform (the first
// was spent on the choice that failed). A wallet it falls back to is paid
// with but not attempted, which settleKinds needs to count the attempts.
func (pt *partition) failOver(u, p, d, kind int, t int64, opts uint8) int {
	pt.failPayment(u, p, d)
	q := pt.chooseMethod(u, d, kind, t, opts&^(1<<p), pt.rng.float())
	if q >= 0 {
		pt.c.day[q].fellBack++
	}
	return q
}

// cashPayment counts n payments of total value v fen made outside the
// wallets; their money never enters the model's accounts.
func (pt *partition) cashPayment(kind int, n, v int64) {
	j := kind*(pt.w.K+1) + pt.w.K
	pt.c.cashCount += n
	pt.c.cashValue += v
	pt.c.kindPay[j] += n
	pt.c.kindValue[j] += v
}

// cashTicket is u's cash payment at a merchant of the given kind, fen: its
// mean ticket there (cash needs no draw of the spread: nothing depends on
// one cash payment's size).
func (w *World) cashTicket(u, kind int) int64 {
	return scenarios.YuanToFen(float64(w.ticket[u]) * w.kinds[kind].factor)
}

// countNoWallet adds (sign +1) or removes (sign −1) u's payments to the
// partition's rates of payment by users with no wallet (cashDay).
func (pt *partition) countNoWallet(u int, sign float64) {
	w := pt.w
	pt.addCashRates(pt.noWalletRate, pt.noWalletFen, u, 1<<w.nUsual-1, sign)
	if pt.noWallet += int(sign); pt.noWallet == 0 { // no rounding residue once nobody is left
		clear(pt.noWalletRate)
		clear(pt.noWalletFen)
	}
}

// addCashRates adds (sign +1) or removes (sign −1) u's payments at its
// usual merchants in set (bit j for its j-th) to the sums of a
// partition's payments drawn at once (drawCashSums): per merchant kind,
// the rate there and the rate times u's cash ticket (fen). A user's cash
// ticket at a kind is the same at each of its merchants of that kind,
// and usual merchants mostly come in runs of one kind (all of them,
// where there is one kind): it is worked out again only when the kind
// changes.
func (pt *partition) addCashRates(rate, fen []float64, u int, set uint16, sign float64) {
	w := pt.w
	share := float64(w.payRate[u]) / float64(w.nUsual)
	lastK, ticket := -1, 0.0
	for ; set != 0; set &= set - 1 {
		k := int(w.mKind[w.usual[u*w.nUsual+bits.TrailingZeros16(set)]])
		if k != lastK {
			lastK, ticket = k, float64(w.cashTicket(u, k))
		}
		rate[k] += sign * share
		fen[k] += sign * share * ticket
	}
}

// cashDay makes the day's payments of the partition's users with no
// wallet. Each pays a Poisson number a day at each usual merchant, all in
// cash, and nothing but the cash tallies sees them, so they are drawn at
// once (drawCashSums).
func (pt *partition) cashDay() {
	pt.drawCashSums(pt.noWalletRate, pt.noWalletFen)
}

// drawCashSums makes the day's cash payments of a group of users drawn
// at once from their sums (addCashRates): at merchants of kind k a
// Poisson number with the sum of their rates there (times the season),
// which is the same count in distribution at one draw per kind instead
// of one per user. The value is that count at the rate-weighted mean
// cash ticket of those users, which keeps its mean and leaves out only
// the spread between users.
func (pt *partition) drawCashSums(rate, fen []float64) {
	ss := &pt.w.season
	for k, r := range rate {
		if r <= 0 { // none, or a rounding residue of sums added and taken away
			continue
		}
		if n := pt.rng.poisson(r * ss.spending * ss.kindMul[k]); n > 0 {
			pt.cashPayment(k, int64(n), max(0, scenarios.RoundFen(float64(n)*fen[k]/r)))
		}
	}
}

// chooseMethod returns the platform u pays this ticket with, or −1 for
// cash, by the multinomial logit of agents.ChooseMethod over the wallets in
// opts, given a uniform draw x in [0, 1). Most payments have one wallet on
// offer: then the logit is binary, the wallet's chance is agents.Logistic
// of its utility; two on offer take agents.ChooseOfThree, the same choice.
func (pt *partition) chooseMethod(u, d, kind int, t int64, opts uint8, x float64) int {
	if opts == 0 {
		return -1
	}
	if opts&(opts-1) == 0 {
		p := bits.TrailingZeros8(opts)
		if agents.UnderLogistic(x, pt.walletUtility(u, d, kind, t, p)) {
			return p
		}
		return -1
	}
	if rest := opts & (opts - 1); rest&(rest-1) == 0 {
		// Two wallets (the next most common): agents.ChooseOfThree, the
		// same choice as ChooseMethod's without its slices and, on most
		// draws, without its exps.
		p1, p2 := bits.TrailingZeros8(opts), bits.TrailingZeros8(rest)
		switch agents.ChooseOfThree(pt.walletUtility(u, d, kind, t, p1), pt.walletUtility(u, d, kind, t, p2), x) {
		case 0:
			return -1
		case 1:
			return p1
		}
		return p2
	}
	var ub [MaxPlatforms + 1]float64 // on the stack: scratch of partitions on other cores must not share its lines
	var mb [MaxPlatforms + 1]int
	utils, methods := append(ub[:0], 0), append(mb[:0], -1)
	for o := opts; o != 0; o &= o - 1 {
		p := bits.TrailingZeros8(o)
		utils = append(utils, pt.walletUtility(u, d, kind, t, p))
		methods = append(methods, p)
	}
	return methods[agents.ChooseMethod(utils, x)]
}

// walletUtility is what paying this ticket with p is worth to u
// (agents.WalletUtility), cash being worth 0. It keeps the habit it
// weighed in the till for the payment's markUse.
func (pt *partition) walletUtility(u, d, kind int, t int64, p int) float64 {
	w := pt.w
	tl := &pt.tl
	i := w.slot(u, p)
	pl := w.plat[p]
	st := w.st[i]
	sub, ps := int64(0), 0.0
	if pl.offering {
		// A user weighs only what the platform can still pay today: once its
		// budget is spent, the offer is gone.
		if fixed := pl.fixedCashback[kind]; fixed >= 0 {
			if pt.allowance[p] > 0 {
				sub = min(fixed, t) // ExpectedCashback, which a fixed amount makes this
			}
		} else if offer := &pl.plan.Kinds[kind]; pt.allowance[p] > 0 && offer.PaysCashback() {
			if (offer.DailyCount == 0 || tl.cnt[p] < offer.DailyCount) && (offer.DailyCapFen == 0 || tl.cb[p] < offer.DailyCapFen) {
				sub = offer.ExpectedCashback(t)
			}
		}
		tl.expected[p] = sub
		// The plan's return first: whether the slot paid before is a coin
		// toss per payment, the plan's setting is not.
		if pl.plan.FirstPaymentPct > 0 && !st.firstPaid() && pt.allowance[p] > 0 {
			sub += pl.firstPayment(t)
		}
		// Price sensitivity weighs nothing against no subsidy: it is 0
		// then, as it always was here (FenToYuan(0) is 0, the same bits).
		// Whether a payment is subsidised is a coin toss where one wallet
		// offers and the other does not, so on a day the platform offers
		// the sensitivity is read on every payment and cleared by a mask
		// (a flag move) rather than skipped by a jump. On a day it offers
		// nothing (most days, and every day of the core world) its line is
		// not read: one fetch from memory a payer fewer.
		var keep uint64
		if sub != 0 {
			keep = ^uint64(0)
		}
		ps = math.Float64frombits(math.Float64bits(float64(w.priceSens[u])) & keep)
	}
	h := w.habitNow(i, d)
	tl.habit[p], tl.st[p] = h, st
	subYuan := scenarios.FenToYuan(sub)
	return agents.WalletUtility(w.choiceW, pl.conv[kind], h, ps, subYuan,
		float64(w.balanceAt(i, st)), float64(t), w.deficitOf(st, i, d))
}

// failPayment is a payment p could not process (over capacity or in an
// outage): u loses trust in p and pays another way.
func (pt *partition) failPayment(u, p, d int) {
	w := pt.w
	i := w.slot(u, p)
	w.deficit[i] = float32(agents.LoseTrust(w.trustDeficit(i, d), w.Scenario.Trust.Loss))
	w.use[i].failDay = int16(d)
	w.setDistrust(i)
	pt.c.day[p].failed++
}

// walletPayment moves the money of one wallet payment of t fen at merchant
// m with something on offer (payments does the rest, and marks the use): the user
// pays t minus its cashback (from its balance first, then its card), the
// platform pays the cashback, the merchant receives t and pays the fee. A
// first payment may earn its bonus back into the wallet. The platform's
// spending on them is what they took of the partition's allowance, which
// live counts once a day (spentAllowance) rather than twice a payment.
func (pt *partition) walletPayment(u, p, m, kind int, t int64, d int, wk *worker) {
	w := pt.w
	tl := &pt.tl
	K := w.K
	i := u*K + p
	pl := w.plat[p]
	offer := &pl.plan.Kinds[kind]
	cb := int64(0)
	if offer.RandomCashback() {
		if offer.DailyCount == 0 || tl.cnt[p] < offer.DailyCount {
			cb = offer.Cashback(t, pt.rng.float())
			if offer.DailyCapFen > 0 {
				cb = min(cb, max(0, offer.DailyCapFen-tl.cb[p]))
			}
		}
	} else {
		// A fixed amount (no uniform is drawn) is the cashback the user
		// weighed (walletUtility): Cashback is ExpectedCashback without a
		// range, and walletUtility weighed 0 where this would find 0 (no
		// cashback, the daily count spent or the cap reached, or no
		// allowance left, where any cashback is more than it).
		cb = tl.expected[p]
		if offer.DailyCapFen > 0 {
			cb = min(cb, max(0, offer.DailyCapFen-tl.cb[p]))
		}
	}
	if cb > pt.allowance[p] { // a campaign that cannot be paid stops
		cb = 0
	}
	if cb > 0 {
		pt.allowance[p] -= cb
		if pl.dailyCaps {
			tl.cb[p] += cb
			tl.cnt[p]++
			pt.tlCashback = true
		}
	}
	owed := t - cb
	fromBal := min(w.balance(i), owed)
	w.addBalance(i, -fromBal)
	pt.walletTotal -= fromBal
	pt.c.outsideDelta -= owed - fromBal // the card draws on the user's bank, outside the model
	wk.value[m*K+p] += t
	if offer.MerchantBonusFen > 0 {
		wk.bonus[m*K+p]++
	}
	if !tl.st[p].firstPaid() {
		w.setFirstPaid(i)
		if ret := pl.firstPayment(t); ret > 0 && ret <= pt.allowance[p] {
			pt.allowance[p] -= ret
			w.addBalance(i, ret)
			pt.walletTotal += ret
		}
	}
	j := kind*(K+1) + p
	pt.c.kindPay[j]++
	pt.c.kindValue[j] += t
}

// settleKinds derives each platform's payments and their value today
// from the tallies by merchant kind, which every wallet payment adds to:
// once a partition and day instead of twice a payment. The attempts follow
// from them: every payment a wallet was chosen for first, whether it went
// through or failed (failOver), which is its payments and failures less
// the payments that fell back to it.
func (c *counters) settleKinds(K int) {
	for p := 0; p < K; p++ {
		var n, v int64
		for j := p; j < len(c.kindPay); j += K + 1 {
			n += c.kindPay[j]
			v += c.kindValue[j]
		}
		c.day[p].payments, c.day[p].value = n, v
		c.day[p].attempts = n + c.day[p].failed - c.day[p].fellBack
	}
}
