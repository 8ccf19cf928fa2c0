package scene

import (
	"math"
	"slices"
	"testing"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz/demo"
)

// ringOfCliques is a graph of n cliques of size k, each clique joined to
// the next by one edge: communities any method should find.
func ringOfCliques(n, k int) *sim.Graph {
	adj := make([][]int32, n*k)
	link := func(a, b int) {
		adj[a] = append(adj[a], int32(b))
		adj[b] = append(adj[b], int32(a))
	}
	for c := range n {
		for i := range k {
			for j := i + 1; j < k; j++ {
				link(c*k+i, c*k+j)
			}
		}
		link(c*k, ((c+1)%n)*k+1)
	}
	g := &sim.Graph{N: n * k, Off: make([]int32, n*k+1)}
	for u, f := range adj {
		slices.Sort(f)
		g.Adj = append(g.Adj, f...)
		g.Off[u+1] = int32(len(g.Adj))
	}
	return g
}

func TestLayoutFindsCliques(t *testing.T) {
	const n, k = 12, 10
	l := NewLayout(ringOfCliques(n, k), 0, 1)
	if len(l.Users) != n*k {
		t.Fatalf("sampled %d users of %d, want all", len(l.Users), n*k)
	}
	if len(l.Communities) != n {
		t.Fatalf("%d communities, want %d", len(l.Communities), n)
	}
	for c := range n {
		first := l.Community[c*k]
		for i := 1; i < k; i++ {
			if l.Community[c*k+i] != first {
				t.Errorf("clique %d split: member %d in community %d, member 0 in %d", c, i, l.Community[c*k+i], first)
			}
		}
	}
}

func TestLayoutInUnitDiscAndApart(t *testing.T) {
	w, err := sim.New(demo.Scenario(3000, 10))
	if err != nil {
		t.Fatal(err)
	}
	l := NewLayout(w.Graph(), 1000, 1)
	if len(l.Users) != 1000 {
		t.Fatalf("sampled %d users, want 1000", len(l.Users))
	}
	if !slices.IsSorted(l.Users) {
		t.Error("sampled users not sorted")
	}
	// The packing keeps discs apart by a gap, so no two dots of the
	// picture coincide: the closest pair is at least a third of the
	// spacing (sunflower neighbours are about one spacing apart).
	const tol = 1e-6
	for i := range l.Users {
		if r := math.Hypot(float64(l.X[i]), float64(l.Y[i])); r > 1+tol {
			t.Fatalf("slot %d at radius %v, outside the unit disc", i, r)
		}
		if j := l.Nearest(l.X[i], l.Y[i], 0); j != i {
			t.Fatalf("Nearest at slot %d's own position = %d", i, j)
		}
	}
	for c, cm := range l.Communities {
		for d := c + 1; d < len(l.Communities); d++ {
			o := l.Communities[d]
			if dist := math.Hypot(float64(cm.X-o.X), float64(cm.Y-o.Y)); dist < float64(cm.R+o.R) {
				t.Fatalf("communities %d and %d overlap: centres %v apart, radii %v and %v", c, d, dist, cm.R, o.R)
			}
		}
	}
}

func TestLayoutDeterministic(t *testing.T) {
	w, err := sim.New(demo.Scenario(4000, 10))
	if err != nil {
		t.Fatal(err)
	}
	a := NewLayout(w.Graph(), 1500, 3)
	b := NewLayout(w.Graph(), 1500, 3)
	if !slices.Equal(a.Users, b.Users) || !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) {
		t.Fatal("two layouts of the same graph and seed differ")
	}
}

func TestLayoutAnchors(t *testing.T) {
	w, err := sim.New(demo.Scenario(4000, 10))
	if err != nil {
		t.Fatal(err)
	}
	g := w.Graph()
	l := NewLayout(g, 1000, 1)
	proxies := 0
	for u := range g.N {
		a := l.Anchor(u)
		if s, ok := l.Slot(u); ok {
			if a != s || int(l.Users[s]) != u {
				t.Fatalf("user %d: slot %d, anchor %d, Users[slot]=%d", u, s, a, l.Users[s])
			}
			continue
		}
		if a < 0 {
			continue
		}
		proxies++
		if !slices.Contains(g.Friends(u), l.Users[a]) {
			t.Fatalf("user %d is drawn at user %d, not a friend", u, l.Users[a])
		}
	}
	if proxies == 0 {
		t.Error("no unsampled user has a drawn friend to stand in for it")
	}
}

