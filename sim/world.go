package sim

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"time"
	"unsafe"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// Stage is how far a user has come with one platform.
type Stage uint8

// The adoption funnel of docs/brief.md: unaware, aware, registered, card-bound.
// Only card-bound users can pay.
const (
	Unaware Stage = iota
	Aware
	Registered
	CardBound
)

// neverUsed marks a user who has never used a wallet in useRecord.lastUse.
const neverUsed = math.MinInt16

// MaxPlatforms is the most platforms a scenario may have; the limit is
// scenarios.MaxPlatforms, so that validate and run agree.
const MaxPlatforms = scenarios.MaxPlatforms

// World is the whole state of a run: users, merchants, platforms, the
// ledger and the calendar. It is stepped one day at a time with Step, and
// may be read and steered between steps (External, SetLever, StartEvent).
//
// Its state is grouped by concern, each group embedded so that the phases
// read its fields by their own names: the users' traits, the adoption
// funnel, habit and trust, the payments' wallets and season, the
// merchants, the ledger and the platforms. Users live in struct-of-arrays
// form: per-user traits in slices of N, and per user and platform state at
// index u*K+p (World.slot), because the daily step walks every user and
// must stay in cache.
type World struct {
	Scenario *scenarios.Scenario

	N, K, M int // users, platforms, merchants
	day     int // the next day to simulate
	cal     calendar
	graph   *Graph
	mixing  bool // uniform mixing: no graph, influence from the whole population

	traits
	funnel
	habits
	payments
	merchants
	ledger
	platforms

	parts   []*partition
	partMul uint64       // ⌈2^64 / users a partition⌉, with which partOf divides (setupPartitions)
	senders []*partition // the partitions sending replies this round (replyRounds)
	workers []*worker
	central [][]message // sponsored envelopes and invitations, per destination partition

	history []DayMetrics
	rows    rows // blocks the history's rows are carved from (record)
	phases  [numPhases]time.Duration
	timed   bool // time each phase (TimePhases)

	beside    [numPhases]time.Duration // today's phases run beside others, when timed (settleAndReview)
	ledgerErr error                    // today's ledger check (recordAndCheck)
	elapsed   time.Duration
}

// traits are what users bring to the run and keep: drawn at set-up from
// the seed (setupUsers) and never changed by the step.
type traits struct {
	priceSens, socialSens, payRate, ticket []float32
	expNegRate                             []float32 // e^(−payRate), the chance of no payment on an ordinary day
	usual                                  []int32   // N*U usual merchants
	nUsual                                 int
	// Each merchant's usual customers, u once for each time m is among its
	// usual merchants: cust[custOff[m]:custOff[m+1]] (indexCustomers).
	custOff, cust []int32
}

// funnel is the adoption funnel (docs/brief.md steps 2, 3 and 6): each user's
// standing with each platform, who of its friends are on it, and the
// candidate days of its trials (becomeAware, adopt, driftToDormancy).
type funnel struct {
	// User × platform state, index u*K+p.
	st      []standing // Stage | flags (standing.go)
	tr      []trialRec // the trials' days and friends (trialRec)
	carried []uint16   // ties the platform carries

	// Per user: the wallets with a card bound (bit p), and the first day
	// any trial of the user may be due, a lower bound on its next and dnext
	// (World.wake lowers it, partition.retain sets it).
	bmask []uint8
	due   []int16

	// payDay is each user's next paying day, in a world that draws them
	// ahead (payAhead: partition.usersPaying): noTrial for a user with no
	// wallet, payUndrawn for a wallet not yet drawn for. A day before
	// today means the same: its paying day fell on a day the general
	// loop ran, which drew for itself.
	payDay   []int16
	payAhead bool

	// In a world that draws paying days ahead, each wallet holder's rate
	// of payments at its wallet merchants, those of its usual merchants
	// that accept one of its wallets (the others are cash-only, drawn for
	// the partition at once: cashonly.go).
	walletPay []walletPay

	// Global counts over the population (uniform mixing reads onCount).
	onCount    []int64 // registered, not dormant, per platform
	multiHomed []int64 // card-bound on the platform and at least one other

	adoptW   agents.AdoptionWeights
	adoptLog float64 // trialLog(adoption.max_rate)
	dormLog  float64 // trialLog(retention.dormancy_rate)
}

// trialRec is what a user's trials on a platform read besides its
// standing, in one 8-byte record because a trial reads them together
// (trials, becomeAware, adopt, retain, driftToDormancy): the trials' users
// are sparse, a few in a hundred a day, so each array a trial reads was a
// line fetched from memory for it, where one record is one line.
type trialRec struct {
	// next is the next day the user's awareness (when unaware) or adoption
	// trial on the platform can succeed; see adopt and becomeAware. dnext
	// is the same for the dormancy trial of a registered user.
	next, dnext int16
	since       int16  // day of the last adoption step
	friendsOn   uint16 // friends on the platform over ties it carries
}

// habits are habit and trust, per user and platform (index u*K+p), each
// stored as of its last change and decayed on reading (habitNow,
// trustDeficit) with the tables of powers built at set-up.
type habits struct {
	use       []useRecord
	deficit   []float32 // trust deficit as of use[i].failDay
	habitKeep []float64 // habitKeep[n] = (1−decay)^n
	habitGain float64   // Scenario.Habit.Gain, which every payment reads (markUseHabit)
	trustKeep []float64 // trustKeep[n] = (1−recovery)^n
}

