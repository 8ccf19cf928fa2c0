package scenarios

import (
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableReader reads a small file of every type, right and wrong, and
// checks what is read and the located problems.
func TestTableReader(t *testing.T) {
	src := "name = 3\nseed = 7\nrate = 0.5\nflag = \"yes\"\nsets = [\"a=1\", 2]\nwhole = 2.5\ncolour = 1\n\n[[items]]\nk = 1\n\n[[items]]\nk = 2\n"
	var m map[string]any
	_, err := toml.Decode(src, &m)
	require.NoError(t, err)
	r := NewTableReader("f.toml", []byte(src))

	_, ok := r.String(m, "name", "")
	assert.False(t, ok)
	seed, ok := r.Int(m, "seed", "")
	assert.True(t, ok)
	assert.EqualValues(t, 7, seed)
	rate, ok := r.Float(m, "rate", "")
	assert.True(t, ok)
	assert.Equal(t, 0.5, rate)
	_, ok = r.Bool(m, "flag", "")
	assert.False(t, ok)
	sets, ok := r.Strings(m, "sets", "", `["a=1"]`)
	assert.True(t, ok)
	assert.Equal(t, []string{"a=1"}, sets, "the number is skipped and reported")
	_, ok = r.Int(m, "whole", "")
	assert.False(t, ok)
	items, ok := r.Tables(m, "items", "")
	assert.True(t, ok)
	assert.Len(t, items, 2)
	_, ok = r.String(m, "missing", "")
	assert.False(t, ok, "absent keys are not problems")
	r.CheckKeys(m, "", []string{"name", "seed", "rate", "flag", "sets", "whole", "items", "color"})

	got := make([]string, 0)
	for _, p := range r.Problems() {
		got = append(got, p.String())
	}
	assert.Equal(t, []string{
		"f.toml:1:1: name: want a string, got the integer 3",
		"f.toml:4:1: flag: want true or false, got the string \"yes\"",
		"f.toml:5:16: sets[1]: want a string, got the integer 2",
		"f.toml:6:1: whole: want a whole number, got the number 2.5",
		"f.toml:7:1: colour: unknown key; did you mean color?",
	}, got)
	assert.Equal(t, 5, r.Count())
}
