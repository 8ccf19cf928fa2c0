package scenarios

// The schema: one Go struct per TOML table. Every field carries its TOML key
// and a `doc` tag; `unit`, `min`, `max` and `enum` tags drive validation and
// docs/scenarios.md, so the three never drift apart. Defaults live in the
// SetDefaults methods, which the loader calls before it overlays a file.

// Scenario is a whole scenario file.
type Scenario struct {
	Profile   string         `toml:"profile" doc:"Behaviour profile laid under the file (scenarios/profiles/NAME.toml): the shared behavioural parameters; empty for none."`
	Overrides []Override     `toml:"overrides" doc:"Behavioural keys this file sets itself instead of taking the profile's, each a table in [[overrides]] with its reason."`
	World     World          `toml:"world" doc:"Size, horizon, seed and the real population the run stands for."`
	Graph     Graph          `toml:"graph" doc:"The social graph users send envelopes along and learn from."`
	Users     Users          `toml:"users" doc:"Distributions users are drawn from at set-up."`
	Adoption  Adoption       `toml:"adoption" doc:"The logit that turns an aware user into a registered, then card-bound one."`
	Choice    Choice         `toml:"choice" doc:"The logit a card-bound user pays by, per payment, against cash."`
	Habit     Habit          `toml:"habit" doc:"Habit per user and wallet: rises with use, decays daily."`
	Trust     Trust          `toml:"trust" doc:"Trust lost on a failed payment and regained over time."`
	Retention Retention      `toml:"retention" doc:"Activity windows and the drift of unused accounts to dormancy."`
	Envelopes Envelopes      `toml:"envelopes" doc:"Peer-to-peer red envelopes."`
	Transfers Transfers      `toml:"transfers" doc:"Personal transfers: money a card-bound user sends to a friend or a bank card through a wallet (platforms.transfers)."`
	Funds     Funds          `toml:"funds" doc:"Purchases of a wallet's money-market fund (Yu'e Bao, Licaitong) by its card-bound users (platforms.fund)."`
	Merchants []MerchantKind `toml:"merchants" doc:"Kinds of merchant, each a table in the array [[merchants]]."`
	Platforms []Platform     `toml:"platforms" doc:"Wallet platforms, each a table in the array [[platforms]] (2 to 6 in most scenarios, 1 to 7 allowed)."`
	Events    []Event        `toml:"events" doc:"Calendar events, each a table in the array [[events]]."`
	Payoff    Payoff         `toml:"payoff" doc:"How a platform's payoff is scored for the game layer."`
}

// World holds size, horizon and identity of a run.
type World struct {
	Name        string  `toml:"name" doc:"Short name of the scenario, used in output paths."`
	Description string  `toml:"description" doc:"One line that says what the scenario shows."`
	Users       int     `toml:"users" doc:"Number of simulated users." min:"10" max:"50000000"`
	Days        int     `toml:"days" doc:"Number of days to simulate." unit:"days" min:"1" max:"3660"`
	StartDate   string  `toml:"start_date" doc:"Calendar date of day 0, as YYYY-MM-DD." unit:"date"`
	Seed        uint64  `toml:"seed" doc:"Seed of every random stream; the same seed gives the same bytes."`
	Represents  float64 `toml:"represents" doc:"Real population the simulated users stand for. When set, treasuries, floors and campaign and sponsored budgets are real-world yuan, divided among the simulated users by users/represents, so that the number of users changes precision, not economics; counts and money are scaled by represents/users in real-unit reports." unit:"people" min:"0" max:"1e10"`
	Partitions  int     `toml:"partitions" doc:"Number of user partitions (units of parallel work and of random streams); 0 picks one from the user count. Changing it changes results; GOMAXPROCS does not." min:"0" max:"1024"`
	CheckLedger bool    `toml:"check_ledger" doc:"Recount every account each day and stop the run if money was created or lost."`
}

