package sim

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// Phase names a part of the daily step, for timing.
type Phase int

// The phases of Step, in order.
const (
	PhasePlan      Phase = iota // calendar, policies, plans, sponsored envelopes, budgets
	PhaseUsers                  // every user's day, in parallel
	PhaseDeliver                // envelopes and messages delivered, in parallel
	PhaseSettle                 // money settled, friends and merchants told, referrals
	PhaseMerchants              // merchants' reviews
	PhaseRecord                 // metrics
	PhaseLedger                 // the ledger check
	numPhases
)

// PhaseNames are the names of the phases, for reports.
var PhaseNames = [numPhases]string{"plan", "users", "deliver", "settle", "merchants", "record", "ledger"}

// PhaseTimes returns the wall time spent in each phase of Step so far:
// zero unless TimePhases asked for it.
func (w *World) PhaseTimes() [numPhases]time.Duration { return w.phases }

// TimePhases makes Step time each of its phases (PhaseTimes), as hongbao
// bench reports them. Without it Step reads the clock twice a day, for
// Result's Elapsed, not eight times: the six reads between phases cost
// a NetLogo-scale run about 1% of its CPU (pprof of BenchmarkNetLogoScale:
// time.Now under Step's laps), for figures only bench prints.
func (w *World) TimePhases(on bool) { w.timed = on }

// ErrDone is returned by Step once the horizon is reached.
var ErrDone = errors.New("sim: the run is over (horizon reached)")

// Step simulates one day. It reads as docs/brief.md's list of mechanisms, one
// phase after another (Phase):
//
//   - plan (docs/brief.md step 1, beginDay): the calendar's events and seasonal
//     multipliers; platforms' policies decide what they add to their
//     schedules from what they saw yesterday (step 8, taken in the
//     morning: decide); platforms set the day's offers, sponsored
//     envelopes, invitations and budgets.
//   - users (steps 2 to 6, partition.live, every partition in parallel):
//     awareness, adoption, payments, envelopes sent, retention.
//   - deliver (step 5, partition.deliver, in parallel): envelopes, credits,
//     refunds and invitations delivered and claimed, and the cascade of
//     replies (replyRounds).
//   - settle: friends learn who joined or left (partition.fanOut,
//     applyFriends, in parallel); beside the fan-out, money is settled
//     (fees, merchant bonuses, treasuries), then merchants learn who bound
//     a card and referrals are paid (applyNetworkEvents).
//   - merchants (step 7, reviewMerchants): merchants revisit the wallets
//     they accept, after the settling and beside the fan-out
//     (settleAndReview). Phases run beside settle's are timed on their
//     own, and their time is not counted in settle's. In a world that
//     draws paying days ahead, the changes are refreshed at their
//     customers later, beside the recording (refreshFlips), and that
//     time counts in settle's.
//   - record: the day's metrics are recorded, beside applyFriends and
//     refreshFlips (recordAndCheck).
//   - ledger (checkLedger): money is conserved, after the recording.
func (w *World) Step() error {
	if w.Done() {
		return ErrDone
	}
	t0 := time.Now()
	d := w.day
	timed := w.timed
	lap := func(ph Phase) { // phases are timed for hongbao bench (TimePhases); a clock read costs ~50 ns
		if !timed {
			return
		}
		now := time.Now()
		w.phases[ph] += now.Sub(t0)
		t0 = now
	}
	start := t0
	w.beginDay(d)
	lap(PhasePlan)
	// The phases read the day from the world (w.day is d until the step
	// ends), so their functions capture nothing and cost no allocation.
	w.parallel(func(pt *partition, wk *worker) { pt.live(pt.w.day, wk) })
	lap(PhaseUsers)
	reply := w.Scenario.Envelopes.Reply > 0
	if reply && w.repliedOn == nil { // claims queue replies (claimEnvelope)
		w.repliedOn = make([]int16, w.N*w.K)
	}
	w.parallel(func(pt *partition, _ *worker) { pt.deliver(pt.w.day) })
	if reply {
		w.replyRounds() // replies cascade after the day's deliveries
	}
	lap(PhaseDeliver)
	// Settling, the network events and the merchants' reviews are serial
	// and touch nothing of the friends' counts: one worker runs them
	// while the others fan the day's events out (parallelBeside).
	w.parallelBeside(func(w *World) { w.settleAndReview(w.day) }, func(pt *partition, _ *worker) { pt.fanOut() })
	// The day's metrics and the ledger check read nothing of them either:
	// one worker takes them while the others apply the counts.
	// Nor do they read what the merchants' changes of wallets refresh at
	// their customers, which the first partition of each run of them
	// does for the run (refreshFlips).
	runs := len(w.workers) // refreshFlips: a run of partitions a worker
	w.parallelBeside(func(w *World) { w.recordAndCheck(w.day) }, func(pt *partition, _ *worker) {
		pt.applyFriends()
		if end, first := runFrom(pt.id, len(pt.w.parts), runs); first {
			pt.w.refreshFlips(pt.id, end)
		}
	})
	w.flips = w.flips[:0]
	lap(PhaseSettle)
	for ph, t := range w.beside { // the serial phases' own times, out of settle's
		w.phases[PhaseSettle] -= t
		w.phases[ph] += t
	}
	w.beside = [numPhases]time.Duration{}
	if err := w.ledgerErr; err != nil {
		w.ledgerErr = nil
		return err
	}
	t0 = start
	w.day++
	w.elapsed += time.Since(t0)
	return nil
}

