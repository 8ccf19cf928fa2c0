package classroom

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/paywars/hongbao/scenarios"
)

//go:embed web
var webFS embed.FS

// maxBodyBytes bounds every request body: a decision or a join is a few
// hundred bytes; a session with an uploaded scenario the file and a little.
const (
	maxBodyBytes   = 4 << 10
	maxCreateBytes = MaxUploadBytes + 16<<10
	maxWSMessage   = 4 << 10
	maxSessions    = 32
)

// Server is the classroom's HTTP server: the sessions, their logs in the
// data folder and the teacher's token.
type Server struct {
	dir     string // the data folder; sessions in dir/sessions
	teacher string // the teacher's token
	mu      sync.Mutex
	byID    map[string]*Session
	byCode  map[string]*Session
	limiter *limiter
	// Logf reports sessions created and rounds stepped (default log.Printf).
	Logf func(format string, args ...any)
	// PublicBase is the address students reach the server at
	// ("http://192.168.1.20:8080"); empty uses the request's host.
	PublicBase string
	// OnRound, if set, is called after a live round has been stepped.
	OnRound func(s *Session, round int, took time.Duration)
}

// teacherFile holds the teacher's token in the data folder, so that the
// teacher's URL still works after a restart.
const teacherFile = "teacher.token"

