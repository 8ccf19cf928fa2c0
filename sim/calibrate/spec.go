package calibrate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/search"
)

// Spec is a calibration: what to fit, to what, on which episodes, how hard.
type Spec struct {
	// Profile is the behaviour profile the parameters belong to.
	Profile string `toml:"profile"`
	// Users is the size each episode runs at in the full objective (0: the
	// file's own); ScreenUsers the size of the cheap screen (0: none).
	Users       int `toml:"users"`
	ScreenUsers int `toml:"screen_users"`
	// Seeds per replicate: each candidate's figures are averaged over
	// them. Replicates, Recheck and Confirm count replicates, as in
	// package search.
	Seeds      int    `toml:"seeds"`
	Replicates int    `toml:"replicates"`
	Recheck    int    `toml:"recheck"`
	Confirm    int    `toml:"confirm"`
	Budget     int    `toml:"budget"`
	Seed       uint64 `toml:"seed"`
	// Draws is the number of posterior draws validation runs (0: the
	// point estimate only).
	Draws int `toml:"draws"`
	// Start is where the search's first run starts: "centre" (the
	// default) at the priors' centres, "profile" at the profile's values
	// as they are, so that a refit after a change to the model or the spec
	// goes on from the last fit instead of from scratch (restarts still
	// draw from the priors).
	Start string `toml:"start"`
	// Sigma is the strategy's first step size in the unit cube of the
	// bounds (0: search's default, 0.3). A refit from the profile searches
	// near it with a smaller step.
	Sigma float64 `toml:"sigma"`

	// Posterior is how the ABC-SMC posterior runs (RunPosterior); every
	// field has a default.
	Posterior PosteriorSpec `toml:"posterior"`

	Episodes []Episode `toml:"episodes"`
	Params   []Param   `toml:"params"`
	Targets  []Target  `toml:"targets"`
	Holdout  []Target  `toml:"holdout"`

	file string
	src  []byte
}

// Episode is a library scenario the parameters are fitted on.
type Episode struct {
	Scenario string `toml:"scenario" json:"scenario"`
	// Days, when set, cuts the run short (the figures it is fitted to end
	// earlier than the file's horizon).
	Days int `toml:"days" json:"days,omitempty"`
	// Set changes the episode's inputs as --set does (KEY=VALUE), for an
	// experiment that tries a mechanism on one episode before the library
	// file takes it (calibration/experiments). History only: a key the
	// profile fits or fixes is refused, since behaviour has one value
	// across the library.
	Set []string `toml:"set" json:"set,omitempty"`
	// Lift names declared overrides of the episode (its [[overrides]]
	// keys) that an experiment lifts, for a mechanism that is to replace
	// them: the candidate's value of the key applies, as in every other
	// episode. Each must be a [[params]] key of the spec. Compared, a fit
	// runs with its own lifts, as with its own Set.
	Lift []string `toml:"lift" json:"lift,omitempty"`
}

// Param is one behavioural key of the profile with its bounds and prior.
type Param struct {
	Key   string  `toml:"key"` // as the profile names it: adoption.intercept, festival.eve_envelopes, wallets.wechat.convenience
	Lo    float64 `toml:"lo"`
	Hi    float64 `toml:"hi"`
	Prior string  `toml:"prior"` // uniform (default), normal, log-uniform
	Mean  float64 `toml:"mean"`
	SD    float64 `toml:"sd"`
	Log   bool    `toml:"log"`
	// Start, when set, is the search's first value of this parameter in
	// place of the profile's (start = "profile"): an experiment that asks
	// whether the model fits in another region (envelopes at the record's
	// everyday rate) starts there without editing the library's profile.
	Start *float64 `toml:"start"`
}

// Target is a record figure fitted (or predicted) on an episode.
type Target struct {
	ID      string  `toml:"id"`      // the record's id
	Episode string  `toml:"episode"` // the episode it is measured on
	SD      float64 `toml:"sd"`      // standard error, in the figure's unit or in log10 for counts
	Log     bool    `toml:"log"`     // compare log10 of model and figure

	// Figure is the record's row (filled by ParseSpec; a synthetic
	// figure in tests).
	Figure record.Figure `toml:"-"`
}

// ParseSpec reads a spec. file names it in errors.
func ParseSpec(file string, src []byte) (*Spec, error) {
	sp := &Spec{Seeds: 2, Replicates: 2, Recheck: 2, Confirm: 4, Seed: 1, Profile: "behaviour"}
	md, err := toml.Decode(string(src), sp)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", file, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: %s: unknown key", file, und[0])
	}
	sp.file, sp.src = file, src
	if err := sp.check(); err != nil {
		return nil, err
	}
	return sp, nil
}

