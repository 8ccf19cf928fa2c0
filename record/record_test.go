package record

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltInRecordLoads checks every built-in file and that the held-out
// figures the calibration must never see are tagged so.
func TestBuiltInRecordLoads(t *testing.T) {
	all, err := All()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	tags := map[string]string{}
	for _, f := range all {
		tags[f.ID] = f.Tag
		assert.NotEmpty(t, f.Source, f.ID)
	}
	for _, id := range []string{"an-2015q3-alipay", "an-2015q3-wechat", "an-2016q1-alipay", "an-2016q1-wechat", "an-2016q3-alipay",
		"an-2016q3-wechat", "an-2016q4-alipay", "an-2016q4-wechat", "cards-2015q3", "cards-2016-03", "eve-2015", "eve-2016", "eve-2017",
		"taxi-rides-after-vs-march"} {
		assert.Equal(t, Holdout, tags[id], "%s must be held out", id)
	}
	fit, err := Select(Fit, "share_value")
	require.NoError(t, err)
	for _, f := range fit {
		assert.Equal(t, "iresearch", f.Series, "%s: the fitted shares are iResearch's only", f.ID)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "id,metric,series,platform,period,value,unit,scope,tag,publisher,title,published,source\n"
	cases := []struct{ name, src, want string }{
		{"no header", "# only a comment\n", "no header row"},
		{"bad header", "id,metric\n", "wrong number of fields"},
		{"wrong column", strings.Replace(head, "scope", "scop", 1), `header column 8 is "scop"`},
		{"bad value", head + "a,m,s,p,2014,x,percent,sc,fit,pub,t,2014,src\n", `f.csv:2:14: value: "x" is not a finite number`},
		{"bad tag", head + "a,m,s,p,2014,1,percent,sc,guess,pub,t,2014,src\n", `tag: "guess" is not fit, holdout or input`},
		{"bad period", head + "a,m,s,p,2014Q5,1,percent,sc,fit,pub,t,2014,src\n", `period: "2014Q5"`},
		{"percent", head + "a,m,s,p,2014,101,percent,sc,fit,pub,t,2014,src\n", "not a percentage"},
		{"empty", head + "a,m,,p,2014,1,percent,sc,fit,pub,t,2014,src\n", "series: is empty"},
		{"NaN", head + "a,m,s,p,2014,NaN,percent,sc,fit,pub,t,2014,src\n", "not a finite number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.csv", strings.NewReader(c.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestCheckNeverMixesSeries(t *testing.T) {
	a := Figure{ID: "a", Metric: "share_value", Series: "iresearch", File: "x.csv", Line: 2}
	b := Figure{ID: "b", Metric: "share_value", Series: "analysys", File: "x.csv", Line: 3}
	assert.ErrorContains(t, Check([]Figure{a, b}), "never mix")
	b.File = "y.csv"
	assert.NoError(t, Check([]Figure{a, b}))
	c := Figure{ID: "c", Metric: "share_value", Series: "iresearch", File: "y2.csv", Line: 3}
	assert.ErrorContains(t, Check([]Figure{a, c}), "keep one firm's shares in one file")
	assert.ErrorContains(t, Check([]Figure{a, a}), "already used")
}

func FuzzParse(f *testing.F) {
	entries, _ := files.ReadDir(".")
	for _, e := range entries {
		src, _ := files.ReadFile(e.Name())
		f.Add(string(src))
	}
	f.Add("id\n\"unterminated")
	f.Fuzz(func(t *testing.T, src string) {
		figs, err := Parse("fuzz.csv", strings.NewReader(src))
		if err != nil {
			assert.Nil(t, figs)
			assert.Contains(t, err.Error(), "record: fuzz.csv")
			return
		}
		for _, f := range figs {
			assert.True(t, f.Tag == Fit || f.Tag == Holdout || f.Tag == Input)
			assert.True(t, validPeriod(f.Period))
		}
	})
}
