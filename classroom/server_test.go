package classroom

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/paywars/hongbao/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiFixture is a server on 127.0.0.1 with one session of two teams.
type apiFixture struct {
	srv  *Server
	ts   *httptest.Server
	cl   *Client
	code string
	a, b string // seat tokens of team 0 and team 1
}

func newAPIFixture(t *testing.T) *apiFixture { return newAPIFixtureTB(t) }

func newAPIFixtureTB(t testing.TB) *apiFixture {
	t.Helper()
	srv := newTestServer(t, t.TempDir())
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	f := &apiFixture{srv: srv, ts: ts, cl: &Client{Base: ts.URL, HTTP: ts.Client()}}
	info, err := f.cl.CreateSession(srv.TeacherToken(), smallConfig())
	require.NoError(t, err)
	f.code = info.Code
	f.a, err = f.cl.Join(f.code, "Ada", 0)
	require.NoError(t, err)
	f.b, err = f.cl.Join(f.code, "Bo", 1)
	require.NoError(t, err)
	return f
}

// raw sends a request with any body and headers and returns the status
// and the body's error message.
func (f *apiFixture) raw(t testing.TB, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := f.ts.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var e apiError
	_ = json.Unmarshal(b, &e)
	return res.StatusCode, e.Error
}

// TestHostileRequests: every malformed, oversized, forged or out-of-turn
// request gets a clear 4xx and changes nothing.
func TestHostileRequests(t *testing.T) {
	f := newAPIFixture(t)
	teacher := f.srv.TeacherToken()
	require.NoError(t, f.cl.post(teacher, "/api/sessions/"+f.code+"/start", struct{}{}))
	decide := "/api/sessions/" + f.code + "/decide"
	cases := []struct {
		name, method, path, token, body string
		status                          int
		msg                             string
	}{
		{"malformed JSON", "POST", decide, f.a, `{"round":0,"decision":`, 400, "malformed"},
		{"not an object", "POST", decide, f.a, `[1,2,3]`, 400, "malformed"},
		{"unknown field", "POST", decide, f.a, `{"round":0,"decision":{},"team":1}`, 400, "unknown field"},
		{"trailing data", "POST", decide, f.a, `{"round":0,"decision":{}} {"round":0}`, 400, "after the JSON"},
		{"oversized body", "POST", decide, f.a, `{"round":0,"decision":{"cashback":1` + strings.Repeat(" ", 8<<10) + `}}`, 413, "larger than"},
		{"NaN-like lever", "POST", decide, f.a, `{"round":0,"decision":{"cashback":1e400}}`, 400, "malformed"},
		{"lever over its bound", "POST", decide, f.a, `{"round":0,"decision":{"cashback":1000}}`, 409, "between"},
		{"lever not handed out", "POST", decide, f.a, `{"round":0,"decision":{"fee_rate":0.01}}`, 409, "not in the teams' hands"},
		{"closed round", "POST", decide, f.a, `{"round":5,"decision":{"cashback":1}}`, 409, "closed"},
		{"forged seat token", "POST", decide, newToken(), `{"round":0,"decision":{"cashback":1}}`, 409, "not valid"},
		{"teacher token is no seat", "POST", decide, teacher, `{"round":0,"decision":{"cashback":1}}`, 409, "not valid"},
		{"no token", "POST", decide, "", `{"round":0,"decision":{"cashback":1}}`, 401, "seat token"},
		{"student acts as teacher", "POST", "/api/sessions/" + f.code + "/advance", f.a, `{"round":0}`, 401, "teacher"},
		{"student creates a session", "POST", "/api/sessions", f.a, `{}`, 401, "teacher"},
		{"student lists sessions", "GET", "/api/sessions", f.a, ``, 401, "teacher"},
		{"unknown session", "POST", "/api/sessions/ZZZZZZ/decide", f.a, `{"round":0,"decision":{}}`, 404, "no session"},
		{"path in the code", "GET", "/api/sessions/..%2F..%2Fetc/debrief", "", ``, 404, ""},
		{"a path as the scenario", "POST", "/api/sessions", teacher, `{"scenario":"../../etc/passwd.toml","users":2000,"round_days":5,"rounds":2}`, 409, "not a library scenario"},
		{"a bad uploaded scenario", "POST", "/api/sessions", teacher, `{"upload":"[world]\nusers = \"many\"","users":2000,"round_days":5,"rounds":2}`, 409, "users"},
		{"too many users", "POST", "/api/sessions", teacher, `{"scenario":"taxi-war-2014","users":5000000,"round_days":5,"rounds":2}`, 409, "users must be"},
		{"debrief before the end", "GET", "/api/sessions/" + f.code + "/debrief", "", ``, 409, "last round"},
		{"export before the end", "GET", "/api/sessions/" + f.code + "/export.csv", f.a, ``, 409, "last round"},
		{"move by a student", "POST", "/api/sessions/" + f.code + "/move", f.a, `{"seat":"x","team":1}`, 401, "teacher"},
		{"move of nobody", "POST", "/api/sessions/" + f.code + "/move", teacher, `{"seat":"x","team":1}`, 409, "no such student"},
		{"join with no name", "POST", "/api/join", "", `{"code":"` + f.code + `","name":"  "}`, 409, "name"},
		{"join a bot's seat", "POST", "/api/join", "", `{"code":"` + f.code + `","name":"Cy","team":7}`, 409, "no team"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, msg := f.raw(t, c.method, c.path, c.token, c.body)
			assert.Equal(t, c.status, status, msg)
			assert.Contains(t, msg, c.msg)
		})
	}
	// Nothing was taken in: no decision, still round 1, two students.
	s := f.srv.Session(f.code)
	s.mu.Lock()
	assert.Empty(t, s.pending)
	assert.Equal(t, 0, s.round)
	assert.Len(t, s.students, 2)
	s.mu.Unlock()
	// A replayed request is just the same decision again (idempotent),
	// and a replayed decision for a round already played is refused.
	require.NoError(t, f.cl.Decide(f.code, f.a, 0, Decision{Cashback: 3}))
	require.NoError(t, f.cl.Decide(f.code, f.a, 0, Decision{Cashback: 3}))
	require.NoError(t, f.cl.Decide(f.code, f.b, 0, Decision{Cashback: 4}))
	waitPhase(t, s, Deciding, 1)
	err := f.cl.Decide(f.code, f.a, 0, Decision{Cashback: 9})
	require.ErrorIs(t, err, ErrRefused)
	assert.Contains(t, err.Error(), "closed")
	assert.Equal(t, Decision{Cashback: 3}, s.Played()[0][0])
}

