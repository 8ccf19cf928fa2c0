package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// sets turns profile values into --set overrides of one episode (but not
// of a key the episode declares as its own override): a schema key as it is, festival.KEY on every spring_festival event, and
// wallets.NAME.convenience on the platform of that name when the episode
// has one. Applied after the file, they win over it as over the profile.
func sets(s *scenarios.Scenario, src []byte, keys []string, x []float64, lift []string) []string {
	declared := map[string]bool{}
	for _, o := range s.Overrides {
		declared[o.Key] = !slices.Contains(lift, o.Key)
	}
	var out []string
	for i, k := range keys {
		festival := strings.HasPrefix(k, "festival.")
		if declared[k] && !festival {
			continue // the episode's declared override stands, as in the library
		}
		v := strconv.FormatFloat(x[i], 'g', -1, 64)
		switch {
		case festival:
			own := scenarios.EventsSetting(src, strings.TrimPrefix(k, "festival."))
			for j, e := range s.Events {
				if e.Kind == "spring_festival" && !own[j] {
					out = append(out, fmt.Sprintf("events.%d.%s=%s", j, strings.TrimPrefix(k, "festival."), v))
				}
			}
		case strings.HasPrefix(k, "wallets."):
			name, key, _ := strings.Cut(strings.TrimPrefix(k, "wallets."), ".")
			for _, p := range s.Platforms {
				if p.Name == name {
					out = append(out, fmt.Sprintf("platforms.%s.%s=%s", name, key, v))
				}
			}
		case strings.HasPrefix(k, "kinds."):
			name, key, _ := strings.Cut(strings.TrimPrefix(k, "kinds."), ".")
			for _, m := range s.Merchants {
				if m.Kind == name {
					out = append(out, fmt.Sprintf("merchants.%s.%s=%s", name, key, v))
				}
			}
		default:
			out = append(out, k+"="+v)
		}
	}
	return out
}

// Scenario loads an episode with the profile values x for keys, at users
// simulated users (0: the file's size), for seed, cut to ep.Days (0: the
// file's horizon), with ep.Set's changes to its inputs.
func Scenario(ep Episode, keys []string, x []float64, users int, seed uint64) (*scenarios.Scenario, error) {
	episode, days := ep.Scenario, ep.Days
	base, err := scenarios.Load(episode, ep.Set)
	if err != nil {
		return nil, err
	}
	src, err := scenarios.LibrarySource(episode)
	if err != nil {
		return nil, err
	}
	args := append(slices.Clone(ep.Set), sets(base, src, keys, x, ep.Lift)...)
	if users > 0 {
		args = append(args, fmt.Sprintf("world.users=%d", users))
	}
	if days > 0 {
		args = append(args, fmt.Sprintf("world.days=%d", days))
	}
	args = append(args, fmt.Sprintf("world.seed=%d", seed))
	return scenarios.Load(episode, args)
}

// Flows says which of the model's flows a share counts besides payments
// to merchants.
type Flows struct {
	Envelopes bool // peer red envelopes sent
	Transfers bool // personal transfers (sim/flows.go)
	Funds     bool // fund purchases (sim/flows.go)
}

// all is every flow.
var allFlows = Flows{Envelopes: true, Transfers: true, Funds: true}

// value is a platform's day of value under f, fen.
func (f Flows) value(m *sim.PlatformDay) float64 {
	v := float64(m.PaymentValueFen)
	if f.Envelopes {
		v += float64(m.EnvelopesP2PFen)
	}
	if f.Transfers {
		v += float64(m.TransfersFen)
	}
	if f.Funds {
		v += float64(m.FundFen)
	}
	return v
}

// FlowScopes are the record's scopes (record/*.csv, column scope) whose
// totals count more than payments to merchants, with the flows each
// counts; a share_value figure of another scope counts merchant payments
// only. "China third-party mobile payment value", the scope of
// iResearch's and Analysys's series, counts everything: personal
// transfers and red envelopes (70.6% of iResearch's value in Q1 2017),
// fund purchases (17.5%) and consumption (record/flows-iresearch.csv).
// iResearch's "transactions with economic benefit" leave out transfers
// and envelopes (3533.com, 12 Jun 2017: Q4 2016, Alipay 61.5%, Tenpay
// 26.0%).
var FlowScopes = map[string]Flows{
	"China third-party mobile payment value":                       allFlows,
	"China third-party mobile payment value with economic benefit": {Funds: true},
}

