package calibrate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Prediction is a held-out figure against the model's predictive band.
type Prediction struct {
	ID      string  `json:"id"`
	Episode string  `json:"episode"`
	Metric  string  `json:"metric"`
	Period  string  `json:"period"`
	Unit    string  `json:"unit"`
	Record  float64 `json:"record"`
	Median  float64 `json:"median"` // at the point estimate, over seeds
	Lo      float64 `json:"lo"`     // 5% of the predictive draws (seeds × posterior draws)
	Hi      float64 `json:"hi"`     // 95%
	Inside  bool    `json:"inside"`
	Ratio   float64 `json:"ratio"` // median over record
	Draws   int     `json:"draws"`
}

// Validation is the fitted model against the figures it never saw.
type Validation struct {
	Profile     string       `json:"profile"`
	Users       int          `json:"users"`
	Seeds       int          `json:"seeds"`
	Draws       int          `json:"posterior_draws"`
	DrawsFrom   string       `json:"draws_from"` // the posterior the draws come from
	Predictions []Prediction `json:"predictions"`
	RMSEShares  float64      `json:"holdout_rmse_shares_points"`
	// RMSESharesFrom is the same RMSE over the share figures from each
	// year of the record on, so that an aim stated over later periods
	// (issue #11's is Analysys's quarters from 2015 on) can be read
	// without dropping figures from the spec.
	RMSESharesFrom []YearRMSE `json:"holdout_rmse_shares_from_year"`
	Simulations    int        `json:"simulations"`
}

// YearRMSE is the held-out RMSE of the share figures whose period is in
// Year or later.
type YearRMSE struct {
	Year    string  `json:"year"`
	Figures int     `json:"figures"`
	RMSE    float64 `json:"rmse_points"`
}

// rmseFromYears is the RMSE of the share predictions' medians against the
// record over the figures from each year on, earliest first. A period
// starts with its year ("2015Q3", "2016-03-31", "2015").
func rmseFromYears(preds []Prediction) []YearRMSE {
	var years []string
	for _, p := range preds {
		if p.Metric == "share_value" && len(p.Period) >= 4 && !slices.Contains(years, p.Period[:4]) {
			years = append(years, p.Period[:4])
		}
	}
	slices.Sort(years)
	var out []YearRMSE
	for _, y := range years {
		rmse, n := shareRMSE(preds, y)
		out = append(out, YearRMSE{Year: y, Figures: n, RMSE: rmse})
	}
	return out
}

