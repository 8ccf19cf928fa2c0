package live

import (
	"context"
	"testing"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz/demo"
)

func demoSource(users, days int) Source {
	return func() (*scenarios.Scenario, error) { return demo.Scenario(users, days), nil }
}

func TestSyncStepAndSteer(t *testing.T) {
	r := New(Options{MaxUsers: 500})
	if err := r.LoadSync("demo", demoSource(2000, 20)); err != nil {
		t.Fatal(err)
	}
	if s := r.Latest(); s == nil || s.Day != 0 || s.Today != nil {
		t.Fatalf("after load: %+v", s)
	}
	r.StepSync(3)
	if d := r.Latest().Day; d != 3 {
		t.Fatalf("day %d after 3 steps", d)
	}
	r.SetLever(1, sim.LeverCashback, 700)
	r.SetLever(0, sim.LeverFeeRate, 0.5) // above the engine's 0.2 cap: refused
	r.Sync()
	s := r.Latest()
	if s.Levers[1].CashbackFen != 700 {
		t.Errorf("cashback lever %d, want 700", s.Levers[1].CashbackFen)
	}
	if s.Levers[0].FeeRate >= 0 {
		t.Errorf("a refused fee rate was set: %v", s.Levers[0].FeeRate)
	}
	if r.State().Message == "" {
		t.Error("no message for a refused lever")
	}
	r.SetLever(1, sim.LeverCashback, -1)
	r.StartEvent(scenarios.Event{Kind: "spring_festival", Name: "live festival", Days: 2, Spending: 1.3, Envelopes: 20})
	r.Sync()
	if r.Latest().Levers[1].CashbackFen >= 0 {
		t.Error("a negative value did not hand the lever back to the schedule")
	}
	r.StepSync(1)
	if ev := r.Latest().Today.Events; len(ev) == 0 || ev[len(ev)-1] != "live festival" {
		t.Errorf("events the day after StartEvent: %q", ev)
	}
	r.Reset()
	r.Sync()
	if s := r.Latest(); s.Day != 0 || s.Levers[1].CashbackFen >= 0 {
		t.Errorf("after reset: day %d, levers %+v", s.Day, s.Levers[1])
	}
}

func TestStopsAtHorizon(t *testing.T) {
	r := New(Options{MaxUsers: 200, Play: true})
	if err := r.LoadSync("demo", demoSource(500, 5)); err != nil {
		t.Fatal(err)
	}
	r.StepSync(7)
	if s := r.Latest(); s.Day != 5 || !s.Done {
		t.Errorf("day %d, done %v; want 5, true", s.Day, s.Done)
	}
	if r.State().Running {
		t.Error("still running at the horizon")
	}
}

// TestRunConcurrently drives the runner goroutine the way the window does
// while another goroutine reads snapshots; run with -race.
func TestRunConcurrently(t *testing.T) {
	r := New(Options{MaxUsers: 300, Speed: len(Speeds) - 1, Play: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	r.Load("demo", demoSource(1000, 40))
	deadline := time.Now().Add(20 * time.Second)
	hovered := false
	for {
		s := r.Latest()
		if s != nil {
			_ = s.Dots[len(s.Dots)-1]
			if len(s.Share[0]) > 0 {
				_ = s.Share[0][len(s.Share[0])-1]
			}
			if !hovered && s.Day > 2 {
				r.Hover(int(s.Layout.Users[0]))
				r.SetLever(0, sim.LeverMerchantBonus, 100)
				hovered = true
			}
			if s.Done {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not done after 20 s: %+v", r.State())
		}
		time.Sleep(time.Millisecond)
	}
	// The commands are applied by the runner's goroutine, which may reach
	// them only after the horizon (on a fast machine the first snapshot
	// seen can be the last day): wait for them to show.
	for s := r.Latest(); s.Hover == nil || s.Levers[0].MerchantBonusFen != 100; s = r.Latest() {
		if time.Now().After(deadline) {
			t.Fatalf("hover %v, merchant bonus %d", s.Hover, s.Levers[0].MerchantBonusFen)
		}
		time.Sleep(time.Millisecond)
	}
	r.TogglePlay() // paused at the horizon: play does nothing harmful
	r.Slower()
	cancel()
	<-done
	r.Sync() // what the loop left queued
	if got := r.State().Speed; got != len(Speeds)-2 {
		t.Errorf("speed %d after Slower from the top, want %d", got, len(Speeds)-2)
	}
}

func TestSpeedPacing(t *testing.T) {
	r := New(Options{MaxUsers: 200, Speed: 6, Play: true}) // 16 days/s
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := r.LoadSync("demo", demoSource(300, 200)); err != nil {
		t.Fatal(err)
	}
	go r.Run(ctx)
	time.Sleep(time.Second)
	d := r.Latest().Day
	// 16 days in one second, give or take a slow machine: far fewer
	// than the hundreds the engine manages on 300 users.
	if d < 8 || d > 20 {
		t.Errorf("%d days in one second at 16 days/s", d)
	}
}

func TestLoadError(t *testing.T) {
	r := New(Options{})
	if err := r.LoadSync("nope", Library("no-such-scenario", nil)); err == nil {
		t.Fatal("loading an unknown scenario did not fail")
	}
	if r.Latest() != nil || r.State().Message == "" {
		t.Errorf("after a failed load: snapshot %v, message %q", r.Latest(), r.State().Message)
	}
}

// TestGuidedStops: a guided runner running flat out pauses exactly after
// each day with a stop, says it is stopped, and runs on to the next stop
// when played; without guidance it runs through.
func TestGuidedStops(t *testing.T) {
	r := New(Options{Guided: true, Play: true})
	if err := r.LoadSync("demo", demoSource(2000, 40)); err != nil {
		t.Fatal(err)
	}
	stops := r.Latest().Stops
	if len(stops) < 2 {
		t.Fatalf("the demo has %d stops, want at least 2", len(stops))
	}
	runUntilPaused := func() int {
		for range 100 {
			if !r.State().Running || r.Latest().Done {
				break
			}
			r.StepSync(1)
		}
		return r.Latest().Day
	}
	for _, st := range stops[:2] {
		if day := runUntilPaused(); day != st.Day || !r.State().Stopped {
			t.Fatalf("paused at day %d (stopped %v), want the stop at %d", day, r.State().Stopped, st.Day)
		}
		r.SetRunning(true)
		r.Sync()
		if r.State().Stopped {
			t.Fatal("still stopped after playing")
		}
	}
	r.SetGuided(false)
	r.Sync()
	if day := runUntilPaused(); day != 40 {
		t.Errorf("unguided, the run paused on day %d before its horizon", day)
	}
}
