package classroom

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// Phase is where a session stands.
type Phase string

// A session waits in the lobby while students join, then alternates
// between teams deciding a round and the market stepping through it,
// until the last round is played.
const (
	Lobby    Phase = "lobby"
	Deciding Phase = "deciding"
	Stepping Phase = "stepping"
	Over     Phase = "over"
)

// Student is one student's seat.
type Student struct {
	Seat string `json:"seat"` // SHA-256 of the seat token, hex
	Name string `json:"name"`
	Team int    `json:"team"` // platform index
}

// ErrRefused is wrapped by every error that refuses a request for what it
// asks (as against a failure of the server); the HTTP layer answers 4xx.
var ErrRefused = errors.New("refused")

func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrRefused}, args...)...)
}

// Session is one class game: its configuration, world, students and the
// rounds played, all rebuilt from its log.
type Session struct {
	ID, Code string

	mu       sync.Mutex
	cfg      Config
	scen     *scenarios.Scenario
	world    *sim.World
	log      *Log
	students map[string]*Student
	phase    Phase
	round    int              // deciding: the open round; stepping: the round being stepped
	pending  map[int]Decision // decisions submitted for the open round, by team
	current  []Decision       // the decision in force per platform (nil: the schedule)
	played   [][]Decision     // played[r][p]: the decision platform p played in round r
	reasons  []string         // why each round advanced
	deadline time.Time
	timer    *time.Timer
	version  int64
	changed  chan struct{} // closed and replaced on every change
	views    map[int][]byte
	stepErr  error
	debrief  *debriefState
	joinBase string     // the server's address as students reach it
	menus    [][]string // each platform's campaign menu

	// roundDone is called (without the lock) when a live round has been
	// stepped; the server uses it to measure and to log.
	roundDone func(s *Session, round int, took time.Duration)
}

// newSession builds a session from its create record, without a log.
func newSession(r Record) (*Session, error) {
	if r.Config == nil {
		return nil, errors.New("classroom: create record without a configuration")
	}
	cfg := *r.Config
	scen, err := cfg.Build()
	if err != nil {
		return nil, err
	}
	w, err := sim.New(scen)
	if err != nil {
		return nil, err
	}
	s := &Session{ID: r.ID, Code: r.Code, cfg: cfg, scen: scen, world: w, students: map[string]*Student{},
		phase: Lobby, pending: map[int]Decision{}, current: make([]Decision, len(scen.Platforms)), changed: make(chan struct{}),
		menus: Menus(scen)}
	return s, nil
}

// Config returns the session's configuration.
func (s *Session) Config() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// Phase returns the phase and the round.
func (s *Session) Phase() (Phase, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.phase, s.round
}

// History returns the world's timeseries.csv bytes so far: what a replay
// must reproduce exactly.
func (s *Session) History() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	_ = sim.WriteTimeseriesCSV(&b, s.world.Result())
	return []byte(b.String())
}

// Changed returns a channel closed at the next change of the session.
func (s *Session) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// touch marks a change: views are rebuilt and waiters woken. Call with mu.
func (s *Session) touch() {
	s.version++
	s.views = nil
	close(s.changed)
	s.changed = make(chan struct{})
}

// isTeam reports whether platform p is played by a team.
func (s *Session) isTeam(p int) bool { return p >= 0 && p < len(s.cfg.Seats) && s.cfg.Seats[p].Team }

// record appends r to the log (when live) and applies it. Call with mu.
// Nothing is applied when the log cannot be written: an action is
// acknowledged only once it is on disk.
func (s *Session) record(r Record, live bool) error {
	if live {
		r.At = time.Now().UTC()
		if err := s.log.Append(r); err != nil {
			return fmt.Errorf("classroom: the session log could not be written: %w", err)
		}
	}
	return s.apply(r, live)
}

// apply changes the state by one record. Live records were checked by the
// action that made them; replayed ones are checked again, so that a log
// edited by hand cannot put the session in a state no action could.
func (s *Session) apply(r Record, live bool) error {
	defer s.touch()
	switch r.Kind {
	case "join":
		if !s.isTeam(r.Team) {
			return fmt.Errorf("classroom: join to seat %d, which is not a team", r.Team)
		}
		s.students[r.Seat] = &Student{Seat: r.Seat, Name: r.Name, Team: r.Team}
	case "move":
		st, ok := s.students[r.Seat]
		if !ok || !s.isTeam(r.Team) {
			return fmt.Errorf("classroom: move of an unknown student or to seat %d", r.Team)
		}
		st.Team = r.Team
	case "remove":
		delete(s.students, r.Seat)
	case "start":
		if s.phase != Lobby {
			return errors.New("classroom: start of a session already started")
		}
		s.openRound(0, live)
	case "decide":
		if s.phase != Deciding || r.Round != s.round || !s.isTeam(r.Team) {
			return fmt.Errorf("classroom: decision for round %d of seat %d out of turn", r.Round, r.Team)
		}
		d, err := r.Decision.check(s.cfg.Levers, len(s.menus[r.Team]))
		if err != nil {
			return err
		}
		s.pending[r.Team] = d
	case "advance":
		if s.phase != Deciding || r.Round != s.round {
			return fmt.Errorf("classroom: advance of round %d while round %d is %s", r.Round, s.round, s.phase)
		}
		s.closeRound(r.Reason)
		if live {
			go s.stepLive(r.Round)
			return nil
		}
		return s.stepRound()
	default:
		return fmt.Errorf("classroom: unknown record kind %q", r.Kind)
	}
	return nil
}

