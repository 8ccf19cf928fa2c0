package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
)

// TimeseriesColumns are the columns of timeseries.csv, one row per day and
// platform. The order is part of the file format.
var TimeseriesColumns = []string{
	"day", "date", "platform", "aware", "registered", "card_bound", "dau", "mau",
	"payments", "payment_value_fen", "share_value", "share_all", "merchants",
	"subsidy_user_fen", "subsidy_merchant_fen", "envelopes_p2p", "envelopes_p2p_fen",
	"envelopes_sponsored", "envelopes_sponsored_fen", "envelopes_claimed", "fee_revenue_fen", "treasury_fen",
	"new_card_bound", "new_bound_from_claim", "multihoming", "failed_payments", "outage",
	"cashback_headline_fen", "cash_payments", "cash_value_fen", "events",
}

// WriteTimeseriesCSV writes one row per day and platform. Floats are
// printed with a fixed precision so the bytes are the same on every machine.
func WriteTimeseriesCSV(out io.Writer, r *Result) error {
	bw := bufio.NewWriter(out)
	bw.WriteString(strings.Join(TimeseriesColumns, ","))
	bw.WriteByte('\n')
	var b []byte
	for _, dm := range r.History {
		events := strings.Join(dm.Events, ";")
		for p, m := range dm.Platforms {
			b = b[:0]
			b = strconv.AppendInt(b, int64(dm.Day), 10)
			b = append(b, ',')
			b = append(b, dm.Date...)
			b = append(b, ',')
			b = append(b, r.Platforms[p].Name...)
			for _, v := range []int64{m.Aware, m.Registered, m.CardBound, m.DAU, m.MAU, m.Payments, m.PaymentValueFen} {
				b = append(b, ',')
				b = strconv.AppendInt(b, v, 10)
			}
			b = append(b, ',')
			b = strconv.AppendFloat(b, m.ShareValue, 'f', 6, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, m.ShareAll, 'f', 6, 64)
			for _, v := range []int64{m.Merchants, m.SubsidyUserFen, m.SubsidyMerchantFen, m.EnvelopesP2P, m.EnvelopesP2PFen,
				m.EnvelopesSponsored, m.EnvelopesSponsoredFen, m.EnvelopesClaimed, m.FeeRevenueFen, m.TreasuryFen, m.NewCardBound, m.NewBoundFromClaim} {
				b = append(b, ',')
				b = strconv.AppendInt(b, v, 10)
			}
			b = append(b, ',')
			b = strconv.AppendFloat(b, m.Multihoming, 'f', 6, 64)
			b = append(b, ',')
			b = strconv.AppendInt(b, m.FailedPayments, 10)
			b = append(b, ',')
			b = strconv.AppendBool(b, m.Outage)
			for _, v := range []int64{m.CashbackHeadlineFen, dm.CashPayments, dm.CashValueFen} {
				b = append(b, ',')
				b = strconv.AppendInt(b, v, 10)
			}
			b = append(b, ',')
			b = append(b, events...)
			b = append(b, '\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// WriteKindsCSV writes kinds.csv: one row per day, merchant kind and
// method (each platform, then "cash"), with payments and their value.
func WriteKindsCSV(out io.Writer, r *Result) error {
	bw := bufio.NewWriter(out)
	bw.WriteString("day,kind,method,payments,value_fen\n")
	var b []byte
	for _, dm := range r.History {
		for _, kd := range dm.Kinds {
			for p := 0; p <= len(kd.Payments); p++ {
				name, n, v := "cash", kd.CashPayments, kd.CashValueFen
				if p < len(kd.Payments) {
					name, n, v = r.Platforms[p].Name, kd.Payments[p], kd.ValueFen[p]
				}
				b = strconv.AppendInt(b[:0], int64(dm.Day), 10)
				b = append(append(append(b, ','), kd.Kind...), ',')
				b = append(append(b, name...), ',')
				b = append(strconv.AppendInt(b, n, 10), ',')
				b = append(strconv.AppendInt(b, v, 10), '\n')
				if _, err := bw.Write(b); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

// Summary is the content of summary.json.
type Summary struct {
	Scenario       string  `json:"scenario"`
	Seed           uint64  `json:"seed"`
	Days           int     `json:"days"`
	Users          int     `json:"users"`
	Represents     float64 `json:"represents"`
	MoneyConserved bool    `json:"money_conserved"`
	PayoffMetric   string  `json:"payoff_metric"`
	// ElapsedSeconds and UserDaysPerSecond time the run: they are the only
	// bytes of a run's output that differ between two runs of one seed.
	ElapsedSeconds    float64          `json:"elapsed_seconds"`
	UserDaysPerSecond float64          `json:"user_days_per_second"`
	Platforms         []PlatformReport `json:"platforms"`
	// Provenance traces the run to its command, scenario and binary.
	Provenance *Provenance `json:"provenance,omitempty"`
}

// PlatformReport is one platform in summary.json.
type PlatformReport struct {
	Name               string  `json:"name"`
	Label              string  `json:"label"`
	Color              string  `json:"color"`
	Payoff             float64 `json:"payoff"`
	ValueYuan          float64 `json:"value_yuan"`
	ShareValue         float64 `json:"share_value"`
	ShareAll           float64 `json:"share_all"`
	PeakShareValue     float64 `json:"peak_share_value"`
	Aware              int64   `json:"aware"`
	Registered         int64   `json:"registered"`
	CardBound          int64   `json:"card_bound"`
	DAU                int64   `json:"dau"`
	MAU                int64   `json:"mau"`
	Merchants          int64   `json:"merchants"`
	TreasuryFen        int64   `json:"treasury_fen"`
	SubsidiesFen       int64   `json:"subsidies_fen"`
	FeesFen            int64   `json:"fees_fen"`
	NewCardBound       int64   `json:"new_card_bound"`
	NewBoundFromClaim  int64   `json:"new_bound_from_claim"`
	CostPerNewBoundFen int64   `json:"cost_per_new_bound_fen"`
	Multihoming        float64 `json:"multihoming"`
}

// NewSummary builds summary.json's content from a result.
func NewSummary(r *Result) Summary {
	s := r.Scenario
	sum := Summary{Scenario: s.World.Name, Seed: s.World.Seed, Days: len(r.History), Users: s.World.Users,
		Represents: s.World.Represents, MoneyConserved: r.MoneyConserved, PayoffMetric: s.Payoff.Metric,
		ElapsedSeconds: round6(r.Elapsed.Seconds()), UserDaysPerSecond: round6(r.UserDaysPerSecond()), Provenance: r.Provenance}
	for _, ps := range r.Platforms {
		f := ps.Final
		cfg := platformConfig(s, ps.Name)
		sum.Platforms = append(sum.Platforms, PlatformReport{Name: ps.Name, Label: cfg.Label, Color: cfg.Color, Payoff: round6(ps.Payoff), ValueYuan: round6(ps.ValueYuan),
			ShareValue: round6(f.ShareValue), ShareAll: round6(f.ShareAll), PeakShareValue: round6(ps.PeakShareValue),
			Aware: f.Aware, Registered: f.Registered, CardBound: f.CardBound, DAU: f.DAU, MAU: f.MAU, Merchants: f.Merchants,
			TreasuryFen: f.TreasuryFen, SubsidiesFen: ps.SubsidiesFen, FeesFen: ps.FeesFen, NewCardBound: ps.NewCardBound,
			NewBoundFromClaim: ps.NewBoundFromClaim, CostPerNewBoundFen: ps.CostPerNewBoundFen, Multihoming: round6(f.Multihoming)})
	}
	return sum
}

func round6(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 6, 64), 64)
	return v
}

// WriteSummaryJSON writes summary.json.
func WriteSummaryJSON(out io.Writer, r *Result) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(NewSummary(r))
}

// WriteRunDir writes timeseries.csv, kinds.csv and summary.json into dir, each to a
// temporary file first and renamed into place, so a crash never leaves a
// half-written file under the final name.
func WriteRunDir(dir string, r *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sim: output directory: %w", err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "timeseries.csv"), func(w io.Writer) error { return WriteTimeseriesCSV(w, r) }); err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, "kinds.csv"), func(w io.Writer) error { return WriteKindsCSV(w, r) }); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "summary.json"), func(w io.Writer) error { return WriteSummaryJSON(w, r) })
}

// WriteFileAtomic writes a file through a temporary file in the same
// directory, synced and renamed into place.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private (0600); outputs are for sharing.
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// platformConfig finds a platform of the scenario by name.
func platformConfig(s *scenarios.Scenario, name string) *scenarios.Platform {
	for i := range s.Platforms {
		if s.Platforms[i].Name == name {
			return &s.Platforms[i]
		}
	}
	return &scenarios.Platform{Name: name}
}