// NewServer opens the data folder dir (creating it), reads or makes the
// teacher's token and rebuilds every session from its log.
func NewServer(dir string) (*Server, error) {
	if err := os.MkdirAll(filepath.Join(dir, "sessions"), 0o700); err != nil {
		return nil, fmt.Errorf("classroom: data folder: %w", err)
	}
	srv := &Server{dir: dir, byID: map[string]*Session{}, byCode: map[string]*Session{}, limiter: newLimiter(), Logf: log.Printf}
	tokPath := filepath.Join(dir, teacherFile)
	b, err := os.ReadFile(tokPath)
	switch {
	case err == nil && len(strings.TrimSpace(string(b))) >= 32:
		srv.teacher = strings.TrimSpace(string(b))
	case err == nil || errors.Is(err, fs.ErrNotExist):
		srv.teacher = newToken()
		if err := writeFileSync(tokPath, []byte(srv.teacher+"\n")); err != nil {
			return nil, fmt.Errorf("classroom: %w", err)
		}
	default:
		return nil, fmt.Errorf("classroom: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "sessions", "*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		s, err := srv.load(f)
		if err != nil {
			return nil, err
		}
		srv.byID[s.ID], srv.byCode[s.Code] = s, s
	}
	return srv, nil
}

// writeFileSync writes a small file through a temporary file, synced and
// renamed, so a crash leaves the old file or the new one.
func writeFileSync(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// SetPublicBase sets the address students reach the server at
// ("http://192.168.1.20:8080"), for join links and QR codes.
func (srv *Server) SetPublicBase(base string) {
	srv.PublicBase = base
	for _, s := range srv.Sessions() {
		s.mu.Lock()
		s.joinBase = base
		s.touch()
		s.mu.Unlock()
	}
}

// TeacherToken is the token of the teacher's URL.
func (srv *Server) TeacherToken() string { return srv.teacher }

// Sessions lists the sessions, oldest first.
func (srv *Server) Sessions() []*Session {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	out := make([]*Session, 0, len(srv.byID))
	for _, s := range srv.byID {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Session returns the session with join code code.
func (srv *Server) Session(code string) *Session {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.byCode[strings.ToUpper(code)]
}

// load replays one log.
func (srv *Server) load(path string) (*Session, error) {
	recs, keep, err := ReadLog(path)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || recs[0].Kind != "create" {
		return nil, fmt.Errorf("%s:1: a session log starts with its create record", path)
	}
	if st, err := os.Stat(path); err == nil && st.Size() > keep {
		// A torn last line: never acknowledged, so cut it.
		if err := os.Truncate(path, keep); err != nil {
			return nil, err
		}
	}
	s, err := newSession(recs[0])
	if err != nil {
		return nil, fmt.Errorf("%s:1: %v", path, err)
	}
	for i, r := range recs[1:] {
		if err := s.apply(r, false); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, i+2, err)
		}
	}
	if s.log, err = OpenLog(path); err != nil {
		return nil, err
	}
	s.roundDone = srv.roundDone
	s.mu.Lock()
	s.startTimer()
	s.mu.Unlock()
	return s, nil
}

func (srv *Server) roundDone(s *Session, round int, took time.Duration) {
	if srv.Logf != nil {
		srv.Logf("session %s: round %d stepped in %v", s.Code, round+1, took.Round(time.Millisecond))
	}
	if srv.OnRound != nil {
		srv.OnRound(s, round, took)
	}
}

// Create starts a session from cfg and returns it.
func (srv *Server) Create(cfg Config) (*Session, error) {
	srv.mu.Lock()
	n := len(srv.byID)
	srv.mu.Unlock()
	if n >= maxSessions {
		return nil, refuse("the server holds %d sessions already", maxSessions)
	}
	if _, err := cfg.Build(); err != nil {
		return nil, refuse("%v", err)
	}
	id := time.Now().UTC().Format("20060102-150405-") + newToken()[:8]
	id = strings.NewReplacer("-", "", "_", "").Replace(id)
	code := newCode()
	srv.mu.Lock()
	for srv.byCode[code] != nil {
		code = newCode()
	}
	srv.mu.Unlock()
	rec := Record{Kind: "create", ID: id, Code: code, Config: &cfg, At: time.Now().UTC()}
	s, err := newSession(rec)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(srv.dir, "sessions", id+".jsonl")
	if s.log, err = OpenLog(path); err != nil {
		return nil, err
	}
	if err := s.log.Append(rec); err != nil {
		return nil, err
	}
	s.roundDone = srv.roundDone
	s.joinBase = srv.PublicBase
	srv.mu.Lock()
	srv.byID[id], srv.byCode[code] = s, s
	srv.mu.Unlock()
	if srv.Logf != nil {
		srv.Logf("session %s created: %s, %d rounds of %d days", code, s.scen.World.Name, cfg.Rounds, cfg.RoundDays)
	}
	return s, nil
}

// Close stops timers and closes the logs.
func (srv *Server) Close() {
	for _, s := range srv.Sessions() {
		_ = s.WaitIdle(time.Minute)
		s.mu.Lock()
		if s.timer != nil {
			s.timer.Stop()
		}
		s.mu.Unlock()
		s.log.Close()
	}
}

// Handler returns the server's HTTP handler.
func (srv *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	web, _ := fs.Sub(webFS, "web")
	static := http.FileServerFS(web)
	page := func(w http.ResponseWriter, r *http.Request) {
		b, _ := webFS.ReadFile("web/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}
	mux.HandleFunc("GET /{$}", page)
	mux.HandleFunc("GET /teacher", page)
	mux.HandleFunc("GET /join", page)
	mux.HandleFunc("GET /join/{code}", page)
	mux.HandleFunc("GET /play/{code}", page)
	mux.HandleFunc("GET /debrief/{code}", page)
	mux.HandleFunc("GET /projector/{code}", page)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle("GET /static/", http.StripPrefix("/static/", static))
	mux.HandleFunc("GET /api/library", srv.handleLibrary)
	mux.HandleFunc("GET /api/levers", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, Levers) })
	mux.HandleFunc("GET /api/sessions", srv.teacherOnly(srv.handleList))
	mux.HandleFunc("POST /api/sessions", srv.teacherOnly(srv.handleCreate))
	mux.HandleFunc("POST /api/sessions/{code}/start", srv.teacherOnly(srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
		reply(w, s.Start())
	})))
	mux.HandleFunc("POST /api/sessions/{code}/advance", srv.teacherOnly(srv.withSession(srv.handleAdvance)))
	mux.HandleFunc("POST /api/sessions/{code}/move", srv.teacherOnly(srv.withSession(srv.handleMove)))
	mux.HandleFunc("POST /api/sessions/{code}/remove", srv.teacherOnly(srv.withSession(srv.handleRemove)))
	mux.HandleFunc("GET /api/sessions/{code}/qr.png", srv.handleQR)
	mux.HandleFunc("POST /api/join", srv.handleJoin)
	mux.HandleFunc("POST /api/sessions/{code}/decide", srv.withSession(srv.handleDecide))
	mux.HandleFunc("GET /api/sessions/{code}/ws", srv.withSession(srv.handleWS))
	mux.HandleFunc("GET /api/sessions/{code}/debrief", srv.withSession(srv.handleDebrief))
	mux.HandleFunc("POST /api/sessions/{code}/fork", srv.withSession(srv.handleFork))
	mux.HandleFunc("GET /api/sessions/{code}/timeseries.csv", srv.teacherOnly(srv.withSession(func(w http.ResponseWriter, r *http.Request, s *Session) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Write(s.History())
	})))
	mux.HandleFunc("GET /api/sessions/{code}/export.csv", srv.withSession(srv.handleExportCSV))
	mux.HandleFunc("GET /api/sessions/{code}/export.parquet", srv.withSession(srv.handleExportParquet))
	return securityHeaders(mux)
}

// securityHeaders keeps pages from being framed or sniffed; everything the
// pages load comes from this server (no CDN: the classroom works offline).
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// apiError is every refusal's body.
type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// reply answers 200 {"ok":true}, or the error: 4xx for a refusal, 500 for
// a failure of the server (a log that cannot be written).
func reply(w http.ResponseWriter, err error) {
	if err == nil {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
		return
	}
	writeErr(w, err)
}

