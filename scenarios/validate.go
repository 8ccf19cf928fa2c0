package scenarios

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// validate checks the scenario as it stands after the file and every
// override: first what the tags of each field say (ranges, allowed values,
// dates), then the rules that tie fields together.
func (d *decoder) validate(s *Scenario) {
	d.kinds = nil
	for _, m := range s.Merchants {
		if m.Kind != "" {
			d.kinds = append(d.kinds, m.Kind)
		}
	}
	d.checkStruct(reflect.ValueOf(s).Elem(), "")
	d.checkPlatforms(s)
	d.checkMerchants(s)
	d.checkEvents(s)
	d.checkLimits(s)
	if e := s.Envelopes; e.GroupShares > e.GroupSize {
		d.invalidf("envelopes.group_shares", "group_shares (%d) is above group_size (%d): an envelope cannot be split among more people than it is offered to; 0 means group_size",
			e.GroupShares, e.GroupSize)
	}
}

// invalidf reports a problem found by validation, blamed on whatever set the
// value last: the file or an override.
func (d *decoder) invalidf(path, format string, args ...any) {
	for p := path; ; p = parentPath(p) {
		if d.badType[p] {
			return // already reported as the wrong type; one message is enough
		}
		if p == "" {
			break
		}
	}
	saved := d.origin
	d.origin = d.originOf(path)
	d.addf(path, format, args...)
	d.origin = saved
}

// invalidByf reports a problem at path that the values at causes take part
// in (a reference to a platform's name): it is blamed on the last override
// that set path or any cause, so that a --set that renamed a platform is
// named instead of the file line of a reference it broke.
func (d *decoder) invalidByf(path string, causes []string, format string, args ...any) {
	origin := d.originOf(path)
	for _, c := range causes {
		origin = max(origin, d.originOf(c))
	}
	if origin == d.originOf(path) {
		d.invalidf(path, format, args...)
		return
	}
	saved := d.origins[path]
	_, had := d.origins[path]
	d.origins[path] = origin
	d.invalidf(path, format, args...)
	if had {
		d.origins[path] = saved
	} else {
		delete(d.origins, path)
	}
}

// horizonKey is the cause of every problem with the horizon: an override
// of world.days that cuts a scheduled day is blamed for it.
var horizonKey = []string{"world.days"}

// nameKeys lists the key paths of the names of n platforms.
func nameKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = joinKey(joinIndex("platforms", i), "name")
	}
	return keys
}

var (
	distType    = reflect.TypeOf(Dist{})
	stringsType = reflect.TypeOf([]string(nil))
)

// checkStruct applies the min, max, enum and unit tags to every field of v,
// recursing into tables and arrays of tables.
func (d *decoder) checkStruct(v reflect.Value, path string) {
	if v.Type() == distType {
		d.checkDist(v.Interface().(Dist), path)
	}
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		p := joinKey(path, f.key)
		switch {
		case f.key == "merchant_kinds" && f.typ == stringsType:
			// Wherever the schema lists merchant kinds (campaigns, events,
			// strategies, ...), they must be defined ones.
			d.checkKinds(p, fv.Interface().([]string))
		case f.typ.Kind() == reflect.Struct:
			d.checkStruct(fv, p)
		case f.typ.Kind() == reflect.Slice:
			for i := 0; i < fv.Len(); i++ {
				if f.typ.Elem().Kind() == reflect.Struct {
					d.checkStruct(fv.Index(i), joinIndex(p, i))
				} else {
					d.checkValue(fv.Index(i), f, joinIndex(p, i))
				}
			}
		default:
			d.checkValue(fv, f, p)
		}
	}
}

// checkValue checks one scalar against the tags of its field.
func (d *decoder) checkValue(v reflect.Value, f field, path string) {
	switch {
	case v.Type() == yuanType:
		y := Yuan(v.Int())
		lo, hasLo := yuanTag(f.min)
		hi, hasHi := yuanTag(f.max)
		if hasLo && y < lo || hasHi && y > hi {
			d.invalidf(path, "%s yuan, got %s", rangeText(f), y)
		}
	case v.Kind() == reflect.String:
		s := v.String()
		if f.enum != nil && !contains(f.enum, s) {
			msg := "must be one of " + strings.Join(f.enum, ", ") + "; got " + strconv.Quote(s)
			if s == "" {
				msg = "missing: set it to one of " + strings.Join(f.enum, ", ")
			}
			msg += DidYouMean(s, f.enum, "")
			d.invalidf(path, "%s", msg)
		}
		if f.unit == "date" {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				d.invalidf(path, "want a date as YYYY-MM-DD, e.g. 2014-01-26; got %q", s)
			}
		}
	case v.CanInt() || v.CanUint() || v.CanFloat():
		var x float64
		var text string
		switch {
		case v.CanInt():
			x, text = float64(v.Int()), strconv.FormatInt(v.Int(), 10)
		case v.CanUint():
			x, text = float64(v.Uint()), strconv.FormatUint(v.Uint(), 10)
		default:
			x, text = v.Float(), strconv.FormatFloat(v.Float(), 'g', -1, 64)
		}
		lo, errLo := strconv.ParseFloat(f.min, 64)
		hi, errHi := strconv.ParseFloat(f.max, 64)
		if errLo == nil && x < lo || errHi == nil && x > hi {
			d.invalidf(path, "%s, got %s", rangeText(f), text)
		}
	}
}

