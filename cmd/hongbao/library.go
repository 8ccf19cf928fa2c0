package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

func init() {
	register(command{name: "validate", summary: "check scenario files and list every problem", run: validateCmd})
	register(command{name: "scenarios", summary: "list the library, or print one scenario: scenarios show NAME", run: scenariosCmd})
	register(command{name: "version", summary: "print the version", run: versionCmd})
}

// version is set at build time with -ldflags "-X main.version=..."; the
// module version from the build info is used otherwise.
var version = ""

// binaryBuild is the build information that version prints and
// summary.json records, with this binary's version string.
func binaryBuild() sim.Build {
	b := sim.BinaryBuild()
	b.Version = versionString()
	return b
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// versionHelp is printed by version -h. version has no flag set: it takes
// no arguments at all.
var versionHelp = help{
	synopsis: []string{"hongbao version"},
	about: `Prints the version of this binary, the VCS revision it was built from and
the Go version (the same build information summary.json records). Also: hongbao --version.

The revision is what go build stamped into the binary. It stamps none with
-buildvcs=false (GOFLAGS may set it: go env GOFLAGS), by go run (unless
-buildvcs=true), or in a linked git worktree (Go looks for a .git directory,
golang/go#58218); then the revision is "unknown". To record it, build in the main checkout with
-buildvcs=true: GOFLAGS=-buildvcs=true go build ./cmd/hongbao.`,
	examples: []string{"hongbao version"},
}

func versionCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			versionHelp.write(stderr, nil)
			return 0
		}
		fmt.Fprintln(stderr, "hongbao version takes no arguments")
		return 2
	}
	b := binaryBuild()
	fmt.Fprintln(stdout, "hongbao", b.Version)
	rev := b.Revision
	if rev == "" {
		// Not "built outside a checkout": a build inside one stamps nothing
		// either when GOFLAGS holds -buildvcs=false or the checkout is a
		// linked worktree, and the binary cannot tell which happened.
		rev = "unknown: no VCS information was stamped in this binary (build with -buildvcs=true in a git checkout; hongbao version -h)"
	} else if b.Modified {
		rev += " (with uncommitted changes)"
	}
	fmt.Fprintln(stdout, "revision", rev)
	if b.Time != "" {
		fmt.Fprintln(stdout, "committed", b.Time)
	}
	fmt.Fprintln(stdout, "go", b.GoVersion)
	return 0
}

// validateHelp is printed by validate -h and when no file is given.
var validateHelp = help{
	synopsis: []string{"hongbao validate FILE... [--set K=V]... [--force-size]"},
	about: `Checks scenario files (or library names) and prints every problem as
file:line:col: key: message. Exit status 0 valid, 1 invalid, 2 usage.`,
	examples: []string{"hongbao validate my-war.toml"},
}

func validateCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate", stderr, validateHelp)
	var sets setFlags
	fs.Var(&sets, "set", "override a key before validating, as key.path=value (repeatable)")
	forceSizeFlag(fs)
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) == 0 {
		fs.Usage()
		return 2
	}
	for _, f := range pos {
		if _, err := scenarios.Load(f, sets); err != nil {
			fmt.Fprintln(stderr, err)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", f)
	}
	return code
}

// scenariosHelp is printed by scenarios -h on stdout and after a mistake on
// stderr. scenarios has no flag set: its arguments are a verb and a name.
var scenariosHelp = help{
	synopsis: []string{
		"hongbao scenarios            list the embedded library",
		"hongbao scenarios show NAME  print a scenario's TOML, to copy and edit",
	},
	examples: []string{"hongbao scenarios show default > mine.toml"},
}

func scenariosCmd(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		entries := scenarios.Library()
		width := 0
		for _, e := range entries {
			width = max(width, len(e.Name))
		}
		for _, e := range entries {
			fmt.Fprintf(stdout, "%-*s  %s\n", width, e.Name, e.Summary)
		}
		return 0
	case args[0] == "-h" || args[0] == "--help":
		scenariosHelp.write(stdout, nil)
		return 0
	case args[0] == "show" && len(args) == 2:
		src, err := scenarios.LibrarySource(args[1])
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		stdout.Write(src)
		writeOverrides(stdout, args[1])
		return 0
	}
	scenariosHelp.write(stderr, nil)
	return 2
}

// writeOverrides ends `scenarios show` with the behaviour the scenario
// takes from a profile and every override of it, as TOML comments so the
// output stays a file to copy.
func writeOverrides(w io.Writer, name string) {
	s, err := scenarios.Load(name, nil)
	if err != nil || s.Profile == "" {
		return
	}
	fmt.Fprintf(w, "\n# Behaviour: profile %q (scenarios/profiles/%s.toml); %d override(s) of it", s.Profile, s.Profile, len(s.Overrides))
	if len(s.Overrides) == 0 {
		fmt.Fprintln(w, ".")
		return
	}
	fmt.Fprintln(w, ":")
	for _, o := range s.Overrides {
		fmt.Fprintf(w, "#   %s: %s\n", o.Key, o.Reason)
	}
}