// openRound opens round r for decisions. Call with mu.
func (s *Session) openRound(r int, live bool) {
	s.phase, s.round = Deciding, r
	s.pending = map[int]Decision{}
	s.deadline = time.Time{}
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if live {
		s.startTimer()
	}
}

// startTimer starts the open round's timer, if the session has one: at
// its end the round advances as if the teacher had forced it. After a
// restart the timer starts again in full. Call with mu.
func (s *Session) startTimer() {
	if s.cfg.TimerSec <= 0 || s.phase != Deciding {
		return
	}
	r := s.round
	s.deadline = time.Now().Add(time.Duration(s.cfg.TimerSec) * time.Second)
	s.timer = time.AfterFunc(time.Duration(s.cfg.TimerSec)*time.Second, func() { _ = s.Advance(r, "timer") })
}

// closeRound fixes the decisions of the open round: a team that did not
// submit keeps what it played last. Call with mu.
func (s *Session) closeRound(reason string) {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	for p := range s.current {
		if d, ok := s.pending[p]; ok && s.isTeam(p) {
			s.current[p] = d
		}
	}
	row := make([]Decision, len(s.current))
	for p, d := range s.current {
		row[p] = maps.Clone(d)
	}
	s.played = append(s.played, row)
	s.reasons = append(s.reasons, reason)
	s.phase = Stepping
}

// stepRound steps the world through the round being stepped, all at once
// (replay). Call with mu.
func (s *Session) stepRound() error {
	if err := s.applyLevers(); err != nil {
		return err
	}
	for range s.cfg.RoundDays {
		if s.world.Done() {
			break
		}
		if err := s.world.Step(); err != nil {
			return err
		}
	}
	s.finishRound(false)
	return nil
}

// applyLevers sets every team platform's levers for the round. Call with mu.
func (s *Session) applyLevers() error {
	for p, d := range s.current {
		if !s.isTeam(p) {
			continue
		}
		first := s.round * s.cfg.RoundDays
		if err := d.apply(s.world, p, slices.Contains(s.cfg.Levers, Campaign), first, first+s.cfg.RoundDays-1); err != nil {
			return err
		}
	}
	return nil
}

// finishRound opens the next round or ends the game. Call with mu.
func (s *Session) finishRound(live bool) {
	if s.round+1 >= s.cfg.Rounds || s.world.Done() {
		s.phase = Over
		s.round = s.cfg.Rounds
		return
	}
	s.openRound(s.round+1, live)
}

// stepLive steps the round day by day, releasing the lock between days so
// that every client sees the market move.
func (s *Session) stepLive(round int) {
	start := time.Now()
	s.mu.Lock()
	err := s.applyLevers()
	s.mu.Unlock()
	for d := 0; err == nil && d < s.cfg.RoundDays; d++ {
		s.mu.Lock()
		if s.world.Done() {
			s.mu.Unlock()
			break
		}
		err = s.world.Step()
		s.touch()
		s.mu.Unlock()
	}
	s.mu.Lock()
	if err != nil {
		s.stepErr = err
	} else {
		s.finishRound(true)
	}
	s.touch()
	done := s.roundDone
	s.mu.Unlock()
	if done != nil {
		done(s, round, time.Since(start))
	}
}

