//go:build !js

package sim

import (
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// TimeseriesParquet is the file name of WriteTimeseriesParquet's output.
const TimeseriesParquet = "timeseries.parquet"

// This file is left out of the browser build (parquet_js.go), where
// parquet-go would add 6 MB to the page.

// ParquetField is one column of a parquet file whose schema is built at
// run time.
type ParquetField struct {
	Name string
	Type reflect.Type
	Tag  string // extra parquet tag options, e.g. ",optional" or ",dict"
}

// ParquetSchema builds a parquet schema whose columns are in the order
// given. A parquet.Group sorts its fields by name, a struct type keeps its
// order, so the schema comes from a struct type made with
// reflect.StructOf.
func ParquetSchema(fields []ParquetField) *parquet.Schema {
	sf := make([]reflect.StructField, len(fields))
	for i, f := range fields {
		sf[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: f.Type, Tag: reflect.StructTag(`parquet:"` + f.Name + f.Tag + `"`)}
	}
	return parquet.SchemaOf(reflect.New(reflect.StructOf(sf)).Interface())
}

// timeseriesSchema is timeseries.csv's columns as parquet types: whole
// numbers as INT64, shares as DOUBLE, flags as BOOLEAN, text as
// dictionary-encoded strings.
func timeseriesSchema() *parquet.Schema {
	fields := make([]ParquetField, len(TimeseriesColumns))
	for i, c := range TimeseriesColumns {
		f := ParquetField{Name: c.Name}
		switch c.Kind {
		case IntColumn:
			f.Type = reflect.TypeFor[int64]()
		case FloatColumn:
			f.Type = reflect.TypeFor[float64]()
		case BoolColumn:
			f.Type = reflect.TypeFor[bool]()
		default:
			f.Type, f.Tag = reflect.TypeFor[string](), ",dict"
		}
		fields[i] = f
	}
	return ParquetSchema(fields)
}

// WriteTimeseriesParquet writes timeseries.csv's rows and columns as
// Parquet, typed, for pandas, polars and DuckDB (docs/outputs.md). Floats
// are stored at full precision, not the CSV's six decimals.
func WriteTimeseriesParquet(out io.Writer, r *Result) error {
	w := parquet.NewGenericWriter[any](out, timeseriesSchema(),
		parquet.Compression(&parquet.Zstd),
		parquet.CreatedBy("hongbao", "run/1", "none"), // fixed, so the bytes do not change with the parquet-go build
	)
	row := make(parquet.Row, 0, len(TimeseriesColumns))
	var text []byte
	for d := range r.History {
		dm := &r.History[d]
		for p := range dm.Platforms {
			m, name := &dm.Platforms[p], r.Platforms[p].Name
			row = row[:0]
			for i := range TimeseriesColumns {
				c := &TimeseriesColumns[i]
				var v parquet.Value
				switch c.Kind {
				case IntColumn:
					v = parquet.Int64Value(int64(c.Value(dm, m))) // whole numbers below 2^53: exact
				case FloatColumn:
					v = parquet.DoubleValue(c.Value(dm, m))
				case BoolColumn:
					v = parquet.BooleanValue(c.Value(dm, m) != 0)
				default:
					text = c.AppendText(text[:0], dm, m, name)
					v = parquet.ByteArrayValue([]byte(string(text)))
				}
				row = append(row, v.Level(0, 0, i))
			}
			if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
				return err
			}
		}
	}
	return w.Close()
}
