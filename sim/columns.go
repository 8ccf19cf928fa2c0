package sim

import (
	"fmt"
	"math"
	"strconv"
)

// This file is the one table of a run's output columns. timeseries.csv and
// timeseries.parquet are written from it, sweep and game metrics and
// derived reporters look names up in it, charts read timeseries.csv back
// through it, and the README's and docs/outputs.md's tables are generated
// from it (TestColumnDocs). Adding a column touches the tally that counts
// it (a field of PlatformDay or DayMetrics, set in record) and one entry
// below.
//
// The registry is read when outputs are written or metrics evaluated,
// never in the daily step.

// ColumnKind is how a column's values are held and printed.
type ColumnKind uint8

const (
	// IntColumn values are whole numbers, printed in decimal.
	IntColumn ColumnKind = iota
	// FloatColumn values are printed with six decimals, so the bytes are
	// the same on every machine.
	FloatColumn
	// BoolColumn values are printed true or false; as a metric, 1 or 0.
	BoolColumn
	// TextColumn values are strings; they are not metrics.
	TextColumn
)

// ColumnScope says whose value a column holds.
type ColumnScope uint8

const (
	// KeyScope columns say which day and platform a row is about.
	KeyScope ColumnScope = iota
	// PlatformScope columns hold the platform's own value that day.
	PlatformScope
	// DayScope columns hold a value of the whole day, the same on every
	// platform's row.
	DayScope
)

// A Column is one column of timeseries.csv: its name, unit and meaning,
// and where its value is in a day's metrics. Build one with platformInt,
// dayInt, floatColumn or boolColumn; the accessor returns the tally's field.
type Column struct {
	Name  string // as in the file's header
	Unit  string // what one unit counts: "users", "fen", "share" (0 to 1), …
	Doc   string // one line, for the README and docs/outputs.md
	Kind  ColumnKind
	Scope ColumnScope

	// The field of the tally: exactly one is set, or text for the keys.
	ints    func(m *PlatformDay) *int64
	dayInts func(dm *DayMetrics) *int64
	floats  func(m *PlatformDay) *float64
	bools   func(m *PlatformDay) *bool
	text    func(b []byte, dm *DayMetrics, platform string) []byte
}

// platformInt is a platform's integer tally.
func platformInt(name, unit, doc string, f func(m *PlatformDay) *int64) Column {
	return Column{Name: name, Unit: unit, Doc: doc, Kind: IntColumn, Scope: PlatformScope, ints: f}
}

// dayInt is an integer tally of the whole day.
func dayInt(name, unit, doc string, f func(dm *DayMetrics) *int64) Column {
	return Column{Name: name, Unit: unit, Doc: doc, Kind: IntColumn, Scope: DayScope, dayInts: f}
}

func floatColumn(name, unit, doc string, f func(m *PlatformDay) *float64) Column {
	return Column{Name: name, Unit: unit, Doc: doc, Kind: FloatColumn, Scope: PlatformScope, floats: f}
}

func boolColumn(name, unit, doc string, f func(m *PlatformDay) *bool) Column {
	return Column{Name: name, Unit: unit, Doc: doc, Kind: BoolColumn, Scope: PlatformScope, bools: f}
}