// yuanTag reads a min or max tag of a Yuan field, written in yuan.
func yuanTag(tag string) (Yuan, bool) {
	x, err := strconv.ParseFloat(tag, 64)
	if err != nil {
		return 0, false
	}
	y, err := YuanFromFloat(x)
	return y, err == nil
}

// rangeText phrases the range of a field for messages.
func rangeText(f field) string {
	switch {
	case f.min != "" && f.max != "":
		return "must be between " + f.min + " and " + f.max
	case f.min != "":
		return "must be at least " + f.min
	case f.max != "":
		return "must be at most " + f.max
	}
	return "out of range"
}

// checkDist checks the parameters of a distribution against its kind.
func (d *decoder) checkDist(x Dist, path string) {
	switch {
	case x.Kind == "lognormal" && x.Mean <= 0:
		d.invalidf(joinKey(path, "mean"), "a lognormal distribution needs mean > 0, got %g", x.Mean)
	case x.Kind == "uniform" && x.Min >= x.Max:
		d.invalidf(joinKey(path, "max"), "a uniform distribution needs min < max, got min %g and max %g", x.Min, x.Max)
	case x.Max != 0 && x.Max < x.Min:
		d.invalidf(joinKey(path, "max"), "max (%g) is below min (%g); use 0 for no upper bound", x.Max, x.Min)
	}
}

// MaxPlatforms bounds the platforms of a scenario: the engine keeps a tie's
// carried set as one bit per platform in a byte whose top bit marks
// strength (sim.MaxPlatforms is this constant).
const MaxPlatforms = 7