// TestJoinRateLimit: guessing codes from one address is cut off.
func TestJoinRateLimit(t *testing.T) {
	f := newAPIFixture(t)
	limited := false
	for i := range 30 {
		status, msg := f.raw(t, "POST", "/api/join", "", fmt.Sprintf(`{"code":"ZZZ%03d","name":"x"}`, i))
		if status == http.StatusTooManyRequests {
			limited = true
			assert.Contains(t, msg, "too many")
			break
		}
		assert.Equal(t, http.StatusNotFound, status)
	}
	assert.True(t, limited, "30 wrong codes in a row were all answered")
}

// TestPrivacy: a team's view holds its own books and never a rival's,
// nor the rival's pending decision; the projector sees no books at all.
func TestPrivacy(t *testing.T) {
	f := newAPIFixture(t)
	require.NoError(t, f.cl.post(f.srv.TeacherToken(), "/api/sessions/"+f.code+"/start", struct{}{}))
	require.NoError(t, f.cl.Decide(f.code, f.b, 0, Decision{Cashback: 7, MerchantBonus: 11}))
	view := func(token string) View {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var got View
		err := f.cl.Watch(ctx, f.code, token, func(v View) { got = v; cancel() })
		require.Error(t, err) // ended by cancel
		return got
	}
	va := view(f.a)
	require.Equal(t, "student", va.Role)
	require.NotNil(t, va.Platforms[0].Books)
	assert.Nil(t, va.Platforms[1].Books, "team 0 received team 1's books")
	assert.True(t, va.Platforms[1].Submitted)
	vb := view(f.b)
	assert.Equal(t, Decision{Cashback: 7, MerchantBonus: 11}, vb.Platforms[1].Books.Pending)
	vo := view("")
	for _, p := range vo.Platforms {
		assert.Nil(t, p.Books)
	}
	vt := view(f.srv.TeacherToken())
	assert.NotNil(t, vt.Platforms[1].Books)
}

// TestWebsocketHostile: a socket that sends garbage first, a forged token
// or oversized messages is closed with a policy error; the server goes on.
func TestWebsocketHostile(t *testing.T) {
	f := newAPIFixture(t)
	u := "ws" + strings.TrimPrefix(f.ts.URL, "http") + "/api/sessions/" + f.code + "/ws"
	for _, first := range []string{`not json`, `{"token":"forged"}`, strings.Repeat("x", 64<<10)} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, _, err := websocket.Dial(ctx, u, nil)
		require.NoError(t, err)
		_ = c.Write(ctx, websocket.MessageText, []byte(first))
		_, _, err = c.Read(ctx)
		assert.Error(t, err)
		st := websocket.CloseStatus(err)
		assert.Contains(t, []websocket.StatusCode{websocket.StatusPolicyViolation, websocket.StatusMessageTooBig}, st, "%v", err)
		c.CloseNow()
		cancel()
	}
	// The server still serves.
	_, err := f.cl.Join(f.code, "Cy", 0)
	require.NoError(t, err)
}

