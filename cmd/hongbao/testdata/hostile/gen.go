//go:build ignore

// gen writes the generated part of the hostile-input corpus that
// TestHostileCorpus (cmd/hongbao/hostile_test.go) runs. From this folder:
//
//	go run gen.go
//
// It rewrites every file whose name starts with "gen-" under scenario/,
// set/, sweep/, game/ and nfg/; hand-written cases have other names. Each
// input is small (the size cap itself is tried at test time, on a file the
// test writes and on /dev/zero), deterministic, and meant to break one
// thing: the parser's memory, a bound, a cross-check, a message.
package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	for _, dir := range []string{"scenario", "set", "sweep", "game", "nfg"} {
		old, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
		for _, f := range old {
			os.Remove(f)
		}
		os.MkdirAll(dir, 0o755)
	}
	n := 0
	write := func(dir, name, content string) {
		path := filepath.Join(dir, "gen-"+name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			panic(err)
		}
		n++
	}
	scenarioCases(func(name, c string) { write("scenario", name+".toml", c) })
	setCases(func(name, c string) { write("set", name+".args", c) })
	sweepCases(func(name, c string) { write("sweep", name+".sweep.toml", c) })
	gameCases(func(name, c string) { write("game", name+".game.toml", c) })
	nfgCases(func(name, c string) { write("nfg", name+".nfg", c) })
	fmt.Println("wrote", n, "files")
}

// base is a small valid scenario with four places a mutation can go: top
// (dotted keys before any table), in a merchant kind, in a platform and in
// a campaign.
const base = `# hostile corpus base
world.users = 500
world.days = 20
#TOP

[[merchants]]
kind = "shop"
per_thousand = 10
weight = 1
#MERCHANT

[[platforms]]
name = "wechat"
color = "#1aad19"
envelopes = true
#PLATFORM

[[platforms.campaigns]]
name = "launch"
start = 0
end = 5
cashback = 1
#CAMPAIGN

[[platforms]]
name = "alipay"
color = "#1677ff"
`

func mutate(at, line string) string {
	return strings.Replace(base, "#"+at, line, 1)
}

// hostileValues are the values every numeric key is tried with.
var hostileValues = []struct{ name, v string }{
	{"neg", "-1"},
	{"huge", "1e300"},
	{"fen-overflow", "1e15"},
	{"maxint", "9223372036854775807"},
	{"minint", "-9223372036854775808"},
	{"frac", "1.5"},
	{"string", `"12"`},
	{"inf", "inf"},
	{"nan", "nan"},
	{"list", "[1, 2]"},
}

