//go:build js

package sim

import (
	"errors"
	"io"
)

// TimeseriesParquet is the file name of WriteTimeseriesParquet's output.
const TimeseriesParquet = "timeseries.parquet"

// WriteTimeseriesParquet is not built into the browser: parquet-go would
// add 6 MB to a page that writes no files.
func WriteTimeseriesParquet(io.Writer, *Result) error {
	return errors.New("sim: timeseries.parquet is not written in the browser")
}