// Join seats a new student on team (a platform index, or −1 for the team
// with fewest students) and returns the seat token.
func (s *Session) Join(name string, team int) (token string, err error) {
	name = cleanName(name)
	if name == "" {
		return "", refuse("give a name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.students) >= maxStudents {
		return "", refuse("the session is full (%d students)", maxStudents)
	}
	if team < 0 {
		team = s.smallestTeam()
	}
	if !s.isTeam(team) {
		return "", refuse("no team plays seat %d", team)
	}
	token = newToken()
	if err := s.record(Record{Kind: "join", Seat: hashToken(token), Name: name, Team: team}, true); err != nil {
		return "", err
	}
	return token, nil
}

// smallestTeam is the team seat with fewest students. Call with mu.
func (s *Session) smallestTeam() int {
	best, n := -1, 0
	for p := range s.cfg.Seats {
		if !s.isTeam(p) {
			continue
		}
		c := 0
		for _, st := range s.students {
			if st.Team == p {
				c++
			}
		}
		if best < 0 || c < n {
			best, n = p, c
		}
	}
	return best
}

// student returns the student holding token. Call with mu.
func (s *Session) student(token string) (*Student, error) {
	st, ok := s.students[hashToken(token)]
	if !ok {
		return nil, refuse("this seat token is not valid in this session (removed by the teacher, or never issued)")
	}
	return st, nil
}

// Decide records a student's decision for their team in round.
func (s *Session) Decide(token string, round int, d Decision) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.student(token)
	if err != nil {
		return err
	}
	switch {
	case s.phase == Lobby:
		return refuse("the game has not started")
	case s.phase == Over:
		return refuse("the game is over")
	case round != s.round || s.phase != Deciding:
		return refuse("round %d is closed; round %d is %s", round+1, s.round+1, s.phase)
	}
	d, err = d.check(s.cfg.Levers, len(s.menus[st.Team]))
	if err != nil {
		return refuse("%v", err)
	}
	if err := s.record(Record{Kind: "decide", Seat: st.Seat, Team: st.Team, Round: round, Decision: d}, true); err != nil {
		return err
	}
	if s.allSubmitted() {
		return s.record(Record{Kind: "advance", Round: round, Reason: "all-submitted"}, true)
	}
	return nil
}

// allSubmitted reports whether every team with a student has submitted,
// and at least one has. Call with mu.
func (s *Session) allSubmitted() bool {
	any := false
	for p := range s.cfg.Seats {
		if !s.isTeam(p) || !s.hasStudents(p) {
			continue
		}
		if _, ok := s.pending[p]; !ok {
			return false
		}
		any = true
	}
	return any
}

func (s *Session) hasStudents(p int) bool {
	for _, st := range s.students {
		if st.Team == p {
			return true
		}
	}
	return false
}

// Start opens the first round.
func (s *Session) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.phase != Lobby {
		return refuse("the game has already started")
	}
	return s.record(Record{Kind: "start"}, true)
}

// Advance closes round (which must be the open one) and steps the market.
func (s *Session) Advance(round int, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.phase != Deciding || s.round != round {
		return refuse("round %d is not open (round %d is %s)", round+1, s.round+1, s.phase)
	}
	return s.record(Record{Kind: "advance", Round: round, Reason: reason}, true)
}

// Move puts the student with seat hash on another team.
func (s *Session) Move(seat string, team int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.students[seat]; !ok {
		return refuse("no such student")
	}
	if !s.isTeam(team) {
		return refuse("no team plays seat %d", team)
	}
	return s.record(Record{Kind: "move", Seat: seat, Team: team}, true)
}

// Remove takes a student out; their token stops working.
func (s *Session) Remove(seat string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.students[seat]; !ok {
		return refuse("no such student")
	}
	return s.record(Record{Kind: "remove", Seat: seat}, true)
}

// Played returns the decisions of the rounds played so far.
func (s *Session) Played() [][]Decision {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.playedCopy()
}

// WaitIdle waits until no round is stepping (tests, shutdown).
func (s *Session) WaitIdle(timeout time.Duration) error {
	end := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		ph, ch := s.phase, s.changed
		s.mu.Unlock()
		if ph != Stepping {
			return nil
		}
		select {
		case <-ch:
		case <-time.After(time.Until(end)):
			return errors.New("classroom: a round is still stepping")
		}
	}
}

// newToken returns 32 random bytes from crypto/rand, base64url.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the log and the state keep of a token.
func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// codeAlphabet has no letters or digits a class mistakes for others (0 O,
// 1 I L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode returns a join code of 6 characters: 31^6 ≈ 8.9e8 codes, so a
// guesser held to the join rate limit (12 wrong codes a minute) needs decades
// to find one of a handful of live sessions.
func newCode() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// cleanName trims a display name to printable text of at most
// maxNameRunes characters.
func cleanName(name string) string {
	if !utf8.ValidString(name) {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(name) {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			continue
		}
		if n++; n > maxNameRunes {
			break
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// teamOf lists the students of each platform, sorted by name.
func (s *Session) teamOf() [][]Student {
	out := make([][]Student, len(s.cfg.Seats))
	for _, st := range s.students {
		out[st.Team] = append(out[st.Team], *st)
	}
	for _, t := range out {
		slices.SortFunc(t, func(a, b Student) int { return strings.Compare(a.Name+a.Seat, b.Name+b.Seat) })
	}
	return out
}
