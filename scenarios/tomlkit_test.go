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

// TestPlayerPlatform reads the platform of each of five players: a good
// one, the same again, an empty name, a number and none at all.
func TestPlayerPlatform(t *testing.T) {
	src := "[[players]]\nplatform = \"wechat\"\n[[players]]\nplatform = \"wechat\"\n[[players]]\nplatform = \" \"\n[[players]]\nplatform = 3\n[[players]]\nx = 1\n"
	var m map[string]any
	_, err := toml.Decode(src, &m)
	require.NoError(t, err)
	r := NewTableReader("g.toml", []byte(src))
	list, ok := r.Tables(m, "players", "")
	require.True(t, ok)
	seen := map[string]int{}
	var got []string
	for i, pt := range list {
		got = append(got, r.PlayerPlatform(pt, joinIndex("players", i), i, seen))
	}
	assert.Equal(t, []string{"wechat", "wechat", " ", "", ""}, got)
	assert.Equal(t, map[string]int{"wechat": 0}, seen)
	var msgs []string
	for _, p := range r.Problems() {
		msgs = append(msgs, p.String())
	}
	assert.Equal(t, []string{
		"g.toml:4:1: players[1].platform: platform wechat is already player 1: each platform plays once",
		"g.toml:6:1: players[2].platform: empty: give the name of a platform of the scenario",
		"g.toml:8:1: players[3].platform: want a string, got the integer 3",
		"g.toml:9:3: players[4]: missing key platform: the name of a platform of the scenario",
	}, msgs)
}
