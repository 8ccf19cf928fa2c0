package sim

import (
	"math"
	"math/bits"
	"slices"
	"unsafe"
)

// Cash-only merchants. In a world that draws paying days ahead
// (World.payAhead), a wallet holder's payments at its cash-only merchants,
// the usual merchants that accept none of its wallets, are drawn for the
// partition at once, as cashDay draws those of the users with no wallet:
// such a payment is cash at the user's mean ticket, and nothing but the
// cash tallies sees it (no habit, no till, no merchant's takings). A
// user's payments at each usual merchant are a Poisson number a day at
// rate/nUsual, so those at its cash-only merchants are Poisson
// independently of the others (the splitting of a Poisson process), and
// the partition's at merchants of kind k are Poisson with the sum of
// their rates there (cashOnlyDay). The user's own paying days
// (World.payDay) are drawn at the rate of its wallet merchants only,
// rate·a/nUsual with a of them (walletPay), and each payment of such a
// day is at one of those, picked evenly: a pick of a cash-only merchant
// is drawn again (partition.redraw), which is the even pick among the
// others.
// On the core world at a million users 42% of the wallet holders'
// payments were at cash-only merchants, each a visit and a draw that
// changed nothing but the cash tallies.
//
// A user's wallet merchants change when it binds a card (bind) and when
// one of its usual merchants takes up or drops one of its wallets
// (flipAccept, then refreshFlips); both call refreshWalletMerchants,
// which moves the user's rates between the partition's sums and leaves
// its next paying day to be drawn again at its new rate (the gaps are
// memoryless, so a paying day drawn at the old rate can be dropped). On a day the general loop
// runs (users), a user's payments are drawn whole, cash-only merchants
// included, so the sums are drawn only on the days usersPaying runs.

// walletPay is a wallet holder's rate of payments a day at its wallet
// merchants and e^(−rate), the chance of none on a day.
type walletPay struct {
	rate, expNeg float32
}

// walletMerchantMask is the set of u's usual merchants (bit j for
// w.usual[u*nUsual+j]) that accept one of the wallets b, by accept
// (World.accept, or a partition's view of it as it stood at a merchant's
// change: refreshFlips), with merchant m taken to accept accM (a
// merchant's wallets before its change; m −1 for none).
func (w *World) walletMerchantMask(accept []uint8, u int, b uint8, m int32, accM uint8) uint16 {
	var mask uint16
	for j, v := range w.usual[u*w.nUsual : (u+1)*w.nUsual] {
		a := accept[v]
		if v == m {
			a = accM
		}
		if b&a != 0 {
			mask |= 1 << j
		}
	}
	return mask
}

// setupCashOnly works out every wallet holder's wallet merchants and
// counts the others in its partition's sums, once the installed base and
// the merchants' wallets are drawn.
func (w *World) setupCashOnly() {
	w.walletPay = make([]walletPay, w.N)
	for u, b := range w.bmask {
		if b != 0 {
			w.refreshWalletMerchants(w.parts[w.partOf(int32(u))], w.accept, u, 0, false)
		}
	}
}

// refreshWalletMerchants works out u's wallet merchants again by accept
// (walletMerchantMask), after a card bound or a merchant's change of
// wallets, from what they were before, old; counted says whether u held
// a wallet before, and so had its cash-only merchants counted in pt's
// sums. A change moves u's rates between the sums and leaves its next
// paying day to be drawn again at its new rate.
func (w *World) refreshWalletMerchants(pt *partition, accept []uint8, u int, old uint16, counted bool) {
	mask := w.walletMerchantMask(accept, u, w.bmask[u], -1, 0)
	if counted {
		if mask == old {
			return
		}
		// Only the merchants that changed sides move.
		pt.addCashRates(pt.cashOnlyRate, pt.cashOnlyFen, u, old&^mask, +1)
		pt.addCashRates(pt.cashOnlyRate, pt.cashOnlyFen, u, mask&^old, -1)
	} else {
		pt.addCashRates(pt.cashOnlyRate, pt.cashOnlyFen, u, ^mask&(1<<w.nUsual-1), +1)
	}
	r := float64(w.payRate[u]) * float64(bits.OnesCount16(mask)) / float64(w.nUsual)
	w.walletPay[u] = walletPay{rate: float32(r), expNeg: float32(math.Exp(-r))}
	w.payDay[u] = payUndrawn
}

// flip is a merchant's change of wallets (World.flips): m took up or
// dropped p.
type flip struct {
	m int32
	p uint8
}

