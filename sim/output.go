package sim

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paywars/hongbao/scenarios"
)

// WriteTimeseriesCSV writes one row per day and platform, the columns of
// TimeseriesColumns in order. Floats are printed with a fixed precision so
// the bytes are the same on every machine.
func WriteTimeseriesCSV(out io.Writer, r *Result) error {
	bw := bufio.NewWriter(out)
	var b []byte
	for i := range TimeseriesColumns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, TimeseriesColumns[i].Name...)
	}
	b = append(b, '\n')
	for d := range r.History {
		dm := &r.History[d]
		for p := range dm.Platforms {
			m, name := &dm.Platforms[p], r.Platforms[p].Name
			for i := range TimeseriesColumns {
				if i > 0 {
					b = append(b, ',')
				}
				b = TimeseriesColumns[i].AppendText(b, dm, m, name)
			}
			b = append(b, '\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if _, err := bw.Write(b); err != nil { // the header of a run without days
		return err
	}
	return bw.Flush()
}

// WriteKindsCSV writes kinds.csv, the columns of KindsColumns: one row per
// day, merchant kind and method (each platform, then "cash").
func WriteKindsCSV(out io.Writer, r *Result) error {
	bw := bufio.NewWriter(out)
	var b []byte
	for i, c := range KindsColumns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.Name...)
	}
	b = append(b, '\n')
	for d := range r.History {
		dm := &r.History[d]
		for k := range dm.Kinds {
			kd := &dm.Kinds[k]
			for p := 0; p <= len(kd.Payments); p++ {
				method := "cash"
				if p < len(kd.Payments) {
					method = r.Platforms[p].Name
				}
				for i, c := range KindsColumns {
					if i > 0 {
						b = append(b, ',')
					}
					b = c.appendText(b, dm, kd, p, method)
				}
				b = append(b, '\n')
				if _, err := bw.Write(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
	}
	if _, err := bw.Write(b); err != nil {
		return err
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
