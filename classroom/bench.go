package classroom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// BenchOptions shape the load benchmark.
type BenchOptions struct {
	Sessions, Students, Users, Rounds, RoundDays int
	// Log receives progress lines (nil: none).
	Log io.Writer
}

// BenchReport is the benchmark's measure: for every round of every
// session, the time from the acknowledgement of the round's last
// submission to the moment every student's websocket had received the
// dashboard of the next round (or of the game's end).
type BenchReport struct {
	Options BenchOptions
	// Latencies are all rounds' times, sorted; StepTimes the time the
	// server took to step each round (from the server's own clock).
	Latencies []time.Duration
	StepTimes []time.Duration
	Views     int64 // views received by all clients
	Setup     time.Duration
	// CPU is the process's CPU time over the rounds (server and clients
	// together), and Wall their wall-clock time: on a shared machine,
	// CPU/Wall shows how much of the machine the benchmark had.
	CPU, Wall time.Duration
}

// Write prints the report.
func (r *BenchReport) Write(w io.Writer) {
	q := func(xs []time.Duration, p float64) time.Duration {
		if len(xs) == 0 {
			return 0
		}
		return xs[min(len(xs)-1, int(p*float64(len(xs))))]
	}
	o := r.Options
	fmt.Fprintf(w, "%d sessions × %d students, %d users, %d rounds of %d days (set-up %v)\n", o.Sessions, o.Students, o.Users, o.Rounds, o.RoundDays, r.Setup.Round(time.Millisecond))
	fmt.Fprintf(w, "last submission → every student's new dashboard: median %v, p90 %v, max %v over %d rounds\n",
		q(r.Latencies, 0.5).Round(time.Millisecond), q(r.Latencies, 0.9).Round(time.Millisecond), q(r.Latencies, 1).Round(time.Millisecond), len(r.Latencies))
	fmt.Fprintf(w, "server time to step a round: median %v, max %v; %d views pushed\n", q(r.StepTimes, 0.5).Round(time.Millisecond), q(r.StepTimes, 1).Round(time.Millisecond), r.Views)
	fmt.Fprintf(w, "CPU over the rounds: %v in %v of wall-clock time (%.2f cores)\n", r.CPU.Round(time.Millisecond), r.Wall.Round(time.Millisecond), r.CPU.Seconds()/max(1e-9, r.Wall.Seconds()))
}

