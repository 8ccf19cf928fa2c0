package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckRaw: each hostile shape is refused before parsing, at the line
// and column of the byte that crosses a limit; ordinary TOML passes.
func TestCheckRaw(t *testing.T) {
	deep := func(n int, sep string) string { return strings.Repeat("a"+sep, n-1) + "a" }
	cases := []struct {
		name, src string
		line, col int
		msgPrefix string
	}{
		{"deep header", "[" + deep(MaxNesting+5, ".") + "]\n", 1, 2*MaxNesting + 2, "nested too deep"},
		{"deep dotted key", deep(MaxNesting+1, ".") + " = 1\n", 1, 2*MaxNesting + 1, "nested too deep"},
		{"dotted key under a deep table", "[" + deep(MaxNesting-1, ".") + "]\nb.c = 1\n", 2, 3, "nested too deep"},
		{"deep arrays", "v = " + strings.Repeat("[", MaxNesting+1) + "\n", 1, 5 + MaxNesting, "nested too deep"},
		{"deep inline tables", "v = " + strings.Repeat("{a = ", MaxNesting+1) + "\n", 1, 6 + 5*(MaxNesting-1), "nested too deep"},
		{"long bare key", "[world]\n" + strings.Repeat("k", MaxKeyBytes+1) + " = 1\n", 2, 1, "key too long"},
		{"long quoted key", `"` + strings.Repeat("k", MaxKeyBytes+1) + `" = 1` + "\n", 1, 1, "key too long"},
		{"NUL in a key", "[world]\nna\x00me = 1\n", 2, 3, "control character"},
		{"escape byte in a string", "name = \"a\x1b[2Jb\"\n", 1, 10, "control character"},
		{"invalid UTF-8 in a string", "name = \"a\xffb\"\n", 1, 10, "invalid UTF-8"},
		{"lone carriage return", "a = 1\rb = 2\n", 1, 6, "a carriage return"},
		{"ok: long string value", "description = \"" + strings.Repeat("x", 5000) + "\"\n", 0, 0, ""},
		{"ok: escaped quote and UTF-8", "name = \"\\\"é\\\\\" # 红包\nb = '''\n红\n'''\n", 0, 0, ""},
		{"ok: CRLF and nested arrays", "a = [[1, 2], [3]]\r\nb = {c = {d = 1}}\r\n", 0, 0, ""},
		{"ok: library depth", "[[platforms]]\n[platforms.strategy]\n[[platforms.strategy.arms]]\ncashback = 1\n", 0, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := CheckRaw("f.toml", []byte(c.src))
			if c.msgPrefix == "" {
				assert.Nil(t, p)
				return
			}
			require.NotNil(t, p)
			assert.Equal(t, c.line, p.Line, p.String())
			assert.Equal(t, c.col, p.Col, p.String())
			assert.True(t, strings.HasPrefix(p.Message, c.msgPrefix), p.String())
		})
	}
}

// TestParseHostile: Parse refuses the shapes that crashed or misled the
// loader, each located, and never echoes more than Echo allows.
func TestParseHostile(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"inline table extended by a dotted key", "[world]\nusers = {a = 1}\nusers.b = 2\n", "f.toml:3:1: world.users: invalid TOML: this table was written as an inline table"},
		{"inline table extended by a header", "world = {users = 100}\n[world.x]\n", "f.toml:2:2: world: invalid TOML: this table was written as an inline table"},
		{"error at the end of a line is on that line", "[world\nusers = 1\n", "f.toml:1:7: invalid TOML"},
		{"200,000-byte key", "[world]\n" + strings.Repeat("k", 200_000) + " = 1\n", "f.toml:2:1: key too long: 200000 bytes"},
		{"control bytes", "[world]\nname = \"\x1b]0;pwned\x07\"\n", "f.toml:2:9: control character '\\x1b'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.toml", []byte(c.src), nil)
			msg := mustProblems(t, err).Error()
			assert.True(t, strings.HasPrefix(msg, c.want), msg)
			assert.Less(t, len(msg), 400)
			assert.NotContains(t, msg, "\x1b")
		})
	}
}