// useRecord is a user's habit with a platform and the days it last used
// it and last failed to pay with it, in one 8-byte record because a
// payment reads them together (walletUtility, markUseHabit): one cache
// line fetched where three arrays would cost up to three.
type useRecord struct {
	habit   float32 // as of lastUse
	lastUse int16   // last day of use (neverUsed)
	failDay int16   // day of the last failed payment (neverUsed)
}

// payments are what payments and envelopes move and weigh: the users'
// balances, the day's season, the choice's weights (docs/brief.md steps 4 and 5).
type payments struct {
	balFen         []int64   // wallet balances (ledger accounts), index u*K+p
	received       []uint16  // peer envelopes claimed (saturating), index u*K+p, for envelopes.reciprocity
	repliedOn      []int16   // day+1 a slot last answered an envelope (envelopes.reply; a run has at most 3,660 days); nil while reply is 0
	spread         []float64 // quantiles of a payment's ticket over the user's mean (spreadQuantiles)
	induced        bool      // today some cashback may raise payment rates (users.subsidy_elasticity)
	payWeight      []float64 // today's pull of a usual merchant on a user's payments, by kind and wallets both accept (setPayWeights)
	season         season
	choiceW        agents.ChoiceWeights
	envelopeMask   uint8                 // platforms that carry peer envelopes
	sendersFrom    bool                  // some platform's envelopes are sent only by cards bound from a day on (envelopeSenders)
	envelopeExpNeg float64               // e^(−λ) of today's envelopes per sender, the chance of sending none
	envAmount      dist                  // envelopes.amount, yuan
	flows          [2]flowKind           // transfers and fund purchases today (flows.go)
	transferReach  [MaxPlatforms]float64 // agents.TransferReach of each wallet today, when transfers.network > 0 (flows.go)
	fundHeld       []uint8               // per user, the platforms whose fund it holds (holdsFund), when some platform's fund has fewer holders than users; nil otherwise
	flowMask       uint8                 // platforms with either live today
}

// merchants are the merchants by kind and, per merchant and platform
// (index m*K+p), what they accept and what came through (docs/brief.md step 7,
// reviewMerchants).
type merchants struct {
	kinds         []kindInfo
	kindIndex     map[string]int
	mKind         []uint8
	kindConv      []float64 // merchants[k].convenience, added to a wallet's convenience at kind k
	kindWallets   []uint8   // merchants[k].wallets as a mask: the wallets kind k may accept (all when empty)
	accept        []uint8   // bit p: accepts platform p; changed by flipAccept only, once set up
	flips         []flip    // the day's changes of wallets, where paying days are drawn ahead (flipAccept), refreshed at the customers by refreshFlips
	acceptBefore  []uint8   // accept before the day's first change (flips)
	accepting     []uint8   // N*K: how many of u's usual merchants accept p (merchantShare)
	mBalFen       []int64   // ledger accounts
	mLastPay      []int16   // M*K: last day a payment came through
	mSince        []int16   // M*K: day the wallet was accepted
	boundCust     []int32   // M*K: usual customers card-bound on the platform
	mWeekValueFen []int64   // M*K: value through the wallet since the last review
	merchantRng   *stream
}

// ledger holds the accounts outside users, merchants and platforms; with
// theirs they sum to zero every day (checkLedger).
type ledger struct {
	outsideFen    int64   // banks and investors: the only account allowed below zero
	escrowFen     []int64 // per platform: envelopes and credits in flight
	sponsorDueFen []int64 // per platform: unclaimed sponsored money going back tomorrow
	brandDueFen   []int64 // same, for brands' money (to the outside account)
}

// platforms are the platforms' live state and public faces (docs/brief.md
// steps 1 and 8).
type platforms struct {
	plat  []*platform
	views []agents.PublicView // the platforms' public faces, for policies' observations

	// Bit p is platform p's offering and whether its failProb is above 0
	// today (planPlatformDay): payments test them on every wallet
	// payment, without the platform's pointer.
	offerBits, failBits uint8
}

// offering reports platform p's offering today (platform.offering).
func (ps *platforms) offering(p int) bool { return ps.offerBits>>(uint(p)&7)&1 != 0 }

// failing reports whether platform p's payments may fail today
// (platform.failProb > 0).
func (ps *platforms) failing(p int) bool { return ps.failBits>>(uint(p)&7)&1 != 0 }

// kindInfo is a merchant kind, resolved.
type kindInfo struct {
	cfg          *scenarios.MerchantKind
	first, count int // merchant ids first..first+count-1
	weight       float64
	factor       float64 // cfg.TicketFactor, read once a payment
}