// Graph describes the social graph.
type Graph struct {
	Kind          string  `toml:"kind" doc:"Generator: preferential (Barabási–Albert with hubs), small_world (Watts–Strogatz ring with rewiring), communities (stochastic block model), or uniform (no graph: everyone mixes with everyone)." enum:"preferential|small_world|communities|uniform"`
	MeanDegree    float64 `toml:"mean_degree" doc:"Mean number of friends per user." unit:"friends" min:"0" max:"1000"`
	StrongShare   float64 `toml:"strong_share" doc:"Share of ties that are strong (close friends, family) for generators without their own notion of strength." unit:"share" min:"0" max:"1"`
	Rewire        float64 `toml:"rewire" doc:"small_world: probability a lattice tie is rewired to a random user (rewired ties are weak)." unit:"probability" min:"0" max:"1"`
	CommunitySize int     `toml:"community_size" doc:"communities: mean community size." unit:"users" min:"2" max:"100000"`
	InsideShare   float64 `toml:"inside_share" doc:"communities: share of a user's ties inside its community (inside ties are strong, outside ties weak)." unit:"share" min:"0" max:"1"`
}

// Dist is a distribution users' traits are drawn from.
type Dist struct {
	Kind string  `toml:"kind" doc:"const, normal (truncated at min/max), lognormal (by its mean and sd), or uniform (between min and max)." enum:"const|normal|lognormal|uniform"`
	Mean float64 `toml:"mean" doc:"Mean (const: the value)."`
	SD   float64 `toml:"sd" doc:"Standard deviation." min:"0"`
	Min  float64 `toml:"min" doc:"Lower bound (draws are clipped to it)."`
	Max  float64 `toml:"max" doc:"Upper bound (draws are clipped to it); 0 means none."`
}

// Users holds the distributions of user traits.
type Users struct {
	PriceSensitivity  Dist    `toml:"price_sensitivity" doc:"Multiplier on the weight of money (subsidies) in a user's choices." unit:"factor"`
	SocialSensitivity Dist    `toml:"social_sensitivity" doc:"Multiplier on the weight of friends in a user's adoption." unit:"factor"`
	PaymentsPerDay    Dist    `toml:"payments_per_day" doc:"Mean of the Poisson number of payments a user makes a day (cash included), before seasonal multipliers." unit:"payments/day"`
	Ticket            Dist    `toml:"ticket" doc:"Mean ticket of a user's payments; each payment draws around it." unit:"yuan"`
	TicketSpread      float64 `toml:"ticket_spread" doc:"Coefficient of variation of a single payment around the user's mean ticket (a lognormal draw)." unit:"factor" min:"0" max:"5"`
	SubsidyElasticity float64 `toml:"subsidy_elasticity" doc:"Induced demand: where a wallet the user holds offers cashback worth a share s of the ticket, the user pays there 1 + subsidy_elasticity·s times as often (subsidised taxi rides multiplied in 2014)." unit:"factor" min:"0" max:"100"`
	SubsidySaturation float64 `toml:"subsidy_saturation" doc:"Where induced demand levels off: the factor is 1 + elasticity·s/(1 + s/saturation), so subsidies far above this share of the ticket add little more; 0 means no levelling (linear)." unit:"share" min:"0" max:"100"`
	UsualMerchants    int     `toml:"usual_merchants" doc:"How many usual merchants each user pays at." unit:"merchants" min:"1" max:"16"`
}

// Adoption holds the weights of the adoption logit. Each day an aware user
// registers with probability MaxRate·Λ(U), and a registered user binds a card
// with probability MaxRate·Λ(U + BindOffset), where Λ is the logistic function.
type Adoption struct {
	MaxRate       float64 `toml:"max_rate" doc:"Largest daily probability of taking one adoption step." unit:"probability/day" min:"0" max:"1"`
	Intercept     float64 `toml:"intercept" doc:"Logit intercept of adoption." unit:"logit" min:"-1000" max:"1000"`
	Friends       float64 `toml:"friends" doc:"Weight on ln(1 + friends active on the platform), times the user's social sensitivity." unit:"logit" min:"-1000" max:"1000"`
	Subsidy       float64 `toml:"subsidy" doc:"Weight per yuan of subsidy on offer for a typical payment, times the user's price sensitivity." unit:"logit/yuan" min:"-1000" max:"1000"`
	Merchants     float64 `toml:"merchants" doc:"Weight on the share of the user's usual merchants that accept the wallet." unit:"logit" min:"-1000" max:"1000"`
	Services      float64 `toml:"services" doc:"Weight on the platform's service breadth (0 to 1)." unit:"logit" min:"-1000" max:"1000"`
	Balance       float64 `toml:"balance" doc:"Weight on holding a balance in the wallet (money received in envelopes)." unit:"logit" min:"-1000" max:"1000"`
	SwitchingCost float64 `toml:"switching_cost" doc:"Logit cost per wallet the user already has a card bound to." unit:"logit" min:"-1000" max:"1000"`
	Trust         float64 `toml:"trust" doc:"Weight on the user's trust deficit with the platform (0 none, 1 total)." unit:"logit" min:"-1000" max:"1000"`
	BindOffset    float64 `toml:"bind_offset" doc:"Added to the logit for the second step, binding a card (negative: binding is harder than registering)." unit:"logit" min:"-1000" max:"1000"`
	InFlow        float64 `toml:"in_flow" doc:"Added to the logit of both adoption steps on a platform whose sign-up and card binding sit inside a flow its users are already in (platforms.in_flow: the taxi apps' booking); behaviour, the same value in every episode." unit:"logit" min:"-1000" max:"1000"`
}

