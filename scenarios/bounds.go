package scenarios

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Limits on what a valid file can ask of the engine, past the min and max
// tags of single keys: how large a distribution's values, how many tables,
// how much money moves and how much memory the run takes. All are checked
// at load time, so the daily step pays nothing for them.

// distLimits bounds the magnitude of each distribution's mean, min and max
// (its sd may be 100 times larger): a price sensitivity of 1e300 makes
// every logit infinite, a ticket of 1e15 yuan overflows int64 fen.
var distLimits = map[string]float64{
	"users.price_sensitivity":  1_000,     // factor
	"users.social_sensitivity": 1_000,     // factor
	"users.payments_per_day":   100,       // payments a day
	"users.ticket":             100_000,   // yuan: a mean payment of 100,000 yuan is no longer retail
	"envelopes.amount":         1_000_000, // yuan: envelopes.max_amount clips it anyway
	"transfers.amount":         1_000_000, // yuan: sim clips a draw to it (a message carries int32 fen)
	"funds.amount":             1_000_000, // yuan: sim clips a draw to it
}

// maxElems bounds the arrays of tables (and lists of kinds): the engine
// keeps a merchant's kind in a byte and scans campaigns and events daily.
var maxElems = map[string]int{
	"merchants":      64,
	"events":         1_000,
	"campaigns":      1_000,
	"arms":           64,
	"merchant_kinds": 64,
	"wallets":        64,
}

const (
	// maxMoneyFen is the most money, in fen, the checks let a run move in
	// all: a quarter of int64's range, so that sums of several flows (fees,
	// subsidies and payments in one total) cannot overflow either.
	maxMoneyFen = 1 << 61
	// moneyMargin is how far above its expectation the money moved over a
	// run may be before overflow. The total is a sum over millions of
	// user-days, which stays within a few percent of its mean; heavy tails
	// of a few users are covered by the one-user ceiling of moneyProblem.
	moneyMargin = 16
	// maxGraphEntries bounds users × mean_degree: the graph's offsets are
	// int32.
	maxGraphEntries = math.MaxInt32
)

// checkLimits applies distLimits, maxElems, the money ceiling and the size
// budget to a scenario whose single keys are in range.
func (d *decoder) checkLimits(s *Scenario) {
	for path, lim := range distLimits {
		x := distAt(s, path)
		for _, kv := range []struct {
			key string
			v   float64
			lim float64
		}{{"mean", x.Mean, lim}, {"min", x.Min, lim}, {"max", x.Max, lim}, {"sd", x.SD, 100 * lim}} {
			if math.Abs(kv.v) > kv.lim {
				d.invalidf(joinKey(path, kv.key), "must be between %s and %s, got %s", fmtNum(-kv.lim), fmtNum(kv.lim), fmtNum(kv.v))
			}
		}
	}
	d.checkCount("merchants", len(s.Merchants), "merchants")
	d.checkCount("events", len(s.Events), "events")
	for i, m := range s.Merchants {
		d.checkCount(joinKey(joinIndex("merchants", i), "wallets"), len(m.Wallets), "wallets")
	}
	for i, p := range s.Platforms {
		pp := joinIndex("platforms", i)
		d.checkCount(joinKey(pp, "campaigns"), len(p.Campaigns), "campaigns")
		d.checkCount(joinKey(pp, "strategy.arms"), len(p.Strategy.Arms), "arms")
	}
	if len(d.problems) > 0 {
		return // the estimates below assume every key in range
	}
	if n := float64(s.World.Users) * s.Graph.MeanDegree; s.Graph.Kind != "uniform" && n > maxGraphEntries {
		d.invalidByf("graph.mean_degree", []string{"world.users"}, "users × mean_degree = %s friendships is more than the engine's graph holds (%s): lower world.users or graph.mean_degree",
			fmtNum(n), fmtNum(maxGraphEntries))
		return
	}
	if key, msg := moneyProblem(s); msg != "" {
		d.invalidByf(key, []string{"world.users", "world.days"}, "%s", msg)
	}
	if budget := MemoryBudget(); budget > 0 {
		if e := Estimate(s); e.Bytes > float64(budget) {
			// Every override may have pushed the file over: blame the last.
			overrides := make([]string, 0, len(d.origins))
			for k := range d.origins {
				overrides = append(overrides, k)
			}
			d.invalidByf("world.users", overrides,
				"too large for this machine: the run needs about %s of memory (and about %s), more than the %s this process may use (see Limits in docs/scenarios.md); most of it goes to %s: lower it, or pass --force-size if you know better",
				fmtBytes(e.Bytes), fmtSeconds(e.Seconds), fmtBytes(float64(budget)), e.Largest)
		}
	}
}

