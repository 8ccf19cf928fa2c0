package reporter

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the functions table of docs/sweeps.md")

// TestDocs keeps the table of functions in docs/sweeps.md ("Reporters")
// equal to Functions; rewrite it with go test ./sim/reporter -run TestDocs
// -update.
func TestDocs(t *testing.T) {
	const (
		path  = "../../docs/sweeps.md"
		begin = "<!-- generated from sim/reporter.Functions by go test ./sim/reporter -run TestDocs -update -->\n"
		end   = "<!-- end of generated table -->\n"
	)
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	doc := string(src)
	a := strings.Index(doc, begin)
	require.True(t, a >= 0, "docs/sweeps.md lacks the marker %q", begin)
	b := strings.Index(doc[a:], end)
	require.True(t, b >= 0, "docs/sweeps.md lacks the marker %q", end)
	var table strings.Builder
	table.WriteString("| function | value |\n|---|---|\n")
	for _, f := range Functions {
		table.WriteString("| `" + f.Use + "` | " + f.Doc + " |\n")
	}
	want := doc[:a] + begin + table.String() + doc[a+b:]
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	assert.Equal(t, want, doc, "docs/sweeps.md's functions are out of step with reporter.Functions: run go test ./sim/reporter -run TestDocs -update")
}
