package scenarios

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// seedFiles returns the testdata and library scenarios, the seed corpus of
// the fuzzers.
func seedFiles(f *testing.F) [][]byte {
	var srcs [][]byte
	files, _ := filepath.Glob("testdata/*/*.toml")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	for _, e := range Library() {
		src, err := LibrarySource(e.Name)
		if err != nil {
			f.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	return srcs
}

var seedSets = []string{
	"world.users=5000",
	"platforms.wechat.fee_rate=0.01",
	"platforms[0].campaigns[0].cashback=2.5",
	`users.ticket={kind="const",mean=30}`,
	`platforms.0.campaigns.launch.merchant_kinds=["shop"]`,
	"graph.kind=uniform",
	"platforms.wechat.campaigns.launch.merchant_kinds.0=shop",
	`platforms.alipay.strategy={kind="bandit", arms=[{name="a"}, {name="b", cashback=1}]}`,
	"merchants.shop.kind=taxi",
	"events=[{kind=\"outage\", platform=\"wechat\"}]",
	"=",
	"platforms..x=[",
}

// FuzzParse checks that Parse never panics, and that a scenario it accepts
// is still valid when checked again.
func FuzzParse(f *testing.F) {
	for _, src := range seedFiles(f) {
		f.Add(src, "")
	}
	for _, set := range seedSets {
		f.Add([]byte("[[merchants]]\nkind='shop'\n[[platforms]]\nname='wechat'\n"), set)
	}
	f.Fuzz(func(t *testing.T, src []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		s, err := Parse("fuzz.toml", src, sets)
		if err != nil {
			if s != nil {
				t.Fatal("a scenario returned with an error")
			}
			if _, ok := err.(Problems); !ok {
				t.Fatalf("error is %T, want Problems", err)
			}
			_ = err.Error()
			return
		}
		d := &decoder{origins: map[string]int{}, origin: fromFile}
		d.validate(s)
		if len(d.problems) > 0 {
			t.Fatalf("accepted scenario fails validation again: %v", d.result(reflect.ValueOf(s).Elem()))
		}
		_ = locate(src)
	})
}

// FuzzSet checks that ApplySet never panics, leaves the scenario alone when
// it fails, and only ever produces valid scenarios.
func FuzzSet(f *testing.F) {
	for _, set := range seedSets {
		f.Add(set)
	}
	src, err := LibrarySource("example-minimal")
	if err != nil {
		f.Fatal(err)
	}
	base, err := Parse("example-minimal.toml", src, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, set string) {
		s := copyScenario(base)
		err := ApplySet(s, set)
		if err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("error is %T, want Problems", err)
			}
			if !reflect.DeepEqual(s, base) {
				t.Fatal("a failed override changed the scenario")
			}
			return
		}
		d := &decoder{origins: map[string]int{}, origin: fromFile}
		d.validate(s)
		if len(d.problems) > 0 {
			t.Fatalf("override %q gave an invalid scenario", set)
		}
	})
}

// FuzzLocate feeds the key locator raw garbage, which Parse never does (it
// stops at syntax errors first).
func FuzzLocate(f *testing.F) {
	for _, src := range seedFiles(f) {
		f.Add(src)
	}
	f.Add([]byte("a = [[[[{{\"\"\"'''"))
	f.Fuzz(func(t *testing.T, src []byte) {
		l := locate(src)
		for path, p := range l.at {
			if p.line < 1 || p.col < 1 {
				t.Fatalf("%s at %d:%d", path, p.line, p.col)
			}
		}
	})
}