// checkCount refuses more than maxElems[what] elements at path.
func (d *decoder) checkCount(path string, n int, what string) {
	if lim := maxElems[what]; n > lim {
		d.invalidf(joinIndex(path, lim), "too many %s: %d, at most %d are allowed", what, n, lim)
	}
}

// distAt returns the distribution at one of the paths of distLimits.
func distAt(s *Scenario, path string) Dist {
	switch path {
	case "users.price_sensitivity":
		return s.Users.PriceSensitivity
	case "users.social_sensitivity":
		return s.Users.SocialSensitivity
	case "users.payments_per_day":
		return s.Users.PaymentsPerDay
	case "users.ticket":
		return s.Users.Ticket
	case "envelopes.amount":
		return s.Envelopes.Amount
	case "transfers.amount":
		return s.Transfers.Amount
	case "funds.amount":
		return s.Funds.Amount
	}
	return Dist{}
}

// distMean is a distribution's mean after clipping, bounded above by its
// max: what a large number of draws averages to, at most.
func distMean(d Dist) float64 {
	m := d.Mean
	if d.Kind == "uniform" {
		m = (d.Min + d.Max) / 2
	}
	if d.Max > 0 {
		m = math.Min(m, d.Max)
	}
	return math.Max(math.Abs(m), math.Abs(d.Min))
}

// distCeil is the largest of n draws, for practical purposes: the quantile
// 1 − 1/(1000·n) for normal and lognormal draws, clipped to max.
func distCeil(d Dist, n int) float64 {
	z := math.Sqrt(2 * math.Log(1000*float64(max(n, 1))))
	var c float64
	switch d.Kind {
	case "normal":
		c = math.Abs(d.Mean) + z*d.SD
	case "lognormal":
		if d.Mean > 0 {
			s2 := math.Log1p(d.SD * d.SD / (d.Mean * d.Mean))
			c = d.Mean * math.Exp(math.Sqrt(s2)*z-s2/2)
		}
	case "uniform":
		c = math.Max(math.Abs(d.Min), math.Abs(d.Max))
	default:
		c = math.Abs(d.Mean)
	}
	if d.Max > 0 {
		c = math.Min(c, d.Max)
	}
	return math.Max(c, math.Abs(d.Min))
}

// moneyProblem says where a scenario could overflow int64 fen, or "".
// Two ceilings, both below maxMoneyFen: the money expected to move over
// the run times moneyMargin, and the most one user could move (its traits
// at their ceiling, every day at the highest spending multiplier). key is
// the amount most to blame.
func moneyProblem(s *Scenario) (key, msg string) {
	users, days := float64(s.World.Users), float64(s.World.Days)
	spending, envMult := 1.0, 1.0
	for _, e := range s.Events {
		spending = math.Max(spending, e.Spending)
		envMult = math.Max(envMult, math.Max(e.Envelopes, e.EveEnvelopes))
	}
	factor := 0.0
	for _, m := range s.Merchants {
		factor = math.Max(factor, m.TicketFactor)
	}
	induced := 1 + s.Users.SubsidyElasticity // cashback never exceeds the ticket: s ≤ 1
	bonus := 0.0
	for _, p := range s.Platforms {
		for _, c := range p.Campaigns {
			bonus = math.Max(bonus, float64(c.MerchantBonus+c.Referral))
		}
		for _, a := range p.Strategy.Arms {
			bonus = math.Max(bonus, float64(a.MerchantBonus))
		}
	}
	spread := lognormalAt(1, s.Users.TicketSpread, 3.6) // the top of sim's 4,096-bin table
	// A payment moves its ticket, a cashback of at most the ticket and a
	// fee of at most a fifth of it, and a merchant bonus.
	perPay := func(ticketYuan float64) float64 { return 100*ticketYuan*factor*2.2 + bonus }
	ppd := s.Users.PaymentsPerDay
	expect := users * days * distMean(ppd) * spending * induced * perPay(distMean(s.Users.Ticket))
	one := days * (distCeil(ppd, s.World.Users)*spending*induced + 10) * perPay(distCeil(s.Users.Ticket, s.World.Users)*spread)
	envAmount := math.Min(distCeil(s.Envelopes.Amount, s.World.Users), float64(s.Envelopes.MaxAmount)/100)
	envelopes := 2 * users * days * s.Envelopes.PerDay * envMult * 100 * envAmount
	// Transfers and fund purchases on the platforms that have them, at
	// the festival's spending: a sum over millions of draws, which stays
	// near its mean (the margin below covers the rest).
	var kT, kF float64
	for _, p := range s.Platforms {
		if p.Transfers {
			kT++
		}
		if p.Fund {
			kF++
		}
	}
	envelopes += users * days * spending * 100 *
		(kT*s.Transfers.PerDay*distMean(s.Transfers.Amount) + kF*s.Funds.PerDay*distMean(s.Funds.Amount))
	other := 0.0
	for _, p := range s.Platforms {
		other += float64(p.Treasury)
		for _, c := range p.Campaigns {
			other += days * float64(c.SponsoredPerDay+c.BudgetPerDay)
		}
	}
	total := math.Max(expect*moneyMargin, one) + envelopes*moneyMargin + other
	if total <= maxMoneyFen && !math.IsNaN(total) {
		return "", ""
	}
	key = "users.ticket"
	switch {
	case envelopes*moneyMargin >= total/2:
		key = "envelopes.amount"
	case other >= total/2:
		key = "platforms"
	}
	return key, fmt.Sprintf("money could overflow: the run could move about %s fen (users × days × payments × tickets, envelopes, treasuries and budgets, with a margin for heavy tails), more than the %s fen a 64-bit ledger keeps safely; lower the amounts, world.users or world.days",
		fmtNum(total), fmtNum(maxMoneyFen))
}