// settleAndReview is the serial part of the settle and merchants phases:
// the day's money is settled, merchants learn who bound a card, referrals
// are paid (applyNetworkEvents), and merchants review their wallets. It
// runs beside fanOut (Step), so when phases are timed the reviews are
// timed here, and counted as the merchants' phase rather than settle's.
func (w *World) settleAndReview(d int) {
	w.settle(d)
	w.applyNetworkEvents()
	if !w.timed {
		w.reviewMerchants(d)
		return
	}
	t := time.Now()
	w.reviewMerchants(d)
	w.beside[PhaseMerchants] += time.Since(t)
}

// recordAndCheck records the day's metrics and checks the ledger
// (World.ledgerErr), beside applyFriends (Step), timing each when phases
// are timed, as settleAndReview does.
func (w *World) recordAndCheck(d int) {
	if !w.timed {
		w.record(d)
		w.ledgerErr = w.checkLedger(d)
		return
	}
	t := time.Now()
	w.record(d)
	t1 := time.Now()
	w.ledgerErr = w.checkLedger(d)
	w.beside[PhaseRecord] += t1.Sub(t)
	w.beside[PhaseLedger] += time.Since(t1)
}

// beginDay is step 1 and the platforms' morning: events, each platform's
// plan for the day, failure odds, sponsored envelopes, invitations and the
// budget each partition may spend.
func (w *World) beginDay(d int) {
	for _, pt := range w.parts {
		pt.beginDay()
		for p, h := range pt.useHist {
			pt.useStart[p] = h[d+pt.activeDays]
		}
	}
	for _, wk := range w.workers {
		wk.reset()
	}
	for i := range w.central {
		w.central[i] = w.central[i][:0]
	}
	// Unclaimed sponsored money from yesterday goes back to who paid it.
	for p, pl := range w.plat {
		pl.treasuryFen += w.sponsorDueFen[p]
		w.outsideFen += w.brandDueFen[p]
		w.escrowFen[p] -= w.sponsorDueFen[p] + w.brandDueFen[p]
		w.sponsorDueFen[p], w.brandDueFen[p] = 0, 0
	}
	prevDemand := w.demandMultiplier()
	w.cal.dayFactors(d, len(w.kinds), w.K, &w.season)
	demand := w.demandMultiplier()
	w.envelopeExpNeg = math.Exp(-w.Scenario.Envelopes.PerDay * w.season.envelopes)
	w.launchDay(d)
	w.induced = false
	w.decide(d)
	for p, pl := range w.plat {
		w.planPlatformDay(p, pl, d, demand/prevDemand)
	}
	w.setPayWeights()
	for p, pl := range w.plat {
		w.sendSponsoredEnvelopes(p, pl)
		w.sendInvitations(p, pl)
	}
	for p, pl := range w.plat {
		avail := pl.spendable()
		if b := pl.plan.DailyBudgetFen; b > 0 {
			avail = min(avail, b)
		}
		pl.budgetLeftFen = avail // merchant bonuses at settlement draw on what partitions leave
		share, rest := avail/int64(len(w.parts)), avail%int64(len(w.parts))
		for i, pt := range w.parts {
			pt.allowance[p] = share
			if int64(i) < rest {
				pt.allowance[p]++
			}
			pt.allowed[p] = pt.allowance[p]
		}
	}
}