// platform is one platform's live state.
type platform struct {
	cfg              *scenarios.Platform
	treasuryFen      int64 // ledger account
	feeRate          float64
	services         float64 // today's breadth: the base plus running campaigns
	baseServices     float64 // the scenario's, or set live
	plan             agents.DayPlan
	adoptW           agents.AdoptionWeights // the world's, with adoption.in_flow in the intercept when the platform is in_flow (planPlatformDay)
	offering         bool                   // today's plan pays anything (cashback, merchant bonus, first-payment return); most days it does not
	dailyCaps        bool                   // some kind's offer today caps cashback per user and day (DailyCount, DailyCapFen): only then does the till count it
	fixedCashback    []int64                // per merchant kind, today's offer's cashback when it is a fixed amount (fixedCashback), else −1
	typicalYuan      float64                // subsidy on offer for a typical payment
	firstTypicalYuan float64                // first-payment return on a typical payment
	schedule         agents.Schedule
	policy           agents.Policy    // decides every morning; external is its outer layer
	external         *agents.External // levers set from outside (World.External)
	decision         agents.Decision  // today's, from policy
	rng              *stream
	headlines        []int64 // headline cashback by day, advertised to rivals
	failProb         float64
	outage           bool
	attempts         int64     // wallet payments attempted yesterday
	demandMul        float64   // yesterday's demand multiplier
	valueFen         int64     // running payoff proxy: fees − subsidies + terminal value of actives (what learning policies see)
	payoffYuan       float64   // discounted value
	reachAvg         float64   // share of all ties carried, for uniform mixing
	kindShare        []float64 // today's expected cashback as a share of a typical ticket, per merchant kind
	conv             []float64 // per merchant kind, the wallet's convenience there today less the loss a cut in cashback is felt as (planPlatformDay)
	refYuan          []float64 // per merchant kind, the reference cashback (agents.FollowReference), carried from day to day
	awareBound       float64   // the largest daily awareness probability of the run
	awareLog         float64   // trialLog(awareBound)

	// Today's tallies kept on the platform itself.
	sponsoredToday, sponsoredFenToday int64
	sponsoredByTreasury               bool
	bonusTodayFen                     int64
	feesTodayFen                      int64 // fees billed to merchants for the day
	budgetLeftFen                     int64 // today's daily campaign budget not yet spent
	referralTodayFen                  int64
	cumSubsidyFen                     int64
	flowFen                           int64 // fees minus subsidies so far
}

// New builds the world a scenario describes: the graph, users with their
// traits and installed base, merchants and platforms, all from the
// scenario's seed. The scenario must be valid (scenarios.Parse checks it).
func New(s *scenarios.Scenario) (*World, error) { return newWorld(s, nil) }

// newWorld is New, taking the social graph from graphs when it holds the
// one the scenario's seed makes (nil: build it).
func newWorld(s *scenarios.Scenario, graphs *GraphCache) (*World, error) {
	// Real-world budgets divided among the simulated users: the run's
	// economics do not depend on its size (scenarios/scale.go).
	s = s.AtModelScale()
	w := &World{Scenario: s, N: s.World.Users, K: len(s.Platforms)}
	w.nUsual = s.Users.UsualMerchants
	if w.K < 1 || w.K > MaxPlatforms {
		return nil, fmt.Errorf("sim: %d platforms; want 1 to %d", w.K, MaxPlatforms)
	}
	if w.N < 1 {
		return nil, fmt.Errorf("sim: %d users; want at least 1", w.N)
	}
	var err error
	if w.cal, err = newCalendar(s); err != nil {
		return nil, err
	}
	seed := s.World.Seed
	setup := newStream(seed, streamSetup, 0)

	// The social graph, on its own streams. In a large world it is built
	// while the merchants and traits are drawn, which need no graph: the
	// generator's urn and the traits' draws are each one serial stream, so
	// on two cores each would leave the other core idle. Nothing else
	// touches the graph, the scenario is only read, and a GraphCache keeps
	// graphs and traits in different maps, so the world is the same.
	w.mixing = s.Graph.Kind == "uniform"
	beside := w.N >= overlapMinUsers && runtime.GOMAXPROCS(0) > 1
	var graphErr error
	graphBuilt := runBeside(beside, func() { w.graph, graphErr = graphs.build(s, beside) })
	defer graphBuilt() // an early return must not leave the graph's builder running

	a, c := &s.Adoption, &s.Choice
	w.adoptW = agents.AdoptionWeights{Intercept: a.Intercept, Friends: a.Friends, Subsidy: a.Subsidy, Merchants: a.Merchants,
		Services: a.Services, Balance: a.Balance, SwitchingCost: a.SwitchingCost, Trust: a.Trust}
	w.choiceW = agents.ChoiceWeights{Habit: c.Habit, Subsidy: c.Subsidy, Balance: c.Balance, Trust: c.Trust}
	w.habitGain = s.Habit.Gain
	horizon := s.World.Days + s.Retention.ActiveDays + 2
	w.habitKeep = keepTable(agents.DecayHabit, true, s.Habit.Decay, horizon)
	w.trustKeep = keepTable(agents.RecoverTrust, false, s.Trust.Recovery, horizon)
	w.merchantRng = newStream(seed, streamMerchants, 0)
	w.spread = spreadQuantiles(s.Users.TicketSpread)
	w.envAmount = resolveDist(s.Envelopes.Amount)
	w.flows[flowTransfer].amount = resolveDist(s.Transfers.Amount)
	w.flows[flowFund].amount = resolveDist(s.Funds.Amount)
	w.cacheFundHolders()

	w.setupMerchants(setup)
	w.adoptLog = trialLog(s.Adoption.MaxRate)
	w.dormLog = trialLog(s.Retention.DormancyRate)
	sharedTraits := graphs.drawTraits(w, setup)
	// The platforms and events draw nothing from the set-up stream, so
	// they may come before the users' draws that depend on them.
	if err := w.setupPlatforms(); err != nil {
		return nil, err
	}
	for i := range s.Events {
		e, err := w.resolveEvent(&s.Events[i])
		if err != nil {
			return nil, fmt.Errorf("%w (events[%d])", err, i)
		}
		w.cal.events = append(w.cal.events, e)
	}
	// Without a cache the users' draws need no graph either, and come
	// next from the set-up stream: they too are drawn while it is built.
	// (A cache's key for the users names the graph, so with one they wait.)
	usersDrawn := beside && graphs == nil
	if usersDrawn {
		w.setupUsers(setup)
	}
	if graphBuilt(); graphErr != nil {
		return nil, graphErr
	}
	w.payAhead = w.N >= payAheadMinUsers // before the partitions, which make their lists only then
	w.setupPartitions()
	key, keep := graphs.usersKey(w, setup, sharedTraits)
	if !graphs.takeUsers(w, setup, key, keep) {
		if !usersDrawn {
			w.setupUsers(setup)
		}
		// The friends' counts are the only step here that reads the
		// graph, and the only one on every core; the others draw from
		// the set-up stream or add up in users' order, so they run
		// beside it. It writes the ties' counts (friendsOn) and the
		// others read the stages and write other fields.
		waitTies := runBeside(beside, w.countTies)
		w.scheduleTrials(setup)
		w.countInitial()
		w.countAccepting()
		waitTies()
		graphs.keepUsers(w, setup, key, keep)
	}
	if w.payAhead {
		w.payDay = make([]int16, w.N)
		for u, b := range w.bmask {
			w.payDay[u] = noTrial
			if b != 0 {
				w.payDay[u] = payUndrawn
			}
		}
		w.setupCashOnly()
	}
	return w, nil
}