// Bench starts a server on 127.0.0.1 with a temporary data folder, plays
// every session with real HTTP and websocket clients, and measures.
func Bench(ctx context.Context, o BenchOptions) (*BenchReport, error) {
	if o.Sessions < 1 || o.Students < 2 || o.Rounds < 1 || o.RoundDays < 1 {
		return nil, errors.New("classroom: bench needs at least a session, two students, a round and a day")
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", a...)
		}
	}
	dir, err := os.MkdirTemp("", "hongbao-classroom-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	srv, err := NewServer(dir)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	rep := &BenchReport{Options: o}
	var repMu sync.Mutex
	srv.Logf = nil
	srv.SetJoinBurst(float64(o.Sessions*o.Students + 10))
	srv.OnRound = func(s *Session, round int, took time.Duration) {
		repMu.Lock()
		rep.StepTimes = append(rep.StepTimes, took)
		repMu.Unlock()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	start := time.Now()
	cl := &Client{Base: base, HTTP: &http.Client{Timeout: time.Minute}}

	// seenView is a view and the moment its client received it.
	type seenView struct {
		View
		at time.Time
	}
	type student struct {
		token string
		seen  chan seenView
		last  seenView // the latest view taken from seen
	}
	type sess struct {
		code     string
		students []*student
	}
	var all []*sess
	for range o.Sessions {
		cfg := DefaultConfig()
		cfg.Users, cfg.Rounds, cfg.RoundDays, cfg.TimerSec = o.Users, o.Rounds, o.RoundDays, 0
		info, err := cl.CreateSession(srv.TeacherToken(), cfg)
		if err != nil {
			return nil, err
		}
		se := &sess{code: info.Code}
		for i := range o.Students {
			tok, err := cl.Join(info.Code, fmt.Sprintf("student %d", i+1), i%2)
			if err != nil {
				return nil, err
			}
			se.students = append(se.students, &student{token: tok, seen: make(chan seenView, 256)})
		}
		all = append(all, se)
	}
	var views sync.WaitGroup
	var nViews int64
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, se := range all {
		for _, st := range se.students {
			views.Add(1)
			go func() {
				defer views.Done()
				_ = cl.Watch(cctx, se.code, st.token, func(view View) {
					v := seenView{view, time.Now()}
					repMu.Lock()
					nViews++
					repMu.Unlock()
					select {
					case st.seen <- v:
					default: // a slow reader keeps the latest views only
						<-st.seen
						st.seen <- v
					}
				})
			}()
		}
	}
	for _, se := range all {
		if err := cl.post(srv.TeacherToken(), "/api/sessions/"+se.code+"/start", struct{}{}); err != nil {
			return nil, err
		}
	}
	rep.Setup = time.Since(start)
	cpu0, wall0 := cpuTime(), time.Now()
	logf("set up %d sessions × %d students in %v", o.Sessions, o.Students, rep.Setup.Round(time.Millisecond))
	// waitFor waits until every student of se has seen a view with
	// phase/round, returning when the last one did.
	waitFor := func(se *sess, phase Phase, round int) (time.Time, error) {
		var lastSeen time.Time
		for _, st := range se.students {
			for {
				if st.last.Phase == phase && st.last.Round == round {
					if st.last.at.After(lastSeen) {
						lastSeen = st.last.at
					}
					goto next
				}
				select {
				case v := <-st.seen:
					st.last = v
					continue
				case <-time.After(2 * time.Minute):
					return time.Time{}, fmt.Errorf("classroom: session %s: a student never saw %s round %d", se.code, phase, round+1)
				case <-ctx.Done():
					return time.Time{}, ctx.Err()
				}
			}
		next:
		}
		return lastSeen, nil
	}
	for r := range o.Rounds {
		var wg sync.WaitGroup
		errs := make(chan error, len(all))
		for _, se := range all {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := waitFor(se, Deciding, r); err != nil {
					errs <- err
					return
				}
				// Team 0's students submit one after another, then team
				// 1's: the first of team 1 closes the round (the last
				// submission), and the others are refused, as late
				// students are, while the market steps.
				var lastAck time.Time
				for pass := range 2 {
					for i, st := range se.students {
						if i%2 != pass {
							continue
						}
						d := Decision{Cashback: float64(i%7) + float64(r), MerchantBonus: 5}
						err := cl.Decide(se.code, st.token, r, d)
						if err != nil && !errors.Is(err, ErrRefused) {
							errs <- err
							return
						}
						if err == nil {
							lastAck = time.Now()
						}
					}
				}
				phase, next := Deciding, r+1
				if r+1 == o.Rounds {
					phase, next = Over, o.Rounds
				}
				done, err := waitFor(se, phase, next)
				if err != nil {
					errs <- err
					return
				}
				repMu.Lock()
				rep.Latencies = append(rep.Latencies, done.Sub(lastAck))
				repMu.Unlock()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			return nil, err
		}
		logf("round %d done", r+1)
	}
	rep.CPU, rep.Wall = cpuTime()-cpu0, time.Since(wall0)
	cancel()
	views.Wait()
	slices.Sort(rep.Latencies)
	slices.Sort(rep.StepTimes)
	rep.Views = nViews
	return rep, nil
}

// Client speaks the classroom's API, for tests, the benchmark and scripts.
type Client struct {
	Base string
	HTTP *http.Client
}

func (c *Client) do(method, token, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		var e apiError
		_ = json.Unmarshal(b, &e)
		if res.StatusCode/100 == 4 {
			return fmt.Errorf("%w: %d %s", ErrRefused, res.StatusCode, e.Error)
		}
		return fmt.Errorf("classroom: %d %s", res.StatusCode, e.Error)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (c *Client) post(token, path string, body any) error {
	return c.do("POST", token, path, body, nil)
}

// CreateSession creates a session with the teacher's token.
func (c *Client) CreateSession(teacher string, cfg Config) (SessionInfo, error) {
	var info SessionInfo
	err := c.do("POST", teacher, "/api/sessions", cfg, &info)
	return info, err
}

// Join seats a student on team and returns the seat token.
func (c *Client) Join(code, name string, team int) (string, error) {
	var out struct{ Token string }
	err := c.do("POST", "", "/api/join", map[string]any{"code": code, "name": name, "team": team}, &out)
	return out.Token, err
}

// Decide submits a team's decision.
func (c *Client) Decide(code, token string, round int, d Decision) error {
	return c.post(token, "/api/sessions/"+code+"/decide", map[string]any{"round": round, "decision": d})
}

// Watch opens the session's websocket with token and calls f with every
// view until ctx ends or the server closes the connection.
func (c *Client) Watch(ctx context.Context, code, token string, f func(View)) error {
	u := "ws" + c.Base[len("http"):] + "/api/sessions/" + code + "/ws"
	conn, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 20)
	hello, _ := json.Marshal(map[string]string{"token": token})
	if err := conn.Write(ctx, websocket.MessageText, hello); err != nil {
		return err
	}
	for {
		_, b, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		var v View
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		f(v)
	}
}