// demandMultiplier is the season's pull on payments, averaged over merchant
// kinds by how often users shop there; capacity planning compares days by it.
func (w *World) demandMultiplier() float64 {
	if len(w.season.kindMul) == 0 {
		return 1
	}
	tot, wsum := 0.0, 0.0
	for k, ki := range w.kinds {
		tot += ki.weight * w.season.kindMul[k]
		wsum += ki.weight
	}
	if wsum == 0 {
		return w.season.spending
	}
	return w.season.spending * tot / wsum
}

// platformIndex returns the index of a platform by name, or −1.
func (w *World) platformIndex(name string) int {
	for p, pl := range w.plat {
		if pl.cfg.Name == name {
			return p
		}
	}
	return -1
}

// decide is docs/brief.md step 8, taken on the morning of day d for the day:
// each platform's policy, in platform order, decides what it adds to its
// schedule from what it could know of day d−1 (its own books, the public
// shares, its rivals' advertised offers; on day 0, nothing yet).
func (w *World) decide(d int) {
	for q, pl := range w.plat {
		v := &w.views[q]
		v.HeadlinesFen = pl.headlines
		v.ShareValue = 0
		if len(w.history) > 0 {
			v.ShareValue = w.history[len(w.history)-1].Platforms[q].ShareValue
		}
	}
	for p, pl := range w.plat {
		for q, rival := range w.plat { // a rival that decided this morning advertises its new arm
			w.views[q].Arm, w.views[q].Arms = agents.AdvertisedArm(rival.policy)
		}
		pl.plan = pl.schedule.Day(d) // planPlatformDay applies the decision to it
		pl.decision = pl.policy.Decide(agents.Observation{
			Day:                  d - 1,
			ShareValue:           w.views[p].ShareValue,
			ScheduledHeadlineFen: pl.plan.Headline(),
			ValueFen:             pl.valueFen,
			Platforms:            w.views,
		})
	}
}

// fixedCashback is the amount o pays on every payment, capped by the
// ticket, when it is that simple: a fixed amount (no range, no percent of
// the ticket) under no daily count or cap. Then o.ExpectedCashback(t) and
// o.Cashback(t, ·) are min(amount, t) for every ticket t ≥ 1 and a user's
// earlier payments of the day do not change it, so walletUtility weighs
// it without reading o. Otherwise it is −1.
func fixedCashback(o *agents.Offer) int64 {
	if o.CashbackFen < 0 || o.CashbackMaxFen > o.CashbackFen || o.CashbackPct != 0 || o.DailyCount != 0 || o.DailyCapFen != 0 {
		return -1
	}
	if o.CashbackCapFen > 0 {
		return min(o.CashbackFen, o.CashbackCapFen)
	}
	return o.CashbackFen
}

// spendable is what the platform may spend today above its treasury floor.
func (pl *platform) spendable() int64 { return agents.Spendable(pl.treasuryFen, pl.decision.FloorFen) }

