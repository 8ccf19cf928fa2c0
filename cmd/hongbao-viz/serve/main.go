// Command serve serves the browser build of hongbao-viz, like
// hongbao-viz -serve, on machines without a display: on Linux, hongbao-viz
// itself connects to X as it starts (Ebitengine initialises GLFW before
// main runs), so it cannot start on a headless server.
//
//	go run ./cmd/hongbao-viz/serve [-dir viz/web] [addr]
//
// addr defaults to :8080, which listens on localhost only; give
// 0.0.0.0:8080 to listen on every interface.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/paywars/hongbao/viz/web"
)

func main() {
	dir := flag.String("dir", "", "serve this directory (index.html, hongbao-viz.wasm, wasm_exec.js) instead of the embedded build")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: serve [-dir path] [addr]")
		flag.PrintDefaults()
	}
	flag.Parse()
	addr := ":8080"
	if flag.NArg() > 0 {
		addr = flag.Arg(0)
	}
	if err := web.Serve(addr, *dir, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}
