package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDidYouMean(t *testing.T) {
	kinds := []string{"factorial", "morris", "saltelli"}
	tests := []struct {
		word, intro, want string
	}{
		{"moris", "the kinds are", "; did you mean morris?"},
		{"Factorial", "", "; did you mean factorial?"},
		{"grid", "the kinds are", "; the kinds are factorial, morris, saltelli"},
		{"grid", "", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, DidYouMean(tt.word, kinds, tt.intro), tt.word)
	}
}
