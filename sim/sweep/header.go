package sweep

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/paywars/hongbao/scenarios"
)

// Header is what every file that drives runs (a sweep file, a game file)
// says about itself at its top: the game layer reads its files through
// ReadHeader too, so the two formats cannot drift apart on these keys.
type Header struct {
	Name        string // names the default output directory
	Description string
	Scenario    string // the base scenario: a library name or a path
	Seed        uint64 // the first run's seed; 1 when absent
}

// runNamePattern is what a sweep's or game's name must look like, since it
// names the default output directory.
var runNamePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// ReadHeader reads name, description, scenario and seed from a file's top
// table, recording problems in p. kind ("sweep", "game") is the file's
// second suffix (NAME.kind.toml) and the name given when the file's name
// will not do; example is a library scenario the messages suggest.
func ReadHeader(p *scenarios.TableReader, m map[string]any, file, kind, example string) Header {
	var h Header
	if v, ok := p.String(m, "name", ""); ok {
		h.Name = v
		if !runNamePattern.MatchString(v) {
			p.Addf("name", "want a name of letters, digits, '_', '-' and '.', got %q", v)
		}
	} else if _, present := m["name"]; !present {
		h.Name = defaultName(file, kind)
	}
	h.Description, _ = p.String(m, "description", "")
	if v, ok := p.String(m, "scenario", ""); ok {
		if strings.TrimSpace(v) == "" {
			p.Addf("scenario", "empty: give a library name such as %q or a path to a .toml file", example)
		}
		h.Scenario = v
	} else if _, present := m["scenario"]; !present {
		p.Addf("", "missing key scenario: the base scenario, a library name such as %q or a path to a .toml file", example)
	}
	h.Seed = 1
	if v, ok := p.Int(m, "seed", ""); ok {
		if v < 0 {
			p.Addf("seed", "must be 0 or more, got %d", v)
		}
		h.Seed = uint64(v)
	}
	return h
}

// defaultName is the file's base name without .toml and .kind, or kind
// itself when that is not a valid name.
func defaultName(file, kind string) string {
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, ".toml")
	base = strings.TrimSuffix(base, "."+kind)
	if !runNamePattern.MatchString(base) {
		return kind
	}
	return base
}

// ReadSource reads a sweep or game file, or says it cannot, located in the
// file and, when it does not exist, with how to print an example. It reads
// through scenarios.ReadInput, so that the size cap of every TOML input
// applies (a FIFO or /dev/zero is refused, not read to the end).
func ReadSource(path, kind string) ([]byte, error) {
	if _, err := os.Stat(path); err != nil && errors.Is(err, fs.ErrNotExist) {
		return nil, scenarios.Problems{{File: path, Message: "no such file (print an example with: hongbao " + kind + " --example)"}}
	}
	return scenarios.ReadInput(path, kind)
}