// TestConcurrentClients: 30 students on loopback submit at once, all
// watching; every one sees the next round.
func TestConcurrentClients(t *testing.T) {
	f := newAPIFixture(t)
	var toks []string
	for i := range 30 {
		tok, err := f.cl.Join(f.code, fmt.Sprintf("s%d", i), i%2)
		require.NoError(t, err)
		toks = append(toks, tok)
	}
	require.NoError(t, f.cl.post(f.srv.TeacherToken(), "/api/sessions/"+f.code+"/start", struct{}{}))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	saw := make(chan int, len(toks))
	for i, tok := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wctx, wcancel := context.WithCancel(ctx)
			defer wcancel()
			go func() {
				_ = f.cl.Watch(wctx, f.code, tok, func(v View) {
					if v.Phase == Deciding && v.Round == 1 {
						saw <- i
						wcancel()
					}
				})
			}()
			err := f.cl.Decide(f.code, tok, 0, Decision{Cashback: float64(i % 5)})
			if err != nil {
				assert.ErrorIs(t, err, ErrRefused) // late: the round closed
			}
			<-wctx.Done()
		}()
	}
	wg.Wait()
	close(saw)
	n := 0
	for range saw {
		n++
	}
	assert.Equal(t, len(toks), n, "not every client saw round 2")
}

// TestTeacherMovesAndRemoves: a removed student's token stops working; a
// moved student decides for the new team.
func TestTeacherMovesAndRemoves(t *testing.T) {
	f := newAPIFixture(t)
	teacher := f.srv.TeacherToken()
	_, err := f.cl.Join(f.code, "Cy", 0) // team 0 keeps a student, so the round stays open
	require.NoError(t, err)
	require.NoError(t, f.cl.post(teacher, "/api/sessions/"+f.code+"/start", struct{}{}))
	require.NoError(t, f.cl.post(teacher, "/api/sessions/"+f.code+"/move", map[string]any{"seat": hashToken(f.a), "team": 1}))
	require.NoError(t, f.cl.Decide(f.code, f.a, 0, Decision{Cashback: 2}))
	s := f.srv.Session(f.code)
	s.mu.Lock()
	assert.Contains(t, s.pending, 1)
	s.mu.Unlock()
	require.NoError(t, f.cl.post(teacher, "/api/sessions/"+f.code+"/remove", map[string]any{"seat": hashToken(f.b)}))
	err = f.cl.Decide(f.code, f.b, 0, Decision{Cashback: 2})
	require.ErrorIs(t, err, ErrRefused)
}

// TestDebriefAndExports plays a short game and checks the debrief, a
// fork and the exports.
func TestDebriefAndExports(t *testing.T) {
	f := newAPIFixture(t)
	teacher := f.srv.TeacherToken()
	require.NoError(t, f.cl.post(teacher, "/api/sessions/"+f.code+"/start", struct{}{}))
	s := f.srv.Session(f.code)
	for r := range 3 {
		waitPhase(t, s, Deciding, r)
		require.NoError(t, f.cl.Decide(f.code, f.a, r, Decision{Cashback: float64(10 - 3*r)}))
		require.NoError(t, f.cl.Decide(f.code, f.b, r, Decision{Cashback: 5, MerchantBonus: 8}))
	}
	waitPhase(t, s, Over, 3)
	var db Debrief
	require.NoError(t, f.cl.do("GET", "", "/api/sessions/"+f.code+"/debrief?wait=1", nil, &db))
	require.Equal(t, "ready", db.Status, db.Error)
	require.NotNil(t, db.Game)
	assert.Equal(t, []string{"wechat", "alipay"}, db.Game.Players)
	assert.Len(t, db.Game.Strategies[0], 3, "each team's sequence and the history")
	assert.NotEmpty(t, db.Game.Equilibria)
	assert.GreaterOrEqual(t, db.Game.Regret, 0.0)
	require.NotNil(t, db.Bots)
	require.NotNil(t, db.History)
	assert.Len(t, db.Record, 2)
	assert.Equal(t, db.Class.Share, runOf("", mustSimulate(t, s)).Share)

	var fork Run
	require.NoError(t, f.cl.do("POST", "", "/api/sessions/"+f.code+"/fork", ForkRequest{Round: 1, Team: 0, Decision: Decision{Cashback: 0}}, &fork))
	// Before round 2 the fork is the class's world, day for day.
	for d := 0; d < 10; d++ {
		assert.Equal(t, db.Class.Share[0][d], fork.Share[0][d])
	}
	assert.NotEqual(t, db.Class.Share[0][29], fork.Share[0][29])

	res, err := f.ts.Client().Get(f.ts.URL + "/api/sessions/" + f.code + "/export.csv")
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	assert.Len(t, lines, 1+3*2)
	assert.True(t, strings.HasPrefix(lines[1], f.code+",taxi-war-2014,1,0,9,wechat,team,all-submitted,10,"), lines[1])
	res, err = f.ts.Client().Get(f.ts.URL + "/api/sessions/" + f.code + "/export.parquet")
	require.NoError(t, err)
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, "PAR1", string(b[:4]))
}

func mustSimulate(t *testing.T, s *Session) *sim.Result {
	t.Helper()
	res, err := Simulate(context.Background(), s.Config(), Plays{Decisions: s.Played()}, 0, 0)
	require.NoError(t, err)
	return res
}