func TestParseHex(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want RGB
		ok   bool
	}{
		{"#1aad19", RGB{0x1a, 0xad, 0x19}, true},
		{"1677FF", RGB{0x16, 0x77, 0xff}, true},
		{"#fff", RGB{}, false},
		{"#gg0000", RGB{}, false},
		{"", RGB{}, false},
	} {
		got, err := ParseHex(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseHex(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if tc.ok && got.Hex() != "#"+lower(tc.in) {
			t.Errorf("Hex round trip of %q: %q", tc.in, got.Hex())
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	if len(b) > 0 && b[0] == '#' {
		b = b[1:]
	}
	for i, c := range b {
		if 'A' <= c && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestPalette(t *testing.T) {
	p := NewPalette([]sim.PlatformInfo{{Name: "a", Color: "#1aad19"}, {Name: "b", Color: "bad"}, {Name: "c"}})
	if p.Platform[0] != (RGB{0x1a, 0xad, 0x19}) {
		t.Errorf("platform 0 = %v", p.Platform[0])
	}
	if p.Platform[1] == p.Platform[2] {
		t.Errorf("fallback colours of platforms 1 and 2 are the same: %v", p.Platform[1])
	}
	if got := p.Dot(-1, true); got != NoWallet {
		t.Errorf("Dot(-1) = %v, want NoWallet", got)
	}
	if a, i := p.Dot(0, true), p.Dot(0, false); i.R >= a.R && i.G >= a.G && i.B >= a.B {
		t.Errorf("inactive dot %v not darker than active %v", i, a)
	}
}

func TestLeverSliders(t *testing.T) {
	const tol = 1e-9
	for _, s := range Levers {
		if s.Value(0) != 0 && !(s.Min > 0 && !s.Log) {
			t.Errorf("%s: Value(0) = %v, want 0", s.Name, s.Value(0))
		}
		if got := s.Value(1); math.Abs(got-s.Max) > tol {
			t.Errorf("%s: Value(1) = %v, want %v", s.Name, got, s.Max)
		}
		prev := -1.0
		for i := 0; i <= 100; i++ {
			pos := float64(i) / 100
			v := s.Value(pos)
			if v < prev {
				t.Fatalf("%s: Value not monotone at %v: %v after %v", s.Name, pos, v, prev)
			}
			prev = v
			// Pos inverts Value to within one rounding step.
			if back := s.Value(s.Pos(v)); math.Abs(back-v) > s.Step+tol && math.Abs(back-v)/max(v, tol) > 1e-6 {
				t.Fatalf("%s: Value(Pos(%v)) = %v", s.Name, v, back)
			}
		}
		if s.Pos(-5) != 0 || s.Pos(s.Max*10) != 1 {
			t.Errorf("%s: out-of-range values do not pin to the ends", s.Name)
		}
		if s.Format(s.Value(0.5)) == "" {
			t.Errorf("%s: empty label", s.Name)
		}
	}
}

func TestLeverCurrent(t *testing.T) {
	l := agents.NoLevers
	l.CashbackFen = 500
	for _, s := range Levers {
		v, set := s.Current(l)
		if s.Lever == sim.LeverCashback {
			if !set || v != 500 {
				t.Errorf("cashback: %v, %v; want 500, set", v, set)
			}
		} else if set {
			t.Errorf("%s: set, want unset (NoLevers)", s.Name)
		}
	}
}

func TestMerchantLayoutFit(t *testing.T) {
	kinds := []string{"shop", "shop", "shop", "taxi", "taxi", "utility"}
	ml := NewMerchantLayout(len(kinds)*100, func(m int) string { return kinds[m/100] }, 0)
	if len(ml.Kinds) != 3 || ml.Kinds[0].Count != 300 || ml.Kinds[1].Count != 200 || ml.Kinds[2].Count != 100 {
		t.Fatalf("kinds = %+v", ml.Kinds)
	}
	cell, rows, cols := ml.Fit(400, 40, 10, 8)
	if cell == 0 {
		t.Fatal("600 merchants do not fit in 400×40")
	}
	width := 10 * (len(cols) - 1)
	for i, k := range ml.Kinds {
		if cols[i]*rows < k.Count {
			t.Errorf("kind %s: %d×%d cells for %d merchants", k.Name, cols[i], rows, k.Count)
		}
		width += cols[i] * cell
	}
	if width > 400 || rows*cell > 40 {
		t.Errorf("blocks %d wide, %d high; want within 400×40", width, rows*cell)
	}
	thin := NewMerchantLayout(10000, func(int) string { return "shop" }, 1000)
	if n := len(thin.Merchants); n > 1000 || n < 900 {
		t.Errorf("thinned to %d merchants, want about 1000", n)
	}
}

func TestCaptureMatchesWorld(t *testing.T) {
	w, err := sim.New(demo.Scenario(3000, 40))
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder(w, 1000, 500)
	for range 32 { // through the Spring Festival of day 30
		if err := w.Step(); err != nil {
			t.Fatal(err)
		}
	}
	s := rec.Capture(w, int(rec.Layout.Users[5]))
	if s.Day != 32 || s.Today == nil || s.Today.Day != 31 {
		t.Fatalf("Day %d, Today %+v", s.Day, s.Today)
	}
	for i, u := range rec.Layout.Users {
		p, active := w.MainWallet(int(u))
		want := uint8(0)
		if p >= 0 {
			want = uint8(p + 1)
			if active {
				want |= ActiveBit
			}
		}
		if s.Dots[i] != want {
			t.Fatalf("dot of user %d = %#x, want %#x", u, s.Dots[i], want)
		}
	}
	for p := range w.K {
		if len(s.Share[p]) != 32 || len(s.MAU[p]) != 32 {
			t.Fatalf("platform %d: %d shares, %d MAU; want 32", p, len(s.Share[p]), len(s.MAU[p]))
		}
		if got, want := s.MAU[p][31], float32(w.History()[31].Platforms[p].MAU); got != want {
			t.Errorf("platform %d: MAU %v, want %v", p, got, want)
		}
	}
	if len(s.Flows) == 0 {
		t.Error("no envelope flights in the Spring Festival")
	}
	for _, f := range s.Flows {
		if int(f.To) >= len(s.Dots) || int(f.From) >= len(s.Dots) || f.From < -1 {
			t.Fatalf("flow %+v out of the layout", f)
		}
	}
	if s.Hover == nil || s.Hover.User != int(rec.Layout.Users[5]) || len(s.Hover.States) != w.K {
		t.Fatalf("hover = %+v", s.Hover)
	}
	// The series are views: a later capture does not change them.
	before := s.Share[0][31]
	w.Step()
	later := rec.Capture(w, -1)
	if len(later.Share[0]) != 33 || s.Share[0][31] != before || len(s.Share[0]) != 32 {
		t.Error("a later capture changed an earlier snapshot's series")
	}
}

func TestAnnounce(t *testing.T) {
	w, err := sim.New(demo.Scenario(2000, 40))
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder(w, 500, 100)
	seen := map[string]int{}
	for range 35 {
		w.Step()
		for _, a := range rec.Capture(w, -1).Announce {
			seen[a] = w.Day() - 1
		}
	}
	for _, want := range []struct {
		text string
		day  int
	}{
		{"Spring Festival begins", 30},
		{"Weibo outage begins", 20},
		{"Outage: Weibo Pay is failing payments", 20},
		{`Weibo Pay starts campaign "1 cent to cash"`, 10},
	} {
		if d, ok := seen[want.text]; !ok || d != want.day {
			t.Errorf("%q announced on day %d (seen %v), want day %d", want.text, d, ok, want.day)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Count(950), "950"}, {Count(12345), "12.3k"}, {Count(4.56e6), "4.56M"}, {Count(1.2e9), "1.2B"},
		{Money(50), "¥0.50"}, {Money(1250), "¥12.50"}, {Money(340000), "¥3400"}, {Money(3.4e6), "¥34k"}, {Money(-500), "−¥5.00"},
		{Percent(0.123), "12.3%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
