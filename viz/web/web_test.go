package web

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/viz/scene"
)

func TestFilesHoldOnlyTheBuild(t *testing.T) {
	files := Files()
	if _, err := files.Open(IndexFile); err != nil {
		t.Fatalf("no embedded %s: %v", IndexFile, err)
	}
	for _, name := range []string{"web.go", "web_test.go", ".gitignore"} {
		if _, err := files.Open(name); err == nil {
			t.Errorf("%s is served", name)
		}
	}
}

func TestHandler(t *testing.T) {
	files := fstest.MapFS{
		IndexFile:    {Data: []byte("<html>hongbao</html>")},
		WasmFile:     {Data: []byte("\x00asm")},
		WasmExecFile: {Data: []byte("// go")},
	}
	if !Complete(files) {
		t.Fatal("a full build is not Complete")
	}
	srv := httptest.NewServer(Handler(files))
	defer srv.Close()
	for _, tc := range []struct{ path, body, ctype string }{
		{"/", "<html>hongbao</html>", "text/html"},
		{"/" + WasmFile, "\x00asm", "application/wasm"},
	} {
		res, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(b) != tc.body || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("%s: %q as %q", tc.path, b, res.Header.Get("Content-Type"))
		}
	}
	delete(files, WasmFile)
	if Complete(files) {
		t.Error("a build without the wasm is Complete")
	}
}

func TestFindDirExplains(t *testing.T) {
	_, err := Find(t.TempDir(), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "GOOS=js GOARCH=wasm go build") {
		t.Errorf("error for an empty directory does not say how to build: %v", err)
	}
}

func TestCopyWasmExec(t *testing.T) {
	dir := t.TempDir()
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command to find GOROOT: %v", err)
	}
	if err := CopyWasmExec(strings.TrimSpace(string(root)), dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, WasmExecFile)); err != nil || fi.Size() == 0 {
		t.Errorf("wasm_exec.js not copied: %v", err)
	}
}

// TestBrowser builds the browser build, serves it, loads it in headless
// Chromium, and checks the screenshot: not blank, and every platform of
// the default scenario present in its colour. It runs only when
// HONGBAO_BROWSER_TEST is set (scripts/test-viz.sh sets it), as it needs
// Chromium and about a minute.
func TestBrowser(t *testing.T) {
	if os.Getenv("HONGBAO_BROWSER_TEST") == "" {
		t.Skip("set HONGBAO_BROWSER_TEST=1 to build the wasm and load it in headless Chromium")
	}
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		t.Fatal("no chromium, chromium-browser or google-chrome on PATH")
	}
	out, err := Build(testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(out)
	srv := httptest.NewServer(Handler(os.DirFS(out)))
	defer srv.Close()

	// The default scenario at 20,000 users: the browser runs the world on
	// the page's one thread.
	img := shoot(t, chromium, srv.URL+"/?scenario=default&set=world.users=20000", "browser.png")

	s, err := scenarios.Load("default", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Look for dots in the graph, left of its legend (which shows every
	// colour whatever the world does) and above the merchants: the left
	// 600 of the 1280×800 page, under the top bar.
	b := img.Bounds()
	graph := image.Rect(b.Min.X, b.Min.Y+30, b.Min.X+600, b.Max.Y-100)
	colours := map[[3]uint8]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}] = true
		}
	}
	if len(colours) < 100 {
		t.Fatalf("the page shows %d colours: blank or not rendered", len(colours))
	}
	for _, p := range s.Platforms {
		want, err := scene.ParseHex(p.Color)
		if err != nil {
			t.Fatal(err)
		}
		// 12 levels: dots are drawn from a filtered sprite.
		if n := countNear(img, graph, want, 12); n < 3 {
			t.Errorf("%s's colour %s: %d pixels in the graph", p.Name, p.Color, n)
		}
	}

	// ?guided opens the taxi war on its guide (the introduction, which
	// pauses the run until a click): a box edged in accent red
	// at least 200 px tall (the overlay with the file's two paragraphs is
	// about 300), where the banners' edges are 32 px each and at most
	// four stacked.
	accent := scene.RGB{R: 0xff, G: 0x4d, B: 0x4d}
	if n := tallestRun(img, accent, 12); n >= 200 {
		t.Errorf("unguided, a column of %d accent pixels: the test cannot tell the guide", n)
	}
	guided := shoot(t, chromium, srv.URL+"/?scenario=taxi-war-2014&set=world.users=2000&guided", "browser-guided.png")
	if n := tallestRun(guided, accent, 12); n < 200 {
		t.Errorf("?guided: the tallest column of accent red is %d px, want the guide's edge (≥ 200)", n)
	}
}

// shoot loads url in headless Chromium, returns its screenshot and, with
// VIZ_FRAMES_DIR set, saves it there as name.
func shoot(t *testing.T, chromium, url, name string) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1280,800",
		"--virtual-time-budget=12000", url)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(150 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("chromium did not finish in 150 s:\n%s", log.String())
	}
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, log.String())
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, log.String())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("VIZ_FRAMES_DIR"); dir != "" {
		f.Seek(0, io.SeekStart)
		b, _ := io.ReadAll(f)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	return img
}

// tallestRun is the most pixels near want in one column of img: the
// guided overlay's edge is a column of accent red as tall as its box.
func tallestRun(img image.Image, want scene.RGB, tol int) int {
	b := img.Bounds()
	best := 0
	for x := b.Min.X; x < b.Max.X; x++ {
		best = max(best, countNear(img, image.Rect(x, b.Min.Y, x+1, b.Max.Y), want, tol))
	}
	return best
}

func countNear(img image.Image, r image.Rectangle, want scene.RGB, tol int) int {
	d := func(a uint32, b uint8) int { return max(int(a>>8)-int(b), int(b)-int(a>>8)) }
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if d(cr, want.R) <= tol && d(cg, want.G) <= tol && d(cb, want.B) <= tol {
				n++
			}
		}
	}
	return n
}

// testWriter sends the go command's output to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestSourceKey: the key of the browser build follows the sources and
// nothing else.
func TestSourceKey(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module github.com/paywars/hongbao\n")
	write("a/a.go", "package a\n")
	k1, err := sourceKey(root)
	if err != nil {
		t.Fatal(err)
	}
	write("README.md", "docs do not change the build\n")
	write("out/x.go", "package x // outputs are not sources\n")
	if k, _ := sourceKey(root); k != k1 {
		t.Errorf("a file that is not a source changed the key")
	}
	write("a/a.go", "package a // changed\n")
	if k, _ := sourceKey(root); k == k1 {
		t.Errorf("a changed source kept the key")
	}
}
