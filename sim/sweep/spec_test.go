package sweep

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files of bad sweep files")

// TestBadSweepGolden loads every testdata/bad/*.toml and compares the
// problems, all reported at once, with its .golden file (rewrite them with
// go test -run TestBadSweepGolden -update).
func TestBadSweepGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.toml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			_, err := Load(file)
			require.Error(t, err)
			var ps scenarios.Problems
			require.True(t, errors.As(err, &ps), "want scenarios.Problems, got %T: %v", err, err)
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(file, ".toml") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden file: run go test -run TestBadSweepGolden -update")
			assert.Equal(t, string(want), got)
			for _, p := range ps {
				if p.File == file && !strings.Contains(p.Message, "missing") {
					assert.Positive(t, p.Line, "problem without a line: %v", p)
				}
			}
		})
	}
}

func TestParseSpecForms(t *testing.T) {
	const head = "scenario = \"example-minimal\"\n[[outputs]]\nmetric = \"wechat.share_value\"\n"
	tests := []struct {
		name   string
		src    string
		points int
		check  func(t *testing.T, s *Spec)
	}{
		{"no params is one point", head, 1, func(t *testing.T, s *Spec) {
			assert.Equal(t, Factorial, s.Design.Kind)
			assert.Equal(t, uint64(1), s.Seed)
			assert.Equal(t, 1, s.Replicates)
			assert.Equal(t, "t", s.Name, "from the file name")
		}},
		{"values and step range", head + "[[params]]\nkey=\"platforms.wechat.fee_rate\"\nvalues=[0.001, 0.002]\n[[params]]\nkey=\"habit.gain\"\nmin=0.1\nmax=0.3\nstep=0.1\n", 6,
			func(t *testing.T, s *Spec) {
				l := s.Layout()
				// Last parameter fastest; 0.1+2·0.1 is exactly 0.3.
				assert.Equal(t, []float64{0.001, 0.1}, []float64{l.Value(0, 0), l.Value(0, 1)})
				assert.Equal(t, []float64{0.002, 0.3}, []float64{l.Value(5, 0), l.Value(5, 1)})
				assert.Equal(t, "platforms_wechat_fee_rate", s.Params[0].Name)
			}},
		{"labels", head + "[[params]]\nkey=\"graph.kind\"\nvalues=[\"uniform\", \"small_world\"]\n", 2, func(t *testing.T, s *Spec) {
			l := s.Layout()
			assert.Equal(t, `"uniform"`, l.Text(0, 0), "string fields are quoted")
			assert.Equal(t, "small_world", l.Label(1, 0))
		}},
		{"booleans go in bare", head + "[[params]]\nkey=\"retention.revive_on_use\"\nvalues=[true, false]\n", 2, func(t *testing.T, s *Spec) {
			assert.Equal(t, "true", s.Layout().Text(0, 0))
		}},
		{"yuan draws round to fen", head + "[design]\nkind=\"latin_hypercube\"\npoints=20\n[[params]]\nkey=\"platforms.wechat.campaigns.launch.cashback\"\nmin=0\nmax=5\n", 20,
			func(t *testing.T, s *Spec) {
				for i := range 20 {
					v := s.Layout().Value(i, 0)
					assert.InDelta(t, v, roundDecimals(v, 2), 1e-12)
					assert.Equal(t, decimals(v) <= 2, true, "%v", v)
				}
			}},
		{"whole numbers round to 1", head + "[design]\nkind=\"latin_hypercube\"\npoints=10\n[[params]]\nkey=\"world.users\"\nmin=100\nmax=200\n", 10,
			func(t *testing.T, s *Spec) {
				for i := range 10 {
					v := s.Layout().Value(i, 0)
					assert.Equal(t, float64(int(v)), v)
				}
			}},
		{"saltelli", head + "[design]\nkind=\"saltelli\"\nbase_rows=8\n[[params]]\nkey=\"habit.gain\"\nmin=0.1\nmax=0.3\n[[params]]\nkey=\"habit.decay\"\nmin=0.01\nmax=0.03\n", 8 * 4, nil},
		{"saltelli second order", head + "[design]\nkind=\"saltelli\"\nbase_rows=8\nsecond_order=true\n[[params]]\nkey=\"habit.gain\"\nmin=0.1\nmax=0.3\n[[params]]\nkey=\"habit.decay\"\nmin=0.01\nmax=0.03\n", 8 * (2*2 + 2), nil},
		{"morris", head + "[design]\nkind=\"morris\"\ntrajectories=5\n[[params]]\nkey=\"habit.gain\"\nmin=0.1\nmax=0.3\n[[params]]\nkey=\"habit.decay\"\nvalues=[0.01, 0.02, 0.03, 0.04]\n", 5 * 3, nil},
		{"truncated normal", head + "[design]\nkind=\"latin_hypercube\"\npoints=16\n[[params]]\nkey=\"habit.gain\"\ndist=\"normal\"\nmu=0.2\nsigma=0.1\nmin=0.05\nmax=0.4\n", 16,
			func(t *testing.T, s *Spec) {
				for i := range 16 {
					assert.True(t, s.Layout().Value(i, 0) >= 0.05 && s.Layout().Value(i, 0) <= 0.4)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSpec("t.toml", []byte(tt.src))
			require.NoError(t, err)
			assert.Equal(t, tt.points, s.Layout().Points)
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

func TestOutputNames(t *testing.T) {
	tests := []struct {
		out  Output
		want string
	}{
		{Output{Selection: Selection{Metric: "wechat.share_value"}}, "wechat_share_value"},
		{Output{Selection: Selection{Metric: "wechat.mau", Day: 29, HasDay: true}}, "wechat_mau_day29"},
		{Output{Selection: Selection{Metric: "wechat.mau", Day: -7, HasDay: true}}, "wechat_mau_daym7"},
		{Output{Selection: Selection{Metric: "alipay.dau", From: -30, To: -1, HasRange: true, Stat: "max"}}, "alipay_dau_max_m30_m1"},
		{Output{Selection: Selection{Metric: "cash_payments", From: 0, To: 9, HasRange: true, Stat: "mean"}}, "cash_payments_mean_0_9"},
		{Output{Selection: Selection{Metric: "mean(wechat.share_value, -30..-1)"}}, "mean_wechat_share_value_m30_m1"},
		{Output{Selection: Selection{Metric: "ratio(sum(wechat.subsidy_user_fen), sum(wechat.new_card_bound))"}}, "ratio_sum_wechat_subsidy_user_fen_sum_wechat_new_card_bound"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.out.defaultName())
	}
}

// TestSeeds checks that run seeds are a pure function of (seed, run) or,
// with common random numbers, of (seed, replicate).
func TestSeeds(t *testing.T) {
	s := &Spec{Header: Header{Seed: 42}, Replicates: 5}
	seen := map[uint64]bool{}
	for r := range int64(100) {
		seen[s.RunSeed(r)] = true
	}
	assert.Len(t, seen, 100, "distinct runs, distinct seeds")
	assert.Equal(t, s.RunSeed(17), (&Spec{Header: Header{Seed: 42}, Replicates: 5}).RunSeed(17))
	assert.NotEqual(t, s.RunSeed(17), (&Spec{Header: Header{Seed: 43}, Replicates: 5}).RunSeed(17))
	crn := &Spec{Header: Header{Seed: 42}, Replicates: 5, CommonRandomNumbers: true}
	assert.Equal(t, crn.RunSeed(2), crn.RunSeed(7), "replicate 2 of points 0 and 1")
	assert.NotEqual(t, crn.RunSeed(2), crn.RunSeed(3))
}

func TestLeafType(t *testing.T) {
	tests := []struct {
		key  string
		want string
		ok   bool
	}{
		{"world.users", "int", true},
		{"platforms.wechat.fee_rate", "float64", true},
		{"platforms[0].campaigns.launch.cashback", "scenarios.Yuan", true},
		{"platforms.0.strategy.kind", "string", true},
		{"users.ticket", "scenarios.Dist", true},
		{"world.nope", "", false},
	}
	for _, tt := range tests {
		typ, ok := leafType(tt.key)
		assert.Equal(t, tt.ok, ok, tt.key)
		if ok {
			assert.Equal(t, tt.want, typ.String(), tt.key)
		}
	}
}

func TestLocateKeys(t *testing.T) {
	src := "scenario = \"x\"\n\n[design]\nkind = \"morris\" # comment\n\n[[params]]\nkey = \"a\"\nvalues = [1,\n  2, \"three\"]\n\n[[params]]\n  key = 'b'\n[[outputs]]\nmetric = \"\"\"multi\nline\"\"\"\nday = 3\n"
	at := scenarios.LocateKeys([]byte(src))
	type pos struct{ line, col int }
	find := func(path string) pos { l, c := at.Find(path); return pos{l, c} }
	tests := map[string]pos{
		"scenario":            {1, 1},
		"design.kind":         {4, 1},
		"params[0].key":       {7, 1},
		"params[0].values":    {8, 1},
		"params[0].values[1]": {9, 3},
		"params[0].values[2]": {9, 6},
		"params[1].key":       {12, 3},
		"outputs[0].metric":   {14, 1},
		"outputs[0].day":      {16, 1},
	}
	for path, want := range tests {
		assert.Equal(t, want, find(path), path)
	}
	assert.Equal(t, pos{7, 1}, find("params[0].key.deeper"), "falls back to the nearest ancestor")
}
