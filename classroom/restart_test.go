package classroom

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildHongbao builds the command once per test binary.
var buildHongbao = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "hongbao-classroom-test-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hongbao")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/hongbao")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// freePort returns a loopback port that was free a moment ago, so that a
// restarted server listens where its clients left it.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

var teacherURL = regexp.MustCompile(`http://localhost:(\d+)/teacher#([A-Za-z0-9_-]+)`)

// startServer runs `hongbao classroom` and returns it with the teacher's
// token, once it answers.
func startServer(t *testing.T, bin, dir string, port int) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "classroom", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	tok := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if m := teacherURL.FindStringSubmatch(sc.Text()); m != nil && !sent {
				tok <- m[2]
				sent = true
			}
		}
	}()
	select {
	case tk := <-tok:
		return cmd, tk
	case <-time.After(60 * time.Second):
		t.Fatal("the server printed no teacher URL within a minute")
	}
	return nil, ""
}

// TestKillAndRestart starts the real binary, plays into a session, kills
// it with SIGKILL in the middle of a round, starts it again on the same
// data folder and port: the session resumes with the same world bytes and
// the same pending decision, and a watching client reconnects by itself.
func TestKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds and runs the hongbao binary; not in -short")
	}
	bin, err := buildHongbao()
	require.NoError(t, err)
	dir := t.TempDir()
	port := freePort(t)
	cmd, teacher := startServer(t, bin, dir, port)
	cl := &Client{Base: fmt.Sprintf("http://127.0.0.1:%d", port), HTTP: &http.Client{Timeout: 30 * time.Second}}
	info, err := cl.CreateSession(teacher, smallConfig())
	require.NoError(t, err)
	a, err := cl.Join(info.Code, "Ada", 0)
	require.NoError(t, err)
	b, err := cl.Join(info.Code, "Bo", 1)
	require.NoError(t, err)
	require.NoError(t, cl.post(teacher, "/api/sessions/"+info.Code+"/start", struct{}{}))

	// A client that reconnects by itself, with backoff, as the pages do.
	var mu sync.Mutex
	var views []View
	connects := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		delay := 100 * time.Millisecond
		for ctx.Err() == nil {
			mu.Lock()
			connects++
			mu.Unlock()
			_ = cl.Watch(ctx, info.Code, a, func(v View) {
				mu.Lock()
				views = append(views, v)
				mu.Unlock()
				delay = 100 * time.Millisecond
			})
			time.Sleep(delay)
			delay = min(2*time.Second, 2*delay)
		}
	}()
	require.NoError(t, cl.Decide(info.Code, a, 0, Decision{Cashback: 8}))
	require.NoError(t, cl.Decide(info.Code, b, 0, Decision{Cashback: 9}))
	from := 0 // views before this index are stale
	waitView := func(what string, ok func(View) bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			n := len(views)
			good := n > from && ok(views[n-1])
			mu.Unlock()
			if good {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("no view with %s within a minute", what)
	}
	waitView("round 2 open", func(v View) bool { return v.Phase == Deciding && v.Round == 1 })
	require.NoError(t, cl.Decide(info.Code, a, 1, Decision{Cashback: 4, MerchantBonus: 2}))
	before := getText(t, cl, teacher, "/api/sessions/"+info.Code+"/timeseries.csv")
	require.Contains(t, before, "2014-01-10", "ten days simulated")

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	mu.Lock()
	seen := len(views)
	from = seen
	mu.Unlock()

	_, teacher2 := startServer(t, bin, dir, port)
	assert.Equal(t, teacher, teacher2, "the teacher's link survives a restart")
	after := getText(t, cl, teacher, "/api/sessions/"+info.Code+"/timeseries.csv")
	assert.Equal(t, before, after, "the restarted world differs")
	waitView("a view after the restart", func(v View) bool { return v.Phase == Deciding && v.Round == 1 })
	mu.Lock()
	assert.Greater(t, len(views), seen, "the client did not reconnect")
	assert.GreaterOrEqual(t, connects, 2)
	mu.Unlock()
	// Ada's decision for round 2 survived: Bo's closes the round.
	require.NoError(t, cl.Decide(info.Code, b, 1, Decision{Cashback: 1}))
	waitView("round 3 open", func(v View) bool { return v.Phase == Deciding && v.Round == 2 })
	csv := getText(t, cl, teacher, "/api/sessions/"+info.Code+"/export.csv")
	assert.Contains(t, csv, ",2,10,19,wechat,team,all-submitted,4,2,")
}

func getText(t *testing.T, cl *Client, token, path string) string {
	t.Helper()
	req, err := http.NewRequest("GET", cl.Base+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := cl.HTTP.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, string(b))
	return string(b)
}
