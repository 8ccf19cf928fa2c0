package game

import (
	"bytes"
	"errors"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden .nfg.golden files in testdata")

// nfgFiles are the testdata games with the player count and exactness they
// must read as.
var nfgFiles = []struct {
	file    string
	players int
	exact   bool
}{
	{"pd.nfg", 2, true},
	{"e02.nfg", 2, true},
	{"bos_outcome.nfg", 2, true},
	{"jordan.nfg", 3, true},
	{"mixed_numbers.nfg", 2, false},
}

// TestNFGGoldenRoundTrip reads each testdata game, writes it, compares the
// output with its golden file, and reads the output back to the same game,
// in every version of the format.
func TestNFGGoldenRoundTrip(t *testing.T) {
	for _, c := range nfgFiles {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", c.file)
			g, err := ReadNFGFile(path)
			require.NoError(t, err)
			assert.Equal(t, c.players, g.NumPlayers())
			assert.Equal(t, c.exact, g.Exact())

			var buf bytes.Buffer
			require.NoError(t, WriteNFG(&buf, g, NFGAuto))
			golden := path + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), buf.String())

			for _, v := range []NFGVersion{NFGAuto, NFGPayoff, NFGOutcome} {
				var out bytes.Buffer
				require.NoError(t, WriteNFG(&out, g, v))
				h, err := ReadNFG(&out, "roundtrip")
				require.NoError(t, err, "version %d", v)
				assert.True(t, g.Equal(h), "version %d: round trip changed the game", v)
				assert.Equal(t, g.Title, h.Title)
				assert.Equal(t, g.Comment, h.Comment)
				if v == NFGAuto {
					o1, i1 := g.Outcomes()
					o2, i2 := h.Outcomes()
					assert.Equal(t, i1, i2)
					assert.Equal(t, len(o1), len(o2))
					for k := range o1 {
						assert.Equal(t, o1[k].Name, o2[k].Name)
					}
				}
			}
		})
	}
}

func TestReadNFGContents(t *testing.T) {
	g, err := ReadNFGFile("testdata/bos_outcome.nfg")
	require.NoError(t, err)
	assert.Equal(t, `Battle of the sexes "BoS"`, g.Title)
	assert.Equal(t, "Two pure equilibria and one mixed: (2/3,1/3), (1/3,2/3)", g.Comment)
	assert.Equal(t, "Husband", g.Player(1))
	assert.Equal(t, "Football", g.Strategy(0, 1))
	// Outcome indices 1 0 0 2: profile (Opera,Opera) = 1, (Football,Football) = 2.
	assert.Equal(t, 2.0, g.Payoff([]int{0, 0}, 0))
	assert.Equal(t, 0.0, g.Payoff([]int{1, 0}, 1))
	assert.Equal(t, 2.0, g.Payoff([]int{1, 1}, 1))

	g, err = ReadNFGFile("testdata/mixed_numbers.nfg")
	require.NoError(t, err)
	// Payoffs in file order: profile 0 = (1,1): 1.5 -2; profile 1 = (2,1):
	// 0.25 300; profile 2 = (1,2): 0.5 1/3; profile 3 = (2,2): -3.5 0.25.
	want := [][]float64{{1.5, -2}, {0.25, 300}, {0.5, 1.0 / 3}, {-3.5, 0.25}}
	for k, v := range want {
		s := g.PureProfile(k)
		assert.Equal(t, v[0], g.Payoff(s, 0), "profile %d", k)
		assert.Equal(t, v[1], g.Payoff(s, 1), "profile %d", k)
	}
}