// shareRMSE is the RMSE, in points, of the share predictions' medians
// against the record over the figures whose period is from the year from
// on ("" for all), and how many there are; 0 when there are none.
func shareRMSE(preds []Prediction, from string) (float64, int) {
	se, n := 0.0, 0
	for _, p := range preds {
		if p.Metric == "share_value" && p.Period >= from {
			se += (p.Median - p.Record) * (p.Median - p.Record)
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return math.Sqrt(se / float64(n)), n
}

// NormalDraws draws n parameter vectors from N(x, cov) clipped to the
// parameters' bounds (the quadratic surface's approximate posterior).
func NormalDraws(sp *Spec, x []float64, cov [][]float64, n int) ([][]float64, error) {
	k := len(x)
	sym := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			sym.SetSym(i, j, (cov[i][j]+cov[j][i])/2)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, fmt.Errorf("calibrate: the covariance is not positive definite")
	}
	var L mat.TriDense
	ch.LTo(&L)
	rng := rand.New(rand.NewPCG(sp.Seed, 0x5eed))
	var out [][]float64
	for range n {
		z := make([]float64, k)
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		d := make([]float64, k)
		for i := range k {
			v := x[i]
			for j := 0; j <= i; j++ {
				v += L.At(i, j) * z[j]
			}
			d[i] = min(sp.Params[i].Hi, max(sp.Params[i].Lo, v))
		}
		out = append(out, d)
	}
	return out, nil
}

// Draws resamples n of the posterior's final particles by weight (with
// replacement, a fixed stream from the spec's seed).
func (p *Posterior) Draws(sp *Spec, n int) [][]float64 {
	rng := rand.New(rand.NewPCG(sp.Seed, 0xd5a3))
	out := make([][]float64, n)
	for i := range out {
		out[i] = append([]float64(nil), p.X[pickWeighted(rng, p.Weights)]...)
	}
	return out
}

// Medians is the vector of the posterior's marginal medians.
func (p *Posterior) Medians() []float64 {
	x := make([]float64, len(p.Params))
	for i, q := range p.Params {
		x[i] = q.Median
	}
	return x
}

// Validate runs the held-out targets at the point estimate x (the profile's
// values for keys) and at each of draws (posterior draws: Posterior.Draws,
// or NormalDraws), each on seeds seeds, and reports each figure's median
// at the point estimate (over seeds), its 90% predictive band (over seeds
// and draws) and the held-out RMSE of the shares at the point estimate.
// from says where the draws came from.
func Validate(ctx context.Context, sp *Spec, x []float64, draws [][]float64, from string, seeds, users int) (*Validation, error) {
	keys := sp.Keys()
	xs := append([][]float64{x}, draws...)
	vals := make([][]float64, len(sp.Holdout))
	point := make([][]float64, len(sp.Holdout))
	sims := 0
	eps := map[string]bool{}
	for _, t := range sp.Holdout {
		eps[t.Episode] = true
	}
	for k, xk := range xs {
		ss := make([]uint64, seeds)
		for i := range ss {
			ss[i] = sp.Seed + 3<<20 + uint64(k*seeds+i) // apart from the search's, re-checks' and confirmation's seeds
		}
		ev, err := Evaluate(ctx, sp.Holdout, sp.Episodes, keys, xk, users, ss)
		if err != nil {
			return nil, err
		}
		sims += seeds * len(eps)
		for i := range sp.Holdout {
			vals[i] = append(vals[i], ev.Seeds[i]...)
			if k == 0 {
				point[i] = append([]float64(nil), ev.Seeds[i]...)
			}
		}
	}
	v := &Validation{Profile: sp.Profile, Users: users, Seeds: seeds, Draws: len(xs) - 1, DrawsFrom: from, Simulations: sims}
	for i, t := range sp.Holdout {
		xs := append([]float64(nil), vals[i]...)
		sort.Float64s(xs)
		sort.Float64s(point[i])
		p := Prediction{ID: t.ID, Episode: t.Episode, Metric: t.Figure.Metric, Period: t.Figure.Period, Unit: t.Figure.Unit,
			Record: t.Figure.Value, Median: quantile(point[i], 0.5), Lo: quantile(xs, 0.05), Hi: quantile(xs, 0.95), Draws: len(xs)}
		p.Inside = p.Record >= p.Lo && p.Record <= p.Hi
		if p.Record != 0 {
			p.Ratio = p.Median / p.Record
		}
		v.Predictions = append(v.Predictions, p)
	}
	v.RMSEShares, _ = shareRMSE(v.Predictions, "")
	v.RMSESharesFrom = rmseFromYears(v.Predictions)
	return v, nil
}

// quantile of sorted xs by linear interpolation.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// WriteProfile returns the profile source src with the values of keys set
// to x: each key's line in its table is rewritten (its comment kept), and a
// key the profile does not have is added at the end of its table (a
// missing [festival] or [wallets.NAME] table is added at the end).
func WriteProfile(src []byte, keys []string, x []float64) ([]byte, error) {
	lines := strings.Split(string(src), "\n")
	header := regexp.MustCompile(`^\s*\[([A-Za-z0-9_.\-]+)\]\s*(#.*)?$`)
	for i, k := range keys {
		dot := strings.LastIndex(k, ".")
		table, key := k[:dot], k[dot+1:]
		sub := ""
		if strings.HasPrefix(table, "users.") { // users.price_sensitivity.mean
			table, sub = "users", strings.TrimPrefix(k[:dot], "users.")
		}
		val := strconv.FormatFloat(x[i], 'g', 6, 64)
		cur, done, end := "", false, -1
		for j, line := range lines {
			if m := header.FindStringSubmatch(line); m != nil {
				if cur == table {
					end = j
				}
				cur = m[1]
				continue
			}
			if cur != table {
				continue
			}
			end = j + 1
			t := strings.TrimSpace(line)
			if sub != "" {
				if strings.HasPrefix(t, sub+" ") || strings.HasPrefix(t, sub+"=") {
					re := regexp.MustCompile(`(\b` + regexp.QuoteMeta(key) + `\s*=\s*)([-+0-9.eE_]+)`)
					if !re.MatchString(line) {
						return nil, fmt.Errorf("calibrate: %s: no %s in the inline table", k, key)
					}
					lines[j] = re.ReplaceAllString(line, "${1}"+val)
					done = true
					break
				}
				continue
			}
			if strings.HasPrefix(t, key+" ") || strings.HasPrefix(t, key+"=") {
				comment := ""
				if c := strings.Index(line, "#"); c >= 0 {
					comment = " " + line[c:]
				}
				lines[j] = key + " = " + val + comment
				done = true
				break
			}
		}
		if done {
			continue
		}
		if sub != "" {
			return nil, fmt.Errorf("calibrate: %s: the profile has no %s", k, sub)
		}
		if end < 0 {
			for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
				lines = lines[:len(lines)-1]
			}
			lines = append(lines, "", "["+table+"]", key+" = "+val)
			continue
		}
		for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
			end--
		}
		lines = append(lines[:end], append([]string{key + " = " + val}, lines[end:]...)...)
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return []byte(strings.Join(lines, "\n") + "\n"), nil
}