func (w *World) setupMerchants(r *stream) {
	s := w.Scenario
	w.kindIndex = map[string]int{}
	for i := range s.Merchants {
		mk := &s.Merchants[i]
		n := int(math.Round(mk.PerThousand * float64(w.N) / 1000))
		if n < 1 && mk.Weight > 0 {
			n = 1 // a kind users shop at needs at least one merchant
		}
		w.kinds = append(w.kinds, kindInfo{cfg: mk, first: w.M, count: n, weight: mk.Weight, factor: mk.TicketFactor})
		w.kindIndex[mk.Kind] = i
		w.M += n
	}
	M, K := w.M, w.K
	w.mKind = make([]uint8, M)
	w.kindConv = make([]float64, len(w.kinds))
	w.kindWallets = make([]uint8, len(w.kinds))
	for k, ki := range w.kinds {
		w.kindConv[k] = ki.cfg.Convenience
		w.kindWallets[k] = walletMask(s.Platforms, ki.cfg.Wallets)
	}
	w.accept = make([]uint8, M)
	w.mBalFen = make([]int64, M)
	w.mLastPay = make([]int16, M*K)
	w.mSince = make([]int16, M*K)
	w.boundCust = make([]int32, M*K)
	w.mWeekValueFen = make([]int64, M*K)
	for k, ki := range w.kinds {
		for m := ki.first; m < ki.first+ki.count; m++ {
			w.mKind[m] = uint8(k)
			for p := range s.Platforms {
				w.mLastPay[m*K+p] = 0
				if ki.cfg.Service {
					if s.Platforms[p].Services >= ki.cfg.ServiceLevel {
						w.accept[m] |= 1 << p
					}
				} else if r.float() < s.Platforms[p].Initial.Merchants {
					w.accept[m] |= 1 << p
				}
				w.accept[m] &= w.kindWallets[k] // a walled garden: the draw is made all the same, so other kinds' draws do not move
			}
		}
	}
}

// drawTraits draws the users' traits from r, in the order that fixes
// every later draw of the set-up.
func (w *World) drawTraits(r *stream) {
	s, N := w.Scenario, w.N
	w.priceSens = drawTrait(s.Users.PriceSensitivity, N, r)
	w.socialSens = drawTrait(s.Users.SocialSensitivity, N, r)
	w.payRate = drawTrait(s.Users.PaymentsPerDay, N, r)
	w.ticket = drawTrait(s.Users.Ticket, N, r)
	w.expNegRate = make([]float32, N)
	for u, r := range w.payRate {
		w.expNegRate[u] = float32(math.Exp(-float64(r)))
	}
}

