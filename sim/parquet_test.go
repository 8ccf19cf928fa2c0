//go:build !js

package sim

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimeseriesParquetMatchesCSV writes a run folder and reads
// timeseries.parquet back: the same columns in the same order, typed by
// the registry, and every value equal to the CSV's once printed as the
// CSV prints it.
func TestTimeseriesParquetMatchesCSV(t *testing.T) {
	res, err := Run(context.Background(), testScenario(1500, 30, 3), nil)
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, WriteRunDir(dir, res))

	src, err := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	require.NoError(t, err)
	records, err := csv.NewReader(bytes.NewReader(src)).ReadAll()
	require.NoError(t, err)

	f, err := os.Open(filepath.Join(dir, TimeseriesParquet))
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	fields := pf.Schema().Fields()
	require.Len(t, fields, len(records[0]))
	for i, fl := range fields {
		assert.Equal(t, records[0][i], fl.Name(), "column %d", i)
		want := map[ColumnKind]parquet.Kind{IntColumn: parquet.Int64, FloatColumn: parquet.Double, BoolColumn: parquet.Boolean, TextColumn: parquet.ByteArray}[TimeseriesColumns[i].Kind]
		assert.Equal(t, want, fl.Type().Kind(), fl.Name())
	}

	rows := make([]parquet.Row, 0, len(records)-1)
	rr := parquet.NewReader(pf)
	buf := make([]parquet.Row, 64)
	for {
		n, err := rr.ReadRows(buf)
		for _, r := range buf[:n] {
			rows = append(rows, r.Clone())
		}
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	require.Len(t, rows, len(records)-1)
	require.Len(t, rows, len(res.History)*len(res.Platforms))
	for r, row := range rows {
		rec := records[r+1]
		for _, v := range row {
			i := v.Column()
			var got string
			switch TimeseriesColumns[i].Kind {
			case IntColumn:
				got = strconv.FormatInt(v.Int64(), 10)
			case FloatColumn:
				got = strconv.FormatFloat(v.Double(), 'f', 6, 64)
			case BoolColumn:
				got = strconv.FormatBool(v.Boolean())
			default:
				got = string(v.ByteArray())
			}
			require.Equal(t, rec[i], got, "row %d column %s", r+1, TimeseriesColumns[i].Name)
		}
	}
}
