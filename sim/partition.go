package sim

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// message carries money or an invitation to a user owned by another
// partition (or by the same one: delivery is always a separate phase).
// It is 12 bytes because a festival's buffers hold millions of shares:
// amounts fit 32 bits (envelopes and sponsored envelopes are at most a
// million yuan, the scenario's bounds), and the recipient (below 2^26: at
// most 50 million users), platform (below 8) and kind (below 8) share one
// word.
type message struct {
	dest   uint32 // recipient | platform<<26 | kind<<29
	from   int32  // the sender, or −1 for the platform or a brand
	amount int32  // fen
}

func newMessage(to, from, amount int32, plat, kind uint8) message {
	return message{dest: uint32(to) | uint32(plat)<<26 | uint32(kind)<<29, from: from, amount: amount}
}

func (m message) to() int32   { return int32(m.dest & (1<<26 - 1)) }
func (m message) plat() uint8 { return uint8(m.dest >> 26 & 7) }
func (m message) kind() uint8 { return uint8(m.dest >> 29) }

// Message kinds.
const (
	msgEnvelope  = iota // a share of a peer envelope; from is the sender
	msgSponsored        // a sponsored envelope paid by the platform
	msgBrand            // a sponsored envelope paid by brands
	msgRefund           // unclaimed envelope money back to its sender
	msgInvite           // a staff invitation
	msgTransfer         // a personal transfer; from is the sender (flows.go)
)

// netEvent is a change in a user's standing on a platform that other users
// and merchants see: it becomes one of the friends on the platform (on),
// stops being one (off), or binds a card (bind).
type netEvent struct {
	u    int32
	p    uint8
	kind uint8
}

const (
	evOn = iota
	evOff
	evBind
	evReferral // u registered while a referral bonus was on offer
)

// counters are a partition's tallies, a record per platform so that a
// payment's half-dozen increments touch one or two cache lines and need no
// slice headers. Levels persist; the day's tallies restart each day.
type counters struct {
	level [MaxPlatforms]levels
	day   [MaxPlatforms]dayTally

	cashCount, cashValue, outsideDelta int64

	// By merchant kind: kindPay[k*(K+1)+p] counts payments through platform
	// p at kind k, with p = K for cash; kindValue the same in fen.
	kindPay, kindValue []int64
}

// levels are a partition's counts of users by stage on one platform.
type levels struct {
	aware, registered, bound, multiHomed int64
}

// dayTally is what happened on one platform in a partition today.
type dayTally struct {
	attempts, payments, value, failed               int64
	subsidyUser, spent, newBound, newBoundFromClaim int64
	envP2P, envP2PFen, claimed, escrowDelta         int64
	transfers, transfersFen, fundFen                int64
	sponsorRefund, brandRefund                      int64
	fellBack                                        int64 // payments made with the wallet after another failed (failOver)
}

func newCounters(k, kinds int) counters {
	return counters{kindPay: padded[int64](kinds * (k + 1)), kindValue: padded[int64](kinds * (k + 1))}
}

// padded is a slice of n zeros with a cache line of unused memory either
// side, for a partition's small tallies that its users' payments and
// adoptions write (kindPay, kindValue, noWalletRate, noWalletFen). The
// allocator puts small slices of one size next to each other: unpadded,
// the last line of one partition's slice can be the first of the next
// partition's, which another core is writing at the same time (two
// workers take adjacent partitions from the shared counter).
func padded[T int64 | float64](n int) []T {
	const line = 64 / 8 // both are 8 bytes
	return make([]T, n+2*line)[line : line+n : line+n]
}

func (c *counters) resetDaily() {
	clear(c.day[:])
	c.cashCount, c.cashValue, c.outsideDelta = 0, 0, 0
	clear(c.kindPay)
	clear(c.kindValue)
}

