package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLocate(t *testing.T) {
	src := `# comment
top = 1
[world]
  days = 3 # trailing
"quoted key" = 'x'
users.ticket . mean = 2
text = """
fake = 1
"""

[[platforms]]
name = "a"
initial = { aware = 0.1, x = [1, { y = 2 }] }

[platforms.strategy]
arms = [
  { name = "low" },
  { name = "high" },
]

[[platforms]]
name = "b"

[[platforms.campaigns]]
end = 3

[[platforms.campaigns]]
end = 4
merchant_kinds = ["shop", "taxi"]
`
	l := locate([]byte(src))
	for _, tc := range []struct {
		path string
		want pos
	}{
		{"top", pos{2, 1}},
		{"world", pos{3, 2}},
		{"world.days", pos{4, 3}},
		{"world.quoted key", pos{5, 1}},
		{"world.users", pos{6, 1}},
		{"world.users.ticket", pos{6, 7}},
		{"world.users.ticket.mean", pos{6, 16}},
		{"world.text", pos{7, 1}},
		{"world.fake", pos{3, 2}}, // inside a string, so only the table is known
		{"platforms", pos{11, 3}},
		{"platforms[0]", pos{11, 3}},
		{"platforms[0].name", pos{12, 1}},
		{"platforms[0].initial.aware", pos{13, 13}},
		{"platforms[0].initial.x[1].y", pos{13, 36}},
		{"platforms[0].strategy", pos{15, 12}},
		{"platforms[0].strategy.arms[1].name", pos{18, 5}},
		{"platforms[1]", pos{21, 3}},
		{"platforms[1].campaigns[0].end", pos{25, 1}},
		{"platforms[1].campaigns[1]", pos{27, 13}},
		{"platforms[1].campaigns[1].end", pos{28, 1}},
		{"platforms[1].campaigns[1].merchant_kinds[1]", pos{29, 27}},
		// Unknown keys fall back to the nearest table that is known.
		{"platforms[1].campaigns[1].cashback", pos{27, 13}},
		{"platforms[1].fee_rate", pos{21, 3}},
		{"payoff.metric", pos{}},
	} {
		assert.Equal(t, tc.want, l.find(tc.path), tc.path)
	}
}

func TestLocateGarbage(t *testing.T) {
	for _, src := range []string{
		"", "[", "[[", "[[a", "a = [", "a = {", `a = "`, `a = """`, "a = '''", `"`, "[a.]\nb=1",
		"= = =", "a.=1", "\uFEFFa = 1", "a = [1,,2]", "a = {b=}", "a = [{", "]]]]", "\\",
	} {
		assert.NotPanics(t, func() { locate([]byte(src)) }, "%q", src)
	}
	l := locate([]byte("\uFEFFa = 1"))
	assert.Equal(t, pos{1, 1}, l.find("a"), "a byte-order mark is not a column")
}

func TestPaths(t *testing.T) {
	assert.Equal(t, []string{"platforms", "[0]", "campaigns", "[12]", "end"}, splitPath("platforms[0].campaigns[12].end"))
	assert.Equal(t, "platforms[0].campaigns", parentPath("platforms[0].campaigns[12]"))
	assert.Equal(t, "platforms[0]", parentPath("platforms[0].campaigns"))
	assert.Equal(t, "", parentPath("platforms"))
	for _, s := range []string{"", "[", "]", "a[", "a[]", "[x]", "..", "a.[1"} {
		assert.NotPanics(t, func() { _, _ = splitPath(s), parentPath(s) }, s)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"users", "days", "start_date", "fee_rate", "check_ledger"}
	for _, tc := range []struct{ word, want string }{
		{"user", "users"},
		{"Start_Date", "start_date"},
		{"startdate", "start_date"},
		{"fe_rate", "fee_rate"},
		{"feerate", "fee_rate"},
		{"dys", "days"},
		{"x", ""},
		{"banana", ""},
		{"check-ledger", "check_ledger"},
	} {
		assert.Equal(t, tc.want, suggest(tc.word, keys), tc.word)
	}
}
