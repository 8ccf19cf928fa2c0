package classroom

import (
	"context"
	"testing"
	"time"
)

// BenchmarkClassroom is the load case: 4 sessions × 40 students
// (each a websocket client on 127.0.0.1), rounds of 30 days stepping a
// 100,000-user world. It reports the median and the largest time from a
// round's last submission to every student's new dashboard.
//
//	go test ./classroom -run '^$' -bench Classroom -benchtime 1x
func BenchmarkClassroom(b *testing.B) {
	for range b.N {
		rep, err := Bench(context.Background(), BenchOptions{Sessions: 4, Students: 40, Users: 100_000, Rounds: 2, RoundDays: 30})
		if err != nil {
			b.Fatal(err)
		}
		n := len(rep.Latencies)
		b.ReportMetric(float64(rep.Latencies[n/2])/float64(time.Millisecond), "ms-median/dashboard")
		b.ReportMetric(float64(rep.Latencies[n-1])/float64(time.Millisecond), "ms-max/dashboard")
		b.ReportMetric(float64(rep.StepTimes[len(rep.StepTimes)/2])/float64(time.Millisecond), "ms-median/round-step")
	}
}