// LoadSpec reads a spec file.
func LoadSpec(path string) (*Spec, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	return ParseSpec(path, src)
}

func (sp *Spec) errf(key, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %s", sp.file, key, fmt.Sprintf(format, args...))
}

// check validates the spec and fills each target's figure from the record.
func (sp *Spec) check() error {
	prof, err := scenarios.LoadProfile(sp.Profile)
	if err != nil {
		return sp.errf("profile", "%v", err)
	}
	if sp.Users < 0 || sp.ScreenUsers < 0 || sp.Seeds < 1 || sp.Replicates < 1 || sp.Recheck < 1 || sp.Confirm < 2 || sp.Budget < 0 || sp.Draws < 0 {
		return sp.errf("sizes", "users and screen_users ≥ 0, seeds, replicates and recheck ≥ 1, confirm ≥ 2, budget and draws ≥ 0")
	}
	if sp.Start != "" && sp.Start != "centre" && sp.Start != "profile" {
		return sp.errf("start", "%q is neither \"centre\" nor \"profile\"", sp.Start)
	}
	if sp.Sigma < 0 || sp.Sigma > 1 || math.IsNaN(sp.Sigma) {
		return sp.errf("sigma", "%g is outside [0, 1] (a step in the unit cube of the bounds)", sp.Sigma)
	}
	if err := sp.Posterior.withDefaults(sp).check(); err != nil {
		return sp.errf("posterior", "%v", err)
	}
	if len(sp.Episodes) == 0 || len(sp.Params) == 0 || len(sp.Targets) == 0 {
		return sp.errf("spec", "needs [[episodes]], [[params]] and [[targets]]")
	}
	eps := map[string]bool{}
	keys := prof.BehaviouralKeys()
	for i, e := range sp.Episodes {
		s, err := scenarios.Load(e.Scenario, nil)
		if err != nil {
			return sp.errf(fmt.Sprintf("episodes[%d].scenario", i), "%v", err)
		}
		for j, kv := range e.Set {
			k, _, _ := strings.Cut(kv, "=")
			if behaviouralSet(keys, k) {
				return sp.errf(fmt.Sprintf("episodes[%d].set[%d]", i, j), "%q is behaviour, which has one value across the library: fit it as a [[params]] key instead", k)
			}
		}
		if len(e.Set) > 0 {
			if _, err := scenarios.Load(e.Scenario, e.Set); err != nil {
				return sp.errf(fmt.Sprintf("episodes[%d].set", i), "%v", err)
			}
		}
		if s.Profile != sp.Profile {
			return sp.errf(fmt.Sprintf("episodes[%d].scenario", i), "%s does not use the profile %q", e.Scenario, sp.Profile)
		}
		for j, k := range e.Lift {
			at := fmt.Sprintf("episodes[%d].lift[%d]", i, j)
			if !slices.ContainsFunc(s.Overrides, func(o scenarios.Override) bool { return o.Key == k }) {
				return sp.errf(at, "%q is not an override %s declares", k, e.Scenario)
			}
			if !slices.ContainsFunc(sp.Params, func(p Param) bool { return p.Key == k }) {
				return sp.errf(at, "%q is not a [[params]] key: a lifted override takes the fitted value", k)
			}
		}
		if e.Days < 0 || e.Days > s.World.Days {
			return sp.errf(fmt.Sprintf("episodes[%d].days", i), "%d is outside 0 to the file's %d", e.Days, s.World.Days)
		}
		eps[e.Scenario] = true
	}
	seen := map[string]bool{}
	for i, p := range sp.Params {
		at := fmt.Sprintf("params[%d]", i)
		base, _, _ := strings.Cut(p.Key, ".mean")
		if !slices.Contains(keys, p.Key) && !slices.Contains(keys, base) && !strings.HasPrefix(p.Key, "wallets.") && !strings.HasPrefix(p.Key, "kinds.") {
			return sp.errf(at+".key", "%q is not a behavioural key of the profile (%s)", p.Key, strings.Join(keys, ", "))
		}
		if seen[p.Key] {
			return sp.errf(at+".key", "%q twice", p.Key)
		}
		seen[p.Key] = true
		if _, err := p.searchParam(); err != nil {
			return sp.errf(at, "%v", err)
		}
		if p.Start != nil {
			if sp.Start != "profile" {
				return sp.errf(at+".start", "is set, so the spec's start must be \"profile\" (the other parameters start at the profile's values)")
			}
			if v := *p.Start; !(v >= p.Lo && v <= p.Hi) {
				return sp.errf(at+".start", "%g is outside the bounds [%g, %g] of %s", v, p.Lo, p.Hi, p.Key)
			}
		}
	}
	for _, ts := range []struct {
		name string
		tags string
		list []Target
	}{{"targets", record.Fit, sp.Targets}, {"holdout", record.Holdout, sp.Holdout}} {
		for i := range ts.list {
			t := &ts.list[i]
			at := fmt.Sprintf("%s[%d]", ts.name, i)
			f, err := record.ByID(t.ID)
			if err != nil {
				return sp.errf(at+".id", "%v", err)
			}
			if f.Tag != ts.tags {
				return sp.errf(at+".id", "%s is tagged %s in %s:%d; %s takes only %s figures (held-out figures are never fitted)", t.ID, f.Tag, f.File, f.Line, ts.name, ts.tags)
			}
			if !eps[t.Episode] && ts.name == "targets" {
				return sp.errf(at+".episode", "%q is not one of the episodes", t.Episode)
			}
			if _, err := scenarios.Load(t.Episode, nil); err != nil {
				return sp.errf(at+".episode", "%v", err)
			}
			if !(t.SD > 0) || math.IsInf(t.SD, 0) {
				return sp.errf(at+".sd", "must be above 0")
			}
			if !knownMetric(f.Metric) {
				return sp.errf(at+".id", "the model does not measure %s", f.Metric)
			}
			t.Figure = f
		}
	}
	return nil
}

