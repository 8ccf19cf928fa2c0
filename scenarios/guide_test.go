package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseGuide(t *testing.T) {
	cases := []struct {
		name, src string
		want      Guide
	}{
		{"none", "[world]\nname = \"x\"\n", Guide{}},
		{"both, ended by a blank comment and by code",
			"# intro\n#\n# What to look for: shares\n#   stay  close;\n#\n# not this\n# What to try: --set a=1\n# or b.\n\n[world]\n",
			Guide{LookFor: "shares stay close;", Try: "--set a=1 or b."}},
		{"try right after look for", "# What to look for: a\n# b\n# What to try: c\n", Guide{LookFor: "a b", Try: "c"}},
		{"any case, indented, first block wins", "  # what to LOOK for: a\n# WHAT TO TRY: b\n\n# What to try: later\n", Guide{LookFor: "a", Try: "b"}},
		{"heading alone, text on the next lines", "# What to look for:\n# the eve\nname = 1\n# more\n", Guide{LookFor: "the eve"}},
		{"CRLF", "# What to look for: a\r\n# b\r\n", Guide{LookFor: "a b"}},
		{"not at the start of a comment", "# see What to look for: x\n", Guide{}},
		{"a key line ends a block", "# What to try: a\nx = 1 # b\n", Guide{Try: "a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, ParseGuide([]byte(c.src)))
		})
	}
}

// TestLibraryGuides: every library scenario that says what to look for is
// read whole (the block runs to the "What to try:" that follows it), and
// the taxi war's texts are the file's.
func TestLibraryGuides(t *testing.T) {
	for _, e := range Library() {
		src, err := LibrarySource(e.Name)
		require.NoError(t, err)
		g, err := GuideOf(e.Name)
		require.NoError(t, err)
		if strings.Contains(string(src), "# What to look for:") {
			assert.NotEmpty(t, g.LookFor, e.Name)
		}
		if strings.Contains(string(src), "# What to try:") {
			assert.NotEmpty(t, g.Try, e.Name)
		}
		assert.NotContains(t, g.LookFor+g.Try, "\n", e.Name)
		assert.NotContains(t, g.LookFor, "What to try", e.Name)
	}
	g, err := GuideOf("taxi-war-2014")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(g.LookFor, "wallet payments (app-paid rides) rise a hundredfold"), g.LookFor)
	assert.True(t, strings.HasSuffix(g.LookFor, "payment in the app stays."), g.LookFor)
	assert.True(t, strings.HasPrefix(g.Try, "--set platforms.alipay.strategy.kind=fixed"), g.Try)
	_, err = GuideOf("no-such-scenario")
	assert.Error(t, err)
}

// FuzzParseGuide: any source gives one-line texts without their headings,
// and no panic.
func FuzzParseGuide(f *testing.F) {
	for _, src := range seedFiles(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		g := ParseGuide(src)
		for _, s := range []string{g.LookFor, g.Try} {
			if strings.ContainsAny(s, "\n\r") || s != strings.TrimSpace(s) {
				t.Fatalf("guide text %q is not one trimmed line", s)
			}
		}
	})
}
