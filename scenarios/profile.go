package scenarios

import (
	"embed"
	"fmt"
	"path"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Behaviour profiles. History and behaviour are kept apart: an episode file
// holds the market (dates, budgets, populations, reach, installed bases,
// launches, event dates) and names a profile (`profile = "behaviour"`) that
// holds how people behave: sensitivities, adoption and choice weights,
// habit, trust, dormancy, envelope propensities, the festival's
// multipliers and each wallet's convenience. One profile gives every
// episode the same behaviour; its values come from `hongbao calibrate`
// (docs/calibration.md), not from tuning an episode by hand.
//
// A profile is a TOML file in profiles/ with
//   - the behavioural keys of the tables users, adoption, choice, habit,
//     trust, retention and envelopes, laid under the scenario file (after
//     the defaults, before the file);
//   - [festival]: spending, envelopes and eve_envelopes of every
//     spring_festival event that does not set them;
//   - [wallets.NAME]: convenience of the platform named NAME when the file
//     does not set it;
//   - [kinds.NAME]: convenience added at merchants of kind NAME (a taxi
//     ride booked and paid in one app) when the file does not set it.
//
// A file that sets a behavioural key itself overrides the profile and must
// say so with its reason in [[overrides]] (TestLibraryBehaviourIsShared
// enforces it; `hongbao scenarios show` and the calibration report list
// every override).

//go:embed profiles/*.toml
var profileFS embed.FS

// Override declares that a scenario sets a behavioural key itself instead
// of taking the profile's value.
type Override struct {
	Key    string `toml:"key" doc:"The behavioural key, as the profile names it (envelopes.bind_to_withdraw, festival.eve_envelopes, wallets.wechat.convenience)."`
	Reason string `toml:"reason" doc:"Why this episode cannot take the shared value."`
}

// profileSections are the schema tables a profile may set.
var profileSections = []string{"users", "adoption", "choice", "habit", "trust", "retention", "envelopes", "transfers", "funds"}

// behaviouralKeys are the keys of the schema tables that are behaviour; the
// rest of those tables (users.ticket, envelopes.amount, ...) describe the
// market and stay in episode files.
var behaviouralKeys = map[string][]string{
	"users":     {"price_sensitivity", "social_sensitivity", "subsidy_elasticity", "subsidy_saturation"},
	"adoption":  {"max_rate", "intercept", "friends", "subsidy", "merchants", "services", "balance", "switching_cost", "trust", "bind_offset", "in_flow"},
	"choice":    {"habit", "subsidy", "balance", "trust", "loss", "reference_days"},
	"habit":     {"gain", "decay", "initial"},
	"trust":     {"loss", "recovery"},
	"retention": {"dormant_after", "dormancy_rate", "revive_on_use"},
	"envelopes": {"per_day", "group_share", "claim_registered", "claim_by_registering", "bind_to_withdraw", "reciprocity", "tradition", "reply"},
	"transfers": {"per_day", "network"},
	"funds":     {"per_day"},
}

// festivalKeys are the keys of spring_festival events that are behaviour.
var festivalKeys = []string{"spending", "envelopes", "eve_envelopes"}

// Profile is a parsed behaviour profile.
type Profile struct {
	Name     string
	raw      map[string]any
	Festival map[string]float64            // spring_festival keys
	Wallets  map[string]map[string]float64 // platform name -> key -> value
	Kinds    map[string]map[string]float64 // merchant kind -> key -> value
}

// BehaviouralKeys lists every key a profile may set, as overrides name
// them: table.key for the schema tables, festival.key, and
// wallets.NAME.convenience for each wallet the profile names.
func (p *Profile) BehaviouralKeys() []string {
	var out []string
	for _, sec := range profileSections {
		for _, k := range behaviouralKeys[sec] {
			out = append(out, sec+"."+k)
		}
	}
	for _, k := range festivalKeys {
		out = append(out, "festival."+k)
	}
	for _, w := range sortedKeys(p.Wallets) {
		out = append(out, "wallets."+w+".convenience")
	}
	for _, k := range sortedKeys(p.Kinds) {
		out = append(out, "kinds."+k+".convenience")
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Value is the number the profile sets for a key as overrides name it
// (adoption.intercept, users.price_sensitivity.mean, festival.envelopes,
// wallets.wechat.convenience), and whether it sets one.
func (p *Profile) Value(key string) (float64, bool) {
	parts := strings.Split(key, ".")
	switch {
	case parts[0] == "festival" && len(parts) == 2:
		v, ok := p.Festival[parts[1]]
		return v, ok
	case parts[0] == "wallets" && len(parts) == 3:
		v, ok := p.Wallets[parts[1]][parts[2]]
		return v, ok
	case parts[0] == "kinds" && len(parts) == 3:
		v, ok := p.Kinds[parts[1]][parts[2]]
		return v, ok
	}
	var cur any = p.raw
	for _, k := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return 0, false
		}
		cur = m[k]
	}
	switch x := cur.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// ProfileNames lists the built-in profiles.
func ProfileNames() []string {
	files, _ := profileFS.ReadDir("profiles") // embedded: cannot fail
	var out []string
	for _, f := range files {
		if n, ok := strings.CutSuffix(f.Name(), ".toml"); ok {
			out = append(out, n)
		}
	}
	return out
}

// ProfileSource returns a built-in profile's TOML.
func ProfileSource(name string) ([]byte, error) {
	if !isPlainWord(name) {
		return nil, fmt.Errorf("no profile %q; the profiles are %s", name, strings.Join(ProfileNames(), ", "))
	}
	src, err := profileFS.ReadFile(path.Join("profiles", name+".toml"))
	if err != nil {
		return nil, fmt.Errorf("no profile %q; the profiles are %s", name, strings.Join(ProfileNames(), ", "))
	}
	return src, nil
}

// LoadProfile reads and checks a built-in profile.
func LoadProfile(name string) (*Profile, error) {
	src, err := ProfileSource(name)
	if err != nil {
		return nil, err
	}
	return ParseProfile(name, src)
}

// ParseProfile reads a profile from TOML source: it must set only
// behavioural keys, with values the schema accepts.
func ParseProfile(name string, src []byte) (*Profile, error) {
	file := "profiles/" + name + ".toml"
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil, Problems{syntaxProblem(file, src, err)}
	}
	p := &Profile{Name: name, raw: map[string]any{}, Festival: map[string]float64{}, Wallets: map[string]map[string]float64{}, Kinds: map[string]map[string]float64{}}
	var ps Problems
	bad := func(key, format string, args ...any) {
		at := locate(src).find(key)
		ps = append(ps, Problem{File: file, Line: at.line, Col: at.col, Key: key, Message: fmt.Sprintf(format, args...)})
	}
	num := func(key string, v any) (float64, bool) {
		switch x := v.(type) {
		case int64:
			return float64(x), true
		case float64:
			return x, true
		}
		bad(key, "want a number, got %s", describe(v))
		return 0, false
	}
	for _, sec := range sortedKeys(raw) {
		tbl, ok := raw[sec].(map[string]any)
		if !ok {
			bad(sec, "want a table, got %s", describe(raw[sec]))
			continue
		}
		switch {
		case sec == "festival":
			for _, k := range sortedKeys(tbl) {
				if !contains(festivalKeys, k) {
					bad(sec+"."+k, "not a behavioural key of a festival; the keys are %s", strings.Join(festivalKeys, ", "))
				} else if v, ok := num(sec+"."+k, tbl[k]); ok {
					p.Festival[k] = v
				}
			}
		case sec == "wallets" || sec == "kinds":
			dst := p.Wallets
			if sec == "kinds" {
				dst = p.Kinds
			}
			for _, w := range sortedKeys(tbl) {
				wt, ok := tbl[w].(map[string]any)
				if !ok {
					bad(sec+"."+w, "want a table, got %s", describe(tbl[w]))
					continue
				}
				dst[w] = map[string]float64{}
				for _, k := range sortedKeys(wt) {
					if k != "convenience" {
						bad(sec+"."+w+"."+k, "a wallet's or merchant kind's behaviour is its convenience only")
					} else if v, ok := num(sec+"."+w+"."+k, wt[k]); ok {
						dst[w][k] = v
					}
				}
			}
		case contains(profileSections, sec):
			for _, k := range sortedKeys(tbl) {
				if !contains(behaviouralKeys[sec], k) {
					bad(sec+"."+k, "not a behavioural key: it describes the market and belongs in the episode file")
				}
			}
			p.raw[sec] = tbl
		default:
			bad(sec, "a profile holds only %s, festival, wallets and kinds", strings.Join(profileSections, ", "))
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	// The values must be ones the schema accepts: lay the profile over the
	// defaults and validate.
	s := new(Scenario)
	s.SetDefaults()
	d := &decoder{file: file, loc: locate(src), origins: map[string]int{}, origin: fromFile}
	d.overlay(reflect.ValueOf(s).Elem(), p.raw, "")
	d.checkStruct(reflect.ValueOf(s).Elem(), "")
	if len(d.problems) > 0 {
		return nil, d.result(reflect.ValueOf(s).Elem())
	}
	return p, nil
}

// profileOf returns the profile a decoded file names, or nil.
func profileOf(file string, raw map[string]any) (*Profile, Problems) {
	v, ok := raw["profile"]
	if !ok {
		return nil, nil
	}
	name, ok := v.(string)
	if !ok {
		return nil, nil // the overlay reports the type
	}
	p, err := LoadProfile(name)
	if err != nil {
		if ps, ok := err.(Problems); ok {
			return nil, ps
		}
		return nil, Problems{{File: file, Key: "profile", Message: err.Error()}}
	}
	return p, nil
}

// under lays the profile's tables over the defaults in root, before the
// file is overlaid.
func (p *Profile) under(d *decoder, root reflect.Value) {
	d.overlay(root, p.raw, "")
}

// over gives each spring_festival event and each named wallet of s the
// profile's behaviour wherever the file (raw) does not set it.
func (p *Profile) over(s *Scenario, raw map[string]any) {
	rawEvents, _ := tables(raw["events"])
	for i := range s.Events {
		e := &s.Events[i]
		if e.Kind != "spring_festival" {
			continue
		}
		var set map[string]any
		if i < len(rawEvents) {
			set = rawEvents[i]
		}
		for _, k := range sortedKeys(p.Festival) {
			if _, ok := set[k]; ok {
				continue
			}
			v := p.Festival[k]
			switch k {
			case "spending":
				e.Spending = v
			case "envelopes":
				e.Envelopes = v
			case "eve_envelopes":
				e.EveEnvelopes = v
			}
		}
	}
	rawPlats, _ := tables(raw["platforms"])
	for i := range s.Platforms {
		w, ok := p.Wallets[s.Platforms[i].Name]
		if !ok {
			continue
		}
		if i < len(rawPlats) {
			if _, set := rawPlats[i]["convenience"]; set {
				continue
			}
		}
		if v, ok := w["convenience"]; ok {
			s.Platforms[i].Convenience = v
		}
	}
	rawKinds, _ := tables(raw["merchants"])
	for i := range s.Merchants {
		k, ok := p.Kinds[s.Merchants[i].Kind]
		if !ok {
			continue
		}
		if i < len(rawKinds) {
			if _, set := rawKinds[i]["convenience"]; set {
				continue
			}
		}
		if v, ok := k["convenience"]; ok {
			s.Merchants[i].Convenience = v
		}
	}
}

// EventsSetting lists the indices of the events a scenario source gives
// key itself (spending, envelopes or eve_envelopes of a spring_festival):
// the events a festival override covers, which a profile value or a
// calibration candidate must leave alone.
func EventsSetting(src []byte, key string) map[int]bool {
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil
	}
	events, _ := tables(raw["events"])
	out := map[int]bool{}
	for i, e := range events {
		if _, ok := e[key]; ok {
			out[i] = true
		}
	}
	return out
}

// BehaviourSetBy lists the behavioural keys a scenario source sets itself
// (as overrides name them), whatever its [[overrides]] declare: what a
// profile would otherwise give it.
func BehaviourSetBy(src []byte) ([]string, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil, err
	}
	var out []string
	for _, sec := range profileSections {
		tbl, _ := raw[sec].(map[string]any)
		for _, k := range behaviouralKeys[sec] {
			if _, ok := tbl[k]; ok {
				out = append(out, sec+"."+k)
			}
		}
	}
	events, _ := tables(raw["events"])
	for _, k := range festivalKeys {
		for _, e := range events {
			if e["kind"] != "spring_festival" {
				continue
			}
			if _, ok := e[k]; ok {
				out = append(out, "festival."+k)
				break
			}
		}
	}
	plats, _ := tables(raw["platforms"])
	for _, pl := range plats {
		if _, ok := pl["convenience"]; ok {
			out = append(out, fmt.Sprintf("wallets.%v.convenience", pl["name"]))
		}
	}
	kinds, _ := tables(raw["merchants"])
	for _, k := range kinds {
		if _, ok := k["convenience"]; ok {
			out = append(out, fmt.Sprintf("kinds.%v.convenience", k["kind"]))
		}
	}
	return out, nil
}