// planPlatformDay sets a platform's offers for day d from its campaign
// schedule and its policy's decision, the subsidy a typical payment would
// earn (what adopters weigh), and the share of its payments that will
// fail: over capacity (demand forecast from yesterday's attempts and the
// season) and in outages (random, or an outage event).
func (w *World) planPlatformDay(p int, pl *platform, d int, demandRatio float64) {
	pl.plan.Apply(pl.decision) // to the schedule's plan for the day (decide)
	pl.offering = pl.plan.FirstPaymentPct > 0
	pl.dailyCaps = false
	if n := len(pl.plan.Kinds); cap(pl.fixedCashback) < n {
		pl.fixedCashback = make([]int64, n)
	} else {
		pl.fixedCashback = pl.fixedCashback[:n]
	}
	for k := range pl.plan.Kinds {
		o := &pl.plan.Kinds[k]
		pl.offering = pl.offering || o.PaysCashback() || o.MerchantBonusFen > 0
		pl.dailyCaps = pl.dailyCaps || o.DailyCount > 0 || o.DailyCapFen > 0
		pl.fixedCashback[k] = fixedCashback(o)
	}
	pl.headlines = append(pl.headlines, pl.plan.Headline())
	pl.feeRate = pl.decision.FeeRate(pl.cfg.FeeRate)
	pl.services = min(1, pl.baseServices+pl.plan.Services)
	pl.adoptW = w.adoptW
	if pl.cfg.InFlow {
		pl.adoptW.Intercept += w.Scenario.Adoption.InFlow
	}
	// What a typical payment earns, weighted by where users shop, and as a
	// share of the ticket per kind (induced demand).
	typ, wsum := 0.0, 0.0
	meanTicket := w.Scenario.Users.Ticket.Mean
	pl.kindShare = resize(pl.kindShare, len(w.kinds), 0)
	pl.conv = resize(pl.conv, len(w.kinds), 0)
	if len(pl.refYuan) != len(w.kinds) {
		pl.refYuan = make([]float64, len(w.kinds))
	}
	for k, ki := range w.kinds {
		t := scenarios.YuanToFen(meanTicket * ki.cfg.TicketFactor)
		cb := pl.plan.Kinds[k].ExpectedCashback(t)
		w.feelCut(pl, k, cb)
		typ += ki.weight * scenarios.FenToYuan(cb)
		wsum += ki.weight
		if t > 0 && pl.spendable() > 0 {
			pl.kindShare[k] = agents.InducedShare(float64(cb)/float64(t), w.Scenario.Users.SubsidySaturation)
			if cb > 0 && w.Scenario.Users.SubsidyElasticity > 0 {
				w.induced = true
			}
		}
	}
	if wsum > 0 {
		typ /= wsum
	}
	pl.typicalYuan = typ
	pl.firstTypicalYuan = scenarios.FenToYuan(pl.firstPayment(scenarios.YuanToFen(meanTicket)))
	if pl.spendable() == 0 { // nothing left to pay with: nothing on offer
		pl.typicalYuan, pl.firstTypicalYuan = 0, 0
	}

	fail := 0.0
	if c := pl.cfg.Capacity; c > 0 {
		capacity := c * float64(w.N) / 1000
		forecast := float64(pl.attempts) * demandRatio
		if pl.attempts == 0 { // no history yet: card-bound users at their mean rate
			forecast = float64(w.bound(p)) * w.Scenario.Users.PaymentsPerDay.Mean * w.season.spending
		}
		fail = agents.CapacityFailure(capacity, forecast)
	}
	pl.outage = pl.rng.float() < pl.cfg.OutageRate
	if pl.outage {
		fail = agents.CombineFailures(fail, pl.cfg.OutageSeverity)
	}
	if o := w.season.outage[p]; o > 0 {
		pl.outage = true
		fail = agents.CombineFailures(fail, o)
	}
	pl.failProb = fail
	bit := uint8(1) << p
	w.offerBits, w.failBits = w.offerBits&^bit, w.failBits&^bit
	if pl.offering {
		w.offerBits |= bit
	}
	if fail > 0 {
		w.failBits |= bit
	}
}

// feelCut sets the wallet's convenience at merchant kind k for today
// (platform.conv, which walletUtility reads on every payment): the
// platform's and the kind's, less choice.subsidy times the loss a cut in
// cashback is felt as (agents.ReferenceLoss), against the reference the
// days before left; then the reference follows today's offer
// (agents.FollowReference). The offer is the cashback at the kind's mean
// ticket (cbFen, which planPlatformDay works out for the kind's induced
// demand too), nothing once the platform has nothing left to pay with;
// the loss is the same for every user (the average price sensitivity,
// 1), because the offer is public and the cut is the platform's.
func (w *World) feelCut(pl *platform, k int, cbFen int64) {
	c := &w.Scenario.Choice
	pl.conv[k] = pl.cfg.Convenience + w.kindConv[k]
	if c.Loss <= 0 {
		return
	}
	cur := 0.0
	if pl.spendable() > 0 {
		cur = scenarios.FenToYuan(cbFen)
	}
	if loss := agents.ReferenceLoss(c.Loss, pl.refYuan[k], cur); loss > 0 {
		pl.conv[k] -= c.Subsidy * loss
	}
	pl.refYuan[k] = agents.FollowReference(pl.refYuan[k], cur, c.ReferenceDays)
}

// firstPayment is today's "1 cent to cash" return on a first payment of t
// fen (agents.FirstPaymentReturn).
func (pl *platform) firstPayment(t int64) int64 {
	return agents.FirstPaymentReturn(pl.plan.FirstPaymentPct, pl.plan.FirstPaymentMaxFen, t)
}

// bound is the number of card-bound users of p.
func (w *World) bound(p int) int64 {
	n := int64(0)
	for _, pt := range w.parts {
		n += pt.c.level[p].bound
	}
	return n
}