// TimeseriesColumns are the columns of timeseries.csv, one row per day and
// platform, in the file's order (which is part of the format). Callers
// must not modify it.
var TimeseriesColumns = []Column{
	{Name: "day", Unit: "day", Doc: "day from the start (0 is `world.start`)", Kind: IntColumn, Scope: KeyScope,
		text: func(b []byte, dm *DayMetrics, _ string) []byte { return strconv.AppendInt(b, int64(dm.Day), 10) }},
	{Name: "date", Unit: "date", Doc: "calendar date, YYYY-MM-DD", Kind: TextColumn, Scope: KeyScope,
		text: func(b []byte, dm *DayMetrics, _ string) []byte { return append(b, dm.Date...) }},
	{Name: "platform", Unit: "name", Doc: "platform name", Kind: TextColumn, Scope: KeyScope,
		text: func(b []byte, _ *DayMetrics, platform string) []byte { return append(b, platform...) }},
	platformInt("aware", "users", "users aware of the wallet (first step of the adoption funnel)", func(m *PlatformDay) *int64 { return &m.Aware }),
	platformInt("registered", "users", "users registered with the wallet", func(m *PlatformDay) *int64 { return &m.Registered }),
	platformInt("card_bound", "users", "users with a bank card bound to the wallet", func(m *PlatformDay) *int64 { return &m.CardBound }),
	platformInt("dau", "users", "users who used the wallet today", func(m *PlatformDay) *int64 { return &m.DAU }),
	platformInt("mau", "users", "users who used the wallet within `retention.active_days`", func(m *PlatformDay) *int64 { return &m.MAU }),
	platformInt("payments", "payments", "wallet payments today", func(m *PlatformDay) *int64 { return &m.Payments }),
	platformInt("payment_value_fen", "fen", "value of today's wallet payments", func(m *PlatformDay) *int64 { return &m.PaymentValueFen }),
	floatColumn("share_value", "share", "share of wallet payment value (platforms sum to 1 on days with wallet payments)", func(m *PlatformDay) *float64 { return &m.ShareValue }),
	floatColumn("share_all", "share", "share of all payment value, cash and cards included", func(m *PlatformDay) *float64 { return &m.ShareAll }),
	platformInt("merchants", "merchants", "merchants accepting the wallet", func(m *PlatformDay) *int64 { return &m.Merchants }),
	platformInt("subsidy_user_fen", "fen", "cashback, first-payment returns and referral bonuses paid today", func(m *PlatformDay) *int64 { return &m.SubsidyUserFen }),
	platformInt("subsidy_merchant_fen", "fen", "merchant (driver) bonuses paid today", func(m *PlatformDay) *int64 { return &m.SubsidyMerchantFen }),
	platformInt("envelopes_p2p", "envelopes", "peer red envelopes sent today", func(m *PlatformDay) *int64 { return &m.EnvelopesP2P }),
	platformInt("envelopes_p2p_fen", "fen", "value of today's peer red envelopes", func(m *PlatformDay) *int64 { return &m.EnvelopesP2PFen }),
	platformInt("transfers", "transfers", "personal transfers sent today (to friends on the wallet or to bank cards)", func(m *PlatformDay) *int64 { return &m.Transfers }),
	platformInt("transfers_fen", "fen", "value of today's personal transfers", func(m *PlatformDay) *int64 { return &m.TransfersFen }),
	platformInt("fund_fen", "fen", "value of today's purchases of the wallet's money-market fund", func(m *PlatformDay) *int64 { return &m.FundFen }),
	platformInt("envelopes_sponsored", "envelopes", "sponsored envelopes sent today (platform's or brands' budget)", func(m *PlatformDay) *int64 { return &m.EnvelopesSponsored }),
	platformInt("envelopes_sponsored_fen", "fen", "value of today's sponsored envelopes", func(m *PlatformDay) *int64 { return &m.EnvelopesSponsoredFen }),
	platformInt("envelopes_claimed", "claims", "envelope shares claimed today", func(m *PlatformDay) *int64 { return &m.EnvelopesClaimed }),
	platformInt("fee_revenue_fen", "fen", "fees from merchants today", func(m *PlatformDay) *int64 { return &m.FeeRevenueFen }),
	platformInt("treasury_fen", "fen", "the treasury at the end of the day", func(m *PlatformDay) *int64 { return &m.TreasuryFen }),
	platformInt("new_card_bound", "users", "new card bindings today", func(m *PlatformDay) *int64 { return &m.NewCardBound }),
	platformInt("new_bound_from_claim", "users", "new card bindings by users who registered to claim an envelope", func(m *PlatformDay) *int64 { return &m.NewBoundFromClaim }),
	floatColumn("multihoming", "share", "share of card-bound users with another wallet bound", func(m *PlatformDay) *float64 { return &m.Multihoming }),
	platformInt("failed_payments", "payments", "payments failed over capacity or in an outage", func(m *PlatformDay) *int64 { return &m.FailedPayments }),
	boolColumn("outage", "bool", "whether an outage ran today (as a metric, 1 or 0)", func(m *PlatformDay) *bool { return &m.Outage }),
	platformInt("cashback_headline_fen", "fen", "the fixed cashback advertised today (what rivals match)", func(m *PlatformDay) *int64 { return &m.CashbackHeadlineFen }),
	dayInt("cash_payments", "payments", "payments outside the wallets (same on every row of a day)", func(dm *DayMetrics) *int64 { return &dm.CashPayments }),
	dayInt("cash_value_fen", "fen", "value of the payments outside the wallets (same on every row of a day)", func(dm *DayMetrics) *int64 { return &dm.CashValueFen }),
	{Name: "events", Unit: "names", Doc: "calendar events running, separated by `;`", Kind: TextColumn, Scope: KeyScope,
		text: appendEvents},
}