// lognormalAt maps a standard normal z to a lognormal of the given mean and
// coefficient of variation.
func lognormalAt(mean, cv, z float64) float64 {
	if cv <= 0 {
		return mean
	}
	s2 := math.Log1p(cv * cv)
	return mean * math.Exp(math.Sqrt(s2)*z-s2/2)
}

// Size is what a run is expected to need.
type Size struct {
	Bytes   float64 // peak memory
	Seconds float64 // wall time on a 2-core machine of 2025
	// Largest names what takes most of the memory, for messages.
	Largest string
}

// Estimate returns the memory and time a scenario's run needs, from its
// size. The coefficients were measured with /usr/bin/time on runs of
// 100,000 and 400,000 users, mean degree 10 and 40, 3 platforms (peak RSS
// 38 to 166 MB, within 25% of this estimate, which errs high): per user
// 80 bytes plus 20 per platform, 8 per friendship entry (the graph's
// adjacency, with the pairs it is built from), per merchant 16 plus 24 per
// platform, 16 per sponsored envelope or invitation a day, 20 per user and
// platform with same-day replies (envelopes.reply; reasoned from the
// arrays, not measured), and 16 MiB of program. Time: 10 million
// user-days a second, slower by half for each 20 friends of mean degree.
func Estimate(s *Scenario) Size {
	users, k := float64(s.World.Users), float64(len(s.Platforms))
	merchants := 0.0
	for _, m := range s.Merchants {
		merchants += math.Max(1, m.PerThousand*users/1000)
	}
	degree := s.Graph.MeanDegree
	if s.Graph.Kind == "uniform" {
		degree = 0
	}
	messages := 0.0
	for _, p := range s.Platforms {
		for _, c := range p.Campaigns {
			if c.SponsoredSize > 0 {
				// The budget is real-world yuan when represents is set:
				// the run divides it among its users (scale.go).
				messages += float64(c.SponsoredPerDay) * s.AmountScale() / float64(c.SponsoredSize)
			}
			messages += c.InvitesPerDay * users / 1000
		}
	}
	terms := []struct {
		what  string
		bytes float64
	}{
		{"users (world.users)", users * (80 + 20*k)},
		{"friendships (world.users × graph.mean_degree)", users * degree * 8},
		{"merchants (merchants per_thousand × world.users)", merchants * (16 + 24*k)},
		{"sponsored envelopes and invitations a day (campaigns' sponsored_per_day / sponsored_size, invites_per_day)", messages * 16},
		{"history (world.days)", float64(s.World.Days) * k * 256},
	}
	if s.Envelopes.Reply > 0 {
		// A slot's reply day (4 B) and, on a day the cascade reaches
		// every slot, one queued reply and one message each (16 B).
		terms = append(terms, struct {
			what  string
			bytes float64
		}{"same-day replies (envelopes.reply) of world.users × platforms", users * k * 20})
	}
	e := Size{Bytes: 16 << 20, Seconds: users * float64(s.World.Days) * (1 + degree/40) / 1e7}
	top := 0.0
	for _, t := range terms {
		e.Bytes += t.bytes
		if t.bytes > top {
			top, e.Largest = t.bytes, t.what
		}
	}
	return e
}

// memoryBudget is the size budget in bytes; 0 means none. -1 means not yet
// read from the machine.
var memoryBudget atomic.Int64

func init() { memoryBudget.Store(-1) }

// fallbackBudget is the budget where the machine's memory is unknown.
const fallbackBudget = 8 << 30

