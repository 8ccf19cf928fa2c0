package classroom

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// OutcomeRow is one platform in one round: the levers it played and what
// the market made of them by the round's last day. Levers a team left to
// the schedule, and bots' levers, are empty (NaN would read as a value).
type OutcomeRow struct {
	Session         string   `parquet:"session"`
	Scenario        string   `parquet:"scenario"`
	Round           int32    `parquet:"round"`
	FirstDay        int32    `parquet:"first_day"`
	LastDay         int32    `parquet:"last_day"`
	Platform        string   `parquet:"platform"`
	Seat            string   `parquet:"seat"` // team, or bot:KIND
	Reason          string   `parquet:"advanced_by"`
	Cashback        *float64 `parquet:"cashback_yuan,optional"`
	MerchantBonus   *float64 `parquet:"merchant_bonus_yuan,optional"`
	SponsoredPerDay *float64 `parquet:"sponsored_per_day_yuan,optional"`
	FeeRate         *float64 `parquet:"fee_rate,optional"`
	ShareValue      float64  `parquet:"share_value"`      // on the last day
	MeanShareValue  float64  `parquet:"mean_share_value"` // over the round
	CardBound       int64    `parquet:"card_bound"`
	MAU             int64    `parquet:"mau"`
	SubsidiesFen    int64    `parquet:"subsidies_fen"` // paid in the round
	FeesFen         int64    `parquet:"fees_fen"`
	TreasuryFen     int64    `parquet:"treasury_fen"`
}

// Outcomes returns one row per round played and platform.
func (s *Session) Outcomes() []OutcomeRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	hist := s.world.History()
	var rows []OutcomeRow
	for r, row := range s.played {
		first, last := r*s.cfg.RoundDays, min(len(hist), (r+1)*s.cfg.RoundDays)-1
		if last < first {
			break
		}
		for p, d := range row {
			seat := "team"
			if !s.cfg.Seats[p].Team {
				seat = "bot:" + s.cfg.Seats[p].Bot
			}
			o := OutcomeRow{Session: s.Code, Scenario: s.scen.World.Name, Round: int32(r + 1), FirstDay: int32(first), LastDay: int32(last),
				Platform: s.cfg.Seats[p].Platform, Seat: seat, Reason: s.reasons[r]}
			lv := func(l Lever) *float64 {
				if v, ok := d[l]; ok {
					return &v
				}
				return nil
			}
			o.Cashback, o.MerchantBonus, o.SponsoredPerDay, o.FeeRate = lv(Cashback), lv(MerchantBonus), lv(Sponsored), lv(FeeRate)
			for day := first; day <= last; day++ {
				m := &hist[day].Platforms[p]
				o.MeanShareValue += m.ShareValue / float64(last-first+1)
				o.SubsidiesFen += m.SubsidyUserFen + m.SubsidyMerchantFen
				o.FeesFen += m.FeeRevenueFen
			}
			m := &hist[last].Platforms[p]
			o.ShareValue, o.CardBound, o.MAU, o.TreasuryFen = m.ShareValue, m.CardBound, m.MAU, m.TreasuryFen
			rows = append(rows, o)
		}
	}
	return rows
}

// outcomeColumns is the CSV header, in OutcomeRow's order.
var outcomeColumns = []string{"session", "scenario", "round", "first_day", "last_day", "platform", "seat", "advanced_by",
	"cashback_yuan", "merchant_bonus_yuan", "sponsored_per_day_yuan", "fee_rate",
	"share_value", "mean_share_value", "card_bound", "mau", "subsidies_fen", "fees_fen", "treasury_fen"}

// WriteOutcomesCSV writes the rows as CSV with fixed float precision.
func WriteOutcomesCSV(w io.Writer, rows []OutcomeRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(outcomeColumns); err != nil {
		return err
	}
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, o := range rows {
		rec := []string{o.Session, o.Scenario, i(int64(o.Round)), i(int64(o.FirstDay)), i(int64(o.LastDay)), o.Platform, o.Seat, o.Reason,
			opt(o.Cashback), opt(o.MerchantBonus), opt(o.SponsoredPerDay), opt(o.FeeRate),
			strconv.FormatFloat(o.ShareValue, 'f', 6, 64), strconv.FormatFloat(o.MeanShareValue, 'f', 6, 64),
			i(o.CardBound), i(o.MAU), i(o.SubsidiesFen), i(o.FeesFen), i(o.TreasuryFen)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteOutcomesParquet writes the rows as one Parquet file.
func WriteOutcomesParquet(w io.Writer, rows []OutcomeRow) error {
	pw := parquet.NewGenericWriter[OutcomeRow](w, parquet.Compression(&parquet.Zstd), parquet.CreatedBy("hongbao", "classroom/1", "none"))
	if _, err := pw.Write(rows); err != nil {
		return err
	}
	return pw.Close()
}