// partition owns a contiguous range of users, their random stream and
// their share of each platform's daily budget. Only one goroutine touches a
// partition in a phase, and partitions never depend on which one, which is
// what makes a run's bytes independent of GOMAXPROCS.
//
// Partitions on different cores must never write the same cache line, or
// each write would bounce it between them (false sharing): a partition
// begins and ends with a cache line of padding, and its hot fields (the
// tallies, the budget, the wallet total) sit between.
type partition struct {
	_      [64]byte
	w      *World
	id     int
	lo, hi int
	rng    *stream

	allowance [MaxPlatforms]int64   // per platform: what this partition may still spend today
	allowed   [MaxPlatforms]int64   // per platform: the allowance the day began with (spentAllowance)
	ceilBase  [MaxPlatforms]float64 // per platform: today's agents.AdoptionCeilingBase

	// Whether adopt tries the ceiling of the index first today (ceilOn),
	// and what decides it (live): the trials it tried and cut today, and
	// whether, on the last day it was tried on enough trials, it cut
	// enough of them to pay for itself.
	ceilOn, ceilWorth  bool
	ceilTried, ceilCut int

	touchEnd   int     // where touchAhead stops: hi, or 0 in a small world
	touched    int64   // what touchAhead loaded, which nothing reads
	prefetched int64   // users prefetchDue and prefetchVisit asked lines for, which tests read
	prefetch   bool    // whether the users loops prefetch due users' lines (prefetchMinUsers)
	visit      []int32 // a block's users with a trial, a payment or an envelope due today (usersPaying), and room past them
	sends      []uint8 // their pairs that send envelopes today (usersPaying)
	gaps       *stream // the gaps between those pairs (usersPaying)

	out        [][]message // sent in the user phase, delivered today, by destination
	later      [][]message // sent while delivering, delivered tomorrow
	due        [][]message // yesterday's later
	delivering bool

	events []netEvent
	// fan holds the day's changes to friends' counts that this partition's
	// events make, by the partition owning the friend (fanOut).
	fan [][]uint32
	c   counters

	// useHist[p][d+ActiveDays] counts users whose last use of p was day d,
	// so monthly actives are a sum over the window, not a scan of users.
	useHist    [][]int32
	activeDays int // Scenario.Retention.ActiveDays, which markUseHabit reads on every payment
	// useStart[p] is useHist[p]'s count of today at the day's start: 0
	// after day 0, whose count begins with the installed base's users
	// last active on day 0. Today's count less it is the day's active
	// users, which record reads (a payment no longer counts them).
	useStart [MaxPlatforms]int32

	// Users with no wallet, whose payments cashDay draws at once: their
	// number, and per merchant kind their summed daily payment rate there
	// and that rate times their cash ticket (fen).
	noWallet                  int
	noWalletRate, noWalletFen []float64

	// The same sums for the wallet holders' payments at their cash-only
	// merchants (cashOnlyDay), in a world that draws paying days ahead;
	// and 1 while usersPaying pays, whose payments are at wallet
	// merchants only, 0 otherwise: payments add it to their count when
	// they pick a cash-only merchant, which is then drawn again where
	// it is 1 (the even pick among the others) and paid in cash where 0.
	cashOnlyRate, cashOnlyFen []float64
	redraw                    int

	acceptView []uint8 // World.accept as the day's changes of wallets make it, one after another (refreshFlips)

	walletTotal int64  // sum of this partition's wallet balances, kept by every change
	envGap      int    // pairs of a user and an envelope platform to pass before the next that sends (sendEnvelopes)
	flowGap     [2]int // the same for transfers and fund purchases (flows.go)

	// The day's payments of the user being paid for (payments): its till,
	// whether the till's cashback caps were touched (then the next user's
	// payments clear them), and on a weighted day (pay) the weights of its
	// usual merchants (nil when picked evenly) and their sum.
	tl          till
	tlCashback  bool
	weight      []float64
	weightTotal float64
	weightBuf   [16]float64

	replies      []int32 // slots (u*K+p) that answer an envelope in the day's next round (replyRounds)
	spareReplies []int32 // the other round's list, reused
	split        []int64 // scratch for envelopes
	picked       []int32
	_            [64]byte // keep the next object off these cache lines
}