// Choice holds the weights of the per-payment method choice. Cash has
// utility 0; a wallet has convenience + habit + subsidy + balance − trust terms
// plus Gumbel noise of scale 1 (a multinomial logit).
type Choice struct {
	Habit   float64 `toml:"habit" doc:"Weight on the user's habit with the wallet (0 to 1)." unit:"logit" min:"-1000" max:"1000"`
	Subsidy float64 `toml:"subsidy" doc:"Weight per yuan of subsidy on this payment, times price sensitivity." unit:"logit/yuan" min:"-1000" max:"1000"`
	Balance float64 `toml:"balance" doc:"Weight on the share of the ticket the wallet's balance covers." unit:"logit" min:"-1000" max:"1000"`
	Trust   float64 `toml:"trust" doc:"Weight on the trust deficit (0 to 1)." unit:"logit" min:"-1000" max:"1000"`
	// Loss and ReferenceDays make the subsidy's weight depend on what the
	// wallet offered lately (agents.ReferenceLoss): the taxi war's riders
	// left the apps' payment when the cashback stopped, where habit alone
	// keeps them (docs/calibration.md, misses 5 and 6).
	Loss          float64 `toml:"loss" doc:"Weight, times choice.subsidy, per yuan by which the cashback a wallet offered lately at a kind of merchant (its reference) exceeds today's: a cut is felt as a loss (agents.ReferenceLoss); 0 turns it off." unit:"share" min:"0" max:"100"`
	ReferenceDays float64 `toml:"reference_days" doc:"Days over which the reference cashback follows the offer (an exponential average: a 1/reference_days step a day)." unit:"days" min:"1" max:"3650"`
}

// Habit sets how habit grows and fades.
type Habit struct {
	Gain    float64 `toml:"gain" doc:"Share of the gap to 1 that one use closes." unit:"share" min:"0" max:"1"`
	Decay   float64 `toml:"decay" doc:"Share of habit lost each day without use." unit:"share/day" min:"0" max:"1"`
	Initial float64 `toml:"initial" doc:"Habit of users who start card-bound and active." unit:"share" min:"0" max:"1"`
}

// Trust sets the penalty for failed payments.
type Trust struct {
	Loss     float64 `toml:"loss" doc:"Trust deficit added by one failed payment (capped at 1)." unit:"share" min:"0" max:"1"`
	Recovery float64 `toml:"recovery" doc:"Share of the deficit regained each day." unit:"share/day" min:"0" max:"1"`
}

// Retention sets activity windows and dormancy.
type Retention struct {
	ActiveDays   int     `toml:"active_days" doc:"A user is monthly active on a wallet it used within this many days." unit:"days" min:"1" max:"365"`
	DormantAfter int     `toml:"dormant_after" doc:"Days without use after which a user with no active friends and no balance on a wallet may drift to dormancy." unit:"days" min:"1" max:"3660"`
	DormancyRate float64 `toml:"dormancy_rate" doc:"Daily probability that such a user goes dormant (stops counting as a friend on the platform and stops adopting)." unit:"probability/day" min:"0" max:"1"`
	ReviveOnUse  bool    `toml:"revive_on_use" doc:"Whether a dormant user who uses the wallet again (pays, claims) wakes up."`
}

