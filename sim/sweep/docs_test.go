package sweep

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsShowExample keeps docs/sweeps.md in step with the example that
// `hongbao sweep --example` prints.
func TestDocsShowExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sweeps.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(doc), "```toml\n"+string(Example)+"```"),
		"docs/sweeps.md does not show sim/sweep/example.toml as it is; copy it over")
	for _, f := range []string{RunsCSV, RunsParquet, PointsCSV, SeriesCSV, SeriesParquet, ManifestFile, JournalFile} {
		assert.Contains(t, string(doc), "`"+f+"`")
	}
}
