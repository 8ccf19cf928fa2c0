//go:build !js

package main

import (
	"io"

	"github.com/paywars/hongbao/viz/web"
)

// serve serves the browser build on addr (see web.Serve).
func serve(addr, dir string, stderr io.Writer) error { return web.Serve(addr, dir, stderr) }