func TestParseNumber(t *testing.T) {
	cases := []struct{ in, want string }{
		{"3", "3"}, {"-3", "-3"}, {"+3", "3"}, {"1/2", "1/2"}, {"-6/4", "-3/2"},
		{"1.5", "3/2"}, {".25", "1/4"}, {"2.", "2"}, {"1e3", "1000"}, {"1.5e-2", "3/200"},
		{"2.5E+1", "25"}, {"-0.0", "0"}, {"007", "7"},
	}
	for _, c := range cases {
		r, msg := parseNumber(c.in)
		require.Empty(t, msg, c.in)
		assert.Equal(t, c.want, r.RatString(), c.in)
	}
	for _, bad := range []string{"", "-", "+", ".", "1/", "/2", "1/0", "1.2.3", "1e", "1e+", "e5", "1x", "--1", "1/-2", "1.5/2", "1e99999", "0x10", "1e401"} {
		_, msg := parseNumber(bad)
		assert.NotEmpty(t, msg, "%q should not parse", bad)
	}
}

// TestReadNFGMalformed checks the exact file:line: message of each error.
func TestReadNFGMalformed(t *testing.T) {
	const hdr = "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n"
	cases := []struct {
		name, src, want string
	}{
		{"empty", "", "bad.nfg:1: expected NFG file type indicator, got end of file"},
		{"not nfg", "EFG 2 R \"x\"", "bad.nfg:1: expected NFG file type indicator, got 'EFG'"},
		{"version", "NFG 2 R \"x\"", "bad.nfg:1: unsupported NFG version '2' (only version 1 is supported)"},
		{"data type", "NFG 1 Q \"x\"", "bad.nfg:1: unsupported data type 'Q' (want R or D)"},
		{"no title", "NFG 1 R { }", "bad.nfg:1: expected game title string, got '{'"},
		{"unterminated title", "NFG 1 R \"abc\n\n", "bad.nfg:1: unterminated string"},
		{"no players", "NFG 1 R \"t\" { } { }", "bad.nfg:1: game has no players"},
		{"player not string", "NFG 1 R \"t\" { \"A\" 3 }", "bad.nfg:1: expected player name or '}', got '3'"},
		{"too few counts", "NFG 1 R \"t\" { \"A\" \"B\" } { 2 }", "bad.nfg:1: strategies given for 1 of 2 players"},
		{"too many counts", "NFG 1 R \"t\" { \"A\" \"B\" }\n{ 2 2 2 }", "bad.nfg:2: more strategy lists than the 2 players (list opened on line 2)"},
		{"zero strategies", "NFG 1 R \"t\" { \"A\" } { 0 }", "bad.nfg:1: number of strategies for player 1 must be a positive integer, got '0'"},
		{"fractional count", "NFG 1 R \"t\" { \"A\" } { 1.5 }", "bad.nfg:1: number of strategies for player 1 must be a positive integer, got '1.5'"},
		{"huge game", "NFG 1 R \"t\" { \"A\" \"B\" } { 100000 100000 }", "bad.nfg:1: game too large: more than 4194304 pure profiles"},
		{"empty strategy list", "NFG 1 R \"t\" { \"A\" }\n{ { } }", "bad.nfg:2: player 1 has no strategies"},
		{"mixed header forms", "NFG 1 R \"t\" { \"A\" \"B\" } { 2 { \"x\" } }", "bad.nfg:1: expected strategies of player 2, got '{'"},
		{"truncated payoffs", hdr + "1 2 3\n4 5", "bad.nfg:3: file ended after 5 of 8 payoffs"},
		{"non-number payoff", hdr + "1 2 3\nfour 5 6 7 8", "bad.nfg:3: expected payoff 4 of 8, got 'four'"},
		{"bad number", hdr + "1 2 3 4x 5 6 7 8", "bad.nfg:2: bad number \"4x\""},
		{"zero denominator", hdr + "\n\n1 2 3 4/0 5 6 7 8", "bad.nfg:4: zero denominator in \"4/0\""},
		{"too many payoffs", hdr + "1 2 3 4 5 6 7 8\n9", "bad.nfg:3: unexpected '9' after the last of 4 profiles"},
		{"huge exponent", hdr + "1e999 2 3 4 5 6 7 8", "bad.nfg:2: exponent out of range in \"1e999\""},
		{"body not numbers", hdr + "\"comment\" \"second\"", "bad.nfg:2: expected outcome list or payoffs, got \"second\""},
		{"outcome index range", hdr + "{ { \"a\" 1, 2 } }\n1 0 2 1", "bad.nfg:3: outcome index 2 out of range 0..1"},
		{"outcome index negative", hdr + "{ { \"a\" 1, 2 } }\n1 -1 0 1", "bad.nfg:3: outcome index -1 out of range 0..1"},
		{"outcome index fraction", hdr + "{ { \"a\" 1, 2 } }\n1 1/2 0 1", "bad.nfg:3: outcome index must be an integer, got '1/2'"},
		{"outcome indices truncated", hdr + "{ { \"a\" 1, 2 } }\n1 0", "bad.nfg:3: file ended after 2 of 4 outcome indices"},
		{"outcome short", hdr + "{\n{ \"a\" 1 }\n}", "bad.nfg:3: outcome 1 has 1 payoffs, want 2"},
		{"outcome long", hdr + "{\n{ \"a\" 1 2 3 }\n}", "bad.nfg:3: outcome 1 has more than 2 payoffs"},
		{"outcome without name", hdr + "{\n{ 1 2 }\n}", "bad.nfg:3: expected name of outcome 1, got '1'"},
		{"outcome bad payoff", hdr + "{\n{ \"a\" 1 x }\n}", "bad.nfg:3: expected payoff of outcome 1, got 'x'"},
		{"outcome list not closed", hdr + "{\n{ \"a\" 1 2 }\n", "bad.nfg:4: expected '{' starting outcome 2 or '}', got end of file"},
		{"unterminated outcome name", hdr + "{\n{ \"a 1 2 }\n}\n", "bad.nfg:3: unterminated string"},
		{"D overflow", "NFG 1 D \"t\" { \"A\" } { 1 }\n1e400", "bad.nfg:2: game: payoff +Inf at profile 0 player 1 is not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := ReadNFG(strings.NewReader(c.src), "bad.nfg")
			require.Error(t, err)
			assert.Nil(t, g)
			var ne *NfgError
			require.True(t, errors.As(err, &ne), "error %v is not an *NfgError", err)
			assert.Equal(t, "bad.nfg", ne.File)
			assert.Equal(t, c.want, err.Error())
		})
	}
}