// TestSetHostile: overrides go through the same limits, and a problem an
// override causes is blamed on it, not on a line of the file.
func TestSetHostile(t *testing.T) {
	cases := []struct {
		name string
		sets []string
		want string
	}{
		{"bad horizon gives one problem", []string{"world.days=-1"}, "--set: world.days: must be between 1 and 3660, got -1"},
		{"rename blamed on the override", []string{"platforms.wechat.name=alipay"}, "--set: platforms[0].name: another platform is already named \"alipay\"; names must be unique\n--set: platforms[1].strategy.rival: no platform named \"wechat\""},
		{"deep value", []string{"users.ticket=" + strings.Repeat("[", 1000)}, "--set: users.ticket: nested too deep"},
		{"huge override", []string{"world.name=" + strings.Repeat("x", MaxSetBytes)}, "--set: world.name: override too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("default", c.sets)
			msg := mustProblems(t, err).Error()
			assert.True(t, strings.HasPrefix(msg, c.want), msg)
		})
	}
}

// TestReadInputCaps: a device or a file past the cap is refused without
// reading it to the end.
func TestReadInputCaps(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.toml")
	require.NoError(t, os.WriteFile(big, make([]byte, MaxInputBytes+1), 0o644))
	for _, path := range []string{big, "/dev/zero"} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("SKIP %s: %v", path, err)
			continue
		}
		_, err := ReadInput(path, "scenario")
		assert.Contains(t, mustProblems(t, err).Error(), "too large", path)
	}
	_, err := ReadInput(t.TempDir(), "scenario")
	assert.Contains(t, mustProblems(t, err).Error(), "is a directory")
}

// TestEcho: control bytes are escaped and long echoes cut, with the length.
func TestEcho(t *testing.T) {
	assert.Equal(t, "plain", Echo("plain"))
	assert.Equal(t, `a\x1b[2Jb`, Echo("a\x1b[2Jb"))
	assert.Equal(t, `a\xffb`, Echo("a\xffb"))
	long := Echo(strings.Repeat("k", 200_000))
	assert.Less(t, len(long), 260)
	assert.Contains(t, long, "200000 bytes in all")
	assert.Equal(t, "红包", Echo("红包"))
}

// FuzzCheckRaw: the raw check never panics, points inside the source, and
// what it lets through stays within its limits of depth for the parser
// (a source it passes never nests deeper than MaxNesting brackets).
func FuzzCheckRaw(f *testing.F) {
	for _, src := range seedFiles(f) {
		f.Add(src)
	}
	hostile, _ := filepath.Glob("../cmd/hongbao/testdata/hostile/scenario/*.toml")
	for _, file := range hostile {
		if b, err := os.ReadFile(file); err == nil && len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte("a = \"\\\"\" # \"\n[b]\nc = '''\n\"\n'''\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p := CheckRaw("f.toml", src)
		if p == nil {
			return
		}
		lines := strings.Count(string(src), "\n") + 1
		if p.Line < 1 || p.Line > lines || p.Col < 1 || p.Message == "" {
			t.Fatalf("problem outside the source (%d lines): %+v", lines, p)
		}
	})
}

// TestProblemsCapped: a file with thousands of problems lists the first
// maxShown and says how many more there are.
func TestProblemsCapped(t *testing.T) {
	var src strings.Builder
	src.WriteString("[world]\n")
	for i := range 500 {
		fmt.Fprintf(&src, "unknown_%d = 1\n", i)
	}
	_, err := Parse("f.toml", []byte(src.String()), nil)
	msg := mustProblems(t, err).Error()
	lines := strings.Split(msg, "\n")
	assert.Len(t, lines, maxShown+1)
	assert.Contains(t, lines[maxShown], "more problems")
}
