package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/paywars/hongbao/scenarios"
)

// Provenance says where a run came from, so that a run folder can be traced
// back to the command, the scenario and the binary that wrote it. It is
// recorded in summary.json.
type Provenance struct {
	// Source is the scenario as named on the command line: a library name
	// or a file path.
	Source string `json:"source"`
	// Overrides are the --set overrides in the order applied, with the
	// --seed, --days and --users flags written as the overrides they are.
	Overrides []string `json:"overrides"`
	// ScenarioSHA256 is the SHA-256 of the resolved scenario (after every
	// override), as JSON; two runs with the same hash and binary are the
	// same run, byte for byte.
	ScenarioSHA256 string `json:"scenario_sha256"`
	Build
}

// Build identifies the binary, from the Go build information.
type Build struct {
	Version   string `json:"version"`      // module version, "(devel)" for a plain go build
	Revision  string `json:"vcs_revision"` // VCS commit; "" when go build stamped none (-buildvcs=false, go run, a linked worktree)
	Modified  bool   `json:"vcs_modified"` // built from a tree with uncommitted changes
	Time      string `json:"vcs_time,omitempty"`
	GoVersion string `json:"go_version"`
}

// BinaryBuild returns the running binary's [Build], read once from
// runtime/debug.ReadBuildInfo.
var BinaryBuild = sync.OnceValue(func() Build {
	b := Build{GoVersion: runtime.Version(), Version: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if bi.Main.Version != "" {
		b.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "vcs.time":
			b.Time = s.Value
		}
	}
	return b
})

// ScenarioSHA256 returns the hex SHA-256 of a resolved scenario's JSON
// encoding. encoding/json writes struct fields in declaration order and
// map keys sorted, so the hash depends on the scenario's values only.
func ScenarioSHA256(s *scenarios.Scenario) string {
	b, err := json.Marshal(s)
	if err != nil { // a scenario is plain data; this would be a bug
		panic("sim: scenario does not encode as JSON: " + err.Error())
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