// Envelopes sets peer-to-peer red envelopes.
type Envelopes struct {
	PerDay             float64 `toml:"per_day" doc:"Envelopes a card-bound user sends per day on a platform that carries envelopes, before seasonal multipliers." unit:"envelopes/day" min:"0" max:"100"`
	GroupShare         float64 `toml:"group_share" doc:"Share of envelopes that are lucky-money group envelopes (the rest go to one friend)." unit:"share" min:"0" max:"1"`
	GroupSize          int     `toml:"group_size" doc:"Friends a group envelope is offered to." unit:"friends" min:"1" max:"100"`
	GroupShares        int     `toml:"group_shares" doc:"Shares a group envelope is split into (grabbed by the first comers); 0 means group_size." unit:"shares" min:"0" max:"100"`
	Amount             Dist    `toml:"amount" doc:"Total amount of an envelope." unit:"yuan"`
	MaxAmount          Yuan    `toml:"max_amount" doc:"Largest envelope allowed (WeChat: 200 yuan)." unit:"yuan" min:"0.01" max:"1000000"`
	ClaimRegistered    float64 `toml:"claim_registered" doc:"Probability a registered recipient claims its share." unit:"probability" min:"0" max:"1"`
	ClaimByRegistering float64 `toml:"claim_by_registering" doc:"Probability an unregistered recipient registers to claim, times its social sensitivity (capped at 1)." unit:"probability" min:"0" max:"1"`
	BindToWithdraw     float64 `toml:"bind_to_withdraw" doc:"Probability a recipient without a card binds one at once to withdraw what it claimed." unit:"probability" min:"0" max:"1"`
	Reciprocity        float64 `toml:"reciprocity" doc:"Gain g of reciprocity (agents.EnvelopeKeep): a sender who has received no peer envelopes on the platform sends 1/(1+g) of per_day (and of the festival's multiples), one who has received many sends all of it; 0: every sender sends per_day." unit:"gain" min:"0" max:"1000"`
	Tradition          float64 `toml:"tradition" doc:"Part of a Spring Festival's extra envelopes (its multiples of per_day beyond 1) that is tradition: every card-bound sender sends that part at the naive rate 1/(1+reciprocity), whatever it has received (agents.SeasonKeep); 0: reciprocity grows every envelope of the season." unit:"share" min:"0" max:"1"`
	Reply              float64 `toml:"reply" doc:"Probability a card-bound user who claims a share of a peer envelope answers it the same day with an envelope of its own, at most once a day on a platform (agents.RepliesInKind): replies cascade within the day. 0: no replies." unit:"probability" min:"0" max:"1"`
}

// Transfers are personal transfers (docs/brief.md: the firms' "personal
// applications", 70% of iResearch's value in 2017): the rate is behaviour
// (the profile), the amounts are the market.
type Transfers struct {
	PerDay  float64 `toml:"per_day" doc:"Transfers a card-bound user makes a day on a wallet whose transfers have launched (platforms.transfers, transfers_from), times the season's spending multiplier. Behaviour: a library scenario takes it from its profile." unit:"transfers/day" min:"0" max:"100"`
	Network float64 `toml:"network" doc:"Part of transfers that need a counterparty who uses the wallet: a card-bound user's transfers by a wallet are made with chance 1 - network + network x (the wallet's card-bound share of the population the day before) (agents.TransferReach); 0: every transfer is made. Behaviour: a library scenario takes it from its profile." unit:"share" min:"0" max:"1"`
	Amount  Dist    `toml:"amount" doc:"Amount of one transfer; a transfer to a friend registered on the wallet lands in the friend's wallet, any other goes to a bank card (outside the model)." unit:"yuan"`
}

// Funds are purchases of a wallet's money-market fund: money moves from
// the user's bank card into the fund, both outside the model, and the
// firms count it as payment value ("mobile finance", 17.5% of iResearch's
// value in Q1 2017).
type Funds struct {
	PerDay float64 `toml:"per_day" doc:"Fund purchases a card-bound user makes a day on a wallet whose fund has launched (platforms.fund, fund_from). Behaviour: a library scenario takes it from its profile." unit:"purchases/day" min:"0" max:"100"`
	Amount Dist    `toml:"amount" doc:"Amount of one fund purchase." unit:"yuan"`
}