// knownMetric says whether Measure knows a metric.
func knownMetric(m string) bool {
	switch m {
	case "share_value", "share_flows", "share_economic", "transfers_value", "fund_value_to_date", "mix_personal", "mix_finance", "cards_bound", "eve_envelopes", "eve_envelopes_40h", "eve_envelopes_sent_received", "festival_envelopes_sent_received", "festival_received_per_sent", "envelopes_sent_value_month", "envelopes_sent_10d", "wallet_share_rides", "share_value_taxi",
		"rides_after_over_peak", "rides_growth", "registered_gain", "mau_growth":
		return true
	}
	return false
}

// Measure is the model's counterpart of a record figure in a run, in the
// figure's unit (counts in real-world units: model counts times
// represents/users).
func Measure(r *sim.Result, f record.Figure) (float64, error) {
	p := -1
	for i, pl := range r.Platforms {
		if pl.Name == f.Platform {
			p = i
		}
	}
	if p < 0 && f.Platform != "all" {
		return 0, fmt.Errorf("calibrate: %s: the episode has no platform %q", f.ID, f.Platform)
	}
	days := periodDays(r, f.Period)
	if len(days) == 0 {
		return 0, fmt.Errorf("calibrate: %s: the run (%s to %s) does not cover %s", f.ID, r.History[0].Date, r.History[len(r.History)-1].Date, f.Period)
	}
	first, last := days[0], days[len(days)-1]
	h := r.History
	switch f.Metric {
	case "share_value", "share_flows", "share_economic":
		// A share as the firm measures it: over all flows (payments to
		// merchants and peer envelopes) when its scope counts transfers
		// (FlowScopes), else over merchant payments.
		flows := FlowScopes[f.Scope]
		switch f.Metric {
		case "share_flows":
			flows = allFlows
		case "share_economic":
			flows = Flows{Funds: true}
		}
		num, den := 0.0, 0.0
		for _, d := range days {
			for q := range h[d].Platforms {
				v := flows.value(&h[d].Platforms[q])
				den += v
				if q == p {
					num += v
				}
			}
		}
		return pct(num, den), nil
	case "mix_personal", "mix_finance":
		// The part of all flows, over every platform, that is personal
		// (transfers and envelopes) or finance (fund purchases).
		num, den := 0.0, 0.0
		for _, d := range days {
			for q := range h[d].Platforms {
				m := &h[d].Platforms[q]
				den += allFlows.value(m)
				if f.Metric == "mix_personal" {
					num += float64(m.TransfersFen + m.EnvelopesP2PFen)
				} else {
					num += float64(m.FundFen)
				}
			}
		}
		return pct(num, den), nil
	case "fund_value_to_date":
		// Yuan of fund purchases from the run's start to the period's end,
		// real-world.
		v := 0.0
		for d := 0; d <= last; d++ {
			v += float64(h[d].Platforms[p].FundFen)
		}
		return v / 100 * r.Scale(), nil
	case "transfers_value":
		// Yuan of personal transfers over the period, real-world.
		v := 0.0
		for _, d := range days {
			v += float64(h[d].Platforms[p].TransfersFen)
		}
		return v / 100 * r.Scale(), nil
	case "cards_bound":
		return float64(h[last].Platforms[p].CardBound) * r.Scale(), nil
	case "eve_envelopes":
		return float64(h[first].Platforms[p].EnvelopesP2P) * r.Scale(), nil
	case "eve_envelopes_sent_received":
		// Tencent's "收发总量" (record/wechat.csv): envelopes sent plus
		// envelopes received, each grabbed share of a group envelope one
		// received, sponsored envelopes (the Gala's shake) included.
		m := &h[first].Platforms[p]
		return float64(m.EnvelopesP2P+m.EnvelopesClaimed) * r.Scale(), nil
	case "festival_envelopes_sent_received":
		// The same count over the six days from the eve to the fifth day,
		// as Tencent gave each festival from 2015 on.
		end, err := festivalEnd(r, f, first)
		if err != nil {
			return 0, err
		}
		return windowSum(h, p, first, end, func(m *sim.PlatformDay) int64 { return m.EnvelopesP2P + m.EnvelopesClaimed }) * r.Scale(), nil
	case "festival_received_per_sent":
		// Shares of peer envelopes claimed for each envelope sent, over
		// the same six days. The model counts a claim of a sponsored
		// envelope with the others, so a window with sponsored envelopes
		// cannot be split and is refused.
		end, err := festivalEnd(r, f, first)
		if err != nil {
			return 0, err
		}
		sent, got := 0.0, 0.0
		for d := first; d < end; d++ {
			m := &h[d].Platforms[p]
			if m.EnvelopesSponsored > 0 {
				return 0, fmt.Errorf("calibrate: %s: %s has sponsored envelopes on %s, whose claims the model counts with the peer envelopes'", f.ID, f.Platform, h[d].Date)
			}
			sent += float64(m.EnvelopesP2P)
			got += float64(m.EnvelopesClaimed)
		}
		return ratio(got, sent), nil
	case "envelopes_sent_value_month":
		// Yuan of peer envelopes sent a month by a card-bound user (the
		// model's senders) over the period: the period's sum over its
		// mean of card-bound users, per 365.25/12 days. Scale-free.
		fen, bound := 0.0, 0.0
		for _, d := range days {
			m := &h[d].Platforms[p]
			fen += float64(m.EnvelopesP2PFen)
			bound += float64(m.CardBound)
		}
		if bound == 0 {
			return 0, nil
		}
		return fen / 100 / bound * (365.25 / 12), nil
	case "envelopes_sent_10d":
		// Peer envelopes sent over the ten days from the period's day
		// (China Daily's "10 days around the 2014 Spring Festival",
		// record/wechat.csv), real-world.
		end, err := windowEnd(r, f, first, 10)
		if err != nil {
			return 0, err
		}
		return windowSum(h, p, first, end, func(m *sim.PlatformDay) int64 { return m.EnvelopesP2P }) * r.Scale(), nil
	case "eve_envelopes_40h":
		n := float64(h[first].Platforms[p].EnvelopesP2P)
		if first+1 < len(h) {
			n += float64(h[first+1].Platforms[p].EnvelopesP2P)
		}
		return n * r.Scale(), nil
	case "wallet_share_rides":
		all, wallet := rides(r, days)
		return pct(wallet, all), nil
	case "share_value_taxi":
		num, den := 0.0, 0.0
		for _, d := range days {
			for _, k := range h[d].Kinds {
				if k.Kind != "taxi" {
					continue
				}
				for q, v := range k.ValueFen {
					den += float64(v)
					if q == p {
						num += float64(v)
					}
				}
			}
		}
		return pct(num, den), nil
	case "rides_after_over_peak":
		// The month of the figure against the last week of March.
		march := periodDays(r, f.Period[:4]+"-03")
		if len(march) < 7 {
			return 0, fmt.Errorf("calibrate: %s: the run does not cover March", f.ID)
		}
		after, _ := rides(r, days)
		peak, _ := rides(r, march[len(march)-7:])
		return ratio(after/float64(len(days)), peak/7), nil
	case "rides_growth":
		// The largest week of app-paid rides up to the period's end
		// against the first week of the run.
		_, w0 := rides(r, []int{0, 1, 2, 3, 4, 5, 6})
		best := 0.0
		for d := 7; d <= last; d++ {
			_, w := rides(r, []int{d - 6, d - 5, d - 4, d - 3, d - 2, d - 1, d})
			best = max(best, w)
		}
		return ratio(best, max(w0, 1)), nil
	case "mau_growth":
		// The wallet's monthly active users at the period's end over those
		// on the day before it began, as Tencent put 2015 ("monthly active
		// users of its mobile payments services increased sevenfold",
		// record/wechat.csv).
		if first == 0 {
			return 0, fmt.Errorf("calibrate: %s: the run starts on %s, so it has no day before the period", f.ID, h[0].Date)
		}
		return ratio(float64(h[last].Platforms[p].MAU), float64(h[first-1].Platforms[p].MAU)), nil
	case "registered_gain":
		from := max(0, last-31)
		return float64(h[last].Platforms[p].Registered-h[from].Platforms[p].Registered) * r.Scale(), nil
	}
	return 0, fmt.Errorf("calibrate: %s: the model does not measure %s", f.ID, f.Metric)
}

