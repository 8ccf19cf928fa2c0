package main

import (
	"flag"
	"fmt"
	"io"
)

// help is a subcommand's -h text held as data, so that every command lays
// it out the same way (Usage, description, Flags, Example) and none repeats
// the Fprintln calls that print it. Commands keep theirs in a package-level
// variable next to the command, where a raw string reads as it prints.
type help struct {
	// synopsis holds whole command lines: the first follows "Usage: ",
	// the others are aligned under it.
	synopsis []string
	// about is the description, paragraphs separated by blank lines, with
	// no trailing newline; empty leaves the section out.
	about string
	// examples are command lines (or their output), one per line under
	// "Example:".
	examples []string
}

// write prints h to w, listing the flags of fs unless fs is nil. w is a parameter, not fs.Output(), because nash and
// scenarios print their help on stdout for -h but on stderr after a mistake.
func (h help) write(w io.Writer, fs *flag.FlagSet) {
	for i, s := range h.synopsis {
		prefix := "Usage: "
		if i > 0 {
			prefix = "       "
		}
		fmt.Fprintln(w, prefix+s)
	}
	if h.about != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, h.about)
	}
	if fs != nil {
		fmt.Fprintln(w, "\nFlags:")
		out := fs.Output()
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
	if len(h.examples) > 0 {
		fmt.Fprintln(w, "\nExample:")
		for _, e := range h.examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
}

// newFlagSet returns the flag set of subcommand name. ContinueOnError lets
// the command choose its exit status (see parseArgs) instead of the flag
// package exiting; flag errors and -h go to stderr, and -h prints h.
func newFlagSet(name string, stderr io.Writer, h help) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { h.write(stderr, fs) }
	return fs
}

// oneArg reports whether pos is the single FILE or DIR that a command
// takes. If it is not, oneArg says so on fs's output (the command's stderr)
// in the words game, sweep and sensitivity share, pointing at -h, and the
// caller returns the usage status 2.
func oneArg(fs *flag.FlagSet, pos []string, what string) bool {
	if len(pos) == 1 {
		return true
	}
	fmt.Fprintf(fs.Output(), "hongbao %s: want one %s, got %d arguments (hongbao %s -h for help)\n", fs.Name(), what, len(pos), fs.Name())
	return false
}

// notNegative reports whether the count given to --name is 0 or more (0
// means "choose for me"). If it is not, it says so on fs's output and the
// caller returns the usage status 2: a negative count is a typo, not a
// request for the default.
func notNegative(fs *flag.FlagSet, name string, v int) bool {
	if v >= 0 {
		return true
	}
	fmt.Fprintf(fs.Output(), "hongbao %s: --%s must be 0 or more, got %d\n", fs.Name(), name, v)
	return false
}
