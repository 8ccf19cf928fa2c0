package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/paywars/hongbao/scenarios"
)

// FuzzParseSweep feeds the sweep parser arbitrary text: it must never
// panic or hang, must answer either a spec with a layout or Problems, and
// every problem must be located within the source.
func FuzzParseSweep(f *testing.F) {
	f.Add(Example)
	files, _ := filepath.Glob("testdata/*/*.toml")
	files = append(files, "examples/netlogo.sweep.toml")
	// The hostile corpus of the command (cmd/hongbao/hostile_test.go).
	hostile, _ := filepath.Glob("../../cmd/hongbao/testdata/hostile/sweep/*.toml")
	files = append(files, hostile...)
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("scenario='x'\n[[outputs]]\nmetric='a.mau'\nfrom=-1\nto=-3\n[[params]]\nkey='a'\nvalues=[[1]]\n"))
	f.Add([]byte("scenario='x'\n[[outputs]]\nmetric='ratio(sum(a.subsidy_user_fen, 0..9), mean(a.mau))'\n[[outputs]]\nmetric='at(a.mau, -1)'\nday=3\n[series]\nmetrics=['ratio(a.mau, a.card_bound)', 'mean(a.mau)']\n"))
	f.Add([]byte("[design]\nkind='morris'\ntrajectories=2\nlevels=2\n[[params]]\nkey='k'\nmin=1\nmax=1e300\nstep=1e-300\n"))
	pointLimit = 1 << 12
	f.Cleanup(func() { pointLimit = maxPoints })
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseSpec("fuzz.toml", src)
		if err != nil {
			var ps scenarios.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("want Problems, got %T %v", err, err)
			}
			lines := 1
			for _, c := range src {
				if c == '\n' {
					lines++
				}
			}
			for _, p := range ps {
				if p.Line < 0 || p.Line > lines || p.Col < 0 {
					t.Fatalf("problem outside the source (%d lines): %v", lines, p)
				}
			}
			return
		}
		l := s.Layout()
		if l == nil || l.Points < 1 || l.Runs() > maxRuns {
			t.Fatalf("bad layout %+v", l)
		}
		for i := range min(l.Points, 100) {
			for j := range s.Params {
				_ = l.Text(i, j)
			}
		}
	})
}