// sendSponsoredEnvelopes hands out the day's sponsored budget (the 2015 Gala
// "shake"): envelopes of uniform size between 0.01 and twice the mean, to
// users picked by the campaign's rule, paid by the treasury (never below
// its floor) or by brands.
func (w *World) sendSponsoredEnvelopes(p int, pl *platform) {
	budget := pl.plan.SponsoredFen
	if budget <= 0 || pl.plan.SponsoredSizeFen <= 0 {
		return
	}
	kind := uint8(msgBrand)
	if !pl.plan.SponsoredByBrand {
		kind = msgSponsored
		budget = min(budget, pl.spendable())
	}
	var need Stage
	switch pl.plan.SponsoredPick {
	case agents.PickAware:
		need = Aware
	case agents.PickRegistered:
		need = Registered
	}
	r := pl.rng
	sent := int64(0)
	count := int64(0)
	for budget-sent >= 1 {
		size := min(budget-sent, 1+int64(r.float()*float64(2*pl.plan.SponsoredSizeFen-1)))
		to := int32(r.intn(w.N))
		for try := 0; try < 32 && w.stage(int(to)*w.K+p) < need; try++ {
			to = int32(r.intn(w.N))
		}
		if w.stage(int(to)*w.K+p) < need {
			break // nobody left to pick
		}
		dst := w.partOf(to)
		w.central[dst] = append(w.central[dst], newMessage(to, -1, int32(size), uint8(p), kind))
		sent += size
		count++
	}
	if kind == msgBrand {
		w.outsideFen -= sent
	} else {
		pl.treasuryFen -= sent
		pl.cumSubsidyFen += sent
	}
	w.escrowFen[p] += sent
	pl.sponsoredToday, pl.sponsoredFenToday = count, sent
	pl.sponsoredByTreasury = kind == msgSponsored
}

// sendInvitations delivers a staff push (Laiwang 2013): a Poisson number of
// direct invitations to random users.
func (w *World) sendInvitations(p int, pl *platform) {
	if pl.plan.InvitesPerDay <= 0 {
		return
	}
	n := pl.rng.poisson(pl.plan.InvitesPerDay * float64(w.N) / 1000)
	for range n {
		to := int32(pl.rng.intn(w.N))
		dst := w.partOf(to)
		w.central[dst] = append(w.central[dst], newMessage(to, -1, 0, uint8(p), msgInvite))
	}
}

// applyNetworkEvents counts who joined or left today, tells merchants who
// bound a card and pays referrals, in partition order (friends' counts
// have moved already, in applyFriends).
func (w *World) applyNetworkEvents() {
	for _, pt := range w.parts {
		for _, ev := range pt.events {
			switch ev.kind {
			case evOn: // friends' counts moved in partition.applyFriends
				w.onCount[ev.p]++
			case evOff:
				w.onCount[ev.p]--
			case evBind:
				w.applyBind(ev.u, int(ev.p), +1)
			case evReferral:
				w.payReferral(ev.u, int(ev.p))
			}
		}
	}
}

// payReferral credits the referral bonus for u's registration on p to a
// random friend on p over a tie p carries (none under uniform mixing),
// from the treasury above its floor. It runs after the day, in partition
// order, because friends may live in other partitions.
func (w *World) payReferral(u int32, p int) {
	pl := w.plat[p]
	bonus := pl.plan.ReferralFen
	if w.mixing || bonus <= 0 || pl.spendable() < bonus {
		return
	}
	g := w.graph
	bit := uint8(1) << p
	n := 0
	ref := int32(-1)
	for j := g.Off[u]; j < g.Off[u+1]; j++ {
		f := g.Adj[j]
		s := w.st[int(f)*w.K+p]
		if g.Tie[j]&bit != 0 && s.counts() {
			n++
			if pl.rng.intn(n) == 0 { // reservoir sampling: a uniform pick in one pass
				ref = f
			}
		}
	}
	if ref < 0 {
		return
	}
	pl.treasuryFen -= bonus
	pl.referralTodayFen += bonus
	w.addBalance(int(ref)*w.K+p, bonus)
	w.parts[w.partOf(ref)].walletTotal += bonus
}