// festivalEnd is the day after the six days from first (a festival's eve
// to its fifth day), or an error when the run ends before them.
func festivalEnd(r *sim.Result, f record.Figure, first int) (int, error) {
	return windowEnd(r, f, first, 6)
}

// windowEnd is the day after the n days from first, or an error when the
// run ends before them: a count over fewer days is not the record's.
func windowEnd(r *sim.Result, f record.Figure, first, n int) (int, error) {
	if first+n > len(r.History) {
		return 0, fmt.Errorf("calibrate: %s: the run ends on %s, before the last of the %d days from %s", f.ID, r.History[len(r.History)-1].Date, n, f.Period)
	}
	return first + n, nil
}

// windowSum adds up a platform's count over days [first, end).
func windowSum(h []sim.DayMetrics, p, first, end int, count func(m *sim.PlatformDay) int64) float64 {
	n := 0.0
	for d := first; d < end; d++ {
		n += float64(count(&h[d].Platforms[p]))
	}
	return n
}

func pct(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return 100 * num / den
}

func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

// rides counts taxi rides on days: all of them (cash included) and those
// paid through a wallet.
func rides(r *sim.Result, days []int) (all, wallet float64) {
	for _, d := range days {
		for _, k := range r.History[d].Kinds {
			if k.Kind != "taxi" {
				continue
			}
			all += float64(k.CashPayments)
			for _, x := range k.Payments {
				all += float64(x)
				wallet += float64(x)
			}
		}
	}
	return all, wallet
}

