package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestEventsResolved: events' names (kind, merchant kinds, platform) are
// resolved when the world is built or the event starts, so a bad name is
// an error then, and the day's factors need no name.
func TestEventsResolved(t *testing.T) {
	w, err := New(testScenario(300, 30, 1))
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		e    scenarios.Event
		err  string
	}{
		{"unknown kind", scenarios.Event{Kind: "earthquake"}, `unknown event kind "earthquake"`},
		{"unknown platform", scenarios.Event{Kind: "outage", Platform: "paypal", Severity: 0.5}, `unknown platform "paypal"`},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.ErrorContains(t, w.StartEvent(tc.e), tc.err) })
	}

	taxi, online := w.kindIndex["taxi"], w.kindIndex["online"]
	require.NoError(t, w.StartEvent(scenarios.Event{Kind: "flash_sale", Name: "taxi day", Days: 2, Spending: 3, MerchantKinds: []string{"taxi", "boats"}}))
	require.NoError(t, w.StartEvent(scenarios.Event{Kind: "outage", Platform: "alipay", Severity: 0.5}))
	var s season
	w.cal.dayFactors(0, len(w.kinds), w.K, &s)
	assert.True(t, s.flash)
	assert.Equal(t, 3.0, s.kindMul[taxi], "the kind on sale")
	assert.Equal(t, 1.0, s.kindMul[online], "a kind not on sale")
	assert.Equal(t, []float64{0, 0.5, 0}, s.outage)
	assert.Equal(t, []string{"taxi day", "outage"}, s.names)
	w.cal.dayFactors(2, len(w.kinds), w.K, &s)
	assert.False(t, s.flash, "over after its days")
	assert.Empty(t, s.names)

	// The test scenario's Spring Festival (day 3, 7 days): spending 1.3,
	// envelopes 80 on the eve and 20 after.
	w.cal.dayFactors(3, len(w.kinds), w.K, &s)
	assert.Equal(t, [2]float64{1.3, 80}, [2]float64{s.spending, s.envelopes})
	w.cal.dayFactors(4, len(w.kinds), w.K, &s)
	assert.Equal(t, [2]float64{1.3, 20}, [2]float64{s.spending, s.envelopes})
}

// TestDateOnly: record's date formatting writes what time.DateOnly does,
// for the years it formats itself and those it leaves to time.
func TestDateOnly(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2015, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(1000, 10, 9, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(999, 3, 4, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 5, 6, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 7, 8, 0, 0, 0, 0, time.UTC),
	} {
		assert.Equal(t, d.Format(time.DateOnly), dateOnly(d))
	}
}
