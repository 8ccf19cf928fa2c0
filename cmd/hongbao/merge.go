package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paywars/hongbao/sim/sweep"
)

func init() {
	register(command{name: "merge", summary: "merge the shards of a sweep into the files of a whole sweep", run: mergeCmd})
}

// mergeHelp is printed by merge -h.
var mergeHelp = help{
	synopsis: []string{"hongbao merge DIR... [--out DIR] [--quiet]"},
	about: `Finds the shards of a sweep (shard-I-of-N directories, or DIRs that are shards),
checks that they come from the same sweep file, base scenario and binary and that
every run is present exactly once, and writes runs.csv, runs.parquet, points.csv
and manifest.json: the same bytes as the sweep run on one machine. What is
missing is listed, and nothing is written.`,
	examples: []string{"hongbao merge sweeps/netlogo"},
}

func mergeCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("merge", stderr, mergeHelp)
	out := fs.String("out", "", "where to write the merged files (default: DIR, when there is one)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	dirs, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if len(dirs) == 0 {
		fmt.Fprintln(stderr, "hongbao merge: give the directory of the shards (hongbao merge -h for help)")
		return 2
	}
	dest := *out
	if dest == "" {
		if len(dirs) > 1 {
			fmt.Fprintln(stderr, "hongbao merge: several directories: say where to write with --out")
			return 2
		}
		dest = dirs[0]
	}
	rep, err := sweep.Merge(dirs, dest)
	if err != nil {
		var me *sweep.MergeError
		if errors.As(err, &me) {
			fmt.Fprintf(stderr, "hongbao merge: cannot merge, nothing written:\n")
			for _, p := range me.Problems {
				fmt.Fprintf(stderr, "  %s\n", p)
			}
			return 1
		}
		fmt.Fprintf(stderr, "hongbao merge: %v\n", strings.TrimPrefix(err.Error(), "sweep: "))
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stdout, "merged %d shards into %s: %d runs, %d failed\n", rep.Shards, dest, rep.Runs, rep.Failed)
	}
	return 0
}
