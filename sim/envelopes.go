package sim

import (
	"math"
	"math/bits"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// sendEnvelopes is docs/brief.md step 5 for a sender: on each platform in mask
// (card-bound, carrying envelopes) u sends a Poisson number of envelopes,
// far more at Spring Festival, each to one friend or split as lucky money
// among the first grabbers of a group. The money leaves the wallet (then
// the card) for the platform's escrow until it is claimed or refunded.
//
// Every user and platform has the same daily mean, and most send nothing,
// so the pairs that send are found by skipping: partition.envGap counts
// the pairs to pass before the next that sends (a geometric number), and
// that pair sends a Poisson number given at least one. This is the same
// process as a draw per pair, at a draw per sending pair.
func (pt *partition) sendEnvelopes(u, d int, mask uint8) {
	lam := pt.w.Scenario.Envelopes.PerDay * pt.w.season.envelopes
	for o := mask; o != 0; o &= o - 1 {
		if pt.envGap > 0 {
			pt.envGap--
			continue
		}
		pt.sendPair(u, bits.TrailingZeros8(o), d, lam)
		pt.envGap = pt.rng.failures(lam)
	}
}

// sendPair sends the envelopes of u's pair with p that sends today: a
// Poisson number at today's rate lam given at least one.
func (pt *partition) sendPair(u, p, d int, lam float64) {
	n := pt.rng.poissonAtLeastOne(lam, pt.w.envelopeExpNeg)
	if g := pt.w.Scenario.Envelopes.Reciprocity; g > 0 {
		// Thinning: each envelope of the full rate is sent with the
		// sender's chance, so the count is Poisson at the sender's own
		// rate. At g = 0 no draw is made (outputs as before the rule).
		keep := agents.SeasonKeep(g, pt.w.Scenario.Envelopes.Tradition, pt.w.season.envelopes, int(pt.w.received[u*pt.w.K+p]))
		for range n {
			if pt.rng.float() < keep {
				pt.sendEnvelope(u, p, d)
			}
		}
	} else {
		for range n {
			pt.sendEnvelope(u, p, d)
		}
	}
}

func (pt *partition) sendEnvelope(u, p, d int) {
	w := pt.w
	e := &w.Scenario.Envelopes
	i := w.slot(u, p)
	group := pt.rng.float() < e.GroupShare
	k := 1
	if group {
		k = e.GroupSize
	}
	picked := pt.pickRecipients(u, p, k)
	if len(picked) == 0 {
		return // nobody to send to on this platform
	}
	amount := scenarios.YuanToFen(w.envAmount.draw(pt.rng))
	amount = max(1, min(amount, e.MaxAmount.Fen()))
	shares := 1
	if group {
		shares = e.GroupShares
		if shares == 0 {
			shares = e.GroupSize
		}
	}
	shares = min(shares, len(picked), int(amount))
	split := agents.SplitLuckyMoney(amount, shares, pt.rng.float, pt.split)
	pt.split = split

	fromBal := min(w.balance(i), amount)
	w.addBalance(i, -fromBal)
	pt.walletTotal -= fromBal
	pt.c.outsideDelta -= amount - fromBal
	pt.c.day[p].escrowDelta += amount
	for j, x := range split {
		pt.send(newMessage(picked[j], int32(u), int32(x), uint8(p), msgEnvelope))
	}
	pt.c.day[p].envP2P++
	pt.c.day[p].envP2PFen += amount
	pt.markUse(u, p, d)
}

// pickRecipients returns up to k distinct friends of u over ties p carries,
// in random order (the order they grab in); under uniform mixing, random
// users.
func (pt *partition) pickRecipients(u, p, k int) []int32 {
	w := pt.w
	out := pt.picked[:0]
	defer func() { pt.picked = out }()
	if w.mixing {
		for len(out) < k && w.N > 1 {
			v := int32(pt.rng.intn(w.N))
			if int(v) != u && !containsID(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	g := w.graph
	lo, hi := int(g.Off[u]), int(g.Off[u+1])
	bit := uint8(1) << p
	c := int(w.carried[u*w.K+p])
	if c == 0 {
		return out
	}
	if c <= k { // everyone the platform carries, shuffled
		for j := lo; j < hi; j++ {
			if g.Tie[j]&bit != 0 {
				out = append(out, g.Adj[j])
			}
		}
		for j := len(out) - 1; j > 0; j-- {
			r := pt.rng.intn(j + 1)
			out[j], out[r] = out[r], out[j]
		}
		return out
	}
	for tries := 0; len(out) < k && tries < 8*k+16; tries++ {
		j := lo + pt.rng.intn(hi-lo)
		if g.Tie[j]&bit != 0 && !containsID(out, g.Adj[j]) {
			out = append(out, g.Adj[j])
		}
	}
	return out
}

func containsID(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// distKind is a distribution's kind, resolved from its name.
type distKind uint8

const (
	distConst distKind = iota
	distNormal
	distLognormal
	distUniform
)

// dist is a scenarios.Dist with its kind resolved when the world is built.
type dist struct {
	kind               distKind
	mean, sd, min, max float64
}

// resolveDist resolves a distribution's kind; an unknown kind (the
// validator admits none) is a constant at its mean.
func resolveDist(d scenarios.Dist) dist {
	r := dist{mean: d.Mean, sd: d.SD, min: d.Min, max: d.Max}
	switch d.Kind {
	case "normal":
		r.kind = distNormal
	case "lognormal":
		r.kind = distLognormal
	case "uniform":
		r.kind = distUniform
	}
	return r
}

// draw draws one value, clipped to the bounds.
func (d *dist) draw(r *stream) float64 {
	var x float64
	switch d.kind {
	case distNormal:
		x = d.mean + d.sd*r.rnd.NormFloat64()
	case distLognormal:
		x = lognormal(d.mean, d.sd, r.rnd.NormFloat64())
	case distUniform:
		x = d.min + (d.max-d.min)*r.float()
	default:
		x = d.mean
	}
	if x < d.min {
		x = d.min
	}
	if d.max > 0 && x > d.max {
		x = d.max
	}
	return x
}

// deliver is the second half of docs/brief.md step 5, run for the partition that
// owns the recipients: yesterday's refunds and late credits, then today's
// sponsored envelopes and invitations, then today's peer envelopes and
// credits, each in the fixed order of the partitions that sent them.
func (pt *partition) deliver(d int) {
	w := pt.w
	pt.delivering = true
	for _, src := range w.parts {
		for _, m := range src.due[pt.id] {
			pt.receive(m, d)
		}
	}
	for _, m := range w.central[pt.id] {
		pt.receive(m, d)
	}
	for _, src := range w.parts {
		for _, m := range src.out[pt.id] {
			pt.receive(m, d)
		}
	}
}

func (pt *partition) receive(m message, d int) {
	w := pt.w
	p := int(m.plat())
	i := int(m.to())*w.K + p
	switch m.kind() {
	case msgRefund:
		pt.credit(i, p, int64(m.amount))
	case msgInvite:
		if w.stage(i) >= Registered {
			return
		}
		if w.stage(i) == Unaware {
			pt.hear(int(m.to()), p, d)
		}
		if agents.InviteAccepted(w.plat[p].plan.InviteAccept, pt.rng.float()) {
			pt.register(int(m.to()), p, d)
			pt.rescheduleAdoption(i, d+1)
			w.wake(int(m.to()), w.tr[i].next)
		}
	case msgTransfer:
		pt.receiveTransfer(m, d)
	default:
		pt.claimEnvelope(m, d)
	}
}

// hear makes an unaware user aware of p by a message (an envelope or an
// invitation) rather than by the Bass step; its adoption trials start
// tomorrow.
func (pt *partition) hear(u, p, d int) {
	w := pt.w
	i := w.slot(u, p)
	w.setStage(i, Aware)
	pt.c.level[p].aware++
	pt.rescheduleAdoption(i, d+1)
	w.wake(u, w.tr[i].next)
}

// credit moves money from the platform's escrow into a wallet.
func (pt *partition) credit(i, p int, amount int64) {
	pt.w.addBalance(i, amount)
	pt.walletTotal += amount
	pt.c.day[p].escrowDelta -= amount
}

// claimEnvelope is a recipient opening its share. A registered user claims
// it; anyone else can claim only by registering (and binds a card at once
// with some probability, to withdraw). Money not claimed goes back to the
// sender tomorrow.
func (pt *partition) claimEnvelope(m message, d int) {
	w := pt.w
	e := &w.Scenario.Envelopes
	u, p := int(m.to()), int(m.plat())
	i := w.slot(u, p)
	stg := w.stage(i)
	claimed := false
	if stg >= Registered {
		claimed = pt.rng.float() < e.ClaimRegistered
	} else {
		if stg == Unaware {
			pt.hear(u, p, d)
		}
		if pt.rng.float() < agents.ClaimByRegisteringProbability(e.ClaimByRegistering, float64(w.socialSens[u])) {
			w.setViaClaim(i)
			w.setDormant(i, false)
			pt.register(u, p, d)
			pt.rescheduleAdoption(i, d+1)
			w.wake(u, w.tr[i].next)
			claimed = true
		}
	}
	if !claimed {
		switch m.kind() {
		case msgEnvelope:
			pt.send(newMessage(m.from, m.to(), m.amount, m.plat(), msgRefund))
		case msgSponsored:
			pt.c.day[p].sponsorRefund += int64(m.amount)
		case msgBrand:
			pt.c.day[p].brandRefund += int64(m.amount)
		}
		return
	}
	pt.credit(i, p, int64(m.amount))
	if m.kind() == msgEnvelope {
		if w.received[i] < math.MaxUint16 {
			w.received[i]++ // the recipient's partition owns it (reciprocity)
		}
		if w.repliedOn != nil && w.stage(i) == CardBound && w.repliedOn[i] != int16(d+1) &&
			agents.RepliesInKind(e.Reply, pt.rng.float()) {
			w.repliedOn[i] = int16(d + 1) // once a day: marked when queued
			pt.replies = append(pt.replies, int32(i))
		}
	}
	pt.c.day[p].claimed++
	pt.markUse(u, p, d)
	if w.stage(i) == Registered && pt.rng.float() < e.BindToWithdraw {
		pt.bind(u, p, d)
	}
}

// replySenders lists the partitions whose users queued replies while
// claiming (World.senders), in partition order, and returns how many
// replies they queued.
func (w *World) replySenders() int {
	w.senders = w.senders[:0]
	n := 0
	for _, pt := range w.parts {
		if len(pt.replies) > 0 {
			w.senders = append(w.senders, pt)
			n += len(pt.replies)
		}
	}
	return n
}

// smallReplyRound is the number of queued replies under which a round
// runs on the calling goroutine: half the day's rounds carry fewer than 30
// replies in all (the default bench), about 60 µs of work, where two
// phases of goroutines on every partition cost more than they share.
var smallReplyRound = 128 // a variable for TestReplyRoundsPooledOrNot

// replyRounds runs the day's cascade of replies after the deliver phase
// (agents.RepliesInKind): each round, every partition sends the replies
// its users queued while claiming, then every partition delivers them,
// and claims of those queue the next round's. Each slot answers at most
// once a day, so the cascade ends within N·K replies. Rounds keep the
// phases' order and the partitions' own streams, so the outputs stay the
// same whatever GOMAXPROCS. Only partitions with replies queued send
// (World.senders), and only their messages are read; a small round runs
// on one goroutine (smallReplyRound), which changes nothing but the time.
func (w *World) replyRounds() {
	for n := w.replySenders(); n > 0; n = w.replySenders() {
		if n < smallReplyRound {
			for _, pt := range w.senders {
				pt.sendReplies(w.day)
			}
			for _, pt := range w.parts {
				pt.deliverReplies(w.day)
			}
			continue
		}
		w.pool(w.senders, nil, func(pt *partition, _ *worker) { pt.sendReplies(pt.w.day) })
		w.parallel(func(pt *partition, _ *worker) { pt.deliverReplies(pt.w.day) })
	}
}

// sendReplies sends one envelope for each queued reply whose sender still
// holds a card on a platform carrying envelopes today. Messages sent now
// go to out (delivered this round); refunds of unclaimed shares, made
// while delivering, go to later as on any day.
func (pt *partition) sendReplies(d int) {
	w := pt.w
	pt.delivering = false
	for i := range pt.out {
		pt.out[i] = pt.out[i][:0] // the day's deliver phase has read them
	}
	queued := pt.replies
	pt.replies = pt.spareReplies[:0]
	for _, i := range queued {
		u, p := int(i)/w.K, int(i)%w.K
		if w.bmask[u]&w.envelopeMask&(1<<p) != 0 && (!w.sendersFrom || w.envelopeSenders(u, 1<<p) != 0) {
			pt.sendEnvelope(u, p, d)
		}
	}
	pt.spareReplies = queued[:0]
}

// deliverReplies delivers this round's replies to the partition's users,
// in the fixed order of the partitions that sent them (World.senders: the
// others sent none this round).
func (pt *partition) deliverReplies(d int) {
	pt.delivering = true
	for _, src := range pt.w.senders {
		for _, m := range src.out[pt.id] {
			pt.receive(m, d)
		}
	}
}

// envelopeSenders is the platforms of env (u's card-bound platforms that
// carry envelopes today) on which u's card may send them: on a platform
// with senders_from, only a card bound on that day or later (trialRec.since
// holds the day of a card-bound user's binding; the installed base's is
// 0). A card bound earlier came with another of the firm's products:
// china-2013-2017's wechat is Tenpay, and the cards bound before WeChat
// Pay's launch were QQ Wallet's, whose holders could not send WeChat's
// envelopes (docs/calibration.md, miss 4). Such a card still claims
// envelopes and pays as before.
func (w *World) envelopeSenders(u int, env uint8) uint8 {
	for o := env; o != 0; o &= o - 1 {
		p := bits.TrailingZeros8(o)
		if from := w.plat[p].cfg.SendersFrom; from > 0 && int(w.tr[u*w.K+p].since) < from {
			env &^= 1 << p
		}
	}
	return env
}