// setupUsers draws the users' usual merchants and installed base, after
// their traits (GraphCache.drawTraits). Whatever it reads is part of
// GraphCache.usersKey: a world taken from the cache skips it.
func (w *World) setupUsers(r *stream) {
	s := w.Scenario
	N, K := w.N, w.K

	// Usual merchants: a kind by weight, then a merchant of that kind.
	var cum []float64
	var pick []int
	total := 0.0
	for k, ki := range w.kinds {
		if ki.count > 0 && ki.weight > 0 {
			total += ki.weight
			cum = append(cum, total)
			pick = append(pick, k)
		}
	}
	w.usual = make([]int32, N*w.nUsual)
	for i := range w.usual {
		if total == 0 { // no kind has weight: shop anywhere
			w.usual[i] = int32(r.intn(max(1, w.M)))
			continue
		}
		x := r.float() * total
		j := 0
		for j < len(cum)-1 && x >= cum[j] {
			j++
		}
		ki := w.kinds[pick[j]]
		w.usual[i] = int32(ki.first + r.intn(ki.count))
	}
	w.indexCustomers()

	w.st = make([]standing, N*K)
	w.use = make([]useRecord, N*K)
	w.deficit = make([]float32, N*K)
	w.balFen = make([]int64, N*K)
	w.received = make([]uint16, N*K)
	w.tr = make([]trialRec, N*K)
	w.bmask = make([]uint8, N)
	w.due = make([]int16, N)
	ad := int16(s.Retention.ActiveDays)
	for u := 0; u < N; u++ {
		for p := 0; p < K; p++ {
			in := &s.Platforms[p].Initial
			i := u*K + p
			w.use[i].lastUse = neverUsed
			w.use[i].failDay = neverUsed
			x := r.float() // one draw nests the installed base: bound ⊂ registered ⊂ aware
			switch {
			case x < in.CardBound:
				w.st[i] = standing(CardBound) | flagFirstPaid
				w.bmask[u] |= 1 << p
				if r.float() < in.Active {
					w.use[i].lastUse = -int16(r.intn(int(ad)))
					w.use[i].habit = float32(s.Habit.Initial)
				}
			case x < in.Registered:
				w.st[i] = standing(Registered)
			case x < in.Aware:
				w.st[i] = standing(Aware)
			}
		}
	}
}

// drawTrait draws n values of a trait distribution, clipped to its bounds.
func drawTrait(d scenarios.Dist, n int, r *stream) []float32 {
	out := make([]float32, n)
	rd := resolveDist(d)
	for i := range out {
		out[i] = float32(rd.draw(r))
	}
	return out
}

// spreadQuantiles tabulates the lognormal with mean 1 and coefficient of
// variation cv at the midpoints of 4,096 equal-probability bins, so a
// payment's ticket is one uniform pick from the table instead of a normal
// draw and an exponential. The table's mean is 1 to 1e-4 and its
// quantiles are exact at the bin midpoints; 4,096 bins resolve tickets
// finer than anyone prices them.
//
// The table is a function of cv alone and costs 4,096 normal quantiles,
// a tenth of a small run's set-up, so tables are kept by cv and shared
// (read only) by every world: a sweep makes one. At most 64 are kept, so
// a sweep over the spread itself cannot grow the cache without bound.
func spreadQuantiles(cv float64) []float64 {
	spreadCache.Lock()
	q, ok := spreadCache.tables[cv]
	spreadCache.Unlock()
	if ok {
		return q
	}
	q = makeSpreadQuantiles(cv)
	spreadCache.Lock()
	if spreadCache.tables == nil {
		spreadCache.tables = map[float64][]float64{}
	}
	if len(spreadCache.tables) < 64 {
		spreadCache.tables[cv] = q
	}
	spreadCache.Unlock()
	return q
}

// keepTable returns the table of f(1, n, rate) for n below horizon, the
// powers habitNow and trustDeficit decay by (habit says which of the two
// f is). Like spreadQuantiles' tables, they are shared read only by every
// world with the same rate and horizon: 164 powers were a twentieth of a
// small run's set-up once its users came from GraphCache.
func keepTable(f func(x float64, n int, rate float64) float64, habit bool, rate float64, horizon int) []float64 {
	key := keepKey{habit: habit, rate: rate, horizon: horizon}
	keepCache.Lock()
	t, ok := keepCache.tables[key]
	keepCache.Unlock()
	if ok {
		return t
	}
	t = make([]float64, horizon)
	for n := range t {
		t[n] = f(1, n, rate)
	}
	keepCache.Lock()
	if keepCache.tables == nil || len(keepCache.tables) >= 64 {
		keepCache.tables = map[keepKey][]float64{}
	}
	keepCache.tables[key] = t
	keepCache.Unlock()
	return t
}

// keepKey is what a keepTable is a function of.
type keepKey struct {
	habit   bool
	rate    float64
	horizon int
}

// keepCache holds keepTable's tables.
var keepCache struct {
	sync.Mutex
	tables map[keepKey][]float64
}

// spreadBins is the number of rows of a spreadQuantiles table: 2^12, so
// that a payment's spread is 12 bits of its draw, exactly uniform
// (payDraw).
const spreadBins = 1 << 12

// spreadCache holds spreadQuantiles' tables by coefficient of variation.
var spreadCache struct {
	sync.Mutex
	tables map[float64][]float64
}

func makeSpreadQuantiles(cv float64) []float64 {
	const bins = spreadBins
	q := make([]float64, bins)
	if cv <= 0 {
		for i := range q {
			q[i] = 1
		}
		return q
	}
	n := distuv.UnitNormal
	sum := 0.0
	for i := range q {
		q[i] = lognormal(1, cv, n.Quantile((float64(i)+0.5)/bins))
		sum += q[i]
	}
	for i := range q { // the midpoints miss a little of the upper tail: restore the mean exactly
		q[i] *= bins / sum
	}
	return q
}

// lognormal maps a standard normal z to a lognormal with the given mean
// and standard deviation (not those of its logarithm).
func lognormal(mean, sd, z float64) float64 {
	if mean <= 0 {
		return 0
	}
	s2 := math.Log1p(sd * sd / (mean * mean))
	return mean * math.Exp(math.Sqrt(s2)*z-s2/2)
}

