package classroom

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

// smallConfig is the taxi war at 2,000 users, three rounds of ten days:
// big enough that shares move, small enough to run in a second.
func smallConfig() Config {
	return Config{Scenario: "taxi-war-2014", Users: 2000, Seed: 3, RoundDays: 10, Rounds: 3, Levers: []Lever{Cashback, MerchantBonus}}
}

func newTestServer(t testing.TB, dir string) *Server {
	t.Helper()
	srv, err := NewServer(dir)
	require.NoError(t, err)
	srv.Logf = t.Logf
	t.Cleanup(srv.Close)
	return srv
}

func waitPhase(t *testing.T, s *Session, want Phase, round int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ph, r := s.Phase()
		if ph == want && r == round {
			return
		}
		require.True(t, time.Now().Before(deadline), "session stuck in %s round %d, want %s round %d", ph, r, want, round)
		select {
		case <-s.Changed():
		case <-time.After(time.Second):
		}
	}
}

// TestAllBotSession plays a whole session headless with bots in every
// seat: the teacher forces each round, and the world ends where a plain
// run of the same scenario ends.
func TestAllBotSession(t *testing.T) {
	srv := newTestServer(t, t.TempDir())
	cfg := smallConfig()
	cfg.Seats = []Seat{{Platform: "wechat", Bot: "scenario"}, {Platform: "alipay", Bot: "match"}}
	s, err := srv.Create(cfg)
	require.NoError(t, err)
	require.NoError(t, s.Start())
	for r := range cfg.Rounds {
		waitPhase(t, s, Deciding, r)
		require.NoError(t, s.Advance(r, "teacher"))
	}
	waitPhase(t, s, Over, cfg.Rounds)
	played := s.Played()
	require.Len(t, played, cfg.Rounds)

	// The same market run by Simulate, outside any session, is the same
	// world byte for byte.
	res, err := Simulate(context.Background(), s.Config(), Plays{Decisions: played}, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, string(s.History()), csvOf(t, res))
	assert.Len(t, res.History, cfg.Rounds*cfg.RoundDays)
}

func csvOf(t *testing.T, res *sim.Result) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "ts.csv")
	fh, err := os.Create(f)
	require.NoError(t, err)
	require.NoError(t, sim.WriteTimeseriesCSV(fh, res))
	require.NoError(t, fh.Close())
	b, err := os.ReadFile(f)
	require.NoError(t, err)
	return string(b)
}

// TestReplaySameBytes plays two teams through a session, then rebuilds the
// server from its data folder: the replayed world's history is the
// original's, byte for byte, and the students' tokens still work.
func TestReplaySameBytes(t *testing.T) {
	dir := t.TempDir()
	srv := newTestServer(t, dir)
	cfg := smallConfig()
	s, err := srv.Create(cfg)
	require.NoError(t, err)
	a, err := s.Join("Ada", 0)
	require.NoError(t, err)
	b, err := s.Join("Bo", 1)
	require.NoError(t, err)
	require.NoError(t, s.Start())
	plays := []struct{ a, b float64 }{{10, 12}, {5, 13}, {0, 2}}
	for r, pl := range plays[:2] {
		waitPhase(t, s, Deciding, r)
		require.NoError(t, s.Decide(a, r, Decision{Cashback: pl.a}))
		require.NoError(t, s.Decide(b, r, Decision{Cashback: pl.b, MerchantBonus: 5}))
	}
	waitPhase(t, s, Deciding, 2)
	require.NoError(t, s.Decide(a, 2, Decision{Cashback: plays[2].a}))
	before := s.History()
	srv.Close()

	srv2 := newTestServer(t, dir)
	s2 := srv2.Session(s.Code)
	require.NotNil(t, s2)
	ph, r := s2.Phase()
	assert.Equal(t, Deciding, ph)
	assert.Equal(t, 2, r)
	assert.Equal(t, string(before), string(s2.History()), "the replayed world differs from the original")
	// Ada's decision for round 3 survived; Bo's token still works.
	require.NoError(t, s2.Decide(b, 2, Decision{Cashback: plays[2].b}))
	waitPhase(t, s2, Over, cfg.Rounds)
	assert.Len(t, s2.Played(), 3)
	assert.Equal(t, Decision{Cashback: 0}, s2.Played()[2][0])
}