func scenarioCases(w func(name, content string)) {
	w("base-valid", base)
	// Numeric keys at every place, each with every hostile value.
	keys := []struct{ at, key string }{
		{"TOP", "world.users"}, {"TOP", "world.days"}, {"TOP", "world.partitions"}, {"TOP", "world.represents"},
		{"TOP", "graph.mean_degree"}, {"TOP", "graph.community_size"},
		{"TOP", "users.ticket.mean"}, {"TOP", "users.payments_per_day.mean"}, {"TOP", "users.usual_merchants"},
		{"TOP", "envelopes.per_day"}, {"TOP", "envelopes.max_amount"}, {"TOP", "adoption.intercept"},
		{"MERCHANT", "per_thousand"}, {"MERCHANT", "ticket_factor"},
		{"PLATFORM", "treasury"}, {"PLATFORM", "capacity"},
		{"CAMPAIGN", "cashback"}, {"CAMPAIGN", "invites_per_day"}, {"CAMPAIGN", "sponsored_per_day"},
	}
	for i, k := range keys {
		for j, v := range hostileValues {
			if (i+j)%2 == 1 && v.name != "huge" && v.name != "fen-overflow" {
				continue // every other pairing keeps the corpus small; huge and overflow always
			}
			key := k.key
			if k.at == "TOP" {
				key = strings.Replace(key, "world.", "world.", 1)
			}
			content := mutate(k.at, key+" = "+v.v)
			switch k.key {
			case "world.users", "world.days":
				content = strings.Replace(base, k.key+" = ", "#", 1)
				content = strings.Replace(content, "#TOP", k.key+" = "+v.v, 1)
			case "per_thousand", "cashback": // in the base already: replace its value
				content = rp(base, "\n"+k.key+" = ", "\n"+k.key+" = "+v.v+" #")
			}
			w(fmt.Sprintf("num-%s-%s", strings.ReplaceAll(k.key, ".", "_"), v.name), content)
		}
	}
	// Sizes the engine cannot hold, each valid on its own key.
	w("size-50m-users-deg-1000", rp(mutate("TOP", "graph.mean_degree = 1000"), "world.users = 500", "world.users = 50_000_000"))
	w("size-merchants-1e5", rp(rp(base, "per_thousand = 10", "per_thousand = 100000"), "world.users = 500", "world.users = 50_000_000"))
	w("size-sponsored-1fen", mutate("CAMPAIGN", "sponsored_per_day = 10_000_000_000\nsponsored_size = 0.01"))
	w("size-invites", rp(mutate("CAMPAIGN", "invites_per_day = 1000"), "world.users = 500", "world.users = 50_000_000"))
	w("money-ticket-max", rp(rp(mutate("TOP", `users.ticket = {kind = "const", mean = 100000}
users.payments_per_day = {kind = "const", mean = 100}`), "world.users = 500", "world.users = 50_000_000"), "world.days = 20", "world.days = 3660"))
	w("money-lognormal-tail", mutate("TOP", `users.ticket = {kind = "lognormal", mean = 100000, sd = 10000000}`))
	w("platforms-8", base+strings.Repeat("\n[[platforms]]\nname = \"p%d\"\ncolor = \"#000000\"\n", 1)+manyPlatforms(6))
	w("merchants-65", base+manyMerchants(65))
	w("campaigns-1001", base+strings.Repeat("[[platforms.campaigns]]\nstart = 0\nend = 1\n", 1001))

	// Structure the parser must refuse before it goes quadratic.
	for _, d := range []int{33, 100, 5000} {
		w(fmt.Sprintf("deep-header-%d", d), "["+strings.TrimSuffix(strings.Repeat("a.", d), ".")+"]\nx = 1\n")
		w(fmt.Sprintf("deep-dotted-%d", d), strings.TrimSuffix(strings.Repeat("a.", d), ".")+" = 1\n")
		w(fmt.Sprintf("deep-array-%d", d), "x = "+strings.Repeat("[", d)+strings.Repeat("]", d)+"\n")
		w(fmt.Sprintf("deep-inline-%d", d), "x = "+strings.Repeat("{a = ", d)+"1"+strings.Repeat("}", d)+"\n")
		w(fmt.Sprintf("deep-aot-%d", d), "[["+strings.TrimSuffix(strings.Repeat("a.", d), ".")+"]]\n")
	}
	w("deep-header-in-table-31", "[world]\n"+strings.TrimSuffix(strings.Repeat("a.", 31), ".")+" = 1\n")
	w("deep-header-20000", "["+strings.TrimSuffix(strings.Repeat("a.", 20000), ".")+"]\nx = 1\n") // the 40 KB file that ran out of memory
	w("deep-dotted-20000", strings.TrimSuffix(strings.Repeat("a.", 20000), ".")+" = 1\n")
	w("long-key-60000", "[world]\n"+strings.Repeat("k", 60_000)+" = 1\n")
	for _, n := range []int{129, 2_000} {
		w(fmt.Sprintf("long-key-%d", n), "[world]\n"+strings.Repeat("k", n)+" = 1\n")
		w(fmt.Sprintf("long-quoted-key-%d", n), "[world]\n\""+strings.Repeat("k", n)+"\" = 1\n")
	}
	w("long-unknown-key-128", "[world]\n"+strings.Repeat("z", 128)+" = 1\n")
	w("long-string-value", mutate("TOP", `world.description = "`+strings.Repeat("x", 20_000)+`"`))
	w("many-unknown-keys", mutate("TOP", manyUnknown(500)))

	// Bytes TOML does not allow, in a key, a value and a comment.
	for c := 0; c < 0x20; c++ {
		if c == '\t' || c == '\n' {
			continue
		}
		w(fmt.Sprintf("ctl-%02x-value", c), mutate("TOP", "world.name = \"a"+string(rune(c))+"b\""))
	}
	w("ctl-7f-value", mutate("TOP", "world.name = \"a\x7fb\""))
	w("ctl-00-key", "[world]\nna\x00me = \"x\"\n")
	w("ctl-00-comment", "# a\x00b\n"+base)
	w("ctl-1b-key", "[world]\nna\x1b[2Jme = \"x\"\n")
	w("ctl-cr-alone", "world.name = \"x\"\rworld.days = 3\n")
	for i, seq := range []string{"\xff", "\xc0\x80", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"} {
		w(fmt.Sprintf("utf8-bad-%d-value", i), mutate("TOP", "world.name = \"a"+seq+"b\""))
		w(fmt.Sprintf("utf8-bad-%d-comment", i), "# "+seq+"\n"+base)
	}
	w("utf16-bom", "\xff\xfe[\x00w\x00o\x00r\x00l\x00d\x00]\x00\n\x00")
	w("utf8-bom-valid", "\uFEFF"+base)
	w("utf8-names", mutate("TOP", `world.name = "红包之战"`+"\n"+`world.description = "微信 vs 支付宝 🧧"`))

	// TOML syntax, each error at a known line.
	syntax := map[string]string{
		"unclosed-header":       "[world\nusers = 3\n",
		"unclosed-aot":          "[[platforms]\nname = \"a\"\n",
		"unclosed-string-eol":   "[world]\nname = \"abc\nusers = 3\n",
		"unclosed-string-eof":   "[world]\nname = \"abc",
		"unclosed-ml-string":    "[world]\ndescription = \"\"\"abc\n",
		"bad-escape":            "[world]\nname = \"a\\qb\"\n",
		"bad-unicode-escape":    "[world]\nname = \"\\uD800\"\n",
		"missing-value":         "[world]\nusers =\n",
		"missing-equals":        "[world]\nusers 3\n",
		"garbage-after-value":   "[world]\nusers = 3 4\n",
		"duplicate-key":         "[world]\nusers = 3\nusers = 4\n",
		"duplicate-table":       "[world]\nusers = 3\n[world]\ndays = 4\n",
		"table-then-aot":        "[platforms]\n[[platforms]]\n",
		"aot-then-table":        "[[platforms]]\n[platforms]\n",
		"array-then-aot":        "platforms = []\n[[platforms]]\n",
		"inline-then-dotted":    "[world]\nx = {a = 1}\nx.b = 2\n",
		"inline-then-header":    "world = {users = 100}\n[world.x]\n",
		"inline-trailing-comma": "world = {users = 100,}\n",
		"inline-newline":        "world = {users = 100,\ndays = 3}\n",
		"leading-zero":          "[world]\nusers = 0100\n",
		"float-1e400":           "[world]\nrepresents = 1e400\n",
		"float-dot":             "[world]\nrepresents = 1.\n",
		"int-overflow":          "[world]\nusers = 99999999999999999999\n",
		"bad-date":              "[world]\nstart_date = 2014-02-30\n",
		"datetime-for-date":     "[world]\nstart_date = 2014-01-30T10:00:00Z\n",
		"bare-word-value":       "[world]\nname = wechat\n",
		"key-dot-dot":           "world..users = 3\n",
		"empty-bare-key":        "= 3\n",
		"empty-header":          "[]\n",
		"only-brackets":         strings.Repeat("[", 1000) + "\n",
		"only-braces":           "x = " + strings.Repeat("{", 1000) + "\n",
		"mixed-array-types":     "[world]\nx = [1, \"a\", [2]]\n",
		"empty":                 "",
		"only-comments":         "# nothing\n# at all\n",
		"nul-file":              strings.Repeat("\x00", 4096),
		"binary-noise":          noise(4096),
	}
	for name, content := range syntax {
		w("syntax-"+name, content)
	}

	// Schema misuse: wrong shapes and cross-checks.
	w("shape-world-list", "world = [1, 2]\n")
	w("shape-platforms-table", "[platforms]\nname = \"a\"\n")
	w("shape-merchants-string", "merchants = \"shop\"\n")
	w("shape-dist-number", mutate("TOP", "users.ticket = 30"))
	w("cross-campaign-past-horizon", rp(base, "end = 5", "end = 500"))
	w("cross-rival-self", mutate("PLATFORM", "strategy = {kind = \"match\", rival = \"wechat\"}"))
	w("cross-dup-platform", base+"\n[[platforms]]\nname = \"wechat\"\ncolor = \"#000000\"\n")
	w("cross-unknown-kind", mutate("CAMPAIGN", "merchant_kinds = [\"taxi\"]"))
	w("cross-uniform-min-max", mutate("TOP", `users.ticket = {kind = "uniform", min = 5, max = 1}`))
	w("cross-users-deg-int32", rp(mutate("TOP", "graph.mean_degree = 1000"), "world.users = 500", "world.users = 3_000_000"))
}