func newPartition(w *World, id, lo, hi int) *partition {
	pt := &partition{w: w, id: id, lo: lo, hi: hi, ceilWorth: true,
		rng: newStream(w.Scenario.World.Seed, streamPartition, uint64(id)),
	}
	if w.N >= touchMinUsers {
		pt.touchEnd = hi
	}
	pt.prefetch = canPrefetch && w.N >= prefetchMinUsers
	if w.payAhead {
		pt.visit = make([]int32, visitBlock+visitAhead)
		pt.sends = make([]uint8, len(pt.visit))
		pt.gaps = newStream(w.Scenario.World.Seed, streamGaps, uint64(id))
		pt.cashOnlyRate, pt.cashOnlyFen = padded[float64](len(w.kinds)), padded[float64](len(w.kinds))
	}
	pt.c = newCounters(w.K, len(w.kinds))
	pt.noWalletRate, pt.noWalletFen = padded[float64](len(w.kinds)), padded[float64](len(w.kinds))
	pt.useHist, pt.activeDays = make([][]int32, w.K), w.Scenario.Retention.ActiveDays
	for p := range pt.useHist {
		pt.useHist[p] = make([]int32, w.Scenario.World.Days+w.Scenario.Retention.ActiveDays+1)
	}
	return pt
}

// initBuffers sizes the message buffers once every partition exists.
func (pt *partition) initBuffers(P int) {
	pt.out = make([][]message, P)
	pt.later = make([][]message, P)
	pt.due = make([][]message, P)
	pt.fan = make([][]uint32, P)
}

// send routes a message to the partition owning its recipient: for today
// when sent during the user phase, for tomorrow when sent while delivering
// (a refund of an envelope that was not claimed, a referral bonus of a user
// who registered to claim).
func (pt *partition) send(m message) {
	dst := pt.w.partOf(m.to())
	if pt.delivering {
		pt.later[dst] = append(pt.later[dst], m)
	} else {
		pt.out[dst] = append(pt.out[dst], m)
	}
}

// beginDay restarts the partition's daily state: yesterday's late messages
// become today's due ones.
func (pt *partition) beginDay() {
	pt.due, pt.later = pt.later, pt.due
	for i := range pt.later {
		pt.later[i] = pt.later[i][:0]
	}
	for i := range pt.out {
		pt.out[i] = pt.out[i][:0]
	}
	pt.events = pt.events[:0]
	pt.c.resetDaily()
	pt.delivering = false
}

// fanOut turns the day's on and off events of the partition's users
// into changes of their friends' counts (trialRec.friendsOn): one entry per
// friend over a tie the platform carries, the link's index shifted left
// with the low bit set for a decrement, bucketed by the partition owning
// the friend. Owners apply them in parallel (applyFriends), each to its
// own users, whose counts then fit in cache; counts are sums, so the
// order does not matter. In a large world each event's ties are asked for
// a few events ahead (prefetchFriends): an event's user is anywhere in the
// graph's 100 MB, and its ties were the phase's wait (pprof of the filing
// day's default at a million users: fanOut 0.75 s of 13.3 s of steps).
func (pt *partition) fanOut() {
	for i := range pt.fan {
		pt.fan[i] = pt.fan[i][:0]
	}
	w := pt.w
	if w.mixing {
		return
	}
	g, K := w.graph, w.K
	// With one partition, this one owns every friend and nothing reads
	// the counts before applyFriends would: change them at once, without
	// the buckets (a small world's case, where this was 1.6% of a run).
	single := len(w.parts) == 1
	evs := pt.events
	for k, ev := range evs {
		if pt.prefetch && k+2*fanAhead < len(evs) {
			prefetchFriends(g, evs[k+fanAhead].u, evs[k+2*fanAhead].u)
		}
		if ev.kind != evOn && ev.kind != evOff {
			continue
		}
		off, delta := uint32(0), uint16(1)
		if ev.kind == evOff {
			off, delta = 1, 0xffff // −1 in the counts' arithmetic
		}
		bit := uint8(1) << ev.p
		for j := g.Off[ev.u]; j < g.Off[ev.u+1]; j++ {
			if g.Tie[j]&bit == 0 {
				continue
			}
			f := g.Adj[j]
			if single {
				w.tr[int(f)*K+int(ev.p)].friendsOn += delta
				continue
			}
			dst := w.partOf(f)
			pt.fan[dst] = append(pt.fan[dst], uint32(int(f)*K+int(ev.p))<<1|off)
		}
	}
}

// fanAhead is how many events ahead fanOut asks for an event's user's
// ties (and twice as many ahead, for where they start).
const fanAhead = 4

