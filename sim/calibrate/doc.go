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
// RunPosterior draws the parameters' posterior by ABC-SMC: adaptive
// population Monte Carlo ABC (Lenormand, Jabot & Deffuant 2013) with the
// importance weights and the N(θ, 2Σ) kernel of Beaumont et al. (2009).
// The distance is L above on fresh seeds per particle; the tolerance of
// each generation is the α-quantile of the population's distances; the run
// stops when the acceptance rate falls below a floor or after a number of
// generations. The posterior's weighted quantiles give each parameter's
// 95% credible interval; one spanning more than half its range is poorly
// identified; pairs with weighted |correlation| above 0.7 are reported.
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
