package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// DocsMarkdown renders the reference of every key of a scenario file, the
// content of docs/scenarios.md. Types, units, defaults, ranges and meanings
// all come from the schema's tags and SetDefaults, so the reference says what
// the loader does.
func DocsMarkdown() string {
	var b strings.Builder
	b.WriteString(docsIntro)
	b.WriteString(limitsDoc())
	var defaults Scenario
	defaults.SetDefaults()
	root := reflect.ValueOf(defaults)

	var sections []docSection
	collectSections(&sections, root, "", false, "")
	b.WriteString("## Tables\n\n")
	for _, s := range sections {
		fmt.Fprintf(&b, "- [`%s`](#%s)\n", s.heading(), anchor(s.heading()))
	}
	b.WriteString("\n")
	for _, s := range sections {
		s.render(&b)
	}
	return b.String()
}

const docsIntro = `# Scenario files

<!-- Generated from scenarios/schema.go by DocsMarkdown; do not edit by hand.
     To regenerate: go test ./scenarios -run TestDocsInSync -update -->

A scenario is a TOML file that describes a world of users, merchants and
wallet platforms. A file only says what differs from the defaults listed
below: everything left out keeps its default. The library of scenarios that
ship with the program lives in ` + "`scenarios/library/`" + `; copy one to start
a new scenario.

## Units

- **Money** is written in yuan with at most two decimals (` + "`2.5`" + `, ` + "`200`" + `,
  ` + "`0.01`" + `) and held as whole fen, so that no rounding ever creates or loses
  money. A third decimal is an error.
- **Days** are counted from ` + "`world.start_date`" + `, which is day 0; a run of
  ` + "`world.days = 365`" + ` has days 0 to 364. Campaign ` + "`start`" + ` and ` + "`end`" + `
  are both inclusive.
- **Rates** are per day unless the unit says otherwise (` + "`probability/day`" + `).
  Probabilities and shares are numbers from 0 to 1; percents are from 0 to 100.
- **logit** weights are terms of a logistic (or multinomial logit) utility.
- An integer may be written where a number is expected (` + "`1`" + ` for ` + "`1.0`" + `);
  a whole number may not have a fraction.

## Tables and arrays of tables

A ` + "`[table]`" + ` header sets keys of that table; sub-tables may be written as
headers (` + "`[users.ticket]`" + `), as dotted keys (` + "`ticket.mean = 30`" + `) or as
inline tables (` + "`ticket = { kind = \"const\", mean = 30 }`" + `), and only
the keys given change.

Each ` + "`[[platforms]]`" + ` header adds one platform, which starts from the
defaults of a platform listed below; ` + "`[platforms.initial]`" + `,
` + "`[platforms.strategy]`" + ` and ` + "`[[platforms.campaigns]]`" + ` that follow belong
to the platform above them. ` + "`[[merchants]]`" + `, ` + "`[[events]]`" + ` and
` + "`[[platforms.strategy.arms]]`" + ` work the same way.

` + "```toml" + `
[[platforms]]
name = "wechat"
color = "#1aad19"

[[platforms.campaigns]]   # a campaign of wechat
name = "launch"
start = 0
end = 29
cashback = 2.5

[[platforms]]
name = "alipay"
initial = { aware = 0.6, registered = 0.4, card_bound = 0.3 }
` + "```" + `

Messages and overrides name an element of an array of tables by its ` + "`name`" + `
(by its ` + "`kind`" + ` for merchants) when it has a unique one made of letters,
digits, ` + "`_`" + ` and ` + "`-`" + `, else by its index from 0:
` + "`platforms.wechat.fee_rate`" + `, ` + "`merchants.taxi.fixed_cost`" + `,
` + "`platforms.wechat.campaigns[0].cashback`" + `.

## Overrides with --set

` + "`--set key.path=value`" + ` changes one value after the file is read; it may be
given many times and applies in order. The value is TOML; a word that is not
valid TOML is taken as a string, so most values need no quotes in a shell.
Elements of arrays are named by name (or kind) or by index, as
` + "`platforms.wechat`" + `, ` + "`platforms.0`" + ` or ` + "`platforms[0]`" + `. A table
given an inline table is overlaid: only the keys given change.

` + "```sh" + `
--set world.users=5000
--set world.start_date=2015-02-18
--set graph.kind=uniform
--set platforms.wechat.fee_rate=0.01
--set 'platforms.wechat.color="#ff0000"'
--set platforms[1].campaigns[0].cashback=5
--set 'platforms.wechat.campaigns.launch.merchant_kinds=["taxi"]'
--set 'users.ticket={kind="const", mean=30}'
` + "```" + `

Overrides are checked exactly like the file, after all of them are applied.

## Checks

Besides the types and ranges in the tables below, a scenario must have 1 to 7
platforms with unique names of lower-case letters, digits, ` + "`_`" + ` and ` + "`-`" + `;
colours written as ` + "`#rrggbb`" + `; at least one merchant kind, each kind unique;
a strategy's ` + "`rival`" + ` and an event's ` + "`platform`" + ` naming a platform (an
outage needs one, a match strategy needs a rival other than itself);
` + "`merchant_kinds`" + ` naming defined kinds; campaigns with ` + "`start <= end`" + ` and
ending before the horizon; events starting before the horizon;
` + "`strategy.until`" + ` within the horizon; an installed base with
` + "`card_bound <= registered <= aware`" + `; at least 2 arms for a bandit;
distributions that make sense for their kind (lognormal: ` + "`mean > 0`" + `;
uniform: ` + "`min < max`" + `; ` + "`max`" + ` 0 or at least ` + "`min`" + `); and
` + "`envelopes.group_shares <= envelopes.group_size`" + `.

Every problem is reported at once, as ` + "`file:line:col: key: message`" + `.

`