// settle moves the day's money between partitions' tallies and the
// platforms, merchants, escrow and outside accounts: merchants receive the
// day's takings through each wallet and pay its fee on them (fee_rate of
// the day's total, to the fen: wallets bill merchants daily), and merchant
// bonuses are paid (per merchant and day, within the treasury above its
// floor, in merchant order).
func (w *World) settle(d int) {
	K := w.K
	// The workers' tallies are sums, so the first worker's may hold them
	// all (they restart tomorrow): the loops below then read one array
	// instead of every worker's at every merchant and platform.
	value, bonus := w.workers[0].value, w.workers[0].bonus
	for _, wk := range w.workers[1:] {
		for j, v := range wk.value {
			value[j] += v
		}
		for j, b := range wk.bonus {
			bonus[j] += b
		}
	}
	bonuses := false
	for _, b := range bonus {
		if b > 0 {
			bonuses = true
			break
		}
	}
	// A platform at a time (the sums are of whole fen, so their order does
	// not matter), with its fee rate and the day's fees in registers.
	for p, pl := range w.plat {
		rate, fees := pl.feeRate, int64(0)
		for m, j := 0, p; m < w.M; m, j = m+1, j+K {
			val := value[j]
			if val <= 0 {
				continue
			}
			fee := scenarios.RoundFen(float64(val) * rate)
			w.mBalFen[m] += val - fee
			fees += fee
			w.mLastPay[j] = int16(d)
			w.mWeekValueFen[j] += val
		}
		pl.feesTodayFen = fees
	}
	for p, pl := range w.plat {
		pl.treasuryFen += pl.feesTodayFen
		for _, pt := range w.parts {
			pl.treasuryFen -= pt.c.day[p].spent
			w.escrowFen[p] += pt.c.day[p].escrowDelta
			w.sponsorDueFen[p] += pt.c.day[p].sponsorRefund
			w.brandDueFen[p] += pt.c.day[p].brandRefund
		}
		pl.bonusTodayFen = 0
		if pl.plan.DailyBudgetFen > 0 {
			for _, pt := range w.parts {
				pl.budgetLeftFen -= pt.c.day[p].spent
			}
		}
	}
	for _, pt := range w.parts {
		w.outsideFen += pt.c.outsideDelta
	}
	for m := 0; bonuses && m < w.M; m++ {
		kind := int(w.mKind[m])
		for p, pl := range w.plat {
			j := m*K + p
			if bonusN := bonus[j]; bonusN > 0 {
				o := &pl.plan.Kinds[kind]
				bonus := int64(bonusN) * o.MerchantBonusFen
				if o.MerchantDailyCapFen > 0 {
					bonus = min(bonus, o.MerchantDailyCapFen)
				}
				bonus = min(bonus, pl.spendable())
				if pl.plan.DailyBudgetFen > 0 {
					bonus = min(bonus, max(0, pl.budgetLeftFen))
					pl.budgetLeftFen -= bonus
				}
				pl.treasuryFen -= bonus
				w.mBalFen[m] += bonus
				pl.bonusTodayFen += bonus
			}
		}
	}
}

// reviewMerchants is docs/brief.md step 7: each merchant, every review_days,
// adopts a wallet whose card-bound customers would bring enough (agents.
// MerchantWantsWallet) and drops one that has brought nothing for
// drop_after days; city services follow the platforms' service breadth.
// Inertia (stickiness) makes a merchant skip a change at some reviews.
func (w *World) reviewMerchants(d int) {
	// Merchant m reviews on the days d with (d+m) % review_days = 0: a kind
	// at a time (kinds hold consecutive merchants, in order, so the
	// merchants' draws come in the same order), from the first of the
	// kind whose day it is, every review_days-th.
	for _, ki := range w.kinds {
		r := ki.cfg.ReviewDays
		for m := ki.first + (r-(d+ki.first)%r)%r; m < ki.first+ki.count; m += r {
			w.reviewMerchant(m, d, ki.cfg)
		}
	}
}