// behaviouralSet says whether a --set key k changes behaviour, given the
// profile's behavioural keys: one of them as it is (adoption.intercept),
// a convenience of a platform or a merchant kind, or a festival key of an
// event (events.N.eve_envelopes, which the profile's festival.KEY sets).
func behaviouralSet(keys []string, k string) bool {
	if slices.Contains(keys, k) || strings.HasSuffix(k, ".convenience") {
		return true
	}
	if rest, ok := strings.CutPrefix(k, "events."); ok {
		_, last, _ := strings.Cut(rest, ".")
		return slices.Contains(keys, "festival."+last)
	}
	return false
}

// searchParam is the parameter as package search takes it.
func (p Param) searchParam() (search.Param, error) {
	sp := search.Param{Name: p.Key, Lo: p.Lo, Hi: p.Hi, Log: p.Log}
	if p.Prior != "" {
		k, err := search.ParsePriorKind(p.Prior)
		if err != nil {
			return sp, err
		}
		sp.Prior = search.Prior{Kind: k, Mean: p.Mean, SD: p.SD}
	}
	return sp, sp.Validate()
}

// Fingerprint identifies the spec with the sources it depends on (the
// profile and the episodes), so that a journal of another calibration is
// never replayed.
func (sp *Spec) Fingerprint() string {
	h := sha256.New()
	h.Write(sp.src)
	if src, err := scenarios.ProfileSource(sp.Profile); err == nil {
		h.Write(src)
	}
	names := []string{}
	for _, e := range sp.Episodes {
		names = append(names, e.Scenario)
	}
	sort.Strings(names)
	for _, n := range names {
		if src, err := scenarios.LibrarySource(n); err == nil {
			h.Write(src)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// StartPoint is where the search starts (Spec.Start), in parameter
// units: nil for the priors' centres; for "profile", the profile's values,
// each moved inside its bounds when the spec's bounds no longer hold it,
// or a parameter's own start where the spec gives one.
func (sp *Spec) StartPoint() ([]float64, error) {
	if sp.Start != "profile" {
		return nil, nil
	}
	x, err := ProfileValues(sp)
	if err != nil {
		return nil, err
	}
	for i, p := range sp.Params {
		x[i] = min(max(x[i], p.Lo), p.Hi)
		if p.Start != nil {
			x[i] = *p.Start
		}
	}
	return x, nil
}

// ProfileValues reads the spec's parameters from its profile as it is
// (what the library runs on), for validating a profile with no fit at hand.
func ProfileValues(sp *Spec) ([]float64, error) {
	prof, err := scenarios.LoadProfile(sp.Profile)
	if err != nil {
		return nil, err
	}
	x := make([]float64, len(sp.Params))
	for i, p := range sp.Params {
		v, ok := prof.Value(p.Key)
		if !ok {
			return nil, fmt.Errorf("calibrate: the profile %q does not set %s", sp.Profile, p.Key)
		}
		x[i] = v
	}
	return x, nil
}
