package scenarios

import (
	"embed"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// The library is every library/*.toml file, built into the binary so that
// `hongbao run default` works from any directory; a file added there is
// picked up with no code change.
//
//go:embed library/*.toml
var libraryFS embed.FS

// LibraryEntry names one embedded scenario.
type LibraryEntry struct {
	Name    string // file name without .toml, as given to Load
	Summary string // world.description of the file
}

// library reads the entries once; the embedded files cannot change.
var library = sync.OnceValue(func() []LibraryEntry {
	files, _ := libraryFS.ReadDir("library") // cannot fail: the directory is embedded
	var entries []LibraryEntry
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), ".toml")
		if !ok || f.IsDir() {
			continue
		}
		e := LibraryEntry{Name: name}
		src, err := libraryFS.ReadFile(path.Join("library", f.Name()))
		if err == nil {
			// Only the description is wanted here; a broken file still
			// gets listed, and Load reports its problems.
			var head struct {
				World struct {
					Description string `toml:"description"`
				} `toml:"world"`
			}
			if _, err := toml.Decode(string(src), &head); err == nil {
				e.Summary = head.World.Description
			}
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries
})

// Library lists the embedded scenarios, sorted by name.
func Library() []LibraryEntry {
	return append([]LibraryEntry(nil), library()...)
}

func libraryNames() []string {
	var names []string
	for _, e := range library() {
		names = append(names, e.Name)
	}
	return names
}

// LibrarySource returns the TOML of an embedded scenario, for printing and
// copying as the start of a new one. An unknown name is a Problems error
// that lists the library.
func LibrarySource(name string) ([]byte, error) {
	names := libraryNames()
	if contains(names, name) {
		return libraryFS.ReadFile("library/" + name + ".toml")
	}
	msg := "unknown scenario " + strconv.Quote(name) + DidYouMean(name, names, "")
	if !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	msg += " The library has: " + strings.Join(names, ", ") + "."
	if st, err := os.Stat(name); err == nil && !st.IsDir() {
		msg += " To load the file " + name + ", write ./" + name + "."
	} else {
		msg += " To load a file, give a path ending in .toml."
	}
	return nil, Problems{{File: name, Message: msg}}
}
