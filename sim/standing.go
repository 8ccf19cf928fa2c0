package sim

// A user's standing with a platform is one byte of World.st: the Stage in
// its low two bits and flags beside it, so that the daily walk over every
// user reads one byte per platform. Rule bodies go through the names
// below and never through the bits.

// Flags kept beside the stage in the same byte of World.st.
const (
	stageMask     = 0x03
	flagDormant   = 1 << 2 // drifted away: no influence, no adoption, until used again
	flagFirstPaid = 1 << 3 // the first-payment bonus is spent
	flagViaClaim  = 1 << 4 // registered to claim an envelope
	flagDistrust  = 1 << 5 // a payment failed once: the trust deficit is to be read
	flagBalance   = 1 << 6 // the wallet holds money: World.balFen is to be read (World.balanceAt)
)

// standing is a user's stage and flags with one platform (World.st).
type standing uint8

// stage is how far down the funnel the user is.
func (s standing) stage() Stage { return Stage(s & stageMask) }

// dormant reports whether the user has drifted away (driftToDormancy).
func (s standing) dormant() bool { return s&flagDormant != 0 }

// firstPaid reports whether the first payment (and its bonus) is behind
// the user (World.firstPaid).
func (s standing) firstPaid() bool { return s&flagFirstPaid != 0 }

// distrusts reports whether a payment ever failed (World.distrusts).
func (s standing) distrusts() bool { return s&flagDistrust != 0 }

// hasBalance reports whether the wallet holds money (World.balanceAt).
func (s standing) hasBalance() bool { return s&flagBalance != 0 }

// counts reports whether the user is one of the friends on the platform
// its friends see: registered or card-bound, and not dormant.
func (s standing) counts() bool { return s.stage() >= Registered && !s.dormant() }

// slot is the index of user u and platform p in the user × platform
// arrays of World (st, habit, bal, next, ...).
func (w *World) slot(u, p int) int { return u*w.K + p }

// stage is the funnel stage at slot i.
func (w *World) stage(i int) Stage { return w.st[i].stage() }

// setStage moves slot i to stage s, keeping its flags.
func (w *World) setStage(i int, s Stage) { w.st[i] = w.st[i]&^stageMask | standing(s) }

// dormant reports whether slot i has drifted to dormancy.
func (w *World) dormant(i int) bool { return w.st[i].dormant() }

// setDormant puts slot i to sleep (true) or wakes it (false).
func (w *World) setDormant(i int, on bool) {
	if on {
		w.st[i] |= flagDormant
	} else {
		w.st[i] &^= flagDormant
	}
}

// firstPaid reports whether slot i's first payment (and its bonus) is
// behind it.
func (w *World) firstPaid(i int) bool { return w.st[i].firstPaid() }

// setFirstPaid records slot i's first payment.
func (w *World) setFirstPaid(i int) {
	if s := w.st[i]; s&flagFirstPaid == 0 {
		w.st[i] = s | flagFirstPaid
	}
}

// balanceAt is slot i's balance, fen, given its standing s: 0, without
// reading World.balFen, when s says the wallet is empty. Most payers hold
// nothing in the wallet, and a payment, a choice and a dormancy trial all
// weigh the balance: its line was a fetch from memory a payer, for a 0.
// The flag is true to balFen because every change of a balance goes
// through addBalance (TestBalanceFlagTrue checks it over a run).
func (w *World) balanceAt(i int, s standing) int64 {
	if !s.hasBalance() {
		return 0
	}
	return w.balFen[i]
}

// balance is slot i's balance, fen, through its flag (balanceAt).
func (w *World) balance(i int) int64 { return w.balanceAt(i, w.st[i]) }

// addBalance moves slot i's balance by v fen (v < 0 takes) and keeps
// flagBalance true to it. v = 0 writes nothing: a store of the same value
// still dirties the line, which memory must then take back.
func (w *World) addBalance(i int, v int64) {
	if v == 0 {
		return
	}
	b := w.balFen[i] + v
	w.balFen[i] = b
	if b != 0 {
		w.st[i] |= flagBalance
	} else {
		w.st[i] &^= flagBalance
	}
}

// viaClaim reports whether slot i registered to claim an envelope.
func (w *World) viaClaim(i int) bool { return w.st[i]&flagViaClaim != 0 }

// setViaClaim records that slot i registered to claim an envelope.
func (w *World) setViaClaim(i int) { w.st[i] |= flagViaClaim }

// distrusts reports whether a payment of slot i ever failed; until one
// does, its trust deficit is 0 and need not be read (World.deficitAt).
func (w *World) distrusts(i int) bool { return w.st[i].distrusts() }

// setDistrust records slot i's failed payment.
func (w *World) setDistrust(i int) { w.st[i] |= flagDistrust }

// otherWallets is u's card-bound wallets but p.
func (w *World) otherWallets(u, p int) uint8 { return w.bmask[u] &^ (1 << p) }

// Candidate days. A trial that succeeds with probability at most q a day
// is looked at only on the days its bound comes up (trialRec.next for
// awareness and adoption, trialRec.dnext for dormancy), drawn ahead as
// geometric gaps; see adopt. The helpers below draw the next one.

// trialDue reports whether slot i's awareness or adoption trial comes up
// on day d.
func (w *World) trialDue(i, d int) bool { return int(w.tr[i].next) <= d }

// rescheduleAwareness draws slot i's next awareness candidate day, from
// day from on, at platform pl's bound.
func (pt *partition) rescheduleAwareness(i, from int, pl *platform) {
	pt.w.tr[i].next = pt.rng.nextTrial(from, pl.awareLog)
}

// rescheduleAdoption draws slot i's next adoption candidate day, from day
// from on (World.trialDue says whether it is day from itself). It returns
// nothing, so that it inlines: it runs after most adoption trials.
func (pt *partition) rescheduleAdoption(i, from int) {
	pt.w.tr[i].next = pt.rng.nextTrial(from, pt.w.adoptLog)
}

// rescheduleDormancy draws slot i's next dormancy candidate day, from day
// from on.
func (pt *partition) rescheduleDormancy(i, from int) {
	pt.w.tr[i].dnext = pt.rng.nextTrial(from, pt.w.dormLog)
}