// reviewMerchant is merchant m's review on day d (reviewMerchants).
func (w *World) reviewMerchant(m, d int, cfg *scenarios.MerchantKind) {
	K := w.K
	for p, pl := range w.plat {
		j := m*K + p
		bit := uint8(1) << p
		has := w.accept[m]&bit != 0
		if w.kindWallets[w.mKind[m]]&bit == 0 {
			continue // a walled garden never accepts this wallet
		}
		if cfg.Service {
			if (pl.services >= cfg.ServiceLevel) != has {
				w.flipAccept(m, p)
			}
			continue
		}
		change := false
		if has {
			change = d-int(w.mSince[j]) >= cfg.DropAfter && agents.MerchantDropsWallet(d-int(w.mLastPay[j]), cfg.DropAfter)
		} else {
			weekly := agents.ExpectedWeeklyPayments(float64(w.boundCust[j]), w.Scenario.Users.PaymentsPerDay.Mean, w.nUsual, cfg.ExpectedShare)
			ticket := w.Scenario.Users.Ticket.Mean * cfg.TicketFactor
			change = agents.MerchantWantsWallet(agents.MerchantOutlook{
				WeeklyValueYuan: weekly * ticket,
				WeeklyPayments:  weekly,
				BonusYuan:       scenarios.FenToYuan(pl.plan.Kinds[w.mKind[m]].MerchantBonusFen),
				FeeRate:         pl.feeRate,
				BenefitRate:     cfg.BenefitRate,
				FixedCostYuan:   scenarios.FenToYuan(cfg.FixedCost.Fen()),
			})
		}
		if change && w.merchantRng.float() >= cfg.Stickiness {
			w.flipAccept(m, p)
			w.mSince[j] = int16(d)
			w.mLastPay[j] = int16(d)
		}
		w.mWeekValueFen[j] = 0
	}
}

// flipAccept makes merchant m accept p if it did not, or not if it did,
// and counts the change at each of its usual customers (World.accepting).
// A world that draws paying days ahead lists the change (World.flips)
// and counts it later, with its refresh of those customers' wallet
// merchants, in the partitions, in parallel (refreshFlips).
func (w *World) flipAccept(m, p int) {
	if w.payAhead {
		if len(w.flips) == 0 {
			w.acceptBefore = append(w.acceptBefore[:0], w.accept...)
		}
		w.accept[m] ^= 1 << p
		w.flips = append(w.flips, flip{int32(m), uint8(p)})
		return
	}
	w.accept[m] ^= 1 << p
	delta := uint8(1)
	if w.accept[m]&(1<<p) == 0 {
		delta = 0xFF // −1, wrapping
	}
	K := w.K
	for _, u := range w.cust[w.custOff[m]:w.custOff[m+1]] {
		w.accepting[int(u)*K+p] += delta
	}
}

// checkLedger verifies that money is conserved: every account sums to zero
// (the outside account holds the counterpart of all money that came in) and
// no account but the outside one is below zero. Wallets are summed from
// their partitions' running totals every day, and recounted one by one
// every 30 days and on the last day, so a bookkeeping slip cannot hide;
// the recount also checks each slot's flagBalance against its balance.
func (w *World) checkLedger(d int) error {
	if !w.Scenario.World.CheckLedger {
		return nil
	}
	total := w.outsideFen
	for p, pl := range w.plat {
		if pl.treasuryFen < 0 || w.escrowFen[p] < 0 {
			return fmt.Errorf("sim: day %d: money went negative: %s treasury %d fen, escrow %d fen", d, pl.cfg.Name, pl.treasuryFen, w.escrowFen[p])
		}
		total += pl.treasuryFen + w.escrowFen[p]
	}
	for m, b := range w.mBalFen {
		if b < 0 {
			return fmt.Errorf("sim: day %d: merchant %d balance is negative (%d fen)", d, m, b)
		}
		total += b
	}
	wallets := int64(0)
	for _, pt := range w.parts {
		wallets += pt.walletTotal
	}
	if d%30 == 29 || d == w.Scenario.World.Days-1 {
		recount := int64(0)
		for i, b := range w.balFen {
			if b < 0 {
				return fmt.Errorf("sim: day %d: wallet of user %d on %s is negative (%d fen)", d, i/w.K, w.plat[i%w.K].cfg.Name, b)
			}
			if (b != 0) != w.st[i].hasBalance() {
				return fmt.Errorf("sim: day %d: wallet of user %d on %s holds %d fen but its standing says otherwise (flagBalance)", d, i/w.K, w.plat[i%w.K].cfg.Name, b)
			}
			recount += b
		}
		if recount != wallets {
			return fmt.Errorf("sim: day %d: wallets hold %d fen but the ledger says %d fen", d, recount, wallets)
		}
	}
	total += wallets
	if total != 0 {
		return fmt.Errorf("sim: day %d: money not conserved: accounts sum to %d fen, want 0", d, total)
	}
	return nil
}
