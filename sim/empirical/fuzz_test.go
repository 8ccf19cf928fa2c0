package empirical

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paywars/hongbao/scenarios"
)

// FuzzParseGame feeds the game parser arbitrary text: it must never panic
// or hang, must answer either a spec of two or more players with named
// strategies, or Problems located within the source. Small games that
// name a library scenario are bound too, which must never panic either.
func FuzzParseGame(f *testing.F) {
	f.Add(Example)
	files, _ := filepath.Glob("testdata/*.toml")
	// The hostile corpus of the command (cmd/hongbao/hostile_test.go).
	hostile, _ := filepath.Glob("../../cmd/hongbao/testdata/hostile/game/*.toml")
	files = append(files, hostile...)
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("scenario='example-minimal'\nusers=100\ndays=5\nreplicates=2\nplayers=[{platform='wechat',strategies=[{name='a',sets=['fee_rate=0.01']}]},{platform='alipay',strategies=[{name='b',sets=['strategy.kind=\"fixed\"']}]}]\n"))
	f.Add([]byte("scenario='x'\n[payoff]\nmetric='mau'\nfrom=-1\nto=-3\nstat='max'\n[[players]]\nplatform=''\n[[players.strategies]]\nname='\"'\nsets=['platforms[0].x=1','[0]=1','=']\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseSpec("fuzz.toml", src)
		if err != nil {
			var ps scenarios.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("want Problems, got %T %v", err, err)
			}
			lines := strings.Count(string(src), "\n") + 1
			for _, p := range ps {
				if p.Line < 0 || p.Line > lines || p.Col < 0 || p.Message == "" {
					t.Fatalf("bad problem (source of %d lines): %v", lines, p)
				}
			}
			return
		}
		if len(s.Players) < 2 || s.Replicates < 2 || s.Profiles() < 1 || s.Profiles() > MaxProfiles {
			t.Fatalf("bad spec: %d players, %d replicates, %d profiles", len(s.Players), s.Replicates, s.Profiles())
		}
		for _, p := range s.Players {
			for _, st := range p.Strategies {
				if strings.TrimSpace(st.Name) == "" {
					t.Fatalf("unnamed strategy of %s", p.Platform)
				}
			}
		}
		if s.Profiles() <= 16 && !scenarios.IsPath(s.Scenario) && (s.Users == 0 || s.Users <= 2000) {
			if p, err := Bind(s); err == nil && len(p.profiles) != s.Profiles() {
				t.Fatalf("bound %d profiles, want %d", len(p.profiles), s.Profiles())
			}
		}
	})
}
