// Package calibrate fits the library's one behavioural parameter set (a
// profile, scenarios/profile.go) to the public record (package record)
// jointly over several episodes, and measures how well the fitted model
// predicts the figures it never saw.
//
// # Method
//
// A spec (Spec, a TOML file) names the profile, the parameters with bounds
// and priors, the episodes and the record's figures to fit (tag fit only:
// a held-out figure is refused as a target). The loss of a parameter
// vector on one replicate is
//
//	L(θ) = Σ_i z_i²,   z_i = (m_i(θ) − y_i) / σ_i
//
// where y_i is the figure, σ_i the standard error the spec gives it (the
// figure's own imprecision plus what the model cannot be asked to match),
// and m_i(θ) the model's figure averaged over the replicate's seeds; a
// count is compared in log10 (z = (log10 m − log10 y)/σ), so σ = 0.15 is
// about ±40%. Every episode is run on the same seeds for every candidate
// (common random numbers). The search is package search's bounded CMA-ES
// with restarts, cheap screening at a smaller size and re-checks of each
// new best on fresh seeds.
//
// # Uncertainty
//
// RunPosterior draws the parameters' posterior by ABC-SMC with MCMC moves
// (Del Moral, Doucet & Jasra 2012): the distance is L above on fresh seeds
// per particle; each generation the α-quantile of the distances is the
// tolerance, the survivors are resampled and each moved by one ABC-MCMC
// step (a random walk folded into the bounds), so every particle weighs
// the same and a refused move leaves a copy; with [posterior] moved the
// moves repeat in rounds until that share of the particles has moved
// (Drovandi & Pettitt 2011), so the copies do not pile up as the
// acceptance falls. The run stops when the moves' acceptance falls below
// a floor (by default 1 − √α with one move, below which the copies
// outgrow the moves), after a bound on its particles, or after a number
// of generations. The
// posterior's quantiles give each parameter's 95% credible interval; one
// spanning more than half its range is poorly identified; pairs with
// |correlation| above 0.7 are reported. Importance-sampling ABC-SMC
// (Beaumont et al. 2009's weights and N(θ, 2Σ) kernel) was replaced: its
// weights collapse in the library's 19 dimensions.
// Every simulation is journalled (package search's journal), so a killed
// run resumes and gives the same posterior.
//
// Calibrate still fits a quadratic response surface (a Laplace
// approximation, covariance 2H⁻¹) to the search's own evaluations near the
// optimum; it is local and overconfident when the loss is noisy, and is
// kept as a cross-check printed beside the posterior, not as the
// intervals (docs/calibration.md).
//
// # Validation
//
// Validate runs the fitted profile on the held-out figures over seeds and
// over posterior draws (the ABC particles when there are some), and
// reports each with its 90% predictive band and the held-out RMSE of the
// shares.
package calibrate
