package scenarios

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites golden files and docs/scenarios.md instead of comparing
// against them: go test ./scenarios -update.
var update = flag.Bool("update", false, "rewrite golden files and docs/scenarios.md")

// mustProblems asserts that err is a non-empty Problems.
func mustProblems(t *testing.T, err error) Problems {
	t.Helper()
	require.Error(t, err)
	ps, ok := err.(Problems)
	require.True(t, ok, "error is %T, want Problems: %v", err, err)
	require.NotEmpty(t, ps)
	return ps
}

// TestBadGolden parses each testdata/bad/*.toml and compares the problems
// with the .golden file next to it.
func TestBadGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.toml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".toml"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			s, err := Parse(name, src, nil)
			assert.Nil(t, s)
			got := mustProblems(t, err).Error() + "\n"
			golden := strings.TrimSuffix(file, ".toml") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./scenarios -run TestBadGolden -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}

func TestGoodForms(t *testing.T) {
	src, err := os.ReadFile("testdata/good/forms.toml")
	require.NoError(t, err)
	s, err := Parse("forms.toml", src, nil)
	require.NoError(t, err)

	assert.Equal(t, 1000, s.World.Users)
	assert.Equal(t, "2015-02-18", s.World.StartDate)
	assert.Equal(t, 1e6, s.World.Represents)
	assert.Equal(t, uint64(42), s.World.Seed)
	// Keys the file does not give keep their defaults.
	assert.Equal(t, 20.0, s.Graph.MeanDegree)

	assert.Equal(t, Dist{Kind: "const", Mean: 30, SD: 40, Min: 1}, s.Users.Ticket, "inline table overlays the default")
	assert.Equal(t, Dist{Kind: "lognormal", Mean: 1, SD: 0.25}, s.Users.PriceSensitivity)
	assert.Equal(t, 1.2, s.Users.PaymentsPerDay.Mean)

	require.Len(t, s.Merchants, 2)
	assert.Equal(t, "taxi", s.Merchants[1].Kind)
	assert.Equal(t, Yuan(1250), s.Merchants[1].FixedCost)
	var mk MerchantKind
	mk.SetDefaults()
	assert.Equal(t, mk.Weight, s.Merchants[1].Weight, "a new element starts from its defaults")

	require.Len(t, s.Platforms, 2)
	w, d := s.Platforms[0], s.Platforms[1]
	assert.Equal(t, Yuan(1), w.Treasury)
	assert.Equal(t, Installed{Aware: 0.5, Registered: 0.2, CardBound: 0.1, Active: 0.6}, w.Initial)
	require.Len(t, w.Campaigns, 2)
	assert.Equal(t, []string{"taxi"}, w.Campaigns[1].MerchantKinds)
	assert.Equal(t, "any", w.Campaigns[0].SponsoredPick, "campaign defaults")
	assert.Equal(t, "fixed", w.Strategy.Kind)

	assert.Equal(t, "bandit", d.Strategy.Kind)
	assert.Equal(t, 7, d.Strategy.Period, "a strategy table overlays the platform's default strategy")
	assert.Equal(t, []Arm{{Name: "none"}, {Name: "some", Cashback: 300}}, d.Strategy.Arms)
	require.Len(t, d.Campaigns, 1)
	assert.Equal(t, Yuan(1200), d.Campaigns[0].Cashback)
	assert.Equal(t, Yuan(2000), d.Campaigns[0].CashbackMax)

	require.Len(t, s.Events, 1)
	assert.Equal(t, Event{Kind: "outage", Day: 60, Days: 1, Spending: 1, Envelopes: 1, Platform: "wechat", Severity: 0.5}, s.Events[0])
}

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.toml", Line: 3, Col: 5, Key: "world.days", Message: "bad"}, "a.toml:3:5: world.days: bad"},
		{Problem{File: "a.toml", Line: 3, Key: "world.days", Message: "bad"}, "a.toml:3: world.days: bad"},
		{Problem{File: "a.toml", Key: "merchants", Message: "none"}, "a.toml: merchants: none"},
		{Problem{File: "--set", Message: "empty"}, "--set: empty"},
	} {
		assert.Equal(t, tc.want, tc.p.String())
	}
}

func TestProblemsErrorOrder(t *testing.T) {
	ps := Problems{
		{File: "--set", Key: "b", Message: "second set"},
		{File: "f.toml", Line: 9, Col: 1, Message: "late"},
		{File: "--set", Key: "a", Message: "first set"},
		{File: "f.toml", Line: 2, Col: 7, Message: "early"},
		{File: "f.toml", Line: 2, Col: 3, Message: "earlier"},
	}
	want := "f.toml:2:3: earlier\nf.toml:2:7: early\nf.toml:9:1: late\n--set: b: second set\n--set: a: first set"
	assert.Equal(t, want, ps.Error())
	assert.Equal(t, "second set", ps[0].Message, "Error does not reorder the list itself")
}

