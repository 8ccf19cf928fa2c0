package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Yuan is an amount of money read from a file in yuan (to 0.01) and held as
// integer fen, so that no float ever touches the ledger. Amounts computed
// in floating point become fen by one rule, to the nearest fen with halves
// away from zero (YuanToFen, RoundFen); fen become yuan through FenToYuan.
type Yuan int64

// Fen returns the amount in fen.
func (y Yuan) Fen() int64 { return int64(y) }

// String formats the amount in yuan with two decimals.
func (y Yuan) String() string {
	sign := ""
	v := int64(y)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// GroupThousands puts a comma between every three digits of an integer
// written in decimal ("-1234567" → "-1,234,567"), as reports print money.
func GroupThousands(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// YuanFromFloat converts a yuan amount to fen, refusing more than two
// decimals and amounts that do not fit an int64 of fen.
func YuanFromFloat(v float64) (Yuan, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a finite amount")
	}
	f := v * 100
	if math.Abs(f) > 9e15 {
		return 0, fmt.Errorf("amount %v yuan is too large", v)
	}
	r := math.Round(f)
	if math.Abs(f-r) > 1e-6*math.Max(1, math.Abs(f)) {
		return 0, fmt.Errorf("amount %v yuan has more than two decimals (fen)", v)
	}
	return Yuan(int64(r)), nil
}

// MarshalText writes the amount in yuan.
func (y Yuan) MarshalText() ([]byte, error) { return []byte(y.String()), nil }

// UnmarshalText reads a yuan amount such as "12.5".
func (y *Yuan) UnmarshalText(b []byte) error {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("%q is not an amount in yuan", string(b))
	}
	r, err := YuanFromFloat(v)
	if err != nil {
		return err
	}
	*y = r
	return nil
}

// SetDefaults fills a scenario with the defaults every file starts from.
// The behavioural weights are set so that the default scenario shows every
// mechanism at work; each is documented in docs/scenarios.md.
func (s *Scenario) SetDefaults() {
	s.World = World{Name: "scenario", Users: 10000, Days: 365, StartDate: "2014-01-01", Seed: 1, CheckLedger: true}
	s.Graph = Graph{Kind: "preferential", MeanDegree: 20, StrongShare: 0.3, Rewire: 0.1, CommunitySize: 150, InsideShare: 0.8}
	s.Users = Users{
		PriceSensitivity:  Dist{Kind: "lognormal", Mean: 1, SD: 0.5},
		SocialSensitivity: Dist{Kind: "lognormal", Mean: 1, SD: 0.5},
		PaymentsPerDay:    Dist{Kind: "lognormal", Mean: 0.8, SD: 0.5},
		Ticket:            Dist{Kind: "lognormal", Mean: 40, SD: 40, Min: 1},
		TicketSpread:      0.5,
		UsualMerchants:    4,
	}
	s.Adoption = Adoption{MaxRate: 0.2, Intercept: -4, Friends: 1, Subsidy: 0.3, Merchants: 1.5, Services: 1, Balance: 2, SwitchingCost: 0.5, Trust: 2, BindOffset: -0.5}
	s.Choice = Choice{Habit: 3, Subsidy: 0.5, Balance: 1.5, Trust: 3, ReferenceDays: 14}
	s.Habit = Habit{Gain: 0.15, Decay: 0.02, Initial: 0.6}
	s.Trust = Trust{Loss: 0.3, Recovery: 0.05}
	s.Retention = Retention{ActiveDays: 30, DormantAfter: 30, DormancyRate: 0.02, ReviveOnUse: true}
	s.Envelopes = Envelopes{
		PerDay: 0.01, GroupShare: 0.5, GroupSize: 6, GroupShares: 0,
		Amount:          Dist{Kind: "lognormal", Mean: 10, SD: 15, Min: 0.01},
		MaxAmount:       20000,
		ClaimRegistered: 0.95, ClaimByRegistering: 0.4, BindToWithdraw: 0.3,
	}
	// Amounts are the market's and no figure fits them: a transfer of RMB
	// 300 on average, at most RMB 20,000 (WeChat's daily limit, Lanzhou
	// Evening News 26 Jun 2014, record/flows-iresearch.csv), a fund
	// purchase of RMB 1,000. The record's totals (WeChat's transfers in Jan
	// 2016, Yu'e Bao's subscriptions to March 2014) are held out to test
	// them. The rates are 0: a profile sets them.
	s.Transfers = Transfers{Amount: Dist{Kind: "lognormal", Mean: 300, SD: 600, Min: 0.01, Max: 20000}}
	s.Funds = Funds{Amount: Dist{Kind: "lognormal", Mean: 1000, SD: 3000, Min: 0.01, Max: 50000}}
	s.Payoff = Payoff{Metric: "value", DiscountRate: 0.1, TerminalMAU: 100 * 100}
}

// SetDefaults fills a merchant kind with defaults.
func (m *MerchantKind) SetDefaults() {
	*m = MerchantKind{PerThousand: 10, Weight: 1, TicketFactor: 1, FixedCost: 500, BenefitRate: 0.03, ReviewDays: 7, DropAfter: 60, ExpectedShare: 0.5, Stickiness: 0.5, ServiceLevel: 0.5}
}

// SetDefaults fills a platform with defaults.
func (p *Platform) SetDefaults() {
	*p = Platform{Color: "#888888", FeeRate: 0.006, FundHolders: 1, ReachStrong: 0.5, ReachWeak: 0.5, OutageSeverity: 0.5, Advertising: 0.0005, WordOfMouth: 0.05,
		Initial: Installed{Active: 0.6}}
	p.Strategy.SetDefaults()
}

// SetDefaults fills a strategy with defaults.
func (s *Strategy) SetDefaults() {
	*s = Strategy{Kind: "fixed", Lag: 3, Increment: 100, Target: 0.5, Period: 7, Epsilon: 0.1}
}

// SetDefaults fills a campaign with defaults.
func (c *Campaign) SetDefaults() {
	*c = Campaign{SponsoredPick: "any", SponsoredSize: 500, InviteAccept: 0.3}
}

// SetDefaults fills an event with defaults.
func (e *Event) SetDefaults() {
	*e = Event{Days: 1, Spending: 1, Envelopes: 1, Severity: 0.5}
}

// SetDefaults fills a distribution with defaults.
func (d *Dist) SetDefaults() { *d = Dist{Kind: "const"} }