// TestTornLogTail: a crash in the middle of a write leaves a line without
// its newline; the server drops it (it was never acknowledged) and
// resumes.
func TestTornLogTail(t *testing.T) {
	dir := t.TempDir()
	srv := newTestServer(t, dir)
	s, err := srv.Create(smallConfig())
	require.NoError(t, err)
	_, err = s.Join("Ada", 0)
	require.NoError(t, err)
	srv.Close()
	path := filepath.Join(dir, "sessions", s.ID+".jsonl")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"kind":"join","seat":"ab`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	srv2 := newTestServer(t, dir)
	s2 := srv2.Session(s.Code)
	require.NotNil(t, s2)
	assert.Len(t, s2.students, 1)
	_, err = s2.Join("Bo", 1)
	require.NoError(t, err)
	recs, _, err := ReadLog(path)
	require.NoError(t, err)
	assert.Len(t, recs, 3, "create, two joins: the torn line is gone")
}

// TestDecisionChecks refuses what no team may do, and takes nothing in.
func TestDecisionChecks(t *testing.T) {
	srv := newTestServer(t, t.TempDir())
	s, err := srv.Create(smallConfig())
	require.NoError(t, err)
	a, err := s.Join("Ada", 0)
	require.NoError(t, err)
	require.ErrorIs(t, s.Decide(a, 0, Decision{Cashback: 1}), ErrRefused, "before the start")
	require.NoError(t, s.Start())
	cases := []struct {
		name  string
		token string
		round int
		d     Decision
	}{
		{"over the bound", a, 0, Decision{Cashback: 31}},
		{"negative", a, 0, Decision{MerchantBonus: -1}},
		{"lever not handed to teams", a, 0, Decision{FeeRate: 0.01}},
		{"unknown lever", a, 0, Decision{"treasury": 1}},
		{"a closed round", a, 1, Decision{Cashback: 1}},
		{"a forged token", newToken(), 0, Decision{Cashback: 1}},
		{"no token", "", 0, Decision{Cashback: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Decide(c.token, c.round, c.d)
			require.ErrorIs(t, err, ErrRefused)
		})
	}
	s.mu.Lock()
	assert.Empty(t, s.pending)
	s.mu.Unlock()
}

// TestCampaignMenu: with the menu in the teams' hands, a team's campaigns
// run in the rounds it picks them and never on the scenario's own dates;
// a pick beyond the menu is refused.
func TestCampaignMenu(t *testing.T) {
	srv := newTestServer(t, t.TempDir())
	cfg := smallConfig()
	cfg.Levers = []Lever{Campaign}
	s, err := srv.Create(cfg)
	require.NoError(t, err)
	menus := s.menus
	require.NotEmpty(t, menus[0], "taxi-war-2014 gives Didi campaigns within 30 days")
	a, err := s.Join("Ada", 0)
	require.NoError(t, err)
	b, err := s.Join("Bo", 1)
	require.NoError(t, err)
	require.NoError(t, s.Start())
	require.ErrorIs(t, s.Decide(a, 0, Decision{Campaign: float64(len(menus[0]) + 1)}), ErrRefused)
	require.ErrorIs(t, s.Decide(a, 0, Decision{Campaign: 0.5}), ErrRefused)
	require.NoError(t, s.Decide(a, 0, Decision{Campaign: 0})) // no campaign in round 1
	require.NoError(t, s.Decide(b, 0, Decision{Campaign: 0}))
	waitPhase(t, s, Deciding, 1)
	require.NoError(t, s.Decide(a, 1, Decision{Campaign: 1})) // the first campaign in round 2
	require.NoError(t, s.Decide(b, 1, Decision{Campaign: 0}))
	waitPhase(t, s, Deciding, 2)
	s.mu.Lock()
	hist := s.world.History()
	headline := func(d int) int64 { return hist[d].Platforms[0].CashbackHeadlineFen }
	for d := 0; d < 10; d++ {
		assert.Zero(t, headline(d), "day %d: a campaign ran in a round that picked none", d)
	}
	paid := false
	for d := 10; d < 20; d++ {
		paid = paid || headline(d) > 0
	}
	s.mu.Unlock()
	assert.True(t, paid, "the campaign picked for round 2 never paid")
	// The same plays outside the session give the same world.
	res, err := Simulate(context.Background(), s.Config(), Plays{Decisions: s.Played()}, 0, 0)
	require.NoError(t, err)
	s.mu.Lock()
	defer s.mu.Unlock()
	require.GreaterOrEqual(t, len(res.History), 20)
	for d := range 20 {
		assert.Equal(t, s.world.History()[d].Platforms[0].CashbackHeadlineFen, res.History[d].Platforms[0].CashbackHeadlineFen)
	}
}
