// Command hongbao is the headless command line of the hongbao simulator:
// single runs, validation, the scenario library, sweeps and games.
//
// Every subcommand lives in its own file and registers itself in init with
// [register]; main only dispatches, so adding a command touches one file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/paywars/hongbao/scenarios"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand of hongbao.
type command struct {
	name    string
	summary string
	// run executes the command with the arguments after its name and
	// returns the process exit code: 0 success, 1 failure, 2 usage error.
	run func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

// register adds a subcommand; called from init functions only.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("hongbao: command registered twice: " + c.name) // programmer error
	}
	commands[c.name] = c
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// dispatch runs the subcommand named by args[0]; with none it runs `run`
// on the default scenario, so a bare `hongbao` does something useful.
func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return commands["run"].run(nil, stdout, stderr)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	case "-version", "--version":
		return versionCmd(nil, stdout, stderr)
	}
	c, ok := commands[args[0]]
	if !ok {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(stderr, "hongbao: unknown command %q%s\n\n", args[0], didYouMean(args[0], names))
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

// parseArgs parses a command's flags wherever they stand among its
// positional arguments. done is true when the command must return code at
// once: 0 after -h (fs.Usage printed), 2 on a bad flag (the flag package
// has said what is wrong).
func parseArgs(fs *flag.FlagSet, args []string) (positional []string, code int, done bool) {
	flags, positional := splitArgs(fs, args)
	if msg := unknownFlag(fs, flags); msg != "" {
		fmt.Fprintln(fs.Output(), msg)
		return nil, 2, true
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, true
		}
		return nil, 2, true
	}
	// --force-size, where a command offers it, lifts the size budget for
	// this command only (tests run commands one after another in-process).
	force := false
	if f := fs.Lookup("force-size"); f != nil {
		force = f.Value.String() == "true"
	}
	if force {
		scenarios.SetMemoryBudget(0)
	} else {
		scenarios.SetMemoryBudget(-1)
	}
	return positional, 0, false
}

// forceSizeFlag offers --force-size, which parseArgs applies.
func forceSizeFlag(fs *flag.FlagSet) {
	fs.Bool("force-size", false, "run even if the scenario's estimated memory is above the machine's budget (docs/scenarios.md, Limits)")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "hongbao simulates the mobile-money wars: users, merchants and wallet platforms")
	fmt.Fprintln(w, "competing with subsidies and red envelopes.")
	fmt.Fprintln(w, "\nUsage: hongbao <command> [arguments]   (hongbao <command> -h for help)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %s%s  %s\n", n, strings.Repeat(" ", width-len(n)), commands[n].summary)
	}
	fmt.Fprintln(w, "\nExample: hongbao run default --seed 7 --days 120")
}
