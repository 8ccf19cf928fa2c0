package classroom

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// MaxUploadBytes is the largest scenario file a teacher may upload: the
// largest library file is under 12 KB, so 256 KB leaves room for any
// hand-written scenario and none for a memory attack.
const MaxUploadBytes = 256 << 10

// Limits on a session's shape. Users are capped so that one session's
// world fits the classroom laptop many times over (a million users take
// 330 MB; 200,000 about 70 MB) and a round of 90 days steps in well under
// a second (2.3 ms a day at 100,000 users, README's figures).
const (
	MinUsers     = 1_000
	MaxUsers     = 200_000
	MaxRounds    = 24
	MaxRoundDays = 90
	MaxTimerSec  = 3600
	maxNameRunes = 40
	maxStudents  = 400
)

// Lever is a decision a team may control.
type Lever string

// The levers a teacher may hand to the teams. They are the live levers of
// the simulator (sim.Lever), in yuan at the model's scale.
const (
	Cashback      Lever = "cashback"          // user cashback per wallet payment, yuan
	MerchantBonus Lever = "merchant_bonus"    // driver or merchant bonus per wallet payment, yuan
	Sponsored     Lever = "sponsored_per_day" // sponsored red envelopes a day, yuan
	FeeRate       Lever = "fee_rate"          // fee per yuan paid, charged to merchants
	Campaign      Lever = "campaign"          // one of the platform's campaigns to run this round (0: none)
)

