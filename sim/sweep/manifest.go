package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/paywars/hongbao/sim"
)

// Manifest describes a finished sweep directory or shard: which sweep,
// which binary, which design, and which files hold the results. It is
// written last and atomically, so a directory with a manifest is complete.
// A whole sweep's manifest has no Shard, and a merge writes the same bytes
// as a single machine.
type Manifest struct {
	// Format is "hongbao-sweep/1".
	Format string `json:"format"`
	// Name is the sweep's name.
	Name string `json:"name"`
	// Version is the binary that ran the sweep (see Version).
	Version string `json:"version"`
	// SweepHash is Plan.Hash: the sweep file and the base scenario.
	SweepHash string `json:"sweep_hash"`
	// SweepFile is the sweep file's name as given; SweepSource its text,
	// from which merge and sensitivity rebuild the design.
	SweepFile   string `json:"sweep_file"`
	SweepSource string `json:"sweep_source"`
	Scenario    string `json:"scenario"`

	Design     ManifestDesign `json:"design"`
	Replicates int            `json:"replicates"`
	Runs       int64          `json:"runs"`
	Failed     int64          `json:"failed"`
	Params     []string       `json:"params"`
	Outputs    []string       `json:"outputs"`
	Series     []string       `json:"series,omitempty"`
	Files      []string       `json:"files"`

	// Shard and Part are set in a shard's manifest only.
	Shard *ShardInfo `json:"shard,omitempty"`
	Part  *PartInfo  `json:"part,omitempty"`
}

// ManifestDesign is the layout of the design, enough to read runs in the
// sensitivity analysis's order: run r belongs to point r div replicates.
type ManifestDesign struct {
	Kind   string `json:"kind"`
	Points int    `json:"points"`
	// Saltelli: N base rows of K parameters; point j·(K+2) is A_j,
	// j·(K+2)+1+i is AB_i,j and j·(K+2)+K+1 is B_j. With SecondOrder the
	// stride is 2K+2: A_j, AB_1..K, BA_1..K, B_j.
	BaseRows    int  `json:"base_rows,omitempty"`
	SecondOrder bool `json:"second_order,omitempty"`
	// Morris: trajectory t owns points t·(K+1) … t·(K+1)+K.
	Trajectories int `json:"trajectories,omitempty"`
	Levels       int `json:"levels,omitempty"`
}

// ShardInfo says which runs a shard ran: those with run mod Count = Index.
type ShardInfo struct {
	Index int   `json:"index"`
	Count int   `json:"count"`
	Runs  int64 `json:"runs"`
}

// PartInfo names a shard's sorted records file and its checksum.
type PartInfo struct {
	File    string `json:"file"`
	Records int64  `json:"records"`
	SHA256  string `json:"sha256"`
}

const manifestFormat = "hongbao-sweep/1"

func newManifest(s *Spec, hash, version string, failed int64) Manifest {
	l := s.layout
	m := Manifest{Format: manifestFormat, Name: s.Name, Version: version, SweepHash: hash,
		SweepFile: filepath.Base(s.File), SweepSource: string(s.Source), Scenario: s.Scenario,
		Design: ManifestDesign{Kind: s.Design.Kind, Points: l.Points}, Replicates: s.Replicates, Runs: l.Runs(), Failed: failed,
		Params: []string{}, Outputs: []string{}}
	if l.Design.Saltelli != nil {
		m.Design.BaseRows, m.Design.SecondOrder = l.Design.Saltelli.N, l.Design.Saltelli.Second
	}
	if l.Design.Morris != nil {
		m.Design.Trajectories, m.Design.Levels = l.Design.Morris.Trajectories, l.Design.Morris.Levels
	}
	for _, q := range s.Params {
		m.Params = append(m.Params, q.Name)
	}
	for _, o := range s.Outputs {
		m.Outputs = append(m.Outputs, o.Name)
	}
	m.Series = s.Series.Metrics
	m.Files = []string{RunsCSV, RunsParquet, PointsCSV}
	if len(m.Series) > 0 {
		m.Files = append(m.Files, SeriesCSV, SeriesParquet)
	}
	return m
}

func writeManifest(path string, m Manifest) error {
	return sim.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
}

// ReadManifest reads a manifest.json.
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if m.Format != manifestFormat {
		return m, fmt.Errorf("sweep: %s is not a sweep manifest (format %q)", path, m.Format)
	}
	return m, nil
}

// Spec parses the sweep file the manifest carries.
func (m Manifest) Spec() (*Spec, error) {
	return ParseSpec(m.SweepFile, []byte(m.SweepSource))
}

// Version identifies the running binary, so that runs of different builds
// are never mixed: the Go version, the module version and VCS revision, and
// for a build from a modified or unknown tree the SHA-256 of the executable
// itself (two dirty builds of one commit may differ).
var Version = sync.OnceValue(func() string {
	v := runtime.Version()
	rev, dirty := "", true
	if bi, ok := debug.ReadBuildInfo(); ok {
		v += " " + bi.Main.Path + "@" + bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if rev != "" {
		v += " " + rev
	}
	if rev == "" || dirty {
		v += " exe:" + executableHash()
	}
	return v
})

func executableHash() string {
	path, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
