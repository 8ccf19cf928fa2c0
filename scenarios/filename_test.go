package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFileStem(t *testing.T) {
	cases := []struct{ in, want string }{
		{"taxi-war-2014", "taxi-war-2014"},
		{"v1.2_final", "v1.2_final"},
		{"../../escaped", "______escaped"},
		{"/etc/passwd", "_etc_passwd"},
		{`..\..\win`, "______win"},
		{".hidden", "_hidden"},
		{"a..b", "a._b"},
		{"", "unnamed"},
		{"红包", "__"},
		{"a\x00b\nc", "a_b_c"},
		{strings.Repeat("x", 300), strings.Repeat("x", maxStem)},
	}
	for _, c := range cases {
		got := FileStem(c.in)
		assert.Equal(t, c.want, got, "%q", c.in)
		assert.Equal(t, got, filepath.Base(got), "one path component")
		assert.NotContains(t, got, "..")
		assert.False(t, strings.HasPrefix(got, "."))
	}
}

// FuzzFileStem: whatever the name, the stem is one component that stays
// inside the folder it is joined to.
func FuzzFileStem(f *testing.F) {
	for _, s := range []string{"default", "../x", "a/b", ".", "..", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := FileStem(name)
		dir := filepath.Join("out", got)
		if filepath.Dir(dir) != "out" || got == "." || got == ".." || len(got) > maxStem || got == "" {
			t.Fatalf("FileStem(%q) = %q escapes or is empty", name, got)
		}
	})
}
