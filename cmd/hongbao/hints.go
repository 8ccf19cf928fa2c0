package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/empirical"
	"github.com/paywars/hongbao/sim/sweep"
)

// didYouMean returns "; did you mean X?" for the candidate closest to word
// (scenarios.Suggest, the project's one rule for typos), or "".
func didYouMean(word string, candidates []string) string {
	if s := scenarios.Suggest(word, candidates); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

// unknownFlag returns the message for the first argument of flags that
// names no flag of fs, with the closest flag suggested, or "" when every
// flag is known. The flag package would only print "flag provided but not
// defined" followed by the whole help.
func unknownFlag(fs *flag.FlagSet, flags []string) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	for i := 0; i < len(flags); i++ {
		a := flags[i]
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "" || name == "h" || name == "help" {
			continue
		}
		if f := fs.Lookup(name); f != nil {
			// A flag that takes a value may be followed by it ("--users -4"),
			// as splitArgs keeps it.
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && bf.IsBoolFlag()) {
				i++
			}
			continue
		}
		msg := fmt.Sprintf("hongbao %s: unknown flag --%s", fs.Name(), name)
		if s := scenarios.Suggest(name, names); s != "" {
			msg += "; did you mean --" + s + "?"
		}
		return msg + fmt.Sprintf(" (hongbao %s -h lists the flags)", fs.Name())
	}
	return ""
}

// otherFileKind says which command reads path when it is a sweep or a game
// file rather than a scenario ("" when it is neither, or unreadable): the
// scenario loader would only list their keys as unknown.
func otherFileKind(path string) string {
	if !scenarios.IsPath(path) {
		return ""
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var top map[string]any
	if _, err := toml.Decode(string(src), &top); err != nil {
		return ""
	}
	if _, ok := top["scenario"]; !ok {
		return ""
	}
	switch {
	case top["players"] != nil:
		return fmt.Sprintf("%s is a game file, not a scenario: run it with `hongbao game %s`", path, path)
	case top["params"] != nil || top["design"] != nil:
		return fmt.Sprintf("%s is a sweep file, not a scenario: run it with `hongbao sweep %s`", path, path)
	}
	return ""
}

// otherDirKind says what dir is when it is a game's or a sweep's output
// folder rather than a run's ("" otherwise), and which command reads it:
// plot would only say that timeseries.csv is missing.
func otherDirKind(dir string) string {
	has := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}
	if has("timeseries.csv") {
		return ""
	}
	switch {
	case has(empirical.ReportJSON) || has(empirical.NFGFile):
		return fmt.Sprintf("%s is a game's folder, not a run's: its charts are already there (heatmap-*.png); hongbao nash %s solves its game again", dir, filepath.Join(dir, empirical.NFGFile))
	case has(sweep.ManifestFile) || has(sweep.JournalFile):
		return fmt.Sprintf("%s is a sweep's folder, not a run's: read runs.csv or runs.parquet (docs/sweeps.md), or hongbao sensitivity %s for a saltelli or morris design", dir, dir)
	}
	return ""
}