// rp replaces the first old in s by new.
func rp(s, old, new string) string { return strings.Replace(s, old, new, 1) }

func manyPlatforms(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[platforms]]\nname = \"q%d\"\ncolor = \"#000000\"\n", i)
	}
	return b.String()
}

func manyMerchants(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[merchants]]\nkind = \"k%d\"\nweight = 1\n", i)
	}
	return b.String()
}

func manyUnknown(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "world.unknown_%d = %d\n", i, i)
	}
	return b.String()
}

func noise(n int) string {
	r := rand.New(rand.NewPCG(14, 14))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

// setCases: each file holds the arguments of `hongbao run`, one a line,
// after the scenario name on the first line. They are run with --days 2.
func setCases(w func(name, content string)) {
	one := func(name, set string) { w(name, "example-minimal\n--set\n"+set+"\n") }
	one("valid-cashback", "platforms.wechat.campaigns.launch.cashback=2")
	one("escape-name", "world.name=../../hostile-escape-name")
	one("escape-name-abs", "world.name=/tmp/hostile-escape-abs")
	one("escape-name-dots", "world.name=..")
	one("escape-name-backslash", `world.name=..\..\hostile-escape-bs`)
	one("name-long", "world.name="+strings.Repeat("n", 5000))
	one("name-ctl", "world.name=a\x1b[31mred")
	one("days-neg", "world.days=-1")
	one("days-huge", "world.days=1e12")
	one("users-huge", "world.users=1e12")
	one("users-50m-deg-1000", "graph.mean_degree=1000\n--set\nworld.users=50000000")
	one("ticket-1e300", "users.ticket.mean=1e300")
	one("ticket-1e15", "users.ticket.mean=1e15")
	one("ticket-inf", "users.ticket.mean=inf")
	one("ticket-nan", "users.ticket.mean=nan")
	one("merchant-density", "merchants.shop.per_thousand=1e9")
	one("invites", "platforms.wechat.campaigns.launch.invites_per_day=1e12")
	one("sponsored", "platforms.wechat.campaigns.launch.sponsored_per_day=9e13")
	one("sponsored-1fen", "platforms.wechat.campaigns.launch.sponsored_per_day=1e10\n--set\nplatforms.wechat.campaigns.launch.sponsored_size=0.01")
	one("rename-dup", "platforms.wechat.name=alipay")
	one("unknown-key", "world.nosuch=1")
	one("unknown-long-key", "world."+strings.Repeat("k", 20_000)+"=1")
	one("deep-value", "users.ticket="+strings.Repeat("[", 5000))
	one("deep-inline", "users.ticket="+strings.Repeat("{a=", 5000))
	one("huge-value", "world.description="+strings.Repeat("x", 66_000))
	one("no-equals", "world.days")
	one("empty-path", "=3")
	one("bad-index", "platforms[99].fee_rate=0.1")
	one("bad-index-neg", "platforms[-1].fee_rate=0.1")
	one("index-huge", "platforms[99999999999999999999].fee_rate=0.1")
	one("path-into-value", "world.days.x=1")
	one("list-as-table", "platforms.fee_rate=0.1")
	one("platforms-8", "platforms=["+strings.Repeat(`{name="p",color="#000000"},`, 8)+"]")
	one("merchants-1000", "merchants=["+strings.Repeat(`{kind="k"},`, 1000)+"]")
	one("events-huge-list", "events=["+strings.Repeat(`{kind="flash_sale",day=1,days=1},`, 1001)+"]")
	one("invalid-utf8", "world.name=a\xffb")
	one("cr-in-value", "world.name=a\rb")
	one("inline-extended", "users.ticket={kind=\"const\", mean=3}\n--set\nusers.ticket.sd=1")
	one("partitions-max", "world.partitions=1024")
	one("partitions-over", "world.partitions=100000")
	one("force-size-huge", "world.users=50000000\n--set\ngraph.mean_degree=40\n--force-size\n--users\n200")
	one("group-shares", "envelopes.group_shares=1000")
	one("seed-neg", "world.seed=-1")
	one("seed-max", "world.seed=18446744073709551615")
	one("seed-over", "world.seed=18446744073709551616")
	one("date-bad", "world.start_date=2014-13-01")
	one("color-bad", "platforms.wechat.color=red")
	one("logit-huge", "adoption.intercept=1e300")
	one("logit-limit", "adoption.intercept=1000")
	one("event-day-huge", "events=[{kind=\"spring_festival\",day=99999,days=1}]")
}

const sweepBase = `name = "corpus"
scenario = "example-minimal"
sets = ["world.users=300", "world.days=30"]
seed = 1
replicates = 1
#TOP

[design]
kind = "factorial"
#DESIGN

[[params]]
key = "platforms.wechat.campaigns.launch.cashback"
values = [0, 1]
#PARAM

[[outputs]]
metric = "wechat.share_value"
#OUTPUT
`

func sweepCases(w func(name, content string)) {
	m := func(at, line string) string { return strings.Replace(sweepBase, "#"+at, line, 1) }
	w("valid", sweepBase)
	for _, v := range hostileValues {
		w("replicates-"+v.name, strings.Replace(sweepBase, "replicates = 1", "replicates = "+v.v, 1))
		w("seed-"+v.name, strings.Replace(sweepBase, "seed = 1", "seed = "+v.v, 1))
	}
	w("param-step-tiny", strings.Replace(sweepBase, "values = [0, 1]", "min = 0\nmax = 1\nstep = 1e-300", 1))
	w("param-step-neg", strings.Replace(sweepBase, "values = [0, 1]", "min = 0\nmax = 1\nstep = -1", 1))
	w("param-range-huge", strings.Replace(sweepBase, "values = [0, 1]", "min = 0\nmax = 1e300\nstep = 1", 1))
	w("param-values-many", strings.Replace(sweepBase, "values = [0, 1]", "values = ["+strings.TrimSuffix(strings.Repeat("1, ", 5000), ", ")+"]", 1))
	w("param-key-unknown", strings.Replace(sweepBase, "platforms.wechat.campaigns.launch.cashback", "platforms.wechat.nosuch", 1))
	w("param-key-escape", strings.Replace(sweepBase, "platforms.wechat.campaigns.launch.cashback", "world.name", 1)+"")
	w("param-value-1e300", strings.Replace(sweepBase, "values = [0, 1]", "values = [0, 1e300]", 1))
	w("param-value-overflow", strings.Replace(sweepBase, "values = [0, 1]", "values = [0, 1e15]", 1))
	w("params-many", sweepBase+strings.Repeat("\n[[params]]\nkey = \"envelopes.per_day\"\nvalues = [0, 0.01]\n", 40))
	w("design-lhs-huge", rp(sweepBase, "kind = \"factorial\"", "kind = \"latin_hypercube\"\npoints = 1_000_000_000_000"))
	w("design-saltelli-huge", rp(sweepBase, "kind = \"factorial\"", "kind = \"saltelli\"\nbase_rows = 1_000_000_000_000"))
	w("design-morris-huge", rp(sweepBase, "kind = \"factorial\"", "kind = \"morris\"\ntrajectories = 1_000_000_000_000"))
	w("design-unknown", rp(sweepBase, "kind = \"factorial\"", "kind = \"nosuch\""))
	w("name-escape", strings.Replace(sweepBase, `name = "corpus"`, `name = "../../hostile-escape-sweep"`, 1))
	w("name-ctl", strings.Replace(sweepBase, `name = "corpus"`, "name = \"a\\u001b[2Jb\"", 1))
	w("name-long", strings.Replace(sweepBase, `name = "corpus"`, `name = "`+strings.Repeat("n", 10000)+`"`, 1))
	w("scenario-dev-zero", strings.Replace(sweepBase, `scenario = "example-minimal"`, `scenario = "/dev/zero"`, 1))
	w("scenario-dev-urandom", strings.Replace(sweepBase, `scenario = "example-minimal"`, `scenario = "/dev/urandom"`, 1))
	w("scenario-missing", strings.Replace(sweepBase, `scenario = "example-minimal"`, `scenario = "nosuch/file.toml"`, 1))
	w("scenario-dir", strings.Replace(sweepBase, `scenario = "example-minimal"`, `scenario = "./"`, 1))
	w("scenario-deep", strings.Replace(sweepBase, `scenario = "example-minimal"`, `scenario = "../scenario/gen-deep-header-20000.toml"`, 1))
	w("scenario-self", strings.Replace(sweepBase, `scenario = "example-minimal"`, `scenario = "gen-scenario-self.sweep.toml"`, 1))
	w("sets-huge-users", strings.Replace(sweepBase, `"world.users=300"`, `"world.users=1e12"`, 1))
	w("sets-bad", strings.Replace(sweepBase, `"world.days=30"`, `"world.days=-5"`, 1))
	w("sets-not-strings", strings.Replace(sweepBase, `sets = ["world.users=300", "world.days=30"]`, `sets = [300, 5]`, 1))
	w("output-unknown", strings.Replace(sweepBase, `metric = "wechat.share_value"`, `metric = "wechat.nosuch"`, 1))
	w("output-day-huge", m("OUTPUT", "day = 99999999999"))
	w("outputs-many", sweepBase+strings.Repeat("\n[[outputs]]\nmetric = \"wechat.share_value\"\n", 300))
	w("deep-header", "["+strings.TrimSuffix(strings.Repeat("a.", 20000), ".")+"]\n")
	w("deep-dotted", strings.TrimSuffix(strings.Repeat("a.", 20000), ".")+" = 1\n")
	w("long-key", strings.Repeat("k", 20_000)+" = 1\n"+sweepBase)
	w("ctl-key", "na\x00me = \"x\"\n")
	w("utf8-bad", strings.Replace(sweepBase, `name = "corpus"`, "name = \"a\xffb\"", 1))
	w("inline-extended", "design = {kind = \"factorial\"}\ndesign.points = 3\n"+strings.Replace(sweepBase, "[design]\nkind = \"factorial\"\n", "", 1))
	w("unknown-top", m("TOP", "nosuch = 1"))
	w("series-every-zero", sweepBase+"\n[series]\nmetrics = [\"wechat.share_value\"]\nevery = 0\n")
}

const gameBase = `name = "corpus"
scenario = "taxi-war-2014"
sets = ["platforms.alipay.strategy.kind=fixed"]
users = 300
days = 5
seed = 1
replicates = 2
#TOP

[[players]]
platform = "wechat"

[[players.strategies]]
name = "a"

[[players.strategies]]
name = "b"
sets = ["campaigns.didi-10.cashback=0"]
#STRAT

[[players]]
platform = "alipay"

[[players.strategies]]
name = "a"

[[players.strategies]]
name = "b"
sets = ["campaigns.kuaidi-10.cashback=0"]
`

func gameCases(w func(name, content string)) {
	r := func(old, new string) string { return strings.Replace(gameBase, old, new, 1) }
	w("valid", gameBase)
	for _, v := range hostileValues {
		w("replicates-"+v.name, r("replicates = 2", "replicates = "+v.v))
		w("users-"+v.name, r("users = 300", "users = "+v.v))
		w("days-"+v.name, r("days = 5", "days = "+v.v))
	}
	w("sets-bad-value", r(`sets = ["platforms.alipay.strategy.kind=fixed"]`, "sets = [\n  \"platforms.alipay.strategy.kind=fixed\",\n  \"payoff.terminal_mau=-1\",\n]"))
	w("sets-horizon-cut", r(`sets = ["platforms.alipay.strategy.kind=fixed"]`, `sets = ["platforms.alipay.strategy.kind=fixed", "world.days=3"]`))
	w("sets-escape-name", r(`sets = ["platforms.alipay.strategy.kind=fixed"]`, `sets = ["platforms.alipay.strategy.kind=fixed", "world.name=../../hostile-escape-game"]`))
	w("strategy-sets-bad", r(`sets = ["campaigns.didi-10.cashback=0"]`, `sets = ["campaigns.didi-10.cashback=1e300"]`))
	w("strategy-sets-other-platform", r(`sets = ["campaigns.didi-10.cashback=0"]`, `sets = ["world.users=5"]`))
	w("strategies-many", r("#STRAT", manyStrategies(200)))
	w("strategies-100x100", r("#STRAT", manyStrategies(98)))
	w("player-unknown", r(`platform = "wechat"`, `platform = "nosuch"`))
	w("player-dup", r(`platform = "alipay"`, `platform = "wechat"`))
	w("name-escape", r(`name = "corpus"`, `name = "../../hostile-escape-game"`))
	w("name-ctl", r(`name = "corpus"`, "name = \"a\\u0007b\""))
	w("scenario-dev-zero", r(`scenario = "taxi-war-2014"`, `scenario = "/dev/zero"`))
	w("scenario-deep", r(`scenario = "taxi-war-2014"`, `scenario = "../scenario/gen-deep-dotted-20000.toml"`))
	w("scenario-big-users", r(`scenario = "taxi-war-2014"`, `scenario = "../scenario/gen-size-50m-users-deg-1000.toml"`))
	w("payoff-unknown", r("#TOP", "[payoff]\nmetric = \"nosuch\""))
	w("payoff-day-huge", r("#TOP", "[payoff]\nmetric = \"payoff\"\nday = 1e300"))
	w("epsilon-neg", r("#TOP", "epsilon = -1"))
	w("deep-header", "["+strings.TrimSuffix(strings.Repeat("a.", 20000), ".")+"]\n")
	w("deep-array", "sets = "+strings.Repeat("[", 20000)+"\n")
	w("long-key", strings.Repeat("k", 20_000)+" = 1\n")
	w("ctl-key", "na\x00me = \"x\"\n"+gameBase)
	w("utf8-bad-sets", r(`sets = ["platforms.alipay.strategy.kind=fixed"]`, "sets = [\"a\xffb=1\"]"))
	w("inline-extended", strings.Replace(gameBase, "#TOP", "payoff = {metric = \"payoff\"}\npayoff.day = 3", 1))
}

func manyStrategies(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[players.strategies]]\nname = \"s%d\"\nsets = [\"campaigns.didi-10.cashback=%d\"]\n", i, i%20)
	}
	return b.String()
}

