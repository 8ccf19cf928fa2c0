package sim

import (
	"math"
	"math/bits"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// Personal flows: transfers between users (or to bank cards) and purchases
// of a wallet's money-market fund, the bulk of what the payment firms
// count as mobile payment value besides payments to merchants
// (agents.PersonalFlowRate). A card-bound user sends a Poisson number of
// each a day, at the shared rate of the profile, when a wallet it holds
// has the service launched (platforms.transfers_from, fund_from: history),
// each by one of those wallets (agents.FlowWallet).

// The two personal flows, indexing World.flows and partition.flowGap.
const (
	flowTransfer = iota
	flowFund
)

// flowKind is one personal flow's day: which platforms have it live, its
// Poisson mean per card-bound user and e^(−mean), and its amounts.
type flowKind struct {
	mask   uint8
	rate   float64
	expNeg float64
	amount dist // yuan
}

// walletMask is the mask of the platforms a merchant kind may accept:
// every platform when names is empty.
func walletMask(plats []scenarios.Platform, names []string) uint8 {
	if len(names) == 0 {
		return math.MaxUint8
	}
	var m uint8
	for p, pl := range plats {
		for _, n := range names {
			if pl.Name == n {
				m |= 1 << p
			}
		}
	}
	return m
}

// launchDay sets which platforms' envelopes, transfers and fund are live on
// day d (agents.Launched) and the day's rates of the personal flows.
func (w *World) launchDay(d int) {
	s := w.Scenario
	w.envelopeMask, w.flowMask = 0, 0
	tr, fu := &w.flows[flowTransfer], &w.flows[flowFund]
	tr.mask, fu.mask = 0, 0
	for p := range s.Platforms {
		cfg := &s.Platforms[p]
		if cfg.Envelopes && agents.Launched(d, cfg.EnvelopesFrom) {
			w.envelopeMask |= 1 << p
		}
		if cfg.Transfers && agents.Launched(d, cfg.TransfersFrom) {
			tr.mask |= 1 << p
		}
		if cfg.Fund && agents.Launched(d, cfg.FundFrom) {
			fu.mask |= 1 << p
		}
	}
	if nu := s.Transfers.Network; nu > 0 && tr.mask != 0 {
		for p := range s.Platforms {
			bound := int64(0)
			for _, pt := range w.parts {
				bound += pt.c.level[p].bound // yesterday's end: today has not begun
			}
			w.transferReach[p] = agents.TransferReach(nu, float64(bound)/float64(w.N))
		}
	}
	tr.rate = agents.PersonalFlowRate(s.Transfers.PerDay, w.season.spending, tr.mask != 0)
	fu.rate = agents.PersonalFlowRate(s.Funds.PerDay, w.season.spending, fu.mask != 0)
	for f := range w.flows {
		fk := &w.flows[f]
		if fk.rate <= 0 {
			fk.mask = 0
		}
		fk.expNeg = math.Exp(-fk.rate)
		w.flowMask |= fk.mask
	}
}

// beginFlows draws the partition's first gaps of the day: how many
// card-bound users with a flow live pass before the first that sends (as
// for envelopes, sendEnvelopes). No draw is made when no flow is live, so
// scenarios without flows keep their random streams.
func (pt *partition) beginFlows() {
	for f := range pt.w.flows {
		if pt.w.flows[f].mask != 0 {
			pt.flowGap[f] = pt.rng.failures(pt.w.flows[f].rate)
		}
	}
}

// sendFlows makes u's transfers and fund purchases of the day on the
// platforms of mask (card-bound, with a flow live): a Poisson number of
// each for the user, whatever the number of its wallets, each by the
// wallet agents.FlowWallet picks.
func (pt *partition) sendFlows(u, d int, mask uint8) {
	w := pt.w
	for f := range w.flows {
		fk := &w.flows[f]
		opts := mask & fk.mask
		if f == flowFund {
			opts &= w.fundsHeld(u, opts)
		}
		if opts == 0 {
			continue
		}
		if pt.flowGap[f] > 0 {
			pt.flowGap[f]--
			continue
		}
		for range pt.rng.poissonAtLeastOne(fk.rate, fk.expNeg) {
			amount := scenarios.YuanToFen(fk.amount.draw(pt.rng))
			amount = max(1, min(amount, math.MaxInt32))
			p := bits.TrailingZeros8(opts)
			if opts&(opts-1) != 0 {
				p = pt.flowWallet(u, d, opts, amount)
			}
			if f == flowTransfer {
				if w.Scenario.Transfers.Network > 0 && pt.rng.float() >= w.transferReach[p] {
					continue // nobody to send it to who uses the wallet (agents.TransferReach)
				}
				pt.sendTransfer(u, p, d, amount)
			} else {
				pt.buyFund(u, p, d, amount)
			}
		}
		pt.flowGap[f] = pt.rng.failures(fk.rate)
	}
}

// flowWallet is the wallet of opts (two or more) one flow of amount fen
// goes by (agents.FlowWallet): the payments' utilities with no subsidy
// and no cash.
func (pt *partition) flowWallet(u, d int, opts uint8, amount int64) int {
	w := pt.w
	var ub [MaxPlatforms]float64
	var mb [MaxPlatforms]int
	utils, plats := ub[:0], mb[:0]
	for o := opts; o != 0; o &= o - 1 {
		p := bits.TrailingZeros8(o)
		i := w.slot(u, p)
		utils = append(utils, agents.WalletUtility(w.choiceW, w.plat[p].cfg.Convenience, w.habitNow(i, d), 0, 0,
			float64(w.balance(i)), float64(amount), w.deficitAt(i, d)))
		plats = append(plats, p)
	}
	return plats[agents.FlowWallet(utils, pt.rng.float())]
}

// sendTransfer sends amount fen from u to a friend on p over a tie p
// carries, from u's balance first, then its card; the money waits in the
// platform's escrow until the friend's partition delivers it
// (receiveTransfer). With no friend on p, it goes to a bank card.
func (pt *partition) sendTransfer(u, p, d int, amount int64) {
	w := pt.w
	i := w.slot(u, p)
	fromBal := min(w.balance(i), amount)
	w.addBalance(i, -fromBal)
	pt.walletTotal -= fromBal
	if to := pt.pickRecipients(u, p, 1); len(to) > 0 {
		pt.c.outsideDelta -= amount - fromBal
		pt.c.day[p].escrowDelta += amount
		pt.send(newMessage(to[0], int32(u), int32(amount), uint8(p), msgTransfer))
	} else {
		pt.c.outsideDelta += fromBal // to a bank card: the card part never enters the model
	}
	pt.c.day[p].transfers++
	pt.c.day[p].transfersFen += amount
	pt.markUse(u, p, d)
}

// receiveTransfer is a transfer reaching its recipient: into the wallet of
// a registered recipient, who uses the wallet to accept it; else to the
// recipient's bank card (agents.TransferLandsInWallet).
func (pt *partition) receiveTransfer(m message, d int) {
	w := pt.w
	u, p := int(m.to()), int(m.plat())
	i := w.slot(u, p)
	if !agents.TransferLandsInWallet(w.stage(i) >= Registered) {
		pt.c.day[p].escrowDelta -= int64(m.amount)
		pt.c.outsideDelta += int64(m.amount)
		return
	}
	pt.credit(i, p, int64(m.amount))
	pt.markUse(u, p, d)
}

// holdsFund says whether u holds p's fund (platforms.fund_holders): a
// fixed draw per user and platform from the world's seed, so the same
// users hold it all run long and no random stream moves.
func (w *World) holdsFund(u, p int) bool {
	h := w.Scenario.Platforms[p].FundHolders
	if h >= 1 {
		return true
	}
	x := splitmix64(w.Scenario.World.Seed ^ splitmix64(uint64(u)<<3|uint64(p)) ^ 0xf0d5)
	return float64(x>>11)/(1<<53) < h
}

// cacheFundHolders keeps each user's holdsFund as a mask of platforms
// (World.fundHeld), one byte a user, when some platform with a fund has
// fewer holders than users: sendFlows asks for it every day of every
// card-bound user, and the two hashes a user cost 5% of china-2013-2017's
// CPU there (pprof, 20,000 users). The estimate's 80 B a user
// (scenarios.Estimate) has room for the byte.
func (w *World) cacheFundHolders() {
	partial := false
	for _, p := range w.Scenario.Platforms {
		partial = partial || (p.Fund && p.FundHolders < 1)
	}
	if !partial {
		return
	}
	w.fundHeld = make([]uint8, w.N)
	for u := range w.fundHeld {
		for p := range w.Scenario.Platforms {
			if w.holdsFund(u, p) {
				w.fundHeld[u] |= 1 << p
			}
		}
	}
}

// fundsHeld is the platforms of opts whose fund u holds.
func (w *World) fundsHeld(u int, opts uint8) uint8 {
	if w.fundHeld == nil { // every fund is held by every user
		return opts
	}
	return opts & w.fundHeld[u]
}

// buyFund is a purchase of p's fund by u: money from u's bank card into
// the fund, both outside the model's accounts, so no account moves; the
// firms count it as value, and it is a use of the wallet.
func (pt *partition) buyFund(u, p, d int, amount int64) {
	pt.c.day[p].fundFen += amount
	pt.markUse(u, p, d)
}
