package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hostile-input corpus (testdata/hostile, written mostly by gen.go
// there) is run through the built hongbao binary, one process per input,
// each under an address-space limit and a timeout, in a temporary working
// folder. Every input must be refused with exit 1 (2 for usage) and a
// message that names its file and line, or a --set and its key; or run
// correctly. No process may crash (a Go panic, a fatal error such as out
// of memory, death by a signal) or write outside its working folder.

const (
	// hostileMemKB is the address-space limit of each process (ulimit -v):
	// the 2 GB under which the inputs died.
	hostileMemKB = 2_000_000
	// hostileTimeout bounds one process: every input is either refused
	// at load time or a tiny world of a few days.
	hostileTimeout = 30 * time.Second
)

// hostileCase is one process to run: its arguments and the corpus file
// it stands for (named in its message).
type hostileCase struct {
	kind, file string
	args       []string
	// then, when the first process exits 0, is run next (a sweep or game
	// that --check accepted, a scenario that validate accepted).
	then []string
}

// buildHongbao builds the command into a temporary folder.
func buildHongbao(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("SKIP: the corpus runs the built binary and there is no go command to build it: " + err.Error())
	}
	bin := filepath.Join(t.TempDir(), "hongbao")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// hostileCases lists the corpus as processes to run.
func hostileCases(t *testing.T, dir string) []hostileCase {
	t.Helper()
	var cases []hostileCase
	add := func(kind, pattern string, mk func(path string) hostileCase) {
		files, err := filepath.Glob(filepath.Join(dir, kind, pattern))
		require.NoError(t, err)
		for _, f := range files {
			c := mk(f)
			c.kind, c.file = kind, f
			cases = append(cases, c)
		}
	}
	add("scenario", "*.toml", func(p string) hostileCase {
		return hostileCase{args: []string{"validate", p}, then: []string{"run", p, "--days", "2", "--quiet", "--out", "out/" + filepath.Base(p)}}
	})
	add("set", "*.args", func(p string) hostileCase {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		// The default output folder, so that a name that tries to escape is
		// tested where it would.
		return hostileCase{args: append(append([]string{"run"}, lines...), "--days", "2", "--quiet")}
	})
	add("sweep", "*.sweep.toml", func(p string) hostileCase {
		return hostileCase{args: []string{"sweep", "--check", p}, then: []string{"sweep", p, "--workers", "1", "--quiet", "--out", "sweeps/" + filepath.Base(p)}}
	})
	add("game", "*.game.toml", func(p string) hostileCase {
		return hostileCase{args: []string{"game", "--check", p}, then: []string{"game", p, "--workers", "1", "--quiet", "--out", "games/" + filepath.Base(p)}}
	})
	add("nfg", "*.nfg", func(p string) hostileCase { return hostileCase{args: []string{"nash", p}} })
	return cases
}

// hostileResult is what one process did.
type hostileResult struct {
	args   []string
	code   int
	signal string
	out    string
	took   time.Duration
}

// runHostile runs the binary with args in dir under the memory limit.
func runHostile(bin, dir, home string, args []string) hostileResult {
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	// The limit is set by the shell in the child, so that it binds
	// hongbao and not this test.
	script := "ulimit -v " + strconv.Itoa(hostileMemKB) + " && exec \"$0\" \"$@\""
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "GOMAXPROCS=2", "TMPDIR=" + home}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	r := hostileResult{args: args, out: buf.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.code, r.signal = -1, "timeout"
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.signal = ws.Signal().String()
		}
	case err != nil:
		r.code, r.signal = -1, err.Error()
	}
	return r
}

// located reports whether a refusal's first line points at the input:
// its file with a line (or the file alone for whole-file problems such as
// its size), a --set with its key, or a flag.
func located(c hostileCase, out string) bool {
	first, _, _ := strings.Cut(out, "\n")
	first = strings.TrimPrefix(first, "hongbao "+c.args[0]+": ")
	base := regexp.QuoteMeta(filepath.Base(c.file))
	for _, re := range []string{
		`^\S*` + base + `:\d+(:\d+)?: `,
		`^\S*` + base + `: `,
		`^--set: \S`,
		`^--days: `,
		`^\S+\.(toml|nfg):\d+(:\d+)?: `, // a base scenario a sweep or game names
	} {
		if regexp.MustCompile(re).MatchString(first) {
			return true
		}
	}
	return false
}

