// Package web holds and serves the browser build of hongbao-viz: the
// index.html kept in this directory, and hongbao-viz.wasm and wasm_exec.js
// when they have been built into it (see docs/browser.md). Everything here
// is embedded into the programs that import the package, so that
// hongbao-viz --serve needs no files on disk; a build of the wasm made
// after such a program is picked up only when it is rebuilt.
//
// The package does not import ebiten, so cmd/hongbao-viz/serve can serve
// the build on a machine without a display.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/paywars/hongbao/sim"
)

// The files of the browser build.
const (
	WasmFile     = "hongbao-viz.wasm"
	WasmExecFile = "wasm_exec.js"
	IndexFile    = "index.html"
)

// embedded is this directory as it was when the program was built; Files
// exposes only the three files of the build.
//
//go:embed *
var embedded embed.FS

// Files returns the embedded browser build. It always has index.html; it
// has the wasm and wasm_exec.js only if they were built before the
// program (Complete says).
func Files() fs.FS { return only{embedded} }

// only limits an FS to the files of the browser build.
type only struct{ fs.FS }

// Open opens index.html, the wasm, wasm_exec.js or the root; nothing else.
func (o only) Open(name string) (fs.File, error) {
	switch name {
	case ".", IndexFile, WasmFile, WasmExecFile:
		return o.FS.Open(name)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// Complete reports whether files hold a whole browser build.
func Complete(files fs.FS) bool {
	for _, f := range []string{IndexFile, WasmFile, WasmExecFile} {
		if _, err := fs.Stat(files, f); err != nil {
			return false
		}
	}
	return true
}

// Handler serves a browser build. Nothing is cached, so a rebuilt wasm is
// picked up on reload, and the wasm goes out as application/wasm, which
// WebAssembly.instantiateStreaming requires.
func Handler(files fs.FS) http.Handler {
	fsrv := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// Serve serves the browser build found by Find on addr until the process
// ends. An address without a host (":8080") listens on localhost only.
func Serve(addr, dir string, stderr io.Writer) error {
	files, err := Find(dir, stderr)
	if err != nil {
		return err
	}
	if strings.HasPrefix(addr, ":") {
		addr = "localhost" + addr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "hongbao-viz: serving the browser build on http://%s/\n", ln.Addr())
	srv := &http.Server{Handler: Handler(files), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// Find finds a browser build: the directory given, else the embedded
// files, else a build made now with the go command from the source tree
// the program runs in; failing all three, its error says how to make one.
func Find(dir string, stderr io.Writer) (fs.FS, error) {
	if dir != "" {
		files := os.DirFS(dir)
		if !Complete(files) {
			return nil, fmt.Errorf("web: %s lacks %s, %s or %s\n%s", dir, IndexFile, WasmFile, WasmExecFile, HowToBuild)
		}
		return files, nil
	}
	if files := Files(); Complete(files) {
		return files, nil
	}
	out, err := CachedBuild(stderr)
	if err != nil {
		return nil, fmt.Errorf("web: %v\n%s", err, HowToBuild)
	}
	return os.DirFS(out), nil
}

// HowToBuild says how to make the browser build and embed it.
const HowToBuild = `To serve the browser build, make it first, from the repository root:

	GOOS=js GOARCH=wasm go build -o viz/web/hongbao-viz.wasm ./cmd/hongbao-viz
	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" viz/web/
	go build ./cmd/hongbao-viz        # embeds viz/web

or pass -dir with a directory that holds index.html, hongbao-viz.wasm and
wasm_exec.js (see docs/browser.md).`

// Build makes the browser build in a new temporary directory with the go
// command, from the hongbao module the working directory is in, and
// returns the directory.
func Build(stderr io.Writer) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("no go command on PATH to build the browser build with")
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	out, err := os.MkdirTemp("", "hongbao-viz-web")
	if err != nil {
		return "", err
	}
	build := exec.Command(goBin, "build", "-ldflags=-s -w", "-o", filepath.Join(out, WasmFile), "./cmd/hongbao-viz")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the wasm: %v", err)
	}
	goroot, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %v", err)
	}
	if err := CopyWasmExec(strings.TrimSpace(string(goroot)), out); err != nil {
		return "", err
	}
	index, err := fs.ReadFile(Files(), IndexFile)
	if err != nil {
		return "", err
	}
	if err := writeFile(filepath.Join(out, IndexFile), index); err != nil {
		return "", err
	}
	fmt.Fprintln(stderr, "hongbao-viz: browser build in", out)
	return out, nil
}

// CachedBuild returns a browser build of the source tree the working
// directory is in, made by Build once and kept in the user's cache folder
// (os.UserCacheDir()/hongbao-viz-web), keyed by a hash of the tree's Go
// files and the Go version: a server started again on the same sources
// starts at once, and an older build is removed when a newer one is made,
// so no build folder is left behind in the temporary directory.
func CachedBuild(stderr io.Writer) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	base := filepath.Join(cache, "hongbao-viz-web")
	key, err := sourceKey(root)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, key)
	if Complete(os.DirFS(dir)) {
		fmt.Fprintln(stderr, "hongbao-viz: the browser build of these sources, from", dir)
		return dir, nil
	}
	fmt.Fprintln(stderr, "hongbao-viz: this program was built without the browser build; building it now…")
	out, err := Build(stderr)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return out, nil // serve from the temporary folder; the caller may remove it
	}
	old, _ := os.ReadDir(base)
	if err := os.Rename(out, dir); err != nil {
		// Another server made it first, or the cache is on another device.
		os.RemoveAll(out)
		if Complete(os.DirFS(dir)) {
			return dir, nil
		}
		return "", fmt.Errorf("keeping the browser build in %s: %v", dir, err)
	}
	for _, e := range old {
		if e.Name() != key {
			os.RemoveAll(filepath.Join(base, e.Name()))
		}
	}
	return dir, nil
}

// sourceKey hashes what a browser build is made from: the module's .go
// files, go.mod, go.sum and viz/web/index.html (paths and contents), and
// the Go toolchain's version.
func sourceKey(root string) (string, error) {
	h := sha256.New()
	io.WriteString(h, runtime.Version())
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "out") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" && path != filepath.Join(root, "viz", "web", IndexFile) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// CopyWasmExec copies wasm_exec.js of the Go at goroot into dir: it is in
// lib/wasm since Go 1.24, in misc/wasm before.
func CopyWasmExec(goroot, dir string) error {
	for _, sub := range []string{"lib/wasm", "misc/wasm"} {
		src, err := os.ReadFile(filepath.Join(goroot, sub, WasmExecFile))
		if err == nil {
			return writeFile(filepath.Join(dir, WasmExecFile), src)
		}
	}
	return fmt.Errorf("no %s under %s/lib/wasm or %s/misc/wasm", WasmExecFile, goroot, goroot)
}

// writeFile writes data to path through sim.WriteFileAtomic: a browser
// build is served from these files, and must never see half of one.
func writeFile(path string, data []byte) error {
	return sim.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// moduleRoot finds the hongbao module from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/paywars/hongbao\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the hongbao source tree, so the browser build cannot be made here")
		}
		dir = parent
	}
}