func appendEvents(b []byte, dm *DayMetrics, _ string) []byte {
	for i, e := range dm.Events {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, e...)
	}
	return b
}

// columnIndex finds a column of TimeseriesColumns by name.
var columnIndex = func() map[string]int {
	m := make(map[string]int, len(TimeseriesColumns))
	for i, c := range TimeseriesColumns {
		m[c.Name] = i
	}
	return m
}()

// LookupColumn returns the column of timeseries.csv with this name.
func LookupColumn(name string) (*Column, bool) {
	i, ok := columnIndex[name]
	if !ok {
		return nil, false
	}
	return &TimeseriesColumns[i], true
}

// Metric reports whether the column is a number of a platform or a day,
// the columns that sweeps, games and reporters can use.
func (c *Column) Metric() bool { return c.Scope != KeyScope && c.Kind != TextColumn }

// Value is the column's value in a day's metrics as a number: integers as
// they are, booleans as 1 or 0. m is the platform's day; it may be nil for
// a DayScope column. Key and text columns have no value (NaN).
func (c *Column) Value(dm *DayMetrics, m *PlatformDay) float64 {
	switch {
	case c.Scope == KeyScope:
		if c.Name == "day" {
			return float64(dm.Day)
		}
	case c.ints != nil:
		return float64(*c.ints(m))
	case c.dayInts != nil:
		return float64(*c.dayInts(dm))
	case c.floats != nil:
		return *c.floats(m)
	case c.bools != nil:
		if *c.bools(m) {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// AppendText appends the column's value on one row as timeseries.csv
// prints it.
func (c *Column) AppendText(b []byte, dm *DayMetrics, m *PlatformDay, platform string) []byte {
	switch {
	case c.text != nil:
		return c.text(b, dm, platform)
	case c.ints != nil:
		return strconv.AppendInt(b, *c.ints(m), 10)
	case c.dayInts != nil:
		return strconv.AppendInt(b, *c.dayInts(dm), 10)
	case c.floats != nil:
		return strconv.AppendFloat(b, *c.floats(m), 'f', 6, 64)
	case c.bools != nil:
		return strconv.AppendBool(b, *c.bools(m))
	}
	return b
}

// Parse sets the column's field in a day's metrics from its text in
// timeseries.csv, the inverse of AppendText. Key and text columns are
// the reader's to interpret: Parse refuses them.
func (c *Column) Parse(dm *DayMetrics, m *PlatformDay, s string) error {
	switch {
	case c.ints != nil || c.dayInts != nil:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("not an integer: %q", s)
		}
		if c.ints != nil {
			*c.ints(m) = v
		} else {
			*c.dayInts(dm) = v
		}
	case c.floats != nil:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("not a number: %q", s)
		}
		*c.floats(m) = v
	case c.bools != nil:
		v, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("not true or false: %q", s)
		}
		*c.bools(m) = v
	default:
		return fmt.Errorf("sim: column %s is not a tally", c.Name)
	}
	return nil
}