func writeErr(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	msg := err.Error()
	if errors.Is(err, ErrRefused) {
		code = http.StatusConflict
		msg = strings.TrimPrefix(msg, ErrRefused.Error()+": ")
	}
	writeJSON(w, code, apiError{msg})
}

// decodeBody reads a JSON body of at most limit bytes into v, refusing
// unknown fields and trailing data.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{fmt.Sprintf("the request body is larger than %d bytes", limit)})
			return false
		}
		writeJSON(w, http.StatusBadRequest, apiError{"malformed request: " + err.Error()})
		return false
	}
	if dec.More() {
		writeJSON(w, http.StatusBadRequest, apiError{"malformed request: data after the JSON object"})
		return false
	}
	return true
}

// bearer returns the request's token: the Authorization header's bearer
// token (pages never put tokens in URLs that servers log).
func bearer(r *http.Request) string {
	t, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return strings.TrimSpace(t)
}

func (srv *Server) isTeacher(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(srv.teacher)) == 1
}

func (srv *Server) teacherOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !srv.isTeacher(bearer(r)) {
			writeJSON(w, http.StatusUnauthorized, apiError{"this needs the teacher's token"})
			return
		}
		h(w, r)
	}
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9]{6}$`)

func (srv *Server) withSession(h func(http.ResponseWriter, *http.Request, *Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := r.PathValue("code")
		var s *Session
		if codePattern.MatchString(code) {
			s = srv.Session(code)
		}
		if s == nil {
			writeJSON(w, http.StatusNotFound, apiError{"no session with this code"})
			return
		}
		h(w, r, s)
	}
}

func (srv *Server) handleLibrary(w http.ResponseWriter, r *http.Request) {
	type entry struct {
		Name      string   `json:"name"`
		Summary   string   `json:"summary"`
		Platforms []string `json:"platforms"`
	}
	var out []entry
	for _, e := range scenarios.Library() {
		s, err := scenarios.Load(e.Name, nil)
		if err != nil {
			continue
		}
		en := entry{Name: e.Name, Summary: e.Summary}
		for _, p := range s.Platforms {
			en.Platforms = append(en.Platforms, p.Name)
		}
		out = append(out, en)
	}
	// The two wars of the issue first: the classroom's headline games.
	sort.SliceStable(out, func(i, j int) bool { return classRank(out[i].Name) < classRank(out[j].Name) })
	writeJSON(w, 200, map[string]any{"scenarios": out, "bots": BotKinds, "defaults": DefaultConfig()})
}

func classRank(name string) int {
	switch name {
	case "taxi-war-2014":
		return 0
	case "spring-festival-2014":
		return 1
	}
	return 2
}

// SessionInfo is a session in the teacher's list.
type SessionInfo struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Scenario string `json:"scenario"`
	Phase    Phase  `json:"phase"`
	Round    int    `json:"round"`
	Rounds   int    `json:"rounds"`
	Students int    `json:"students"`
}

func (s *Session) info() SessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SessionInfo{ID: s.ID, Code: s.Code, Scenario: s.scen.World.Name, Phase: s.phase, Round: s.round, Rounds: s.cfg.Rounds, Students: len(s.students)}
}

func (srv *Server) handleList(w http.ResponseWriter, r *http.Request) {
	out := []SessionInfo{}
	for _, s := range srv.Sessions() {
		out = append(out, s.info())
	}
	writeJSON(w, 200, out)
}

func (srv *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	var cfg Config
	if !decodeBody(w, r, maxCreateBytes, &cfg) {
		return
	}
	s, err := srv.Create(cfg)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, 200, s.info())
}

func (srv *Server) handleAdvance(w http.ResponseWriter, r *http.Request, s *Session) {
	var req struct {
		Round int `json:"round"`
	}
	if !decodeBody(w, r, maxBodyBytes, &req) {
		return
	}
	reply(w, s.Advance(req.Round, "teacher"))
}

func (srv *Server) handleMove(w http.ResponseWriter, r *http.Request, s *Session) {
	var req struct {
		Seat string `json:"seat"`
		Team int    `json:"team"`
	}
	if !decodeBody(w, r, maxBodyBytes, &req) {
		return
	}
	reply(w, s.Move(req.Seat, req.Team))
}

func (srv *Server) handleRemove(w http.ResponseWriter, r *http.Request, s *Session) {
	var req struct {
		Seat string `json:"seat"`
	}
	if !decodeBody(w, r, maxBodyBytes, &req) {
		return
	}
	reply(w, s.Remove(req.Seat))
}

// clientIP is the remote address without its port: the key of the join
// rate limit (a classroom LAN has no proxies to trust).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (srv *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	ip := clientIP(r)
	if !srv.limiter.allow(ip) {
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusTooManyRequests, apiError{"too many join attempts from this address; wait a minute"})
		return
	}
	var req struct {
		Code string `json:"code"`
		Name string `json:"name"`
		Team *int   `json:"team"`
	}
	if !decodeBody(w, r, maxBodyBytes, &req) {
		return
	}
	var s *Session
	if codePattern.MatchString(req.Code) {
		s = srv.Session(req.Code)
	}
	if s == nil {
		srv.limiter.fail(ip)
		writeJSON(w, http.StatusNotFound, apiError{"no session with this code"})
		return
	}
	team := -1
	if req.Team != nil {
		team = *req.Team
	}
	tok, err := s.Join(req.Name, team)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, 200, map[string]string{"token": tok, "code": s.Code})
}

func (srv *Server) handleDecide(w http.ResponseWriter, r *http.Request, s *Session) {
	var req struct {
		Round    int      `json:"round"`
		Decision Decision `json:"decision"`
	}
	if !decodeBody(w, r, maxBodyBytes, &req) {
		return
	}
	tok := bearer(r)
	if tok == "" {
		writeJSON(w, http.StatusUnauthorized, apiError{"this needs a seat token"})
		return
	}
	reply(w, s.Decide(tok, req.Round, req.Decision))
}

// hello is the first message a websocket client sends: its token (a seat
// token, the teacher's, or none for the projector's public view).
type hello struct {
	Token string `json:"token"`
}

// handleWS pushes the viewer's view at every change of the session. The
// client speaks once, to say who it is; actions go through POST, where
// each is checked and acknowledged on its own.
func (srv *Server) handleWS(w http.ResponseWriter, r *http.Request, s *Session) {
	c, err := websocket.Accept(w, r, nil) // same-origin only (the default)
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(maxWSMessage)
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	_, msg, err := c.Read(ctx)
	cancel()
	if err != nil {
		return
	}
	var h hello
	if err := json.Unmarshal(msg, &h); err != nil {
		c.Close(websocket.StatusPolicyViolation, "the first message must be {\"token\": ...}")
		return
	}
	viewer := observerView
	var seat string
	switch {
	case h.Token == "":
	case srv.isTeacher(h.Token):
		viewer = teacherView
	default:
		s.mu.Lock()
		st, err := s.student(h.Token)
		s.mu.Unlock()
		if err != nil {
			c.Close(websocket.StatusPolicyViolation, "seat token not valid in this session")
			return
		}
		seat = st.Seat
	}
	// Anything else the client says is refused, and ends the connection
	// only if it is not a message at all.
	ctx = c.CloseRead(r.Context())
	for {
		s.mu.Lock()
		ch := s.changed
		var b []byte
		if seat != "" {
			st, ok := s.students[seat]
			if !ok {
				s.mu.Unlock()
				c.Close(websocket.StatusPolicyViolation, "removed by the teacher")
				return
			}
			b = s.viewFor(st.Team, st)
		} else {
			b = s.viewFor(viewer, nil)
		}
		s.mu.Unlock()
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := c.Write(wctx, websocket.MessageText, b)
		cancel()
		if err != nil {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
		// At most 20 views a second to one client: a round of 30 days
		// steps in 70 ms at 100,000 users, and nobody reads faster.
		select {
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return
		}
	}
}

// limiter bounds join attempts per address: joinBurst a minute, and a
// failed code (a guess) costs failCost attempts.
type limiter struct {
	mu    sync.Mutex
	hits  map[string]*bucket
	burst float64
}

type bucket struct {
	tokens float64
	last   time.Time
}

// A class of 40 behind one school address can join at once and join
// again after a restart; a guesser gets joinBurst/failCost = 12 wrong
// codes a minute, and 31^6 codes take 70 million minutes to try.
const (
	joinBurst = 120.0
	failCost  = 10.0
)

func newLimiter() *limiter { return &limiter{hits: map[string]*bucket{}, burst: joinBurst} }

// SetJoinBurst changes the join attempts an address may make a minute
// (the load benchmark joins 160 students from 127.0.0.1).
func (srv *Server) SetJoinBurst(n float64) {
	srv.limiter.mu.Lock()
	srv.limiter.burst = n
	srv.limiter.mu.Unlock()
}

func (l *limiter) take(ip string, n float64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	b, ok := l.hits[ip]
	if !ok {
		if len(l.hits) > 10_000 { // forget everyone rather than grow without bound
			l.hits = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.hits[ip] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Minutes()*l.burst)
	b.last = now
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}

func (l *limiter) allow(ip string) bool { return l.take(ip, 1) }
func (l *limiter) fail(ip string)       { l.take(ip, failCost) }
