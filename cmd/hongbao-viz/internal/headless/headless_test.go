package headless

import "testing"

func TestWantsHelp(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"-h"}, true},
		{[]string{"--help"}, true},
		{[]string{"-users", "5", "-help", "default"}, true},
		{[]string{"default"}, false},
		{[]string{"--", "-h"}, false}, // a scenario file named -h
		{nil, false},
	} {
		if got := WantsHelp(tt.args); got != tt.want {
			t.Errorf("WantsHelp(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
