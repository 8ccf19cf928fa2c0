package episodes

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// intensive is what must not depend on the number of simulated users: per
// platform, its share of wallet payment value over the last 30 days, its
// monthly actives per user at the horizon, and what is left of its
// treasury as a share of what it started with (a treasury that runs dry at
// one size and not another is the bug this test guards against).
func intensive(r *sim.Result, start []float64) []float64 {
	last := r.History[len(r.History)-1]
	var out []float64
	from := max(0, len(r.History)-30)
	for p := range r.Platforms {
		num, den := 0.0, 0.0
		for d := from; d < len(r.History); d++ {
			for q, m := range r.History[d].Platforms {
				den += float64(m.PaymentValueFen)
				if q == p {
					num += float64(m.PaymentValueFen)
				}
			}
		}
		share := 0.0
		if den > 0 {
			share = num / den
		}
		left := 1.0
		if start[p] > 0 {
			left = float64(last.Platforms[p].TreasuryFen) / start[p]
		}
		out = append(out, share, float64(last.Platforms[p].MAU)/float64(r.Scenario.World.Users), left)
	}
	return out
}

// TestScaleTrue runs every library scenario at 5,000 users on four seeds
// and at 50,000 users (and at the file's own size with
// HONGBAO_EPISODES_FULL=1), and checks that shares, actives per user and
// the share of each treasury left agree within sampling noise.
//
// The tolerance, per quantity: the spread between seeds at 5,000 users
// (sd5) gives the noise of the 4-seed mean (sd5²/4) and of one run at n
// users (sd5²·5000/n, noise falling as 1/n in variance); their difference
// is within 4 standard deviations of that sum except one time in ~16,000;
// 0.01 is added for quantities with no spread at all between seeds (a
// treasury no campaign touches) but a rounding of budgets to the fen, and
// 3% of the value for what size changes beyond noise: a 5,000-user graph
// has fewer and smaller hubs (with the ninth fit the largest gaps are
// default's wechat, a share of 0.256 at 50,000 users against 0.223 at
// 5,000, 2.5 of the noise's sds and 15% of the value, 0.47 of the
// tolerance, and learning-duel's kuaidi, 0.200 monthly actives per user
// against 0.258, 1.6 sds, 0.36 of it, neither with a festival; the
// festival's episodes come closer: spring-festival-2014's wechat, a
// share of 0.084 against 0.087, 0.5 sds, 0.09 of the tolerance, and
// 0.332 monthly actives per user against 0.336, 0.2 sds, 0.04 of it;
// laiwang-push-2013's laiwang, 0.0011 monthly actives per user against
// 0.0005, 3.4 sds of a level near zero, inside the 0.01. Of the gaps
// measured on earlier fits the largest was 0.55 of the tolerance, the
// sixth fit's default wechat treasury left, 4.6 sds and 4.5% of the
// value).
func TestScaleTrue(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs every library scenario at 50,000 users (about a minute) because scale is only visible across sizes")
	}
	for _, e := range scenarios.Library() {
		t.Run(e.Name, func(t *testing.T) {
			base, err := scenarios.Load(e.Name, nil)
			require.NoError(t, err)
			sizes := []int{50000}
			if os.Getenv("HONGBAO_EPISODES_FULL") != "" && base.World.Users != 50000 {
				sizes = append(sizes, base.World.Users)
			}
			metrics := func(s *scenarios.Scenario) []float64 {
				ms := s.AtModelScale()
				start := make([]float64, len(ms.Platforms))
				for p := range ms.Platforms {
					start[p] = float64(ms.Platforms[p].Treasury.Fen())
				}
				return intensive(run(t, s), start)
			}
			var small [][]float64
			for seed := uint64(1); seed <= 4; seed++ {
				small = append(small, metrics(load(t, e.Name, 5000, seed)))
			}
			k := len(small[0])
			mean5, sd5 := make([]float64, k), make([]float64, k)
			for i := range k {
				for _, m := range small {
					mean5[i] += m[i] / float64(len(small))
				}
				for _, m := range small {
					sd5[i] += (m[i] - mean5[i]) * (m[i] - mean5[i]) / float64(len(small)-1)
				}
				sd5[i] = math.Sqrt(sd5[i])
			}
			names := []string{"share", "mau/user", "treasury left"}
			for _, n := range sizes {
				big := metrics(load(t, e.Name, n, 1))
				for i := range k {
					tol := 4*sd5[i]*math.Sqrt(0.25+5000/float64(n)) + 0.01 + 0.03*math.Abs(mean5[i])
					t.Logf("%s at %d users: %s of %s %.4f against %.4f at 5,000 (sd %.4f, tolerance %.4f)",
						e.Name, n, names[i%3], base.Platforms[i/3].Name, big[i], mean5[i], sd5[i], tol)
					assert.InDelta(t, mean5[i], big[i], tol, "%s: %s of %s at %d users", e.Name, names[i%3], base.Platforms[i/3].Name, n)
				}
			}
		})
	}
}