// MerchantKind is one kind of merchant.
type MerchantKind struct {
	Kind          string   `toml:"kind" doc:"Name of the kind (shop, restaurant, online, taxi, utility, ...); campaigns and events refer to it."`
	PerThousand   float64  `toml:"per_thousand" doc:"Merchants of this kind per 1,000 users." unit:"merchants" min:"0" max:"100000"`
	Weight        float64  `toml:"weight" doc:"Relative chance that a usual merchant of a user is of this kind." unit:"weight" min:"0" max:"1000000"`
	TicketFactor  float64  `toml:"ticket_factor" doc:"Multiplier on the user's ticket at this kind." unit:"factor" min:"0" max:"100"`
	FixedCost     Yuan     `toml:"fixed_cost" doc:"Weekly cost of keeping a wallet (terminal, staff time)." unit:"yuan/week" min:"0" max:"1000000"`
	BenefitRate   float64  `toml:"benefit_rate" doc:"What a yuan of sales through a wallet is worth to the merchant (kept sales, speed), as a share." unit:"share" min:"0" max:"1"`
	ReviewDays    int      `toml:"review_days" doc:"Days between reviews of accepted wallets." unit:"days" min:"1" max:"3660"`
	DropAfter     int      `toml:"drop_after" doc:"A wallet that brought no payment for this many days is dropped at the next review." unit:"days" min:"1" max:"3660"`
	ExpectedShare float64  `toml:"expected_share" doc:"Share of its card-bound customers' payments a merchant expects a wallet to carry when it weighs accepting it." unit:"share" min:"0" max:"1"`
	Stickiness    float64  `toml:"stickiness" doc:"Probability a merchant that would change its accepted set does not at a given review (inertia)." unit:"probability" min:"0" max:"1"`
	Service       bool     `toml:"service" doc:"A city service (utility bills, hospital, traffic fines): accepts only platforms whose services breadth is at least service_level."`
	Convenience   float64  `toml:"convenience" doc:"Added to every wallet's convenience for payments at this kind: a ride booked in an app is paid there in one tap. Behaviour: a library scenario takes it from its profile's [kinds.NAME]." unit:"logit" min:"-1000" max:"1000"`
	Wallets       []string `toml:"wallets" doc:"The only wallets merchants of this kind may accept (a walled garden: Taobao and Tmall took Alipay only); empty means any."`
	ServiceLevel  float64  `toml:"service_level" doc:"For service kinds: breadth a platform needs for the service to accept it." unit:"share" min:"0" max:"1"`
}

