package record

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEverythingCitedIsInTheRepository: users have the repository and
// nothing beside it, so no source, scenario, doc or script may cite a file
// outside it (the brief's and the record's folder, ../shared, among
// them), and the brief and the record are cited by their names here,
// docs/brief.md and docs/record.md, which must exist. The two files
// themselves are copied unedited and keep their own names for each other
// (their prefaces say so).
func TestEverythingCitedIsInTheRepository(t *testing.T) {
	root := ".."
	for _, f := range []string{"docs/brief.md", "docs/record.md"} {
		_, err := os.Stat(filepath.Join(root, f))
		require.NoError(t, err, "%s is cited throughout and must be in the repository", f)
	}
	outside := regexp.MustCompile(`\.\./shared/|(^|[^/\w])(RECORD|MODEL)\.md`)
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".md", ".toml", ".csv", ".sh", ".html", ".js":
		default:
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if rel == filepath.Join("docs", "brief.md") || rel == filepath.Join("docs", "record.md") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			if m := outside.FindString(line); m != "" {
				t.Errorf("%s:%d cites %q, outside the repository (docs/brief.md and docs/record.md are here)", rel, i+1, strings.TrimSpace(m))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 500, "the walk read too few files to mean anything")
}