func TestReadNFGTolerates(t *testing.T) {
	cases := []struct{ name, src string }{
		{"crlf and tabs", "NFG 1 R \"t\"\r\n{\t\"A\" \"B\" }\r\n{ 2 2 }\r\n1 2 3 4 5 6 7 8\r\n"},
		{"comment in payoff version", "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n\"a comment\"\n1 2 3 4 5 6 7 8"},
		{"outcomes without commas", "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n{ { \"a\" 1 2 } { \"b\" 5 6, } }\n1 0 0 2"},
		{"escaped backslash", "NFG 1 R \"a\\\\b \\\"q\\\"\" { \"A\" \"B\" } { 2 2 }\n1 2 3 4 5 6 7 8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := ReadNFG(strings.NewReader(c.src), "ok.nfg")
			require.NoError(t, err)
			assert.Equal(t, 4, g.NumProfiles())
		})
	}
	g, err := ReadNFG(strings.NewReader(cases[3].src), "ok.nfg")
	require.NoError(t, err)
	assert.Equal(t, `a\b "q"`, g.Title)
	var buf bytes.Buffer
	require.NoError(t, WriteNFG(&buf, g, NFGPayoff))
	h, err := ReadNFG(&buf, "again")
	require.NoError(t, err)
	assert.Equal(t, g.Title, h.Title)
}

func TestWriteNFGExactNumbers(t *testing.T) {
	g, err := Bimatrix([][]*big.Rat{{big.NewRat(1, 2), big.NewRat(-3, 1)}}, [][]*big.Rat{{big.NewRat(0, 1), big.NewRat(7, 3)}})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteNFG(&buf, g, NFGPayoff))
	assert.Equal(t, "NFG 1 R \"\" { \"Player 1\" \"Player 2\" } { 1 2 }\n\n1/2 0\n-3 7/3\n", buf.String())
}
