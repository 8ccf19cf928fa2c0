package classroom

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/empirical"
)

// Plays is what every platform does in every round of a counterfactual:
// Plays[r][p] is platform p's decision in round r; a nil row entry, or a
// platform in Bots, plays its seat's bot instead.
type Plays struct {
	Decisions [][]Decision
	// Bots are team seats handed to a bot of the given kind (BotKinds).
	Bots map[int]string
}

// Simulate runs the session's market under plays, with users and seed in
// place of the session's (0 keeps them), and returns the result. It is
// what the session itself ran when plays are the decisions played and
// users and seed the session's: the debrief's forks and games are the
// class's world with something changed.
func Simulate(ctx context.Context, cfg Config, plays Plays, users int, seed uint64) (*sim.Result, error) {
	c := cfg
	c.Seats = slices.Clone(cfg.Seats)
	if users > 0 {
		c.Users = users
	}
	if seed > 0 {
		c.Seed = seed
	}
	for p, kind := range plays.Bots {
		if p >= 0 && p < len(c.Seats) {
			c.Seats[p].Team, c.Seats[p].Bot = false, kind
		}
	}
	scen, err := c.Build()
	if err != nil {
		return nil, err
	}
	w, err := sim.New(scen)
	if err != nil {
		return nil, err
	}
	for r := 0; r < c.Rounds && !w.Done(); r++ {
		for p := range c.Seats {
			if !c.Seats[p].Team {
				continue
			}
			var d Decision
			if r < len(plays.Decisions) && p < len(plays.Decisions[r]) {
				d = plays.Decisions[r][p]
			}
			first := r * c.RoundDays
			if err := d.apply(w, p, slices.Contains(c.Levers, Campaign), first, first+c.RoundDays-1); err != nil {
				return nil, err
			}
		}
		for range c.RoundDays {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if w.Done() {
				break
			}
			if err := w.Step(); err != nil {
				return nil, err
			}
		}
	}
	return w.Result(), nil
}

// Run is one world's outcome, as the debrief charts it.
type Run struct {
	Label string `json:"label"`
	// Share[p][d] is platform p's share of wallet payment value on day d;
	// Burn[p][d] its cumulative subsidies in yuan at the model's scale;
	// CardBound[p][d] its card-bound users.
	Share     [][]float64 `json:"share"`
	Burn      [][]float64 `json:"burn"`
	CardBound [][]int64   `json:"card_bound"`
	// Payoff is each platform's payoff under the scenario's metric.
	Payoff []float64 `json:"payoff"`
	Metric string    `json:"metric"`
}

func runOf(label string, res *sim.Result) Run {
	K := len(res.Platforms)
	r := Run{Label: label, Share: make([][]float64, K), Burn: make([][]float64, K), CardBound: make([][]int64, K), Metric: res.Scenario.Payoff.Metric}
	for p := range K {
		burn := 0.0
		for _, dm := range res.History {
			m := &dm.Platforms[p]
			burn += float64(m.SubsidyUserFen+m.SubsidyMerchantFen) / 100
			r.Share[p] = append(r.Share[p], m.ShareValue)
			r.Burn[p] = append(r.Burn[p], burn)
			r.CardBound[p] = append(r.CardBound[p], m.CardBound)
		}
		r.Payoff = append(r.Payoff, res.Platforms[p].Payoff)
	}
	return r
}

// GameReport is the empirical game of the strategies the teams played.
type GameReport struct {
	Players    []string   `json:"players"`
	Strategies [][]string `json:"strategies"`
	Users      int        `json:"users"`
	Replicates int        `json:"replicates"`
	Metric     string     `json:"metric"`
	// Class is the profile the class played (each team its own decisions,
	// each bot its bot), with its mean payoffs.
	Class       []int     `json:"class"`
	ClassPayoff []float64 `json:"class_payoff"`
	// Regret is the most any one platform would have gained by switching
	// alone to another strategy of the game, in payoff units; Deviation
	// says who and to what.
	Regret    float64 `json:"regret"`
	RegretSE  float64 `json:"regret_se"`
	Deviation string  `json:"deviation"`
	// Equilibria of the estimated game.
	Equilibria []EquilibriumReport `json:"equilibria"`
	Notes      []string            `json:"notes"`
}

// EquilibriumReport is one Nash equilibrium, readable.
type EquilibriumReport struct {
	NE      string      `json:"ne"`
	Mix     [][]float64 `json:"mix"`
	Payoffs []float64   `json:"payoffs"`
	Pure    bool        `json:"pure"`
	// NotRejected: the noise of the estimate cannot reject it.
	NotRejected bool `json:"not_rejected"`
}

