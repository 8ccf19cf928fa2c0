package scene

import (
	"fmt"
	"slices"
	"time"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// ActiveBit is set in a [Snapshot] dot when the user paid with its main
// wallet within the activity window.
const ActiveBit = 0x80

// Flow is one envelope share in flight between two dots.
type Flow struct {
	From, To int32 // slots; From is −1 for a sponsored envelope
	Platform uint8
	// Group is set when the sender's envelope went to several friends
	// today (a lucky-money group envelope bursting out).
	Group bool
}

// Hover is the state of the user under the pointer.
type Hover struct {
	User, Slot int
	Friends    int
	Main       int  // main wallet, −1 for none
	Active     bool // paid with it within the activity window
	States     []sim.UserState
}

// Snapshot is what the renderer needs of a world after a day: it is built
// by the simulation goroutine while it holds the world and never changes
// afterwards, so the renderer may read it without locks.
type Snapshot struct {
	Scenario, Summary string
	// Config is the scenario the world was built from (read only).
	Config    *scenarios.Scenario
	Platforms []sim.PlatformInfo
	Palette   Palette
	Layout    *Layout
	Merchants *MerchantLayout
	Users     int     // simulated users
	Scale     float64 // real people per simulated user (1 if not given)

	// Day is the number of days simulated; Date is the date of the last
	// simulated day (of day 0 before the first step); Days is the horizon.
	Day, Days int
	Date      time.Time
	Done      bool

	// Dots holds one byte per layout slot: 0 for no card-bound wallet,
	// else 1 + the main wallet, with ActiveBit when active.
	Dots []uint8
	// Flows are the envelope shares of the last day between drawn users.
	Flows []Flow
	// Accepts holds the accepted-platform bits of each drawn merchant.
	Accepts []uint8

	// Today is the last day's metrics (nil before the first step).
	Today *sim.DayMetrics
	// Share and MAU are each platform's share of wallet payment value and
	// monthly actives on every day so far (index platform, then day).
	// They are views of append-only series: never append to them.
	Share, MAU [][]float32
	// BurnFen is each platform's fall in treasury per day over the last
	// week (negative when it grows).
	BurnFen []float64
	// Levers are the live lever overrides of each platform.
	Levers []agents.Levers
	// Announce lists what began on the last day: events, outages,
	// campaigns.
	Announce []string

	// Record holds the record's published shares to draw on the share
	// chart, RecordNote their sources, one per marker, and RecordScope
	// what they measure (see [RecordMarks]; none when the record has no
	// shares for the scenario). Stops are the guided mode's stops. All
	// are the same for the whole run.
	Record      []RecordMark
	RecordNote  []string
	RecordScope string
	Stops       []Stop

	Hover       *Hover
	StepTime    time.Duration // wall time of the last Step
	CaptureTime time.Duration // wall time of building this snapshot
}

// Recorder builds the snapshots of one world: it owns the layouts and the
// series, which outlive single snapshots.
type Recorder struct {
	Layout    *Layout
	Merchants *MerchantLayout
	Palette   Palette
	// MaxFlows caps the envelope flights per snapshot (evenly thinned).
	MaxFlows int

	platforms []sim.PlatformInfo
	share     [][]float32
	mau       [][]float32
	treasury  [][]float64
	seen      int // history days folded into the series
	// Record, RecordNote, RecordScope and Stops are the world's, for
	// every snapshot.
	Record      []RecordMark
	RecordNote  []string
	RecordScope string
	Stops       []Stop
	flowBuf     []sim.EnvelopeFlow
	senders     map[int32]int32
}

// Sizes of a Recorder's picture.
const (
	// DefaultUsers is the largest sample of users drawn: one batched
	// DrawTriangles call takes up to 21,845 dots (65,535 vertices).
	DefaultUsers = 20000
	// DefaultMerchants is the most merchants drawn.
	DefaultMerchants = 4000
	// DefaultFlows is the most envelope flights drawn at once.
	DefaultFlows = 2000
	// flowScan is how many envelope shares are read from the world a day
	// to find those between drawn users.
	flowScan = 1 << 18
)

// NewRecorder lays out a world's graph (sampling at most maxUsers users)
// and merchants (at most maxMerchants). The world must not be stepping.
func NewRecorder(w *sim.World, maxUsers, maxMerchants int) *Recorder {
	r := &Recorder{MaxFlows: DefaultFlows, platforms: w.Platforms(), senders: map[int32]int32{}}
	r.Layout = NewLayout(w.Graph(), maxUsers, w.Scenario.World.Seed)
	r.Merchants = NewMerchantLayout(w.MerchantCount(), func(m int) string { k, _ := w.Merchant(m); return k }, maxMerchants)
	r.Palette = NewPalette(r.platforms)
	r.share = make([][]float32, w.K)
	r.mau = make([][]float32, w.K)
	r.treasury = make([][]float64, w.K)
	r.Stops = Stops(w.Scenario)
	var err error
	r.Record, r.RecordNote, r.RecordScope, err = RecordMarks(w.Scenario.World.Name, w.Date(0), w.Scenario.World.Days, r.platforms)
	if err != nil { // the built-in record is checked by its tests; say so rather than draw nothing
		r.RecordNote = []string{err.Error()}
	}
	return r
}

// Capture copies what drawing needs from w into a new Snapshot; hover is
// the user under the pointer (−1 for none). The world must not be
// stepping.
func (r *Recorder) Capture(w *sim.World, hover int) *Snapshot {
	t0 := time.Now()
	s := w.Scenario
	snap := &Snapshot{
		Scenario: s.World.Name, Summary: s.World.Description, Config: s,
		Platforms: r.platforms, Palette: r.Palette, Layout: r.Layout, Merchants: r.Merchants,
		Users: w.N, Scale: 1, Day: w.Day(), Days: s.World.Days, Done: w.Done(),
		Record: r.Record, RecordNote: r.RecordNote, RecordScope: r.RecordScope, Stops: r.Stops,
	}
	if s.World.Represents > 0 {
		snap.Scale = s.World.Represents / float64(w.N)
	}
	snap.Date = w.Date(max(0, w.Day()-1))

	snap.Dots = make([]uint8, len(r.Layout.Users))
	for i, u := range r.Layout.Users {
		p, active := w.MainWallet(int(u))
		if p < 0 {
			continue
		}
		d := uint8(p + 1)
		if active {
			d |= ActiveBit
		}
		snap.Dots[i] = d
	}
	snap.Accepts = make([]uint8, len(r.Merchants.Merchants))
	for i, m := range r.Merchants.Merchants {
		_, snap.Accepts[i] = w.Merchant(int(m))
	}
	snap.Flows = r.flows(w)

	hist := w.History()
	for ; r.seen < len(hist); r.seen++ {
		for p, pd := range hist[r.seen].Platforms {
			r.share[p] = append(r.share[p], float32(pd.ShareValue))
			r.mau[p] = append(r.mau[p], float32(pd.MAU))
			r.treasury[p] = append(r.treasury[p], float64(pd.TreasuryFen))
		}
	}
	snap.Share, snap.MAU = make([][]float32, w.K), make([][]float32, w.K)
	snap.BurnFen = make([]float64, w.K)
	snap.Levers = make([]agents.Levers, w.K)
	for p := range w.K {
		n := len(r.share[p])
		snap.Share[p], snap.MAU[p] = r.share[p][:n:n], r.mau[p][:n:n]
		if n >= 2 {
			back := min(7, n-1) // a week, or what there is of it
			snap.BurnFen[p] = (r.treasury[p][n-1-back] - r.treasury[p][n-1]) / float64(back)
		}
		snap.Levers[p] = w.Levers(p)
	}
	if n := len(hist); n > 0 {
		today := hist[n-1]
		today.Platforms = slices.Clone(today.Platforms)
		today.Events = slices.Clone(today.Events)
		snap.Today = &today
		var prev *sim.DayMetrics
		if n > 1 {
			prev = &hist[n-2]
		}
		snap.Announce = r.announce(w, &today, prev)
	}
	snap.Hover = r.hover(w, hover)
	snap.CaptureTime = time.Since(t0)
	return snap
}

// WithHover returns a copy of snap with the hover state of user u, read
// from w; it lets a paused world answer the pointer without a new day.
func (r *Recorder) WithHover(w *sim.World, snap *Snapshot, u int) *Snapshot {
	c := *snap
	c.Hover = r.hover(w, u)
	return &c
}

func (r *Recorder) hover(w *sim.World, u int) *Hover {
	slot, ok := r.Layout.Slot(u)
	if !ok {
		return nil
	}
	h := &Hover{User: u, Slot: slot, Friends: w.Graph().Degree(u), States: make([]sim.UserState, w.K)}
	h.Main, h.Active = w.MainWallet(u)
	for p := range w.K {
		h.States[p] = w.User(u, p)
	}
	return h
}

// flows maps the day's envelope shares onto the picture: each end is drawn
// at its own dot or at a drawn friend's; shares with an end that has
// neither are left out, and the rest thinned evenly to MaxFlows.
func (r *Recorder) flows(w *sim.World) []Flow {
	r.flowBuf = w.EnvelopeFlows(r.flowBuf[:0], flowScan)
	clear(r.senders)
	var out []Flow
	var sender []int32 // the user behind each kept flow (−1: sponsored)
	for _, f := range r.flowBuf {
		to := r.Layout.Anchor(int(f.To))
		if to < 0 {
			continue
		}
		from := int32(-1)
		if f.From >= 0 {
			a := r.Layout.Anchor(int(f.From))
			if a < 0 || a == to {
				continue
			}
			from = int32(a)
			r.senders[f.From]++
		}
		out = append(out, Flow{From: from, To: int32(to), Platform: uint8(f.Platform)})
		sender = append(sender, f.From)
	}
	for i, u := range sender {
		out[i].Group = u >= 0 && r.senders[u] > 1
	}
	if r.MaxFlows > 0 && len(out) > r.MaxFlows {
		thin := make([]Flow, r.MaxFlows)
		for i := range thin {
			thin[i] = out[i*len(out)/r.MaxFlows]
		}
		out = thin
	}
	return out
}

// announce lists what began on the last day: calendar events (new names
// in DayMetrics.Events), outages and scheduled campaigns.
func (r *Recorder) announce(w *sim.World, today, prev *sim.DayMetrics) []string {
	var out []string
	for _, e := range today.Events {
		if prev == nil || !slices.Contains(prev.Events, e) {
			out = append(out, e+" begins")
		}
	}
	for p, pd := range today.Platforms {
		if pd.Outage && (prev == nil || !prev.Platforms[p].Outage) {
			out = append(out, "Outage: "+r.label(p)+" is failing payments")
		}
	}
	for p, pl := range w.Scenario.Platforms {
		for _, c := range pl.Campaigns {
			if c.Start == today.Day {
				out = append(out, fmt.Sprintf("%s starts campaign %q", r.label(p), c.Name))
			}
		}
	}
	return out
}

func (r *Recorder) label(p int) string {
	if r.platforms[p].Label != "" {
		return r.platforms[p].Label
	}
	return r.platforms[p].Name
}
