package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGroupThousands(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "999": "999", "1000": "1,000", "-1000": "-1,000",
		"1234567": "1,234,567", "-123456": "-123,456", "12": "12",
	} {
		assert.Equal(t, want, GroupThousands(in), in)
	}
}