// refreshFlips is the day's merchants' changes of wallets (World.flips)
// at the customers among the users of partitions a to b−1, in the order
// they were made: each change's count and refresh (refreshCustomers)
// read the merchants' wallets as they stood just after it, in a view of
// its own (partition a's acceptView), which starts from the wallets
// before the day's first change (World.acceptBefore) and takes each
// change in turn. So every partition adds to its sums what each change
// made there, in the order the reviews made them, and the bytes are
// those of refreshing each change at once, however the partitions are
// cut into runs. The reviews are serial (their draws and budgets come
// in the merchants' order) and read nothing a refresh writes, so the
// refreshes wait for the next phase, where a run of partitions a core
// takes them in parallel: in the serial task they were 0.25 s of CPU a
// year on the filing day's default (pprof; 48,565 changes, 8.9 million
// customers). A run is many partitions, not one: a merchant has a few
// hundred customers, two or three in a partition, and a walk that
// short cannot ask for lines ahead.
func (w *World) refreshFlips(a, b int) {
	if len(w.flips) == 0 {
		return
	}
	pt := w.parts[a]
	view := append(pt.acceptView[:0], w.acceptBefore...)
	pt.acceptView = view
	lo, hi := int32(pt.lo), int32(w.parts[b-1].hi)
	for _, f := range w.flips {
		view[f.m] ^= 1 << f.p
		w.refreshCustomers(view, int(f.m), int(f.p), lo, hi)
	}
}

// runFrom says whether partition i of P is the first of a run when P
// partitions are cut into runs (as cutAt cuts, runs ≤ P), and where its
// run ends.
func runFrom(i, P, runs int) (end int, first bool) {
	k := (i*runs + P - 1) / P // the first run that does not start before i
	if k >= runs || cutAt(P, runs, k) != i {
		return 0, false
	}
	return cutAt(P, runs, k+1), true
}

// refreshCustomers counts merchant m's change of p at each of its usual
// customers among users lo to hi−1 (World.accepting: +1 if it took p up,
// −1 if it dropped it), and works out again the wallet merchants of
// those for whom m has just become a wallet merchant or stopped being
// one, by accept, the merchants' wallets just after the change
// (refreshFlips). A merchant's customers are listed in the users' order
// (indexCustomers), so those in [lo, hi) are a run of them. They are
// spread over the users, so each one's lines are asked for refreshAhead
// customers before its turn (prefetch6). One walk does the count and the
// refresh: the count had a walk of its own before, which waited on each
// customer's line of counts (0.10 s of the 0.28 s that merchants'
// changes took on the filing day's default, pprof), and nothing the
// refresh reads is a count.
func (w *World) refreshCustomers(accept []uint8, m, p int, lo, hi int32) {
	cs := w.cust[w.custOff[m]:w.custOff[m+1]]
	a, _ := slices.BinarySearch(cs, lo)
	b, _ := slices.BinarySearch(cs, hi)
	cs = cs[a:b]
	nU, K, before := w.nUsual, w.K, accept[m]^(1<<p)
	delta := uint8(1)
	if accept[m]&(1<<p) == 0 {
		delta = 0xFF // −1, wrapping
	}
	for k, u := range cs {
		if k+refreshAhead < len(cs) {
			v := int(cs[k+refreshAhead])
			first, last := uintptr(unsafe.Pointer(&w.usual[v*nU])), uintptr(unsafe.Pointer(&w.usual[v*nU+nU-1]))
			if first>>6 == last>>6 { // one 64-byte line: its place asks for the counts'
				last = uintptr(unsafe.Pointer(&w.accepting[v*K+p]))
			}
			prefetch6(uintptr(unsafe.Pointer(&w.bmask[v])), first, last,
				uintptr(unsafe.Pointer(&w.walletPay[v])), uintptr(unsafe.Pointer(&w.payRate[v])),
				uintptr(unsafe.Pointer(&w.ticket[v])))
		}
		w.accepting[int(u)*K+p] += delta // once for each time m is among u's usual merchants
		if k > 0 && cs[k-1] == u {
			continue // m is u's usual merchant more than once (indexCustomers lists u's in order): refreshed already
		}
		// m changes sides for u (cash-only to wallet merchant, or back)
		// only if u holds p and m accepts none of u's other wallets;
		// otherwise u's wallet merchants are what they were.
		if b := w.bmask[u]; b&accept[m] != 0 != (b&before != 0) {
			w.refreshWalletMerchants(w.parts[w.partOf(u)], accept, int(u), w.walletMerchantMask(accept, int(u), b, int32(m), before), true)
		}
	}
}

// refreshAhead is how many customers ahead refreshCustomers asks for a
// customer's lines.
const refreshAhead = 8

// cashOnlyDay makes the day's payments of the partition's wallet holders
// at their cash-only merchants, on a day usersPaying ran, drawn at once
// as cashDay draws the users with no wallet (drawCashSums). Such a day
// is ordinary: the season's spending and multipliers are 1.
func (pt *partition) cashOnlyDay() {
	pt.drawCashSums(pt.cashOnlyRate, pt.cashOnlyFen)
}