// periodDays lists the days of the run whose date falls in period: a year
// YYYY, a quarter YYYYQn, a month YYYY-MM or a day YYYY-MM-DD.
func periodDays(r *sim.Result, period string) []int {
	var out []int
	for d, dm := range r.History {
		if inPeriod(dm.Date, period) {
			out = append(out, d)
		}
	}
	return out
}

func inPeriod(date, period string) bool {
	switch {
	case len(period) == 6 && period[4] == 'Q':
		if !strings.HasPrefix(date, period[:4]) {
			return false
		}
		month, _ := strconv.Atoi(date[5:7])
		return strconv.Itoa((month-1)/3+1) == period[5:]
	default:
		return strings.HasPrefix(date, period)
	}
}

// Evaluation is the model's figures for a parameter vector on a group of
// seeds: per target, the mean over seeds and each seed's value.
type Evaluation struct {
	Mean  []float64
	Seeds [][]float64 // [target][seed]
}

// Evaluate runs every episode the targets need on every seed, with the
// profile values x, at users, and measures each target.
func Evaluate(ctx context.Context, targets []Target, episodes []Episode, keys []string, x []float64, users int, seeds []uint64) (*Evaluation, error) {
	eps := map[string]Episode{}
	for _, e := range episodes {
		eps[e.Scenario] = e
	}
	byEp := map[string][]int{}
	var order []string
	for i, t := range targets {
		if _, ok := byEp[t.Episode]; !ok {
			order = append(order, t.Episode)
		}
		byEp[t.Episode] = append(byEp[t.Episode], i)
	}
	ev := &Evaluation{Mean: make([]float64, len(targets)), Seeds: make([][]float64, len(targets))}
	for _, ep := range order {
		for _, seed := range seeds {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			e, ok := eps[ep]
			if !ok {
				e = Episode{Scenario: ep} // a figure predicted on an episode the fit does not run: the file as it is
			}
			s, err := Scenario(e, keys, x, users, seed)
			if err != nil {
				return nil, err
			}
			res, err := sim.Run(ctx, s, nil)
			if err != nil {
				return nil, err
			}
			for _, i := range byEp[ep] {
				v, err := Measure(res, targets[i].Figure)
				if err != nil {
					return nil, err
				}
				ev.Seeds[i] = append(ev.Seeds[i], v)
			}
		}
	}
	for i := range targets {
		for _, v := range ev.Seeds[i] {
			ev.Mean[i] += v / float64(len(ev.Seeds[i]))
		}
	}
	return ev, nil
}

// Z is a target's standardised residual for a model value m.
func (t Target) Z(m float64) float64 {
	y := t.Figure.Value
	if t.Log {
		return (math.Log10(max(m, 1e-9)) - math.Log10(y)) / t.SD
	}
	return (m - y) / t.SD
}

// Loss is Σ z² over the targets for the model's means.
func Loss(targets []Target, means []float64) float64 {
	l := 0.0
	for i, t := range targets {
		z := t.Z(means[i])
		l += z * z
	}
	return l
}