var (
	platformName = regexp.MustCompile(`^[a-z0-9_-]+$`)
	colorRGB     = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

func (d *decoder) checkPlatforms(s *Scenario) {
	switch n := len(s.Platforms); {
	case n == 0:
		d.invalidf("platforms", "no platforms: add at least one [[platforms]] table")
	case n > MaxPlatforms:
		d.invalidf(joinIndex("platforms", MaxPlatforms), "too many platforms: %d, at most %d are allowed", n, MaxPlatforms)
	}
	names := platformNames(s)
	seen := map[string]int{}
	days := s.World.Days
	for i, p := range s.Platforms {
		pp := joinIndex("platforms", i)
		first, dup := seen[p.Name]
		switch {
		case p.Name == "":
			d.invalidf(pp, `platform has no name: add name = "..." (lower-case letters, digits, _ and -)`)
		case !platformName.MatchString(p.Name):
			d.invalidf(joinKey(pp, "name"), "name %q must use only lower-case letters, digits, _ and -", p.Name)
		case dup:
			// Blame whichever of the two names an override set last, so that
			// --set platforms.wechat.name=alipay is not put on a file line.
			at := joinKey(pp, "name")
			if other := joinKey(joinIndex("platforms", first), "name"); d.originOf(other) > d.originOf(at) {
				at = other
			}
			d.invalidf(at, "another platform is already named %q; names must be unique", p.Name)
		}
		if !dup {
			seen[p.Name] = i
		}
		if !colorRGB.MatchString(p.Color) {
			d.invalidf(joinKey(pp, "color"), `colour %q must be #rrggbb, e.g. "#1aad19"`, p.Color)
		}
		in := p.Initial
		if in.CardBound > in.Registered {
			d.invalidf(joinKey(pp, "initial.card_bound"), "card_bound (%g) is above registered (%g): users register before they bind a card", in.CardBound, in.Registered)
		}
		if in.Registered > in.Aware {
			d.invalidf(joinKey(pp, "initial.registered"), "registered (%g) is above aware (%g): users learn of a platform before they register", in.Registered, in.Aware)
		}
		for j, c := range p.Campaigns {
			cp := joinIndex(joinKey(pp, "campaigns"), j)
			switch {
			case c.Start > c.End:
				d.invalidf(joinKey(cp, "end"), "end (day %d) is before start (day %d)", c.End, c.Start)
			case c.End >= days && days > 0: // days < 1 is reported on its own
				d.invalidByf(joinKey(cp, "end"), horizonKey, "campaign outside the horizon: it ends on day %d but the run has days 0 to %d (world.days = %d)", c.End, days-1, days)
			}
		}
		d.checkStrategy(p, joinKey(pp, "strategy"), names, days)
	}
}

func (d *decoder) checkStrategy(p Platform, sp string, names []string, days int) {
	st := p.Strategy
	switch {
	case st.Rival != "" && !contains(names, st.Rival):
		d.invalidByf(joinKey(sp, "rival"), nameKeys(len(names)), "%s", unknownName("platform", st.Rival, names))
	case st.Rival != "" && st.Rival == p.Name:
		d.invalidf(joinKey(sp, "rival"), "a platform cannot be its own rival")
	case st.Rival == "" && (st.Kind == "match" || st.Kind == "fictitious"):
		d.invalidf(joinKey(sp, "rival"), "a %s strategy needs a rival to watch: set rival to one of %s", st.Kind, strings.Join(names, ", "))
	}
	if st.Until > days && days >= 1 { // days < 1 is reported on its own
		d.invalidByf(joinKey(sp, "until"), horizonKey, "until (day %d) is after the horizon (world.days = %d); 0 means the whole run", st.Until, days)
	} else if st.Until != 0 && st.From > st.Until {
		d.invalidf(joinKey(sp, "from"), "from (day %d) is after until (day %d)", st.From, st.Until)
	}
	if (st.Kind == "bandit" || st.Kind == "fictitious") && len(st.Arms) < 2 {
		d.invalidf(joinKey(sp, "arms"), "a %s strategy needs at least 2 arms to choose between, got %d: add [[platforms.strategy.arms]] tables", st.Kind, len(st.Arms))
	}
}

func (d *decoder) checkMerchants(s *Scenario) {
	if len(s.Merchants) == 0 {
		d.invalidf("merchants", `no merchant kinds: add at least one [[merchants]] table with kind = "..."`)
	}
	seen := map[string]bool{}
	for i, m := range s.Merchants {
		mp := joinIndex("merchants", i)
		switch {
		case m.Kind == "":
			d.invalidf(mp, `merchant kind has no kind: add kind = "shop" (or another name)`)
		case seen[m.Kind]:
			d.invalidf(joinKey(mp, "kind"), "another [[merchants]] table already has kind %q; kinds must be unique", m.Kind)
		}
		seen[m.Kind] = true
		names := platformNames(s)
		for j, w := range m.Wallets {
			if len(names) > 0 && !contains(names, w) {
				d.invalidByf(joinIndex(joinKey(mp, "wallets"), j), nameKeys(len(s.Platforms)), "%s", unknownName("platform", w, names))
			}
		}
	}
}

func (d *decoder) checkEvents(s *Scenario) {
	names := platformNames(s)
	days := s.World.Days
	for i, e := range s.Events {
		ep := joinIndex("events", i)
		if e.Day >= days && days > 0 {
			d.invalidByf(joinKey(ep, "day"), horizonKey, "event outside the horizon: it starts on day %d but the run has days 0 to %d (world.days = %d)", e.Day, days-1, days)
		}
		switch {
		case e.Platform != "" && len(names) > 0 && !contains(names, e.Platform):
			d.invalidByf(joinKey(ep, "platform"), nameKeys(len(s.Platforms)), "%s", unknownName("platform", e.Platform, names))
		case e.Platform == "" && e.Kind == "outage":
			d.invalidf(joinKey(ep, "platform"), "an outage needs the platform that fails: set platform to one of %s", strings.Join(names, ", "))
		}
	}
}

// checkKinds checks that a list names defined merchant kinds.
func (d *decoder) checkKinds(path string, list []string) {
	if lim := maxElems["merchant_kinds"]; len(list) > lim {
		d.invalidf(joinIndex(path, lim), "too many merchant kinds: %d, at most %d are allowed", len(list), lim)
		return
	}
	if len(d.kinds) == 0 {
		return // reported once by checkMerchants
	}
	for j, k := range list {
		if !contains(d.kinds, k) {
			d.invalidf(joinIndex(path, j), "%s", unknownName("merchant kind", k, d.kinds))
		}
	}
}

func platformNames(s *Scenario) []string {
	var names []string
	for _, p := range s.Platforms {
		if p.Name != "" {
			names = append(names, p.Name)
		}
	}
	return names
}

// unknownName phrases a reference to something that is not defined.
func unknownName(what, name string, known []string) string {
	msg := "no " + what + " named " + strconv.Quote(name) + DidYouMean(name, known, "")
	if len(known) == 0 {
		return msg + " (there are none)"
	}
	return msg + " (defined: " + strings.Join(known, ", ") + ")"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the candidate closest to word, or "" when none is close:
// the same up to case, '_' and '-', or within a small edit distance (1 for
// short words, 2 otherwise) so that suggestions stay plausible.
func suggest(word string, candidates []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	for _, c := range candidates {
		if norm(c) == norm(word) {
			return c
		}
	}
	limit := 2
	if len(word) <= 4 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if dist := editDistance(strings.ToLower(word), strings.ToLower(c), limit); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes, or
// more than limit when it exceeds limit (a cheap way out for long input).
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
