package sim

import (
	"context"
	"io"
	"testing"
)

// BenchmarkWriteTimeseriesCSV writes a year of the test world's three
// platforms: the cost of writing through the column registry.
func BenchmarkWriteTimeseriesCSV(b *testing.B) {
	r, err := Run(context.Background(), testScenario(2000, 365, 1), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if err := WriteTimeseriesCSV(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