// Platform is one wallet platform.
type Platform struct {
	Name           string     `toml:"name" doc:"Short unique name (used by --set, strategies and events)."`
	Label          string     `toml:"label" doc:"Display name."`
	Color          string     `toml:"color" doc:"Colour as #rrggbb, for charts and the visualizer." unit:"colour"`
	Treasury       Yuan       `toml:"treasury" doc:"Money from investors at day 0: real-world yuan when world.represents is set (divided among the simulated users by users/represents), else at the model's scale." unit:"yuan" min:"0" max:"1000000000000"`
	FeeRate        float64    `toml:"fee_rate" doc:"Fee charged to merchants per yuan paid through the wallet." unit:"share" min:"0" max:"0.2"`
	ReachStrong    float64    `toml:"reach_strong" doc:"Share of strong ties the platform carries (a messenger: all)." unit:"share" min:"0" max:"1"`
	ReachWeak      float64    `toml:"reach_weak" doc:"Share of weak ties the platform carries (a microblog: many)." unit:"share" min:"0" max:"1"`
	Capacity       float64    `toml:"capacity" doc:"Payments a day the platform can process per 1,000 users; above it a share of payments fails. 0 means unlimited." unit:"payments/day/1000 users" min:"0" max:"1000000000"`
	OutageRate     float64    `toml:"outage_rate" doc:"Daily probability of an outage." unit:"probability/day" min:"0" max:"1"`
	OutageSeverity float64    `toml:"outage_severity" doc:"Share of the day's payments that fail during an outage." unit:"share" min:"0" max:"1"`
	Services       float64    `toml:"services" doc:"Service breadth (city services, bills) from 0 to 1: stickiness and adoption without subsidy." unit:"share" min:"0" max:"1"`
	Convenience    float64    `toml:"convenience" doc:"Utility of paying with this wallet instead of cash before habit and subsidy (negative: cash is easier)." unit:"logit" min:"-1000" max:"1000"`
	Envelopes      bool       `toml:"envelopes" doc:"Whether users send peer-to-peer red envelopes on this platform."`
	EnvelopesFrom  int        `toml:"envelopes_from" doc:"Day the platform's peer envelopes launch (WeChat's: 26 Jan 2014); 0 means from the start." unit:"day" min:"0" max:"3660"`
	SendersFrom    int        `toml:"senders_from" doc:"Day from which a card bound on the platform can send its peer envelopes; cards bound before it came with another of the firm's products and never do (history: china-2013-2017's wechat is Tenpay, whose cards before WeChat Pay's launch in August 2013 were QQ Wallet's). 0 means every card." unit:"day" min:"0" max:"3660"`
	Transfers      bool       `toml:"transfers" doc:"Whether users send personal transfers through this platform (transfers.per_day)."`
	TransfersFrom  int        `toml:"transfers_from" doc:"Day the platform's transfers launch; 0 means from the start." unit:"day" min:"0" max:"3660"`
	Fund           bool       `toml:"fund" doc:"Whether the platform sells a money-market fund its users buy into (funds.per_day)."`
	FundHolders    float64    `toml:"fund_holders" doc:"Share of the people who carry the wallet who hold its fund; those with a card bound buy into it (history: Yu'e Bao had 149M accounts against Alipay Wallet's ~190M users, Licaitong ~100M against WeChat's 889M monthly actives, who all carry WeChat Pay); each user holds it or not for the whole run." unit:"share" min:"0" max:"1"`
	FundFrom       int        `toml:"fund_from" doc:"Day the platform's fund launches (Yu'e Bao: 13 June 2013); 0 means from the start." unit:"day" min:"0" max:"3660"`
	Advertising    float64    `toml:"advertising" doc:"Baseline awareness from outside the graph (Bass p)." unit:"probability/day" min:"0" max:"1"`
	InFlow         bool       `toml:"in_flow" doc:"History: the wallet's sign-up and card binding sit inside a flow its users are already in (the taxi apps asked riders for a card in the booking), so adoption.in_flow is added to both adoption steps."`
	WordOfMouth    float64    `toml:"word_of_mouth" doc:"Awareness from friends (Bass q), times the share of the user's carried ties that are active on the platform." unit:"probability/day" min:"0" max:"1"`
	Initial        Installed  `toml:"initial" doc:"Installed base at day 0, as shares of all users."`
	Campaigns      []Campaign `toml:"campaigns" doc:"Scheduled campaigns, each a table in [[platforms.campaigns]]."`
	Strategy       Strategy   `toml:"strategy" doc:"How the platform reacts to rivals and results."`
}

// Installed is a platform's installed base at day 0.
type Installed struct {
	Aware      float64 `toml:"aware" doc:"Share of users aware of the platform." unit:"share" min:"0" max:"1"`
	Registered float64 `toml:"registered" doc:"Share of users registered (at most aware)." unit:"share" min:"0" max:"1"`
	CardBound  float64 `toml:"card_bound" doc:"Share of users with a card bound (at most registered)." unit:"share" min:"0" max:"1"`
	Active     float64 `toml:"active" doc:"Share of card-bound users who are active at day 0 (with habit)." unit:"share" min:"0" max:"1"`
	Merchants  float64 `toml:"merchants" doc:"Share of merchants accepting the wallet at day 0." unit:"share" min:"0" max:"1"`
}