// Debrief is everything the debrief page shows.
type Debrief struct {
	Status    string        `json:"status"` // computing, ready, failed
	Error     string        `json:"error,omitempty"`
	Platforms []string      `json:"platforms"`
	Labels    []string      `json:"labels"`
	Colors    []string      `json:"colors"`
	Teams     []bool        `json:"teams"`
	Dates     []string      `json:"dates"`
	RoundDays int           `json:"round_days"`
	Played    [][]Decision  `json:"played"`
	Class     *Run          `json:"class,omitempty"`
	Bots      *Run          `json:"bots,omitempty"`
	History   *Run          `json:"history,omitempty"`
	Record    []RecordPoint `json:"record"`
	Game      *GameReport   `json:"game,omitempty"`
	Took      string        `json:"took,omitempty"`
}

type debriefState struct {
	once sync.Once
	done chan struct{}
	out  *Debrief
}

// debriefBot is the bot that takes every team's seat in the bots-only
// world: fictitious play learns from payoffs round after round, as the
// teams do.
const debriefBot = "fictitious"

// gameUsers bounds the users of the empirical game's runs: the game runs
// every profile several times, so it runs smaller worlds than a class of
// 100,000 users (20,000 is the taxi war's own size).
const gameUsers = 20_000

// maxGameRuns bounds the empirical game's simulations (profiles ×
// replicates) so the debrief is ready within a minute on two cores.
const maxGameRuns = 160

// Debrief returns the session's debrief, computing it on first call (the
// game must be over); wait says whether to wait for it.
func (s *Session) Debrief(wait bool) (*Debrief, error) {
	s.mu.Lock()
	if s.phase != Over {
		s.mu.Unlock()
		return nil, refuse("the debrief opens when the last round has been played")
	}
	if s.debrief == nil {
		s.debrief = &debriefState{done: make(chan struct{})}
	}
	ds := s.debrief
	cfg := s.cfg
	cfg.Seats = slices.Clone(s.cfg.Seats)
	played := s.playedCopy()
	classRes := s.world.Result()
	s.mu.Unlock()
	ds.once.Do(func() {
		go func() {
			ds.out = computeDebrief(cfg, played, classRes)
			close(ds.done)
		}()
	})
	if wait {
		<-ds.done
	}
	select {
	case <-ds.done:
		return ds.out, nil
	default:
		return &Debrief{Status: "computing"}, nil
	}
}

// playedCopy deep-copies the decisions played so far, so that the debrief
// and forks can read them without holding s.mu; the caller holds s.mu.
func (s *Session) playedCopy() [][]Decision {
	out := make([][]Decision, len(s.played))
	for r, row := range s.played {
		out[r] = make([]Decision, len(row))
		for p, d := range row {
			out[r][p] = maps.Clone(d)
		}
	}
	return out
}

func computeDebrief(cfg Config, played [][]Decision, classRes *sim.Result) *Debrief {
	start := time.Now()
	ctx := context.Background()
	scen := classRes.Scenario
	db := &Debrief{Status: "ready", RoundDays: cfg.RoundDays, Played: played}
	for p, pl := range scen.Platforms {
		label := pl.Label
		if label == "" {
			label = pl.Name
		}
		db.Platforms = append(db.Platforms, pl.Name)
		db.Labels = append(db.Labels, label)
		db.Colors = append(db.Colors, pl.Color)
		db.Teams = append(db.Teams, cfg.Seats[p].Team)
	}
	for _, dm := range classRes.History {
		db.Dates = append(db.Dates, dm.Date)
	}
	class := runOf("the class", classRes)
	db.Class = &class
	fail := func(err error) *Debrief {
		db.Status, db.Error = "failed", err.Error()
		return db
	}
	bots := map[int]string{}
	for p, seat := range cfg.Seats {
		if seat.Team {
			bots[p] = debriefBot
		}
	}
	res, err := Simulate(ctx, cfg, Plays{Bots: bots}, 0, 0)
	if err != nil {
		return fail(err)
	}
	r := runOf("bots only ("+debriefBot+" play in every team's seat)", res)
	db.Bots = &r
	// The record: the library scenario as it is, its campaigns the real
	// schedule and its strategies the real answers, at the class's size.
	if cfg.Upload == "" {
		hist := cfg
		hist.Seats = nil
		for _, p := range scen.Platforms {
			hist.Seats = append(hist.Seats, Seat{Platform: p.Name, Bot: "scenario"})
		}
		res, err := Simulate(ctx, hist, Plays{}, 0, 0)
		if err != nil {
			return fail(err)
		}
		r := runOf("the real 2014–15 schedule (the library scenario)", res)
		db.History = &r
		db.Record = recordFor(cfg.Scenario, db.Dates)
	}
	g, err := classGame(ctx, cfg, played)
	if err != nil {
		g = &GameReport{Notes: []string{"the empirical game could not be computed: " + err.Error()}}
	}
	db.Game = g
	db.Took = time.Since(start).Round(time.Millisecond).String()
	return db
}