// MemoryBudget is the most memory a scenario may need to be valid: three
// quarters of the machine's physical memory (MemTotal in /proc/meminfo),
// or 8 GiB where that is unknown, and no more than three quarters of a
// cgroup's memory.max or half the process's address-space limit
// (RLIMIT_AS, of which the Go runtime reserves a share): the memory this
// process can really have. 0 when SetMemoryBudget lifted it.
func MemoryBudget() int64 {
	if b := memoryBudget.Load(); b >= 0 {
		return b
	}
	b := int64(fallbackBudget)
	if total := memTotal(); total > 0 {
		b = total / 4 * 3
	}
	if c := cgroupMax(); c > 0 {
		b = min(b, c/4*3)
	}
	if as := addressSpaceLimit(); as > 0 {
		b = min(b, as/2)
	}
	memoryBudget.Store(b)
	return b
}

// cgroupMax reads the memory limit of the process's cgroup (v2), in
// bytes; 0 when there is none.
func cgroupMax() int64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0 // "max"
	}
	return n
}

// SetMemoryBudget sets the budget in bytes: 0 lifts it (--force-size), a
// negative value restores the machine's.
func SetMemoryBudget(bytes int64) { memoryBudget.Store(max(bytes, -1)) }

// memTotal reads MemTotal from /proc/meminfo, in bytes; 0 when unknown.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

func fmtBytes(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	default:
		return fmt.Sprintf("%.0f MiB", b/(1<<20))
	}
}

func fmtSeconds(s float64) string {
	switch {
	case s >= 3600:
		return fmt.Sprintf("%.1f hours", s/3600)
	case s >= 60:
		return fmt.Sprintf("%.0f minutes", s/60)
	}
	return fmt.Sprintf("%.0f seconds", math.Max(s, 1))
}

// limitsDoc is the "Limits" section of docs/scenarios.md, written from the
// constants above so that it cannot drift from them.
func limitsDoc() string {
	var b strings.Builder
	b.WriteString("## Limits\n\n")
	b.WriteString("Every key has a range (the tables below), chosen from what the engine can\n")
	b.WriteString("represent: days are 16-bit (at most 3,660), an envelope's or bonus's amount\n")
	b.WriteString("travels as 32-bit fen (at most 1,000,000 yuan here), sums are 64-bit fen. Before a\n")
	b.WriteString("file is parsed, and for every file hongbao reads (scenario, sweep, game, a\n")
	b.WriteString("base scenario they name, and each `--set`), the raw bytes are checked:\n\n")
	fmt.Fprintf(&b, "- at most %d bytes (%d KiB) are read; a longer file, or a device such as\n  `/dev/zero`, is refused;\n", MaxInputBytes, MaxInputBytes>>10)
	fmt.Fprintf(&b, "- keys nest at most %d deep (tables, dotted keys, arrays and inline tables\n  together) and one key has at most %d bytes;\n", MaxNesting, MaxKeyBytes)
	b.WriteString("- the file is UTF-8 without control characters (tab and newline aside);\n")
	fmt.Fprintf(&b, "- a `--set` has at most %d bytes.\n\n", MaxSetBytes)
	b.WriteString("Distributions: the `mean`, `min` and `max` of ")
	for i, k := range slices.Sorted(maps.Keys(distLimits)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "`%s` are at most %s in size", k, GroupThousands(strconv.FormatFloat(distLimits[k], 'f', 0, 64)))
	}
	b.WriteString("; their `sd` at most 100 times that.\n\n")
	b.WriteString("Arrays: at most ")
	for i, k := range slices.Sorted(maps.Keys(maxElems)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d `%s`", maxElems[k], k)
	}
	fmt.Fprintf(&b, " (per list), and %d platforms.\n\n", MaxPlatforms)
	b.WriteString("Across keys:\n\n")
	b.WriteString("- `world.users × graph.mean_degree` is at most 2,147,483,647 (the graph's\n  offsets are 32-bit);\n")
	b.WriteString("- money: the money a run is expected to move (users × days × payments a day\n  × ticket × the largest ticket factor, with cashback, fees and bonuses, plus\n  envelopes), times 16, and the most one user could move at\n  the 1-in-1,000·users quantile of its traits, plus treasuries and daily budgets,\n  stay below 2^61 fen, so that no sum overflows 64-bit fen;\n")
	b.WriteString("- size: the memory a run needs is estimated from users, mean degree, merchants\n  and platforms (see `scenarios.Estimate`) and must fit three quarters of the\n  machine's physical memory (8 GiB where it is unknown; at most half an address-space limit\n  `ulimit -v` or three quarters of a cgroup's `memory.max`); `--force-size` on\n  `run`, `validate`, `compare`, `sweep`, `game` and `optimize` lifts this check.\n\n")
	return b.String()
}