func (w *World) setupPlatforms() error {
	s := w.Scenario
	w.plat = make([]*platform, w.K)
	w.views = make([]agents.PublicView, w.K)
	for p := range s.Platforms {
		w.plat[p] = &platform{cfg: &s.Platforms[p]} // names first: a strategy's rival may come later
	}
	w.escrowFen = make([]int64, w.K)
	w.onCount = make([]int64, w.K)
	w.multiHomed = make([]int64, w.K)
	w.sponsorDueFen = make([]int64, w.K)
	w.brandDueFen = make([]int64, w.K)
	for p := range s.Platforms {
		cfg := &s.Platforms[p]
		pl := &platform{cfg: cfg, treasuryFen: cfg.Treasury.Fen(), feeRate: cfg.FeeRate, services: cfg.Services, baseServices: cfg.Services,
			rng: newStream(s.World.Seed, streamPlatform, uint64(p)), demandMul: 1}
		pl.schedule = agents.NewSchedule(cfg.Campaigns, w.kindIndex, len(w.kinds))
		setup := agents.PolicySetup{Rival: w.platformIndex(cfg.Strategy.Rival), Uniform: pl.rng.float}
		if len(cfg.Strategy.MerchantKinds) > 0 {
			setup.Kinds = make([]bool, len(w.kinds))
			for _, name := range cfg.Strategy.MerchantKinds {
				if k, ok := w.kindIndex[name]; ok {
					setup.Kinds[k] = true
				}
			}
		}
		base, err := agents.NewPolicy(&cfg.Strategy, setup)
		if err != nil {
			return fmt.Errorf("sim: platform %s: %w", cfg.Name, err)
		}
		pl.external = agents.NewExternal(base)
		pl.policy = pl.external
		maxAd := cfg.Advertising // the most advertising any day can bring: every campaign at once
		for _, c := range cfg.Campaigns {
			maxAd += c.Advertising
		}
		pl.awareBound = hazardProb(maxAd + cfg.WordOfMouth)
		pl.awareLog = trialLog(pl.awareBound)
		ss := s.Graph.StrongShare
		pl.reachAvg = ss*cfg.ReachStrong + (1-ss)*cfg.ReachWeak
		if cfg.Envelopes && agents.Launched(0, cfg.EnvelopesFrom) {
			w.envelopeMask |= 1 << p
		}
		w.sendersFrom = w.sendersFrom || (cfg.Envelopes && cfg.SendersFrom > 0)
		w.outsideFen -= pl.treasuryFen // investors' money: the world is the counterpart of every treasury
		w.plat[p] = pl
	}
	return nil
}

// scheduleTrials draws every user's first candidate day for awareness
// (unaware users), adoption (aware and registered ones) and dormancy
// (registered and card-bound ones), and the first day each user is due.
func (w *World) scheduleTrials(r *stream) {
	K := w.K
	for u := range w.N {
		due := int16(noTrial)
		for p := range K {
			i := u*K + p
			stg := w.stage(i)
			switch stg {
			case Unaware:
				w.tr[i].next = r.nextTrial(0, w.plat[p].awareLog)
			case Aware, Registered:
				w.tr[i].next = r.nextTrial(0, w.adoptLog)
			}
			if stg != CardBound {
				due = min(due, w.tr[i].next)
			}
			if stg >= Registered {
				w.tr[i].dnext = r.nextTrial(0, w.dormLog)
				due = min(due, w.tr[i].dnext)
			}
		}
		w.due[u] = due
	}
}

// bigGraph is the number of friendship ends from which New collects the
// graph generator's garbage at once (8 MB of pairs; the collection took
// 0.5 ms at a million users, nothing against the set-up of such a world).
const bigGraph = 1 << 20

// runBeside runs f on a goroutine of its own when beside is true, and at
// once otherwise, and returns a wait for it: the first call waits for f
// to end, later calls return at once. A panic in f is raised again in the
// goroutine that waits, as if f had run there, so that a caller's recover
// (a sweep records a run's panic as its error) still sees it.
func runBeside(beside bool, f func()) (wait func()) {
	if !beside {
		f()
		return func() {}
	}
	done := make(chan any, 1)
	go func() {
		var panicked any
		defer func() { done <- panicked }()
		defer func() { panicked = recover() }()
		f()
	}()
	waited := false
	return func() {
		if waited {
			return
		}
		waited = true
		if v := <-done; v != nil {
			panic(v)
		}
	}
}

// overlapMinUsers is the smallest world whose graph newWorld builds while
// it draws the merchants, traits and users, and whose friends it counts
// beside the trials' first draws (a smaller one is built in milliseconds,
// and a sweep's worlds are small).
var overlapMinUsers = 1 << 17 // a var so that a test can overlap small worlds

// partitionCount is the number of partitions for n users when the scenario
// leaves it to us: about 8,192 users each, so a million users make 122
// units of work for the pool; it depends on n only, never on the machine.
func partitionCount(n, asked int) int {
	if asked > 0 {
		return min(asked, n)
	}
	return min(256, max(1, n/8192))
}

func (w *World) setupPartitions() {
	P := partitionCount(w.N, w.Scenario.World.Partitions)
	chunk := (w.N + P - 1) / P
	w.partMul = divisorMul(chunk)
	w.parts = make([]*partition, P)
	for i := range w.parts {
		lo, hi := i*chunk, min(w.N, (i+1)*chunk)
		w.parts[i] = newPartition(w, i, lo, hi)
	}
	for _, pt := range w.parts {
		pt.initBuffers(P)
	}
	w.central = make([][]message, P)
	nw := max(1, min(runtime.GOMAXPROCS(0), P))
	w.workers = make([]*worker, nw)
	for i := range w.workers {
		w.workers[i] = newWorker(w)
	}
}