// docSection is one table of the reference.
type docSection struct {
	path  string // dotted TOML path, e.g. "platforms.campaigns"
	array bool   // an array of tables
	doc   string
	value reflect.Value // the defaults of the table (of one element for arrays)
}

func (s docSection) heading() string {
	if s.array {
		return "[[" + s.path + "]]"
	}
	return "[" + s.path + "]"
}

// collectSections lists the tables under v in schema order, depth first.
func collectSections(out *[]docSection, v reflect.Value, path string, array bool, doc string) {
	if path != "" {
		*out = append(*out, docSection{path: path, array: array, doc: doc, value: v})
	}
	for _, f := range fieldsOf(v.Type()) {
		p := joinKey(path, f.key)
		switch {
		case f.typ.Kind() == reflect.Struct && f.typ != yuanType:
			collectSections(out, v.Field(f.index), p, false, f.doc)
		case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.Struct:
			collectSections(out, newElem(f.typ.Elem()), p, true, f.doc)
		}
	}
}

func (s docSection) render(b *strings.Builder) {
	fmt.Fprintf(b, "## `%s`\n\n", s.heading())
	if s.doc != "" {
		fmt.Fprintf(b, "%s\n\n", s.doc)
	}
	if s.array {
		fmt.Fprintf(b, "Defaults are those of a new element of %s.\n\n", "`"+s.heading()+"`")
	}
	b.WriteString("| key | type | unit | default | range/allowed | meaning |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, f := range fieldsOf(s.value.Type()) {
		fv := s.value.Field(f.index)
		meaning := f.doc
		def := docDefault(fv, f)
		switch {
		case f.typ.Kind() == reflect.Struct && f.typ != yuanType:
			h := "[" + joinKey(s.path, f.key) + "]"
			meaning += " See [`" + h + "`](#" + anchor(h) + ")."
			def = "see table"
		case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.Struct:
			h := "[[" + joinKey(s.path, f.key) + "]]"
			meaning += " See [`" + h + "`](#" + anchor(h) + ")."
			def = "none"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n",
			f.key, docType(f), cell(f.unit), def, docRange(f), cell(meaning))
	}
	b.WriteString("\n")
}

// docType names the TOML type a field takes.
func docType(f field) string {
	t := f.typ
	switch {
	case t == yuanType:
		return "money"
	case t.Kind() == reflect.String && f.unit == "date":
		return "date"
	case t.Kind() == reflect.String:
		return "string"
	case t.Kind() == reflect.Bool:
		return "boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "number"
	case t.Kind() == reflect.Struct:
		return "table"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return "array of tables"
	case t.Kind() == reflect.Slice:
		return "list of " + docType(field{typ: t.Elem()}) + "s"
	}
	return t.String()
}

// docDefault writes a default value as it would be written in TOML.
func docDefault(v reflect.Value, f field) string {
	switch {
	case v.Type() == yuanType:
		return "`" + yuanText(Yuan(v.Int())) + "`"
	case v.Kind() == reflect.String && f.unit == "date" && v.String() != "":
		return "`" + v.String() + "`"
	case v.Kind() == reflect.String:
		return "`" + strconv.Quote(v.String()) + "`"
	case v.Kind() == reflect.Bool:
		return "`" + strconv.FormatBool(v.Bool()) + "`"
	case v.CanInt():
		return "`" + strconv.FormatInt(v.Int(), 10) + "`"
	case v.CanUint():
		return "`" + strconv.FormatUint(v.Uint(), 10) + "`"
	case v.CanFloat():
		return "`" + strconv.FormatFloat(v.Float(), 'g', -1, 64) + "`"
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Struct:
		items := make([]string, v.Len())
		for i := range items {
			items[i] = strings.Trim(docDefault(v.Index(i), field{unit: f.unit}), "`")
		}
		return "`[" + strings.Join(items, ", ") + "]`"
	}
	return ""
}

// yuanText writes an amount with no trailing zeros: 2.5, 200, 0.01.
func yuanText(y Yuan) string {
	s := y.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// docRange writes what values a field accepts.
func docRange(f field) string {
	switch {
	case f.enum != nil:
		items := make([]string, len(f.enum))
		for i, e := range f.enum {
			items[i] = "`" + e + "`"
		}
		return strings.Join(items, ", ")
	case f.unit == "date":
		return "YYYY-MM-DD"
	case f.min != "" && f.max != "":
		return f.min + " to " + f.max
	case f.min != "":
		return "≥ " + f.min
	case f.max != "":
		return "≤ " + f.max
	case f.typ.Kind() >= reflect.Uint && f.typ.Kind() <= reflect.Uint64:
		return "≥ 0"
	}
	return ""
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// anchor returns the fragment GitHub gives a heading: lower case, with
// punctuation other than '-' and '_' dropped and spaces turned into '-'.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
