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
// Intervals come from a quadratic response surface (a Laplace
// approximation) fitted to the search's own evaluations near the optimum:
// L ≈ L₀ + gᵀu + ½uᵀHu in the unit cube, by least squares over the journal's
// full-objective calls nearest the best point. With L = χ² = −2 log
// likelihood under Gaussian errors, the covariance of the estimate is
// 2H⁻¹ (eigenvalues of H below a floor are raised to it, and their
// directions reported as poorly identified). A parameter's interval is
// θ̂ ± 1.96·sd, clipped to its bounds; a parameter whose interval spans
// more than half its range is poorly identified; pairs with |correlation|
// above 0.7 are reported. This is an approximation: it is local, it
// assumes the loss is quadratic near the optimum, and the noise of the
// simulation adds to the curvature; ABC-SMC would be the sound
// alternative (docs/calibration.md).
//
// # Validation
//
// Validate runs the fitted profile on the held-out figures over seeds and
// over draws from the approximate posterior, and reports each with its
// 90% predictive band and the held-out RMSE of the shares.
package calibrate