// Campaign is a scheduled bundle of subsidies. Amounts from overlapping
// campaigns add up.
type Campaign struct {
	Name  string `toml:"name" doc:"Name shown in reports."`
	Start int    `toml:"start" doc:"First day (inclusive)." unit:"day" min:"0"`
	End   int    `toml:"end" doc:"Last day (inclusive); must be within the horizon." unit:"day" min:"0"`

	MerchantKinds []string `toml:"merchant_kinds" doc:"Merchant kinds the payment subsidies apply to; empty means all."`

	Cashback        Yuan    `toml:"cashback" doc:"User cashback per wallet payment." unit:"yuan" min:"0" max:"1000000"`
	CashbackMax     Yuan    `toml:"cashback_max" doc:"If above cashback, the cashback is drawn uniformly between cashback and this (Didi's random 12–20)." unit:"yuan" min:"0" max:"1000000"`
	CashbackPercent float64 `toml:"cashback_percent" doc:"User cashback as a percent of the ticket, added to the amount." unit:"percent" min:"0" max:"100"`
	CashbackCap     Yuan    `toml:"cashback_cap" doc:"Largest cashback on one payment; 0 means no cap." unit:"yuan" min:"0" max:"1000000"`
	DailyCap        Yuan    `toml:"daily_cap" doc:"Largest cashback one user gets a day; 0 means no cap." unit:"yuan" min:"0" max:"1000000"`
	DailyCount      int     `toml:"daily_count" doc:"Payments a day per user that earn cashback; 0 means no limit." unit:"payments" min:"0" max:"1000000"`

	MerchantBonus    Yuan `toml:"merchant_bonus" doc:"Bonus to the merchant (driver) per wallet payment." unit:"yuan" min:"0" max:"1000000"`
	MerchantDailyCap Yuan `toml:"merchant_daily_cap" doc:"Largest bonus one merchant gets a day; 0 means no cap." unit:"yuan" min:"0" max:"1000000"`

	FirstPaymentPercent float64 `toml:"first_payment_percent" doc:"Share of a user's first payment on the wallet returned (\"1 cent to cash\": 100)." unit:"percent" min:"0" max:"100"`
	FirstPaymentMax     Yuan    `toml:"first_payment_max" doc:"Largest first-payment return." unit:"yuan" min:"0" max:"1000000"`

	Referral      Yuan    `toml:"referral" doc:"Bonus to an active friend for each user who registers." unit:"yuan" min:"0" max:"1000000"`
	InvitesPerDay float64 `toml:"invites_per_day" doc:"Direct invitations a day (staff pushes), per 1,000 users; an invited user registers with invite_accept." unit:"invites/day/1000 users" min:"0" max:"1000"`
	InviteAccept  float64 `toml:"invite_accept" doc:"Probability an invited user registers." unit:"probability" min:"0" max:"1"`

	BudgetPerDay Yuan `toml:"budget_per_day" doc:"Most the campaign's cashback, first-payment returns and merchant bonuses may cost a day (budgets of overlapping campaigns add; one campaign without a budget lifts the limit); real-world yuan when world.represents is set, like the treasury; 0 means no daily budget." unit:"yuan/day" min:"0" max:"1000000000000"`

	SponsoredPerDay  Yuan   `toml:"sponsored_per_day" doc:"Budget for sponsored red envelopes a day (real-world yuan when world.represents is set, like the treasury)." unit:"yuan/day" min:"0" max:"10000000000"`
	SponsoredSize    Yuan   `toml:"sponsored_size" doc:"Mean size of a sponsored envelope (drawn uniformly from 0.01 to twice the mean)." unit:"yuan" min:"0" max:"1000000"`
	SponsoredPick    string `toml:"sponsored_pick" doc:"Who receives sponsored envelopes: any user, aware users, or registered users." enum:"any|aware|registered"`
	SponsoredByBrand bool   `toml:"sponsored_by_brand" doc:"Brands pay the sponsored envelopes (money from outside) instead of the treasury."`

	Advertising float64 `toml:"advertising" doc:"Extra awareness from outside the graph while the campaign runs (added to Bass p)." unit:"probability/day" min:"0" max:"1"`

	Services float64 `toml:"services" doc:"Service breadth added while the campaign runs (a launch of city services: run it to the horizon); the total is capped at 1." unit:"share" min:"0" max:"1"`
}