// partOf returns the partition that owns user u: u over the users a
// partition holds, by a multiplication (w.partMul) instead of the two
// divisions it took, which fanOut paid for every friend of a user
// registering or going dormant and send for every message.
func (w *World) partOf(u int32) int {
	if w.partMul == 0 { // a user a partition
		return int(u)
	}
	hi, _ := bits.Mul64(w.partMul, uint64(uint32(u)))
	return int(hi)
}

// divisorMul is ⌈2^64 / d⌉ for d ≥ 2, and 0 for d = 1, whose multiplier
// does not fit: the high 64 bits of its product with any n below 2^32
// are ⌊n / d⌋ (Lemire, Kaser & Kurz 2019, "Faster remainder by direct
// computation": a 64-bit multiplier is exact for 32-bit numerators).
// TestPartOfDivides checks it against the division.
func divisorMul(d int) uint64 {
	if d <= 1 {
		return 0
	}
	return math.MaxUint64/uint64(d) + 1
}

// indexCustomers lists each merchant's usual customers (traits.cust),
// which flipAccept walks when a merchant takes up or drops a wallet.
func (w *World) indexCustomers() {
	M, nU := max(w.M, 1), w.nUsual // with no merchants, usual merchants are 0 all the same
	off := make([]int32, M+1)
	for _, m := range w.usual {
		off[m+1]++
	}
	for m := range M {
		off[m+1] += off[m]
	}
	fill := slices.Clone(off[:M])
	cust := make([]int32, len(w.usual))
	for u := range w.N {
		for _, m := range w.usual[u*nU : (u+1)*nU] {
			cust[fill[m]] = int32(u)
			fill[m]++
		}
	}
	w.custOff, w.cust = off, cust
}

// countAccepting counts, for every user and platform, the usual merchants
// that accept the platform (merchantShare), as set-up leaves them;
// flipAccept keeps the counts since. Adoption trials counted the share
// at the merchants themselves before: 2.6% of a NetLogo-scale run's
// instructions (callgrind).
func (w *World) countAccepting() {
	K, nU := w.K, w.nUsual
	w.accepting = make([]uint8, w.N*K)
	if len(w.accept) == 0 {
		return // no merchants: none accepts anything
	}
	accept := w.accept
	for u := range w.N {
		// Platform p's count in byte p: no lane passes 16 (usual_merchants).
		var n uint64
		for _, m := range w.usual[u*nU : (u+1)*nU] {
			n += byteLanes[accept[m]]
		}
		for p := range K {
			w.accepting[u*K+p] = uint8(n >> (8 * (p & 7)))
		}
	}
}

// byteLanes[a] has bit p of a in byte p: a sum over merchants counts each
// platform in its own byte (countAccepting).
var byteLanes = func() (t [256]uint64) {
	for a := range t {
		for p := range 8 {
			t[a] |= uint64(a>>p&1) << (8 * p)
		}
	}
	return t
}()

// countInitial sets the derived counts from the installed base: friends on
// each platform, merchants' bound customers, multi-homing, activity.
func (w *World) countInitial() {
	K := w.K
	for u := 0; u < w.N; u++ {
		pt := w.parts[w.partOf(int32(u))]
		for p := 0; p < K; p++ {
			i := u*K + p
			stg := w.stage(i)
			if stg >= Aware {
				pt.c.level[p].aware++
			}
			if stg >= Registered {
				pt.c.level[p].registered++
				w.onCount[p]++
			}
			if stg == CardBound {
				pt.c.level[p].bound++
				w.applyBind(int32(u), p, +1)
			}
			if lu := w.use[i].lastUse; lu != neverUsed {
				pt.useHist[p][int(lu)+w.Scenario.Retention.ActiveDays]++
			}
		}
		if w.bmask[u] == 0 {
			pt.countNoWallet(u, +1)
		}
	}
}

// countTies counts, for every user and platform, the ties the platform
// carries and the friends over them registered on it (and not dormant):
// the installed base's friends, before any day's changes, which go through
// partition.fanOut. The carried ties are a function of the graph, so they
// are counted once a graph and kept on it (Graph.carried). A tie is stored
// at both ends alike, so friends can be counted from either end: a large
// world counts each user's own friends, users in parallel
// (countFriendsGather); a small one, on one core, walks only the ties of
// users who are on some platform and counts at the other end
// (countFriendsScatter), a fraction of the ends when few are on. The
// counts are the same either way.
func (w *World) countTies() {
	g, K := w.graph, w.K
	fresh := g.carried == nil || g.carriedK != K
	if fresh {
		g.carried, g.carriedK = make([]uint16, w.N*K), K
	}
	w.carried = g.carried
	if parallelParts(w.N) > 1 {
		parallelRange(w.N, func(lo, hi int) {
			if fresh { // one pass over the ends counts both
				w.countFriendsGather(lo, hi, g.carried)
			} else {
				w.countFriendsGather(lo, hi, nil)
			}
		})
		return
	}
	if fresh {
		for u := range w.N {
			var c [MaxPlatforms]uint16
			for j := g.Off[u]; j < g.Off[u+1]; j++ {
				t := uint16(g.Tie[j])
				for p := 0; p < K; p++ {
					c[p] += t >> p & 1
				}
			}
			copy(g.carried[u*K:(u+1)*K], c[:K])
		}
	}
	w.countFriendsScatter()
}

