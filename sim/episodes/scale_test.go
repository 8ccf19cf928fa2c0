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
// has fewer and smaller hubs (with the eighth fit the largest gaps are
// example-minimal's wechat, a share of 0.097 at 50,000 users against
// 0.086 at 5,000, 2.9 of the noise's sds and 12% of the value, 0.39 of
// the tolerance, and learning-duel's kuaidi, 0.278 monthly actives per
// user against 0.365, 1.6 sds, 0.37 of it, neither with a festival; the
// festival's episodes come closer than under the seventh:
// spring-festival-2014's wechat, a share of 0.071 against 0.074, 0.7
// sds, 0.11 of the tolerance, and 0.181 monthly actives per user against
// 0.198, 1.1 sds, 0.22 of it; default's wechat share, 0.240 against
// 0.216, 0.9 sds, 0.20 of it. With the seventh fit the largest gaps were
// spring-festival-2014's wechat, a share of 0.069 at 50,000 users against
// 0.083 at 5,000, 4.2 of the noise's sds and 17% of the value, 0.53 of
// the tolerance, the most of it, and its monthly actives per user, 0.184
// against 0.222, 2.5 sds, 0.49 of the tolerance; default's wechat share,
// 0.248 against 0.220, 2.1 sds, 0.40 of it; and laiwang-push-2013's
// laiwang, 0.0012 monthly actives per user against 0.0003, 7.6 sds of a
// level near zero, inside the 0.01. With the sixth fit default's wechat,
// 0.779 of its treasury left at 50,000 users against 0.815 at 5,000, 4.6
// of the noise's sds and 4.5% of the value, 0.55 of the tolerance, and
// its share, 0.115 against 0.100, 3.2 sds, 0.48 of the tolerance; and
// laiwang-push-2013's wechat, 0.377 monthly actives per user against
// 0.385, 4.3 sds but 2.0% of the value, 0.27 of the tolerance. With the
// fifth fit china-2013-2017's alipay, 0.690 against 0.700, 8.8 sds (its
// seeds differed by 0.002) but 1.5% of the value, 0.29 of the tolerance; city-services-2015-one-sided's
// wechat, 0.222 against 0.234, 0.36 of the tolerance; default's weibo,
// 0.0041 against 0.0024, 7.2 sds of a level near zero, inside the 0.01.
// With the fourth fit taxi-war-2014's alipay, 0.434 against
// 0.423, and laiwang-push-2013's wechat, 0.408 against 0.414: 3.4 sds, a
// third of the tolerance at most; with the third fit taxi-war-2014's
// wechat, 3.9 sds; default's wechat, once 4 points more of its treasury
// spent at 50,000 users, spends 0.8 more, 0.6 sds).
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