// Strategy is a platform's reactive strategy.
type Strategy struct {
	Kind          string   `toml:"kind" doc:"fixed (only the schedule), match (answer a rival's cashback after a lag), escalate (raise cashback while losing share), bandit (learn among arms from their payoff), or fictitious (fictitious play: best-respond to the rival's empirical mix of arms)." enum:"fixed|match|escalate|bandit|fictitious"`
	Rival         string   `toml:"rival" doc:"match: the platform to watch."`
	Lag           int      `toml:"lag" doc:"match: days before answering (0 answers the latest headline seen, yesterday's)." unit:"days" min:"0" max:"365"`
	Increment     Yuan     `toml:"increment" doc:"match: how much more than the rival to pay; escalate: step per review." unit:"yuan" min:"0" max:"1000000"`
	Max           Yuan     `toml:"max" doc:"Largest cashback the strategy will offer; 0 means no limit." unit:"yuan" min:"0" max:"1000000"`
	Target        float64  `toml:"target" doc:"escalate: share of wallet payment value below which the platform escalates." unit:"share" min:"0" max:"1"`
	Period        int      `toml:"period" doc:"escalate, bandit and fictitious: days between decisions." unit:"days" min:"1" max:"3660"`
	Floor         Yuan     `toml:"floor" doc:"Treasury floor: all spending stops when the treasury would go below it (real-world yuan when world.represents is set, like the treasury)." unit:"yuan" min:"0" max:"1000000000000"`
	From          int      `toml:"from" doc:"First day the reactive strategy acts." unit:"day" min:"0" max:"3659"`
	Until         int      `toml:"until" doc:"Last day the reactive strategy acts; 0 means the horizon." unit:"day" min:"0" max:"3660"`
	MerchantKinds []string `toml:"merchant_kinds" doc:"Merchant kinds the strategy's cashback and bonus apply to; empty means all."`
	Epsilon       float64  `toml:"epsilon" doc:"bandit and fictitious: exploration probability." unit:"probability" min:"0" max:"1"`
	Arms          []Arm    `toml:"arms" doc:"bandit and fictitious: the menu of policies, each a table in [[platforms.strategy.arms]]."`
}

// Arm is one policy in a bandit's menu: subsidies applied on top of the
// schedule while the arm is chosen.
type Arm struct {
	Name          string `toml:"name" doc:"Name shown in reports."`
	Cashback      Yuan   `toml:"cashback" doc:"User cashback per wallet payment." unit:"yuan" min:"0" max:"1000000"`
	MerchantBonus Yuan   `toml:"merchant_bonus" doc:"Merchant bonus per wallet payment." unit:"yuan" min:"0" max:"1000000"`
}

// Event is a calendar event.
type Event struct {
	Kind          string   `toml:"kind" doc:"spring_festival (more envelopes and spending), flash_sale (a spike of payments at some merchant kinds), or outage (a platform fails a share of payments)." enum:"spring_festival|flash_sale|outage"`
	Name          string   `toml:"name" doc:"Name shown in reports and charts."`
	Day           int      `toml:"day" doc:"First day of the event." unit:"day" min:"0"`
	Days          int      `toml:"days" doc:"Length of the event." unit:"days" min:"1" max:"3660"`
	Spending      float64  `toml:"spending" doc:"Multiplier on payments during the event." unit:"factor" min:"0" max:"1000"`
	Envelopes     float64  `toml:"envelopes" doc:"spring_festival: multiplier on envelopes sent during the event." unit:"factor" min:"0" max:"100000"`
	EveEnvelopes  float64  `toml:"eve_envelopes" doc:"spring_festival: multiplier on envelopes on the first day (New Year's Eve); 0 means the same as envelopes." unit:"factor" min:"0" max:"100000"`
	MerchantKinds []string `toml:"merchant_kinds" doc:"flash_sale: merchant kinds whose payments spike; empty means all."`
	Platform      string   `toml:"platform" doc:"outage: the platform that fails."`
	Severity      float64  `toml:"severity" doc:"outage: share of the platform's payments that fail." unit:"share" min:"0" max:"1"`
}

// Payoff defines a platform's score for the game layer.
type Payoff struct {
	Metric       string  `toml:"metric" doc:"value (discounted fees minus subsidies plus terminal value per monthly active user), share (of wallet payment value at the horizon), or mau (monthly actives at the horizon)." enum:"value|share|mau"`
	DiscountRate float64 `toml:"discount_rate" doc:"Yearly discount rate for value." unit:"share/year" min:"0" max:"1"`
	TerminalMAU  Yuan    `toml:"terminal_mau" doc:"Terminal value per monthly active user at the horizon." unit:"yuan" min:"0" max:"1000000"`
}
