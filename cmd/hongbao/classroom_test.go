package main

import (
	"path/filepath"
	"testing"
)

func TestClassroomCommandUsage(t *testing.T) {
	dir := t.TempDir()
	checkUsage(t, "classroom", []usageCase{
		{"help", []string{"-h"}, 0, "", "hongbao classroom [--addr :8080] [--data DIR]"},
		{"an argument", []string{"taxi-war-2014"}, 2, "", `unexpected argument "taxi-war-2014"`},
		{"bad flag", []string{"--adr", ":1"}, 2, "", "unknown flag --adr; did you mean --addr?"},
		{"bad address", []string{"--addr", "nohost:99999", "--data", dir}, 1, "", "hongbao classroom:"},
		{"data folder is a file", []string{"--data", filepath.Join("classroom_test.go", "x")}, 1, "", "data folder"},
		{"bench needs students", []string{"--bench", "--students", "1"}, 1, "", "at least a session, two students"},
	})
}