// A Total is one of a platform's run totals (PlatformSummary): a number
// for the whole run rather than a day.
type Total struct {
	Name  string
	Unit  string
	Doc   string
	Value func(ps *PlatformSummary) float64
}

// RunTotals are the platform totals that sweeps, games and reporters can
// ask for by name. Callers must not modify it.
var RunTotals = []Total{
	{"payoff", "payoff", "the platform's score under the scenario's payoff metric", func(ps *PlatformSummary) float64 { return ps.Payoff }},
	{"value_yuan", "yuan", "discounted fees minus subsidies plus the terminal value of monthly actives", func(ps *PlatformSummary) float64 { return ps.ValueYuan }},
	{"cost_per_new_bound_fen", "fen", "subsidies per newly card-bound user (0 without new bindings)", func(ps *PlatformSummary) float64 { return float64(ps.CostPerNewBoundFen) }},
	{"subsidies_fen", "fen", "all subsidies the treasury paid over the run", func(ps *PlatformSummary) float64 { return float64(ps.SubsidiesFen) }},
	{"fees_fen", "fen", "all fees over the run", func(ps *PlatformSummary) float64 { return float64(ps.FeesFen) }},
	{"peak_share_value", "share", "the highest daily share_value of the run", func(ps *PlatformSummary) float64 { return ps.PeakShareValue }},
}

// LookupTotal returns the run total with this name.
func LookupTotal(name string) (*Total, bool) {
	for i := range RunTotals {
		if RunTotals[i].Name == name {
			return &RunTotals[i], true
		}
	}
	return nil, false
}

// A KindColumn is one column of kinds.csv, one row per day, merchant kind
// and method.
type KindColumn struct {
	Name, Unit, Doc string
	// appendText appends the value of method p of kd (p = len(kd.Payments)
	// is cash) on day dm; method is the method's name.
	appendText func(b []byte, dm *DayMetrics, kd *KindDay, p int, method string) []byte
}

// KindsColumns are the columns of kinds.csv in the file's order. Callers
// must not modify it.
var KindsColumns = []KindColumn{
	{"day", "day", "day from the start", func(b []byte, dm *DayMetrics, _ *KindDay, _ int, _ string) []byte {
		return strconv.AppendInt(b, int64(dm.Day), 10)
	}},
	{"kind", "name", "merchant kind (`taxi` rides are the payments at kind taxi)", func(b []byte, _ *DayMetrics, kd *KindDay, _ int, _ string) []byte {
		return append(b, kd.Kind...)
	}},
	{"method", "name", "each platform, then `cash`", func(b []byte, _ *DayMetrics, _ *KindDay, _ int, method string) []byte {
		return append(b, method...)
	}},
	{"payments", "payments", "payments at this kind by this method today", func(b []byte, _ *DayMetrics, kd *KindDay, p int, _ string) []byte {
		return strconv.AppendInt(b, kd.methodPayments(p), 10)
	}},
	{"value_fen", "fen", "their value", func(b []byte, _ *DayMetrics, kd *KindDay, p int, _ string) []byte {
		return strconv.AppendInt(b, kd.methodValueFen(p), 10)
	}},
}

// methodPayments are the day's payments through method p: platform p, or
// cash for p = len(kd.Payments).
func (kd *KindDay) methodPayments(p int) int64 {
	if p < len(kd.Payments) {
		return kd.Payments[p]
	}
	return kd.CashPayments
}

// methodValueFen is the value of methodPayments(p).
func (kd *KindDay) methodValueFen(p int) int64 {
	if p < len(kd.ValueFen) {
		return kd.ValueFen[p]
	}
	return kd.CashValueFen
}
