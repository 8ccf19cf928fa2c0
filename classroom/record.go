package classroom

// RecordPoint is a public figure of the real war to set beside the
// class's: a platform's share on a date, with its source.
type RecordPoint struct {
	Date     string  `json:"date"`
	Day      int     `json:"day"` // index into the session's dates; −1 outside its horizon
	Platform string  `json:"platform"`
	Share    float64 `json:"share"`
	Note     string  `json:"note"`
	Source   string  `json:"source"`
}

// records are the shares the record gives for the classroom's two wars,
// copied from the project's record of public figures (docs/classroom.md
// cites them again). The taxi shares are of the taxi-app market, which
// the two held at more than 99% (iResearch, Q2 2014), so they compare with
// share_value; the wallet shares are of all third-party mobile payment
// value, of which the two held 89% in Q1 2014, so they are renormalised to
// the two (76.2 / 89.1 = 85.5%) to compare with share_value.
var records = map[string][]RecordPoint{
	"taxi-war-2014": {
		{Date: "2014-06-30", Platform: "alipay", Share: 0.536, Note: "Kuaidi (Alipay), Analysys; disputed: Didi claimed 68%", Source: "pymnts.com/news/2014/chinas-alibaba-and-tencent-call-off-taxi-app-war"},
		{Date: "2014-06-30", Platform: "wechat", Share: 0.456, Note: "Didi (WeChat Pay), Analysys; disputed", Source: "pymnts.com/news/2014/chinas-alibaba-and-tencent-call-off-taxi-app-war"},
	},
	"spring-festival-2014": {
		{Date: "2014-03-31", Platform: "alipay", Share: 0.855, Note: "Alipay 76.2% of third-party mobile payment value in Q1 2014 (iResearch), 85.5% of the two", Source: "topic.alibabacloud.com/article/china-third-party-mobile-payment-market-transaction-size-statistics_2_6_2331.html"},
		{Date: "2014-03-31", Platform: "wechat", Share: 0.145, Note: "Tenpay 12.9% in Q1 2014 (iResearch), 14.5% of the two", Source: "topic.alibabacloud.com/article/china-third-party-mobile-payment-market-transaction-size-statistics_2_6_2331.html"},
	},
}

// recordFor returns the record's points for a library scenario, placed
// on the session's dates.
func recordFor(scenario string, dates []string) []RecordPoint {
	out := []RecordPoint{}
	for _, rp := range records[scenario] {
		rp.Day = -1
		for d, date := range dates {
			if date == rp.Date {
				rp.Day = d
			}
		}
		out = append(out, rp)
	}
	return out
}
