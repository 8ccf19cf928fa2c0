//go:build !js

package main

import (
	"os"
	"time"
)

// programArgs are the command-line arguments.
func programArgs() []string { return os.Args[1:] }

// stepYield is the pause after each simulated day: none on the desktop,
// where the world steps on its own thread.
const stepYield time.Duration = 0
