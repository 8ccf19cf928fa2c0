package sim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

// Generated blocks of the README and docs/outputs.md, between these markers.
const (
	beginMark = "<!-- generated from sim/columns.go by go test ./sim -run TestColumnDocs -update: edit the registry, not this table -->\n"
	endMark   = "<!-- end of generated table -->\n"
)

// columnTable is the markdown table of a list of columns.
func columnTable(rows [][3]string) string {
	var b strings.Builder
	b.WriteString("| column | unit | meaning |\n|---|---|---|\n")
	for _, r := range rows {
		b.WriteString("| `" + r[0] + "` | " + r[1] + " | " + r[2] + " |\n")
	}
	return b.String()
}

func timeseriesRows() [][3]string {
	var rows [][3]string
	for _, c := range sim.TimeseriesColumns {
		rows = append(rows, [3]string{c.Name, c.Unit, c.Doc})
	}
	return rows
}

func kindsRows() [][3]string {
	var rows [][3]string
	for _, c := range sim.KindsColumns {
		rows = append(rows, [3]string{c.Name, c.Unit, c.Doc})
	}
	return rows
}

func totalsRows() [][3]string {
	var rows [][3]string
	for _, t := range sim.RunTotals {
		rows = append(rows, [3]string{t.Name, t.Unit, t.Doc})
	}
	return rows
}

// replaceBlocks swaps each generated block of doc, in order, for the
// tables given; it fails when the doc has not as many blocks.
func replaceBlocks(t *testing.T, name, doc string, tables []string) string {
	var out strings.Builder
	rest := doc
	for i, table := range tables {
		a := strings.Index(rest, beginMark)
		require.True(t, a >= 0, "%s: generated block %d of %d is missing: add %q and %q around it", name, i+1, len(tables), beginMark, endMark)
		b := strings.Index(rest[a:], endMark)
		require.True(t, b >= 0, "%s: generated block %d has no end marker %q", name, i+1, endMark)
		out.WriteString(rest[:a] + beginMark + table + endMark)
		rest = rest[a+b+len(endMark):]
	}
	require.NotContains(t, rest, beginMark, "%s: more generated blocks than tables", name)
	out.WriteString(rest)
	return out.String()
}

// TestColumnDocs keeps the README's and docs/outputs.md's tables of output
// columns equal to the column registry (sim/columns.go). After a change to
// the registry, rewrite them with go test ./sim -run TestColumnDocs -update.
func TestColumnDocs(t *testing.T) {
	docs := []struct {
		path   string
		tables []string
	}{
		{filepath.Join("..", "README.md"), []string{columnTable(timeseriesRows()), columnTable(kindsRows())}},
		{filepath.Join("..", "docs", "outputs.md"), []string{columnTable(timeseriesRows()), columnTable(kindsRows()), columnTable(totalsRows())}},
	}
	for _, d := range docs {
		src, err := os.ReadFile(d.path)
		require.NoError(t, err)
		want := replaceBlocks(t, d.path, string(src), d.tables)
		if *updateGolden {
			require.NoError(t, os.WriteFile(d.path, []byte(want), 0o644))
			continue
		}
		assert.Equal(t, want, string(src), "%s is out of step with sim/columns.go: run go test ./sim -run TestColumnDocs -update", d.path)
	}
}

// TestColumnRegistry checks the registry's invariants: unique names, a
// unit and a doc for each, the keys first, and a value for every metric.
func TestColumnRegistry(t *testing.T) {
	seen := map[string]bool{}
	dm := &sim.DayMetrics{Day: 3, Platforms: []sim.PlatformDay{{}}}
	for i := range sim.TimeseriesColumns {
		c := &sim.TimeseriesColumns[i]
		assert.False(t, seen[c.Name], "%s twice", c.Name)
		seen[c.Name] = true
		assert.NotEmpty(t, c.Unit, c.Name)
		assert.NotEmpty(t, c.Doc, c.Name)
		got, ok := sim.LookupColumn(c.Name)
		require.True(t, ok)
		assert.Same(t, c, got)
		if c.Metric() {
			require.NoError(t, c.Parse(dm, &dm.Platforms[0], "1"), c.Name)
			assert.Equal(t, 1.0, c.Value(dm, &dm.Platforms[0]), c.Name)
			text := map[sim.ColumnKind]string{sim.IntColumn: "1", sim.FloatColumn: "1.000000", sim.BoolColumn: "true"}[c.Kind]
			assert.Equal(t, text, string(c.AppendText(nil, dm, &dm.Platforms[0], "p")), c.Name)
		} else {
			assert.Error(t, c.Parse(dm, &dm.Platforms[0], "1"), c.Name)
		}
	}
	_, ok := sim.LookupColumn("nope")
	assert.False(t, ok)
	for _, tt := range sim.RunTotals {
		assert.False(t, seen[tt.Name], "%s is a column and a total", tt.Name)
		got, ok := sim.LookupTotal(tt.Name)
		require.True(t, ok)
		assert.Equal(t, tt.Name, got.Name)
	}
}