func nfgCases(w func(name, content string)) {
	r := rand.New(rand.NewPCG(3, 3))
	random := func(sizes ...int) string {
		var b strings.Builder
		b.WriteString(`NFG 1 R "random" {`)
		for i := range sizes {
			fmt.Fprintf(&b, ` "P%d"`, i)
		}
		b.WriteString(" } {")
		n := 1
		for _, s := range sizes {
			fmt.Fprintf(&b, " %d", s)
			n *= s
		}
		b.WriteString(" }\n\n")
		for k := 0; k < n*len(sizes); k++ {
			fmt.Fprintf(&b, "%d ", r.IntN(101)-50)
		}
		b.WriteString("\n")
		return b.String()
	}
	for _, k := range []int{2, 3, 5, 8, 13, 20, 30} {
		w(fmt.Sprintf("random-%dx%d", k, k), random(k, k))
	}
	w("random-2x2x2x2x2", random(2, 2, 2, 2, 2))
	w("random-6x6x6", random(6, 6, 6))
	w("random-1x50", random(1, 50))
	w("random-50x2", random(50, 2))
	const head = `NFG 1 R "g" { "A" "B" } { 2 2 }` + "\n\n"
	bad := map[string]string{
		"dims-huge":          `NFG 1 R "g" { "A" "B" } { 1000000000 1000000000 }` + "\n1 2\n",
		"dims-overflow":      `NFG 1 R "g" { "A" "B" } { 99999999999999999999 2 }` + "\n1 2\n",
		"dims-zero":          `NFG 1 R "g" { "A" "B" } { 0 2 }` + "\n",
		"dims-neg":           `NFG 1 R "g" { "A" "B" } { -2 2 }` + "\n",
		"players-many":       `NFG 1 R "g" {` + strings.Repeat(` "P"`, 200) + ` } {` + strings.Repeat(" 2", 200) + " }\n",
		"exp-huge":           head + "1e999999999 2 3 4 5 6 7 8\n",
		"exp-400":            head + "1e400 2 3 4 5 6 7 8\n",
		"rational-zero-den":  head + "1/0 2 3 4 5 6 7 8\n",
		"rational-huge":      head + strings.Repeat("9", 5000) + "/7 2 3 4 5 6 7 8\n",
		"too-few":            head + "1 2 3\n",
		"too-many":           head + "1 2 3 4 5 6 7 8 9 10\n",
		"token-ctl":          head + "1 2 3 \x1b[31mred\x1b[0m 5 6 7 8\n",
		"token-long":         head + strings.Repeat("x", 20_000) + "\n",
		"string-unclosed":    `NFG 1 R "g { "A" "B" } { 2 2 }` + "\n",
		"string-nul":         "NFG 1 R \"g\x00\" { \"A\" \"B\" } { 2 2 }\n\n1 2 3 4 5 6 7 8\n",
		"braces-deep":        `NFG 1 R "g" ` + strings.Repeat("{ ", 10000) + "\n",
		"version-bad":        `NFG 9 R "g" { "A" "B" } { 2 2 }` + "\n\n1 2 3 4 5 6 7 8\n",
		"type-bad":           `NFG 1 X "g" { "A" "B" } { 2 2 }` + "\n\n1 2 3 4 5 6 7 8\n",
		"not-nfg":            "hello world\n",
		"empty":              "",
		"binary":             noise(2048),
		"utf8-bad":           "NFG 1 R \"g\xff\" { \"A\" \"B\" } { 2 2 }\n\n1 2 3 4 5 6 7 8\n",
		"outcome-index-bad":  `NFG 1 R "g" { "A" "B" }` + "\n{ { \"U\" \"D\" } { \"L\" \"R\" } }\n\"\"\n{ { \"w\" 1, 2 } }\n1 9 1 1\n",
		"outcome-neg":        `NFG 1 R "g" { "A" "B" }` + "\n{ { \"U\" \"D\" } { \"L\" \"R\" } }\n\"\"\n{ { \"w\" 1, 2 } }\n1 -1 1 1\n",
		"outcome-many":       `NFG 1 R "g" { "A" "B" }` + "\n{ { \"U\" \"D\" } { \"L\" \"R\" } }\n\"\"\n{" + strings.Repeat(" { \"w\" 1, 2 }", 2000) + " }\n1 1 1 1\n",
		"strategy-names-dup": `NFG 1 R "g" { "A" "B" }` + "\n{ { \"U\" \"U\" } { \"L\" \"R\" } }\n\"\"\n\n1 2 3 4 5 6 7 8\n",
		"decimal-d":          `NFG 1 D "g" { "A" "B" } { 2 2 }` + "\n\n1.5 2.25 3e2 -4 5 6 7 8\n",
		"nan-token":          head + "nan 2 3 4 5 6 7 8\n",
		"inf-token":          head + "inf 2 3 4 5 6 7 8\n",
		"valid-bos":          "NFG 1 R \"Battle of the sexes\" { \"Wife\" \"Husband\" }\n\n{ { \"Opera\" \"Football\" }\n{ \"Opera\" \"Football\" }\n}\n\"\"\n\n{\n{ \"both opera\" 2, 1 }\n{ \"both football\" 1, 2 }\n}\n1 0 0 2\n",
	}
	for name, content := range bad {
		w(name, content)
	}
}