// TestHostileCorpus runs every input of the corpus; see the comment above.
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: the corpus runs several hundred processes")
	}
	if _, err := exec.LookPath("sh"); err != nil || runtime.GOOS != "linux" {
		t.Skip("SKIP: the corpus sets its memory limit with sh's ulimit -v, on Linux")
	}
	bin := buildHongbao(t)
	corpus, err := filepath.Abs("testdata/hostile")
	require.NoError(t, err)
	cases := hostileCases(t, corpus)

	// root/outer/work is the working folder: nothing may appear in outer
	// or root besides it.
	root := t.TempDir()
	work := filepath.Join(root, "outer", "work")
	home := filepath.Join(root, "outer", "work", "home")
	require.NoError(t, os.MkdirAll(home, 0o755))

	// Inputs that cannot be checked in: a file past the size cap, a
	// device, a folder.
	big := filepath.Join(work, "big.toml")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), 110_000), 0o644))
	for _, p := range []string{big, "/dev/zero", "/dev/urandom", work} {
		if _, err := os.Stat(p); err == nil {
			cases = append(cases, hostileCase{kind: "scenario", file: p, args: []string{"validate", p}})
		}
	}
	cases = append(cases,
		hostileCase{kind: "sweep", file: "/dev/zero", args: []string{"sweep", "--check", "/dev/zero"}},
		hostileCase{kind: "game", file: "/dev/zero", args: []string{"game", "--check", "/dev/zero"}},
		hostileCase{kind: "nfg", file: "/dev/zero", args: []string{"nash", "/dev/zero"}})

	counts := map[string]int{}
	for _, c := range cases {
		counts[c.kind]++
	}
	require.GreaterOrEqual(t, len(cases), 300, "the corpus has %d inputs; run go run gen.go in testdata/hostile", len(cases))

	type outcome struct {
		c       hostileCase
		results []hostileResult
	}
	outcomes := make([]outcome, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 { // the machine has 2 cores
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := cases[i]
				r := runHostile(bin, work, home, c.args)
				o := outcome{c: c, results: []hostileResult{r}}
				if r.code == 0 && c.then != nil && checkedRuns(r.out) <= 20 {
					o.results = append(o.results, runHostile(bin, work, home, c.then))
				}
				outcomes[i] = o
			}
		}()
	}
	start := time.Now()
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()

	var log strings.Builder
	var crashes, refused, ran int
	var slowest hostileResult
	for _, o := range outcomes {
		name := strings.TrimPrefix(o.c.file, corpus+"/")
		for _, r := range o.results {
			fmt.Fprintf(&log, "== %s: %s → exit %d\n%s\n", name, strings.Join(r.args, " ")[:min(200, len(strings.Join(r.args, " ")))], r.code, cut(r.out))
			if r.took > slowest.took {
				slowest = r
			}
			crashed := r.signal != "" || r.code < 0 || r.code > 2 ||
				strings.Contains(r.out, "panic:") || strings.Contains(r.out, "fatal error:") || strings.Contains(r.out, "goroutine ")
			if crashed {
				crashes++
				t.Errorf("%s: %v crashed (exit %d, %s): %s", name, r.args[0], r.code, r.signal, cut(r.out))
				continue
			}
			switch r.code {
			case 0:
				ran++
			case 1:
				refused++
				assert.True(t, located(o.c, r.out), "%s: %s refused without naming the file and line or the key:\n%s", name, r.args[0], cut(r.out))
			case 2:
				refused++
				assert.NotEmpty(t, strings.TrimSpace(r.out), "%s: usage error without a message", name)
			}
			assert.False(t, strings.ContainsAny(r.out, "\x00\x1b\x07"), "%s: the message echoes control bytes: %q", name, cut(r.out))
		}
	}

	if path := os.Getenv("HONGBAO_HOSTILE_LOG"); path != "" {
		require.NoError(t, os.WriteFile(path, []byte(log.String()), 0o644))
	}

	// Nothing outside the working folder: outer holds work alone, root
	// outer alone, and no escape marker exists above.
	assert.Equal(t, []string{"outer"}, dirNames(t, root))
	assert.Equal(t, []string{"work"}, dirNames(t, filepath.Join(root, "outer")))
	escapes := 0
	// A name that escaped out/, sweeps/ or games/ lands in work or above.
	for _, dir := range []string{filepath.Dir(root), root, filepath.Join(root, "outer"), work, "/tmp"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*hostile-escape*"))
		escapes += len(m)
		assert.Empty(t, m, "written outside the working folder")
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var summary []string
	for _, k := range kinds {
		summary = append(summary, fmt.Sprintf("%s %d", k, counts[k]))
	}
	t.Logf("hostile corpus: %d inputs (%s); %d processes refused, %d ran; %d crashes, %d escapes; %s in all, slowest %s (%s)",
		len(cases), strings.Join(summary, ", "), refused, ran, crashes, escapes, time.Since(start).Round(time.Millisecond),
		slowest.took.Round(time.Millisecond), strings.Join(slowest.args, " ")[:min(120, len(strings.Join(slowest.args, " ")))])
}

// checkedRuns reads "= N runs" from the output of sweep or game --check;
// 0 for other outputs. Larger sweeps are only checked, to keep the test
// short.
func checkedRuns(out string) int {
	m := regexp.MustCompile(`= (\d+) runs`).FindStringSubmatch(out)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// cut shortens an output for a failure message.
func cut(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
