//go:build js

package main

import (
	"errors"
	"io"
)

// serve is not available in the browser build.
func serve(addr, dir string, stderr io.Writer) error {
	return errors.New("-serve is for the desktop build; the browser build is what it serves")
}
