package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// The rule for run folders (docs/compare.md, run -h): the default folder is
// out/<world.name>-seed<N>, followed by -<first 8 hex digits of the
// SHA-256 of the overrides> when there are any besides the seed, which the
// name already carries. A folder is only replaced by the same run (same
// resolved scenario) unless --force.

// defaultRunDir returns the default output folder of a run of s with the
// overrides sets.
func defaultRunDir(s *scenarios.Scenario, sets []string) string {
	name := scenarios.FileStem(s.World.Name) + "-seed" + strconv.FormatUint(s.World.Seed, 10)
	if h := overridesHash(sets); h != "" {
		name += "-" + h
	}
	return filepath.Join("out", name)
}

// overridesHash is the first 8 hex digits of the SHA-256 of the overrides
// other than world.seed, one per line in the order given; "" without any.
func overridesHash(sets []string) string {
	var kept []string
	for _, set := range sets {
		key, _, _ := strings.Cut(set, "=")
		if strings.TrimSpace(key) != "world.seed" {
			kept = append(kept, set)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	h := sha256.Sum256([]byte(strings.Join(kept, "\n")))
	return hex.EncodeToString(h[:4])
}

// checkRunDir returns an error when dir holds something other than the run
// prov describes and force is false: another run (its summary.json records
// a different scenario hash), or files that are not a run at all.
func checkRunDir(dir string, prov *sim.Provenance, force bool) error {
	if force {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return fmt.Errorf("%s is not empty and holds no run (no summary.json); use --out for another folder, or --force to replace the folder and everything in it", dir)
	}
	var old struct {
		Provenance *sim.Provenance `json:"provenance"`
	}
	if json.Unmarshal(raw, &old) == nil && old.Provenance != nil && old.Provenance.ScenarioSHA256 == prov.ScenarioSHA256 {
		return nil
	}
	what := "a run with no recorded scenario hash (an older hongbao)"
	if old.Provenance != nil {
		what = fmt.Sprintf("a different run (%s with overrides %s)", old.Provenance.Source, strings.Join(quoteAll(old.Provenance.Overrides), " "))
		if len(old.Provenance.Overrides) == 0 {
			what = fmt.Sprintf("a different run (%s with no overrides)", old.Provenance.Source)
		}
	}
	return fmt.Errorf("%s holds %s; use --out for another folder or --force to replace it", dir, what)
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Quote(x)
	}
	return out
}
