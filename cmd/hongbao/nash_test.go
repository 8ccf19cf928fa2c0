package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nashTestdata is the game package's testdata, which holds the .nfg files.
const nashTestdata = "../../sim/game/testdata"

func runNash(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if stdin != "" {
		f, err := os.CreateTemp(t.TempDir(), "stdin")
		require.NoError(t, err)
		_, err = f.WriteString(stdin)
		require.NoError(t, err)
		_, err = f.Seek(0, 0)
		require.NoError(t, err)
		old := os.Stdin
		os.Stdin = f
		defer func() { os.Stdin = old; f.Close() }()
	}
	var out, errb bytes.Buffer
	code = nashCmd(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestNashGambitOutput compares stdout with the lines Gambit's tools print.
// e02.nfg's lines are those of gambit-enummixed in the Gambit manual; the
// others are derived by hand in sim/game's solver tests.
func TestNashGambitOutput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"e02 enummixed (Gambit manual)", []string{"e02.nfg"}, "NE,1,0,0,1,0\nNE,1,0,0,1/2,1/2\n"},
		{"pd enumpure", []string{"pd.nfg", "--method", "enumpure"}, "NE,0,1,0,1\n"},
		{"bos enummixed", []string{"--method=enummixed", "bos_outcome.nfg"}, "NE,1,0,1,0\nNE,2/3,1/3,1/3,2/3\nNE,0,1,0,1\n"},
		{"bos decimals", []string{"bos_outcome.nfg", "--decimals", "4"}, "NE,1.0000,0.0000,1.0000,0.0000\nNE,0.6667,0.3333,0.3333,0.6667\nNE,0.0000,1.0000,0.0000,1.0000\n"},
		// Dropping label 0 (Wife's Opera) from the artificial equilibrium
		// leads to (Opera, Opera).
		{"bos lcp", []string{"bos_outcome.nfg", "--method", "lcp", "--label", "0"}, "NE,1,0,1,0\n"},
		{"bos lcp label 1", []string{"bos_outcome.nfg", "--method", "lcp", "--label", "1"}, "NE,0,1,0,1\n"},
		{"jordan default is logit", []string{"jordan.nfg"}, "NE,1/2,1/2,1/2,1/2,1/2,1/2\n"},
		// Round 1 plays (C,C), the other 99 (D,D): the frequencies are not
		// an equilibrium (regret 0.01), so the tag is "profile".
		{"pd fictitious", []string{"pd.nfg", "--method", "fictitious", "--steps", "100", "--decimals", "2"}, "profile,0.01,0.99,0.01,0.99\n"},
		{"pd replicator", []string{"pd.nfg", "--method", "replicator"}, "NE,0.000000,1.000000,0.000000,1.000000\n"},
		{"pd iesds", []string{"pd.nfg", "--method", "iesds"}, "NFG 1 R \"Prisoner's dilemma\" { \"Row\" \"Column\" }\n\n{ { \"2\" }\n{ \"2\" }\n}\n\n1 1\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string(nil), c.args...)
			for i, a := range args {
				if strings.HasSuffix(a, ".nfg") {
					args[i] = filepath.Join(nashTestdata, a)
				}
			}
			code, out, _ := runNash(t, "", args...)
			assert.Equal(t, 0, code)
			assert.Equal(t, c.want, out)
		})
	}
}

func TestNashStdinAndExample(t *testing.T) {
	code, example, _ := runNash(t, "", "--write-example")
	require.Equal(t, 0, code)
	code, out, _ := runNash(t, example, "-")
	assert.Equal(t, 0, code)
	assert.Equal(t, "NE,1,0,1,0\nNE,2/3,1/3,1/3,2/3\nNE,0,1,0,1\n", out)
}

func TestNashErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.nfg")
	require.NoError(t, os.WriteFile(bad, []byte("NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n1 2 3\n"), 0o644))
	cases := []struct {
		name       string
		args       []string
		code       int
		stderrHas  string
		stderrLine string // if set, the whole of stderr
	}{
		{"truncated file", []string{bad}, 1, "", bad + ":3: file ended after 3 of 8 payoffs\n"},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.nfg")}, 1, "no such file", ""},
		{"no file", nil, 2, "want one .nfg file", ""},
		{"two files", []string{"a.nfg", "b.nfg"}, 2, "want one .nfg file", ""},
		{"bad flag", []string{"--frobnicate", "x.nfg"}, 2, "flag provided but not defined", ""},
		{"bad decimals", []string{"--decimals", "many", "x.nfg"}, 2, "invalid value", ""},
		{"unknown method", []string{"--method", "magic", "x.nfg"}, 2, "unknown method \"magic\"", ""},
		{"simpdiv", []string{"--method", "simpdiv", "x.nfg"}, 2, "not implemented", ""},
		{"two-player method on three players", []string{filepath.Join(nashTestdata, "jordan.nfg"), "--method", "enummixed"}, 2, "needs a two-player game", ""},
		{"label out of range", []string{filepath.Join(nashTestdata, "pd.nfg"), "--method", "lcp", "--label", "4"}, 2, "label 4 out of range", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runNash(t, "", c.args...)
			assert.Equal(t, c.code, code)
			assert.Empty(t, out)
			if c.stderrLine != "" {
				assert.Equal(t, c.stderrLine, errs)
			}
			assert.Contains(t, errs, c.stderrHas)
		})
	}
}

func TestNashHelp(t *testing.T) {
	code, out, _ := runNash(t, "", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Usage: hongbao nash FILE.nfg")
	assert.Contains(t, out, "Example:")
	for _, m := range nashMethods {
		assert.Contains(t, out, m.name)
	}
}