// classGame builds and solves the empirical game of the strategies the
// class played. Each team seat's strategies are every team's decision
// sequence (a team's play can be tried in any seat: its levers are
// yuan and rates, not shares) and the scenario's own strategy ("history");
// a bot seat has its bot. Every profile is simulated on the same seeds
// (common random numbers), and sim/empirical estimates the game, finds
// its equilibria and tests them against the noise.
func classGame(ctx context.Context, cfg Config, played [][]Decision) (*GameReport, error) {
	K := len(cfg.Seats)
	type strat struct {
		name string
		seq  []Decision // nil: the bot of the seat (or the scenario's strategy)
		bot  bool
	}
	// Distinct team sequences, named after the teams that played them.
	var seqs []strat
	for p, seat := range cfg.Seats {
		if !seat.Team {
			continue
		}
		seq := make([]Decision, len(played))
		for r := range played {
			seq[r] = played[r][p]
		}
		key, _ := json.Marshal(seq)
		dup := false
		for i := range seqs {
			if k2, _ := json.Marshal(seqs[i].seq); string(k2) == string(key) {
				seqs[i].name += " = " + seat.Platform
				dup = true
			}
		}
		if !dup {
			seqs = append(seqs, strat{name: "as " + seat.Platform + " played", seq: seq})
		}
	}
	if len(seqs) == 0 {
		return nil, fmt.Errorf("no team played")
	}
	rep := &GameReport{Users: min(cfg.Users, gameUsers), Replicates: 3}
	strategies := make([][]strat, K)
	for p, seat := range cfg.Seats {
		rep.Players = append(rep.Players, seat.Platform)
		if seat.Team {
			strategies[p] = append(slices.Clone(seqs), strat{name: "history (the scenario's own)", bot: true})
		} else {
			strategies[p] = []strat{{name: "bot: " + seat.Bot, bot: true}}
		}
		var names []string
		for _, st := range strategies[p] {
			names = append(names, st.name)
		}
		rep.Strategies = append(rep.Strategies, names)
	}
	profiles := 1
	for _, ss := range strategies {
		profiles *= len(ss)
	}
	for profiles*rep.Replicates > maxGameRuns && rep.Replicates > 2 {
		rep.Replicates--
	}
	if profiles*rep.Replicates > maxGameRuns {
		return nil, fmt.Errorf("%d profiles are too many to simulate in class (at most %d runs)", profiles, maxGameRuns)
	}
	// The class's profile: each team its own sequence.
	rep.Class = make([]int, K)
	for p, seat := range cfg.Seats {
		if !seat.Team {
			continue
		}
		for i, st := range strategies[p] {
			if strings.HasPrefix(st.name, "as "+seat.Platform+" ") || strings.Contains(st.name, "= "+seat.Platform) {
				rep.Class[p] = i
			}
		}
	}
	table := &empirical.Table{Players: rep.Players, Strategies: rep.Strategies, Values: make([][][]float64, profiles), Paired: true}
	type job struct{ k, rep int }
	jobs := make(chan job)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	prof := func(k int) []int {
		s := make([]int, K)
		for p := range K {
			s[p] = k % len(strategies[p])
			k /= len(strategies[p])
		}
		return s
	}
	for k := range profiles {
		table.Values[k] = make([][]float64, K)
		for p := range K {
			table.Values[k][p] = make([]float64, rep.Replicates)
		}
	}
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s := prof(j.k)
				plays := Plays{Decisions: make([][]Decision, cfg.Rounds), Bots: map[int]string{}}
				for r := range plays.Decisions {
					plays.Decisions[r] = make([]Decision, K)
				}
				for p := range K {
					st := strategies[p][s[p]]
					if !cfg.Seats[p].Team {
						continue
					}
					if st.bot {
						plays.Bots[p] = "scenario"
						continue
					}
					for r := range st.seq {
						plays.Decisions[r][p] = st.seq[r]
					}
				}
				res, err := Simulate(ctx, cfg, plays, rep.Users, cfg.Seed+uint64(j.rep))
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					for p := range K {
						table.Values[j.k][p][j.rep] = res.Platforms[p].Payoff
					}
					rep.Metric = res.Scenario.Payoff.Metric
				}
				mu.Unlock()
			}
		}()
	}
	for k := range profiles {
		for r := range rep.Replicates {
			jobs <- job{k, r}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	a, err := empirical.Analyze(table, empirical.AnalyzeOptions{Title: "the class's strategies"})
	if err != nil {
		return nil, err
	}
	ck := table.Index(rep.Class)
	ps := a.Profiles[ck]
	rep.ClassPayoff = ps.Mean
	if ps.Best.Player >= 0 && ps.Best.Gain > 0 {
		rep.Regret, rep.RegretSE = ps.Best.Gain, ps.Best.SE
		rep.Deviation = fmt.Sprintf("%s would have gained %.4g by playing %q instead", rep.Players[ps.Best.Player], ps.Best.Gain,
			rep.Strategies[ps.Best.Player][ps.Best.Strategy])
	} else {
		rep.Deviation = "no platform could have gained by changing its strategy alone: the class played an equilibrium of this game"
	}
	for _, e := range a.Equilibria {
		er := EquilibriumReport{NE: e.NE, Payoffs: e.Payoffs, Pure: e.Pure, NotRejected: e.NotRejected}
		for p := range K {
			mix := make([]float64, len(rep.Strategies[p]))
			for i := range mix {
				mix[i] = probOf(e, p, i)
			}
			er.Mix = append(er.Mix, mix)
		}
		rep.Equilibria = append(rep.Equilibria, er)
	}
	rep.Notes = a.Notes
	return rep, nil
}

// probOf reads player p's probability of strategy i in an equilibrium.
func probOf(e empirical.Equilibrium, p, i int) float64 {
	if e.Profile.Rat != nil {
		f, _ := e.Profile.Rat[p][i].Float64()
		return f
	}
	return e.Profile.Float[p][i]
}

// ForkRequest asks what would have happened had team Team played
// Decision from round Round on (only in that round when Only is true), or
// handed its seat to a bot (Bot, one of BotKinds).
type ForkRequest struct {
	Round    int      `json:"round"`
	Team     int      `json:"team"`
	Decision Decision `json:"decision"`
	Bot      string   `json:"bot"`
	Only     bool     `json:"only"`
}

// Fork runs the class's game with one team's decisions changed from a
// round on: before that round the fork is the class's world, day for day.
func (s *Session) Fork(ctx context.Context, req ForkRequest) (*Run, error) {
	s.mu.Lock()
	if s.phase != Over {
		s.mu.Unlock()
		return nil, refuse("forks open when the last round has been played")
	}
	cfg := s.cfg
	cfg.Seats = slices.Clone(s.cfg.Seats)
	played := s.playedCopy()
	s.mu.Unlock()
	if req.Round < 0 || req.Round >= len(played) {
		return nil, refuse("no round %d was played", req.Round+1)
	}
	if req.Team < 0 || req.Team >= len(cfg.Seats) || !cfg.Seats[req.Team].Team {
		return nil, refuse("seat %d is not a team", req.Team)
	}
	plays := Plays{Decisions: played}
	label := ""
	if req.Bot != "" {
		if !slices.Contains(BotKinds, req.Bot) || req.Round != 0 {
			return nil, refuse("a seat can be handed to a bot (%s) from round 1 only", strings.Join(BotKinds, ", "))
		}
		plays.Bots = map[int]string{req.Team: req.Bot}
		label = fmt.Sprintf("%s played by the %s bot", cfg.Seats[req.Team].Platform, req.Bot)
	} else {
		d, err := req.Decision.check(cfg.Levers, len(s.menus[req.Team]))
		if err != nil {
			return nil, refuse("%v", err)
		}
		last := len(played) - 1
		if req.Only {
			last = req.Round
		}
		for r := req.Round; r <= last; r++ {
			plays.Decisions[r][req.Team] = maps.Clone(d)
		}
		label = fmt.Sprintf("%s plays %s from round %d", cfg.Seats[req.Team].Platform, describe(d), req.Round+1)
		if req.Only {
			label = fmt.Sprintf("%s plays %s in round %d only", cfg.Seats[req.Team].Platform, describe(d), req.Round+1)
		}
	}
	res, err := Simulate(ctx, cfg, plays, 0, 0)
	if err != nil {
		return nil, err
	}
	r := runOf(label, res)
	return &r, nil
}

// describe prints a decision as "cashback 5, merchant_bonus 0".
func describe(d Decision) string {
	if len(d) == 0 {
		return "the schedule"
	}
	var parts []string
	for _, li := range Levers {
		if v, ok := d[li.Lever]; ok {
			parts = append(parts, fmt.Sprintf("%s %g", li.Lever, v))
		}
	}
	return strings.Join(parts, ", ")
}