// countFriendsGather counts the friends on each platform of users lo to
// hi−1 (countTies) by reading their own ties, and their carried ties too
// when carried is not nil.
func (w *World) countFriendsGather(lo, hi int, carried []uint16) {
	g, K, st := w.graph, w.K, w.st
	// A friend's stages on every platform come in one load of the eight
	// bytes from its first (the last users' bytes one at a time, where
	// eight would run past the array), and a tie's platforms spread one
	// to a byte (byteLanes), so each byte of a word counts one platform:
	// the tie carries p (bit p of t), the friend is registered or bound
	// on p (bit 1 of its stage) and not dormant (bit 2). A byte holds
	// 255, so the words are emptied into the counts every 255 ends. The
	// friends' lines are asked for friendAhead ends ahead: the load, at
	// a random friend, was 550 of 880 ms of this loop's CPU (pprof of
	// BenchmarkNewCoreMillion).
	wide := len(st) - 8 // the last friend whose eight bytes lie inside st
	if !nativeLittle {
		wide = -1 // a load would put the first byte in the top lane
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(st)))
	adj := g.Adj
	pf, pfEnd := int(g.Off[lo])+friendAhead, int(g.Off[hi])
	for u := lo; u < hi; u++ {
		var c, on [MaxPlatforms]uint16
		j, end := int(g.Off[u]), int(g.Off[u+1])
		if canPrefetch {
			for ; pf < min(end+friendAhead, pfEnd); pf += 6 {
				i := min(pf, pfEnd-6)
				if i < 0 {
					break
				}
				prefetch6(base+uintptr(int(adj[i])*K), base+uintptr(int(adj[i+1])*K), base+uintptr(int(adj[i+2])*K),
					base+uintptr(int(adj[i+3])*K), base+uintptr(int(adj[i+4])*K), base+uintptr(int(adj[i+5])*K))
			}
		}
		for j < end {
			stop := min(end, j+255)
			var cw, ow uint64
			for ; j < stop; j++ {
				t, v := byteLanes[g.Tie[j]&^tieStrong], int(adj[j])*K
				var s uint64
				if v <= wide {
					s = *(*uint64)(unsafe.Pointer(&st[v]))
				} else {
					for p := range K {
						s |= uint64(st[v+p]) << (8 * p)
					}
				}
				cw += t
				ow += t & (s >> 1) &^ (s >> 2)
			}
			for p := range K {
				c[p] += uint16(cw >> (8 * p) & 0xff)
				on[p] += uint16(ow >> (8 * p) & 0xff)
			}
		}
		for p, n := range on[:K] {
			w.tr[u*K+p].friendsOn = n
		}
		if carried != nil {
			copy(carried[u*K:(u+1)*K], c[:K])
		}
	}
}

// friendAhead is how many ends ahead countFriendsGather asks for a
// friend's stages.
const friendAhead = 24

// countFriendsScatter counts every user's friends on each platform
// (countTies) from the friends' end: each user on some platform adds one
// to the friends its ties reach over a tie that carries the platform.
func (w *World) countFriendsScatter() {
	g, K := w.graph, w.K
	for i := range w.tr {
		w.tr[i].friendsOn = 0
	}
	for v := 0; v < w.N; v++ {
		var on uint16 // platforms v is registered or bound on, not dormant
		for p := 0; p < K; p++ {
			s := uint16(w.st[v*K+p])
			on |= ((s >> 1) &^ (s >> 2) & 1) << p
		}
		if on == 0 {
			continue
		}
		for j := g.Off[v]; j < g.Off[v+1]; j++ {
			u := int(g.Adj[j])
			for t := uint16(g.Tie[j]) & on; t != 0; t &= t - 1 {
				w.tr[u*K+bits.TrailingZeros16(t)].friendsOn++
			}
		}
	}
}

// applyBind records that u bound (delta +1) a card on p: its usual
// merchants count one more bound customer, and multi-homing is updated.
func (w *World) applyBind(u int32, p int, delta int64) {
	K := w.K
	for j := 0; j < w.nUsual; j++ {
		m := int(w.usual[int(u)*w.nUsual+j])
		w.boundCust[m*K+p] += int32(delta)
	}
	others := 0
	single := -1
	for q := 0; q < K; q++ {
		if q != p && w.stage(int(u)*K+q) == CardBound {
			others++
			single = q
		}
	}
	if others >= 1 {
		w.multiHomed[p] += delta
	}
	if others == 1 {
		w.multiHomed[single] += delta // the other wallet just became multi-homed
	}
}

// Day returns the number of days simulated so far (the next day to run).
func (w *World) Day() int { return w.day }

// Done reports whether the horizon is reached.
func (w *World) Done() bool { return w.day >= w.Scenario.World.Days }

// History returns the metrics of every day simulated so far.
func (w *World) History() []DayMetrics { return w.history }

// Graph returns the social graph (read only).
func (w *World) Graph() *Graph { return w.graph }

// Date returns the calendar date of day d.
func (w *World) Date(d int) time.Time { return w.cal.date(d) }