// LeverInfo describes a lever: its bounds, its unit, whether rivals see it.
type LeverInfo struct {
	Lever Lever   `json:"lever"`
	Label string  `json:"label"`
	Unit  string  `json:"unit"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Step  float64 `json:"step"`
	// Public levers are advertised offers: riders see the cashback,
	// drivers and merchants the bonus and the fee. A sponsored envelope
	// budget is a platform's own business.
	Public bool      `json:"public"`
	sim    sim.Lever // the simulator's lever
	scale  float64   // from the unit to the simulator's (fen: 100)
}

// Levers lists every lever with its bounds. Cashback and bonus are capped
// at 30 yuan a payment (the taxi war peaked at 20, docs/record.md); a sponsored
// budget at 100,000 yuan a day at model scale (the 2015 gala's 500M yuan
// over 810M people is about 12,000 yuan on 20,000 users); the fee at 2% (the
// card networks' highest merchant rate; sim refuses above 20%).
var Levers = []LeverInfo{
	{Lever: Cashback, Label: "Cashback per payment", Unit: "yuan", Max: 30, Step: 0.5, Public: true, sim: sim.LeverCashback, scale: 100},
	{Lever: MerchantBonus, Label: "Driver/merchant bonus per payment", Unit: "yuan", Max: 30, Step: 0.5, Public: true, sim: sim.LeverMerchantBonus, scale: 100},
	{Lever: Sponsored, Label: "Sponsored red envelopes a day", Unit: "yuan", Max: 100_000, Step: 100, sim: sim.LeverSponsoredPerDay, scale: 100},
	{Lever: FeeRate, Label: "Fee rate charged to merchants", Unit: "per yuan", Max: 0.02, Step: 0.001, Public: true, sim: sim.LeverFeeRate, scale: 1},
	// The campaign menu: the campaigns the scenario gives the platform
	// (Menus), numbered from 1; 0 runs none. Max is the longest menu's
	// length in a session's view; each team is checked against its own.
	{Lever: Campaign, Label: "Campaign this round, from the menu", Unit: "menu", Step: 1, Public: true, sim: -1, scale: 1},
}

// Menus returns each platform's campaign menu: the names of its
// campaigns in the scenario (as cut to the session's horizon).
func Menus(s *scenarios.Scenario) [][]string {
	out := make([][]string, len(s.Platforms))
	for p, pl := range s.Platforms {
		out[p] = []string{}
		for i, c := range pl.Campaigns {
			name := c.Name
			if name == "" {
				name = fmt.Sprintf("campaign %d", i+1)
			}
			out[p] = append(out[p], name)
		}
	}
	return out
}

// leverInfo returns the description of l.
func leverInfo(l Lever) (LeverInfo, bool) {
	for _, li := range Levers {
		if li.Lever == l {
			return li, true
		}
	}
	return LeverInfo{}, false
}

// BotKinds are the strategies a bot seat may play: "scenario" keeps the
// platform's own strategy from the file; the others replace it with the
// class defaults of botStrategy.
var BotKinds = []string{"scenario", "fixed", "match", "escalate", "bandit", "fictitious"}

// Seat says who plays a platform: a team of students (Team true) or a bot.
type Seat struct {
	Platform string `json:"platform"`
	Team     bool   `json:"team"`
	Bot      string `json:"bot,omitempty"` // one of BotKinds when Team is false
}

// Config is what the teacher sets for a session.
type Config struct {
	// Scenario is a library name; Upload, when not empty, is a scenario
	// file's text instead (UploadName names it in messages).
	Scenario   string  `json:"scenario"`
	Upload     string  `json:"upload,omitempty"`
	UploadName string  `json:"upload_name,omitempty"`
	Users      int     `json:"users"`
	Seed       uint64  `json:"seed"`
	RoundDays  int     `json:"round_days"`
	Rounds     int     `json:"rounds"`
	TimerSec   int     `json:"timer_sec"` // 0: no timer
	Levers     []Lever `json:"levers"`
	Seats      []Seat  `json:"seats"`
}

// DefaultConfig is the taxi war as a class of two teams: six rounds of a
// month at 20,000 users, cashback and driver bonus in the teams' hands.
func DefaultConfig() Config {
	return Config{Scenario: "taxi-war-2014", Users: 20_000, Seed: 1, RoundDays: 30, Rounds: 6, TimerSec: 180,
		Levers: []Lever{Cashback, MerchantBonus}}
}

// Build validates c and returns the scenario the session's world runs:
// the file with the teacher's size, seed and horizon, the team seats'
// strategies switched off and the bots' set. It also fills c.Seats with
// one seat per platform (teams by default).
func (c *Config) Build() (*scenarios.Scenario, error) {
	if c.RoundDays < 1 || c.RoundDays > MaxRoundDays {
		return nil, fmt.Errorf("classroom: days per round must be 1 to %d, got %d", MaxRoundDays, c.RoundDays)
	}
	if c.Rounds < 1 || c.Rounds > MaxRounds {
		return nil, fmt.Errorf("classroom: rounds must be 1 to %d, got %d", MaxRounds, c.Rounds)
	}
	if c.TimerSec < 0 || c.TimerSec > MaxTimerSec {
		return nil, fmt.Errorf("classroom: the round timer must be 0 (none) to %d seconds, got %d", MaxTimerSec, c.TimerSec)
	}
	if c.Users < MinUsers || c.Users > MaxUsers {
		return nil, fmt.Errorf("classroom: users must be %d to %d, got %d", MinUsers, MaxUsers, c.Users)
	}
	seen := map[Lever]bool{}
	for _, l := range c.Levers {
		if _, ok := leverInfo(l); !ok {
			return nil, fmt.Errorf("classroom: unknown lever %q (levers: cashback, merchant_bonus, sponsored_per_day, fee_rate)", l)
		}
		if seen[l] {
			return nil, fmt.Errorf("classroom: lever %q given twice", l)
		}
		seen[l] = true
	}
	var s *scenarios.Scenario
	var err error
	switch {
	case c.Upload != "":
		if len(c.Upload) > MaxUploadBytes {
			return nil, fmt.Errorf("classroom: the scenario file is %d bytes, more than the %d allowed", len(c.Upload), MaxUploadBytes)
		}
		name := c.UploadName
		if name == "" || len(name) > 80 || strings.ContainsAny(name, "/\\\x00") {
			name = "upload.toml"
		}
		c.UploadName = name
		s, err = scenarios.Parse(name, []byte(c.Upload), nil)
	case c.Scenario != "":
		if scenarios.IsPath(c.Scenario) {
			// The server never opens a path given over the network.
			return nil, fmt.Errorf("classroom: %q is not a library scenario; upload the file instead", c.Scenario)
		}
		s, err = scenarios.Load(c.Scenario, nil)
	default:
		return nil, errors.New("classroom: choose a library scenario or upload one")
	}
	if err != nil {
		return nil, err
	}
	s.World.Users = c.Users
	s.World.Seed = c.Seed
	if err := scenarios.SetHorizon(s, c.Rounds*c.RoundDays); err != nil {
		return nil, err
	}
	if len(c.Seats) == 0 {
		for _, p := range s.Platforms {
			c.Seats = append(c.Seats, Seat{Platform: p.Name, Team: true})
		}
	}
	if len(c.Seats) != len(s.Platforms) {
		return nil, fmt.Errorf("classroom: %d seats for %d platforms", len(c.Seats), len(s.Platforms))
	}
	for p := range s.Platforms {
		seat := &c.Seats[p]
		if seat.Platform != s.Platforms[p].Name {
			return nil, fmt.Errorf("classroom: seat %d is %q, want platform %q", p, seat.Platform, s.Platforms[p].Name)
		}
		if seat.Team {
			seat.Bot = ""
			s.Platforms[p].Strategy.Kind = "fixed"
			if slices.Contains(c.Levers, Campaign) {
				// The team chooses its campaigns round by round: none
				// runs on the scenario's dates.
				for i := range s.Platforms[p].Campaigns {
					neverRun(&s.Platforms[p].Campaigns[i])
				}
			}
			continue
		}
		if !slices.Contains(BotKinds, seat.Bot) {
			return nil, fmt.Errorf("classroom: seat %s: unknown bot %q (bots: %s)", seat.Platform, seat.Bot, strings.Join(BotKinds, ", "))
		}
		botStrategy(s, p, seat.Bot)
	}
	return s, nil
}

// botStrategy gives platform p the class's default bot of kind: reactive
// rules with round numbers a teacher can explain in a sentence. "match"
// pays the strongest rival's headline plus one yuan the next day, up to 20
// (Kuaidi's "always one yuan more", taxi-war-2014); "escalate" raises its
// cashback by a yuan a week while its share is below an equal split;
// bandit and fictitious play choose weekly among 0, 5 and 10 yuan.
func botStrategy(s *scenarios.Scenario, p int, kind string) {
	st := &s.Platforms[p].Strategy
	if kind == "scenario" {
		return
	}
	rival := ""
	for q := range s.Platforms {
		if q != p {
			rival = s.Platforms[q].Name
			break
		}
	}
	floor := st.Floor
	*st = scenarios.Strategy{Kind: kind, Floor: floor, Period: 7}
	switch kind {
	case "match":
		st.Rival, st.Lag, st.Increment, st.Max = rival, 1, 100, 2000
		if rival == "" {
			st.Kind = "fixed"
		}
	case "escalate":
		st.Target = 1 / float64(len(s.Platforms))
		st.Increment, st.Max = 100, 2000
	case "bandit", "fictitious":
		st.Epsilon = 0.1
		st.Arms = []scenarios.Arm{{Name: "none"}, {Name: "5 yuan", Cashback: 500}, {Name: "10 yuan", Cashback: 1000}}
		if kind == "fictitious" {
			st.Rival = rival
		}
	}
}

// neverRun moves a campaign out of every day.
func neverRun(c *scenarios.Campaign) { c.Start, c.End = math.MaxInt32, -1 }

// Decision is one team's levers for a round: a value per controlled lever
// in the lever's unit. A lever left out keeps the platform's schedule from
// the scenario (what the platform really did).
type Decision map[Lever]float64

// check validates d against the levers the session lets teams control and
// their bounds, and rounds each value to the lever's step so that the
// world sees the same numbers after a replay as it did live.
// menu is the number of campaigns on the team's menu.
func (d Decision) check(allowed []Lever, menu int) (Decision, error) {
	out := Decision{}
	for l, v := range d {
		li, ok := leverInfo(l)
		if !ok {
			return nil, fmt.Errorf("unknown lever %q", l)
		}
		if !slices.Contains(allowed, l) {
			return nil, fmt.Errorf("lever %q is not in the teams' hands in this session", l)
		}
		hi := li.Max
		if l == Campaign {
			hi = float64(menu)
			if v != math.Trunc(v) {
				return nil, fmt.Errorf("campaign must be a whole number from the menu, got %v", v)
			}
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < li.Min || v > hi {
			return nil, fmt.Errorf("%s must be between %g and %g %s, got %v", l, li.Min, hi, li.Unit, v)
		}
		out[l] = math.Round(v/li.Step) * li.Step
	}
	return out, nil
}

// apply sets platform p's levers in w from d for the round of days
// first..last; levers d leaves out are given back to the schedule. With
// the campaign menu in the teams' hands (menu true), the chosen campaign
// runs on the round's days and no other.
func (d Decision) apply(w *sim.World, p int, menu bool, first, last int) error {
	if menu {
		cs := w.Scenario.Platforms[p].Campaigns
		for i := range cs {
			neverRun(&cs[i])
		}
		if v, ok := d[Campaign]; ok && v >= 1 && int(v) <= len(cs) {
			cs[int(v)-1].Start, cs[int(v)-1].End = first, last
		}
	}
	for _, li := range Levers {
		if li.Lever == Campaign {
			continue
		}
		v, ok := d[li.Lever]
		val := -1.0
		if ok {
			val = math.Round(v*li.scale*1e6) / 1e6
			if li.scale != 1 {
				val = math.Round(v * li.scale)
			}
		}
		if err := w.SetLever(p, li.sim, val); err != nil {
			return err
		}
	}
	return nil
}