func TestLoad(t *testing.T) {
	t.Run("library name", func(t *testing.T) {
		s, err := Load("example-minimal", nil)
		require.NoError(t, err)
		assert.Equal(t, "example-minimal", s.World.Name)
	})
	t.Run("path", func(t *testing.T) {
		s, err := Load("testdata/good/forms.toml", []string{"world.days=200"})
		require.NoError(t, err)
		assert.Equal(t, 200, s.World.Days)
	})
	t.Run("path problems name the path", func(t *testing.T) {
		_, err := Load("testdata/bad/bad-color.toml", nil)
		ps := mustProblems(t, err)
		assert.Equal(t, "testdata/bad/bad-color.toml", ps[0].File)
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := Load("testdata/nope.toml", nil)
		ps := mustProblems(t, err)
		require.Len(t, ps, 1)
		assert.Equal(t, "testdata/nope.toml", ps[0].File)
		assert.Contains(t, ps[0].Message, "no such file")
		assert.Contains(t, ps[0].Message, "example-minimal")
	})
	t.Run("unknown name", func(t *testing.T) {
		_, err := Load("example-minimul", nil)
		ps := mustProblems(t, err)
		require.Len(t, ps, 1)
		assert.Equal(t, "example-minimul", ps[0].File)
		assert.Contains(t, ps[0].Message, "did you mean example-minimal?")
		assert.Contains(t, ps[0].Message, "The library has: ")
	})
	t.Run("library problems from sets", func(t *testing.T) {
		_, err := Load("example-minimal", []string{"world.dayz=3"})
		ps := mustProblems(t, err)
		assert.Equal(t, "--set: world.dayz: unknown key; did you mean days?", ps.Error())
	})
}

func TestLibrary(t *testing.T) {
	lib := Library()
	require.NotEmpty(t, lib)
	names := make([]string, len(lib))
	for i, e := range lib {
		names[i] = e.Name
	}
	assert.IsNonDecreasing(t, names)
	assert.Contains(t, names, "example-minimal")
	for _, e := range lib {
		if e.Name == "example-minimal" {
			assert.NotEmpty(t, e.Summary)
		}
	}
	src, err := LibrarySource("example-minimal")
	require.NoError(t, err)
	assert.Contains(t, string(src), "[[platforms]]")
	_, err = LibrarySource("../load")
	mustProblems(t, err)
}

// TestLibraryScenariosValid parses every embedded scenario, including those
// added after this test was written.
func TestLibraryScenariosValid(t *testing.T) {
	for _, e := range Library() {
		t.Run(e.Name, func(t *testing.T) {
			s, err := Load(e.Name, nil)
			require.NoError(t, err)
			require.NotNil(t, s)
			assert.NotEmpty(t, e.Summary, "give the scenario a world.description: it is its summary in the library list")
		})
	}
}

// TestSchemaTags checks the tags the loader and the docs rely on, so that a
// typo in a new field fails here rather than silently skipping a check.
func TestSchemaTags(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(t0 reflect.Type, path string)
	walk = func(t0 reflect.Type, path string) {
		if seen[t0] {
			return
		}
		seen[t0] = true
		st := t0
		for i := 0; i < st.NumField(); i++ {
			sf := st.Field(i)
			p := joinKey(path, sf.Name)
			key := sf.Tag.Get("toml")
			assert.NotEmpty(t, key, "%s has no toml tag", p)
			assert.NotEmpty(t, sf.Tag.Get("doc"), "%s has no doc tag", p)
			for _, tag := range []string{"min", "max"} {
				if v := sf.Tag.Get(tag); v != "" {
					_, err := strconv.ParseFloat(v, 64)
					assert.NoError(t, err, "%s: %s tag %q", p, tag, v)
				}
			}
			if sf.Tag.Get("enum") != "" {
				assert.Equal(t, reflect.String, sf.Type.Kind(), "%s: enum on a non-string", p)
			}
			// Keys in messages and --set are lower-case words.
			assert.Regexp(t, `^[a-z][a-z0-9_]*$`, key, p)
			switch {
			case sf.Type.Kind() == reflect.Struct && sf.Type != yuanType:
				walk(sf.Type, p)
			case sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct:
				walk(sf.Type.Elem(), p)
			}
		}
	}
	walk(reflect.TypeOf(Scenario{}), "")

	// The defaults themselves must pass the range checks of their fields.
	var s Scenario
	s.SetDefaults()
	d := &decoder{origins: map[string]int{}, origin: fromFile}
	d.checkStruct(reflect.ValueOf(s), "")
	for _, elem := range []any{&Platform{}, &Campaign{}, &MerchantKind{}, &Event{}, &Strategy{}, &Dist{}} {
		elem.(interface{ SetDefaults() }).SetDefaults()
		if e, ok := elem.(*Event); ok {
			e.Kind = "outage" // required: an event has no default kind
		}
		d.checkStruct(reflect.ValueOf(elem).Elem(), reflect.TypeOf(elem).Elem().Name())
	}
	for _, p := range d.problems {
		t.Errorf("default %s: %s", p.path, p.msg)
	}
}

func TestDocsInSync(t *testing.T) {
	const path = "../docs/scenarios.md"
	got := DocsMarkdown()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Fatalf("docs/scenarios.md is out of date with the schema; run: go test ./scenarios -run TestDocsInSync -update")
	}
}

func TestDocsMarkdownCoversEveryKey(t *testing.T) {
	md := DocsMarkdown()
	for _, h := range []string{"## `[world]`", "## `[users.ticket]`", "## `[[platforms]]`", "## `[[platforms.campaigns]]`", "## `[platforms.strategy]`", "## `[[platforms.strategy.arms]]`", "## `[[events]]`"} {
		assert.Contains(t, md, "\n"+h+"\n")
	}
	assert.Contains(t, md, "| `start_date` | date | date | `2014-01-01` | YYYY-MM-DD |")
	assert.Contains(t, md, "| `kind` | string |  | `\"preferential\"` | `preferential`, `small_world`, `communities`, `uniform` |")
	assert.Contains(t, md, "| `max_amount` | money | yuan | `200` | 0.01 to 1000000 |")
	assert.Contains(t, md, "| `sponsored_size` | money | yuan | `5` |", "element defaults come from the element's SetDefaults")
}
