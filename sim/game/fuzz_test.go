package game

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadNFG checks that ReadNFG never panics, that every error is an
// *NfgError, and that every game it accepts survives a write/read round trip
// in all versions of the format. Crashers found by `go test -fuzz` are kept
// under testdata/fuzz/FuzzReadNFG and rerun by plain `go test`.
func FuzzReadNFG(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.nfg"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	const hdr = "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n"
	for _, s := range []string{
		"",
		"NFG",
		"NFG 1 R",
		"NFG 1 R \"",
		"NFG 1 R \"t\" { \"A\" } { 1 }\n7",
		"NFG 1 D \"t\" { \"A\" } { 2 }\n1e400 1",
		hdr + "1 2 3\n4 5",
		hdr + "1/0 2 3 4 5 6 7 8",
		hdr + "{ { \"a\" 1, 2 } }\n1 0 2 1",
		hdr + "{ { \"a\" 1 } }\n1 0 0 1",
		hdr + "{ { \"a\\\" 1 2 } }\n1 0 0 1",
		"NFG 1 R \"t\" { \"A\" \"B\" } { 100000 100000 }",
		"NFG 1 R \"t\" { \"A\" } { { \"x\" \"y\" } }\n\"c\"\n1e-400 -.5",
		"NFG 1 R \"a\\\\\" { \"\\\"\" } { 1 }\n1",
		strings.Repeat("{", 100),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		g, err := ReadNFG(bytes.NewReader(src), "fuzz.nfg")
		if err != nil {
			if _, ok := err.(*NfgError); !ok {
				t.Fatalf("error %v (%T) is not an *NfgError", err, err)
			}
			if g != nil {
				t.Fatal("non-nil game with an error")
			}
			return
		}
		for _, v := range []NFGVersion{NFGAuto, NFGPayoff, NFGOutcome} {
			var buf bytes.Buffer
			if err := WriteNFG(&buf, g, v); err != nil {
				t.Fatal(err)
			}
			h, err := ReadNFG(&buf, "roundtrip.nfg")
			if err != nil {
				t.Fatalf("version %d: cannot reread own output: %v\n%s", v, err, buf.String())
			}
			if !g.Equal(h) || g.Title != h.Title || g.Comment != h.Comment {
				t.Fatalf("version %d: round trip changed the game", v)
			}
		}
	})
}