// prefetchFriends asks for the lines of u's ties (its first 32 ends: most
// users have fewer) and for where v's start, so that fanOut, reaching u
// fanAhead events later, finds them in cache. The addresses are worked
// out without the slices' bounds checks, as a prefetch never faults.
func prefetchFriends(g *Graph, u, v int32) {
	o := uintptr(g.Off[u])
	tie := uintptr(unsafe.Pointer(unsafe.SliceData(g.Tie))) + o
	adj := uintptr(unsafe.Pointer(unsafe.SliceData(g.Adj))) + 4*o
	prefetch6(tie, adj, adj+64, uintptr(unsafe.Pointer(&g.Off[v])), uintptr(unsafe.Pointer(&g.Off[v+1])), tie+31)
}

// applyFriends applies every partition's fanOut addressed to this one.
func (pt *partition) applyFriends() {
	w := pt.w
	for _, src := range w.parts {
		for _, x := range src.fan[pt.id] {
			if x&1 == 0 {
				w.tr[x>>1].friendsOn++
			} else {
				w.tr[x>>1].friendsOn--
			}
		}
	}
}

// worker holds a goroutine's additive tallies of merchants' takings. Sums
// commute, so which partitions a worker handled does not matter.
type worker struct {
	// Per merchant and platform, index m*K+p: the value paid through the
	// wallet today, and the payments that earn a merchant bonus. A payment
	// adds one number to one array that fits in a core's cache (8 bytes a
	// merchant and platform); fees are billed on the day's total (settle).
	value []int64
	bonus []int32

	// takings are the plain payments' additions to value not yet made
	// (paymentsPlain, addTakings).
	takings []taking
}

// taking is a payment's addition to a worker's takings: t fen at index i
// (m*K+p) of worker.value.
type taking struct {
	i int
	t int64
}

// addTakings adds the plain payments' takings listed since the last call
// to value. A payment's merchant is a random one of some twenty thousand,
// and added at once each waited on its line (pprof of the core world:
// 0.44 s of 5.65 s of the steps' CPU on the instruction after the add);
// here, a tight loop, the processor has many lines on their way at once.
// Integer sums commute, so the totals are the same.
func (wk *worker) addTakings() {
	v := wk.value
	for _, e := range wk.takings {
		v[e.i] += e.t
	}
	wk.takings = wk.takings[:0]
}

func newWorker(w *World) *worker {
	return &worker{value: make([]int64, w.M*w.K), bonus: make([]int32, w.M*w.K)}
}

func (wk *worker) reset() {
	clear(wk.value)
	clear(wk.bonus)
}

// parallel runs f on every partition, spread over the world's workers. A
// worker takes the next partition from a shared counter, so a slow
// partition does not hold the others up; results do not depend on the
// assignment.
func (w *World) parallel(f func(pt *partition, wk *worker)) { w.pool(w.parts, nil, f) }

// parallelBeside is parallel with serial (when not nil) run once beside
// the partitions: it is the first task a worker takes, so one worker runs
// it while the others share the partitions, and a phase that would wait
// for it after the partitions takes the longer of the two rather than
// their sum. serial must neither read nor write what f touches; on one
// core it runs after f's partitions.
//
// The calling goroutine is the first worker: a phase starts len(workers)
// − 1 goroutines, not one for each worker while the caller sleeps.
func (w *World) parallelBeside(serial func(w *World), f func(pt *partition, wk *worker)) {
	w.pool(w.parts, serial, f)
}

// pool runs f on each of parts, and serial beside them (parallelBeside).
func (w *World) pool(parts []*partition, serial func(w *World), f func(pt *partition, wk *worker)) {
	if len(w.workers) == 1 || runtime.GOMAXPROCS(0) == 1 {
		for _, pt := range parts {
			f(pt, w.workers[0])
		}
		if serial != nil {
			serial(w)
		}
		return
	}
	var next atomic.Int64
	first := int64(0) // task 0 is serial, partition i task i+1
	if serial == nil {
		first = 1
	}
	next.Store(first)
	run := func(wk *worker) {
		for {
			i := int(next.Add(1) - 2)
			if i >= len(parts) {
				return
			}
			if i < 0 {
				serial(w)
				continue
			}
			f(parts[i], wk)
		}
	}
	var wg sync.WaitGroup
	for _, wk := range w.workers[1:] {
		wg.Add(1)
		go func(wk *worker) {
			defer wg.Done()
			run(wk)
		}(wk)
	}
	run(w.workers[0])
	wg.Wait()
}
