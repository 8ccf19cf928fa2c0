package scenarios

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLibraryBehaviourIsShared: every library scenario takes its behaviour
// from the one profile, and any behavioural key it sets itself is a
// declared override with a reason (the aim is none).
func TestLibraryBehaviourIsShared(t *testing.T) {
	prof, err := LoadProfile("behaviour")
	require.NoError(t, err)
	keys := prof.BehaviouralKeys()
	for _, e := range Library() {
		src, err := LibrarySource(e.Name)
		require.NoError(t, err)
		s, err := Load(e.Name, nil)
		require.NoError(t, err)
		assert.Equal(t, "behaviour", s.Profile, "%s: names the shared profile", e.Name)
		declared := map[string]bool{}
		for _, o := range s.Overrides {
			declared[o.Key] = true
			assert.NotEmpty(t, strings.TrimSpace(o.Reason), "%s: override %s says why", e.Name, o.Key)
			assert.True(t, contains(keys, o.Key) || strings.HasPrefix(o.Key, "wallets.") || strings.HasPrefix(o.Key, "kinds."), "%s: override %s is a behavioural key", e.Name, o.Key)
		}
		set, err := BehaviourSetBy(src)
		require.NoError(t, err)
		for _, k := range set {
			assert.True(t, declared[k], "%s sets the behavioural key %s without declaring an override", e.Name, k)
		}
		sort.Strings(set)
		for k := range declared {
			assert.Contains(t, set, k, "%s declares an override of %s it does not set", e.Name, k)
		}
	}
}

// TestProfileIsLaidUnder: the profile's values reach a file that does not
// set them, a file's own value wins, and festival and wallet behaviour
// reach events and platforms by kind and name.
func TestProfileIsLaidUnder(t *testing.T) {
	src := []byte(`profile = "behaviour"
[world]
users = 100
[adoption]
friends = 9.0
[[merchants]]
kind = "shop"
[[platforms]]
name = "wechat"
[[platforms]]
name = "mine"
convenience = 0.7
[[events]]
kind = "spring_festival"
day = 3
[[events]]
kind = "spring_festival"
day = 40
eve_envelopes = 77
`)
	s, err := Parse("x.toml", src, nil)
	require.NoError(t, err)
	assert.Equal(t, 9.0, s.Adoption.Friends, "the file wins")
	p, _ := LoadProfile("behaviour")
	assert.Equal(t, 0.7, s.Platforms[1].Convenience)
	assert.Equal(t, 77.0, s.Events[1].EveEnvelopes)
	assert.Equal(t, p.Festival["eve_envelopes"], s.Events[0].EveEnvelopes, "the profile's festival reaches an event that sets nothing")
	if c, ok := p.Wallets["wechat"]["convenience"]; ok {
		assert.Equal(t, c, s.Platforms[0].Convenience)
	}
	set, err := BehaviourSetBy(src)
	require.NoError(t, err)
	assert.Equal(t, []string{"adoption.friends", "festival.eve_envelopes", "wallets.mine.convenience"}, set)
}

func TestProfileErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"market key", "[users]\nticket = { kind = \"const\", mean = 3.0 }\n", "users.ticket: not a behavioural key"},
		{"unknown table", "[world]\nusers = 3\n", "a profile holds only"},
		{"range", "[habit]\ndecay = 2.0\n", "habit.decay"},
		{"festival", "[festival]\ndays = 3\n", "festival.days: not a behavioural key"},
		{"wallet", "[wallets.x]\nfee_rate = 0.1\n", "convenience only"},
		{"type", "[festival]\nenvelopes = \"many\"\n", "want a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseProfile("p", []byte(c.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), "profiles/p.toml")
		})
	}
	_, err := Parse("x.toml", []byte("profile = \"nope\"\n"), nil)
	assert.ErrorContains(t, err, `x.toml: profile: no profile "nope"`)
}
