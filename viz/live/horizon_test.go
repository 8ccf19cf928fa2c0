package live

import (
	"testing"

	"github.com/paywars/hongbao/scenarios"
)

// TestLibraryHorizon: the visualizer's -set world.days=N cuts the
// schedule like hongbao run --days N (scenarios.SetHorizon), instead of
// failing with "event outside the horizon".
func TestLibraryHorizon(t *testing.T) {
	got, err := Library("default", []string{"world.days=120"})()
	if err != nil {
		t.Fatalf("-set world.days=120 on default: %v", err)
	}
	want, err := scenarios.Load("default", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := scenarios.SetHorizon(want, 120); err != nil {
		t.Fatal(err)
	}
	if got.World.Days != 120 || len(got.Events) != len(want.Events) {
		t.Fatalf("days %d with %d events, want 120 with %d", got.World.Days, len(got.Events), len(want.Events))
	}
}
