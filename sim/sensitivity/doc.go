// Package sensitivity provides experimental designs and global sensitivity
// analysis for sweeps of model runs. It knows nothing of the simulation: a
// design is a matrix of parameter values, one row per run, and an analysis
// takes one output per row, in row order.
//
// The workflow is
//
//  1. describe the inputs as [Param] values: a list of levels, a range with
//     a step, or a distribution (uniform, truncated normal, lognormal,
//     log-uniform);
//  2. build a [Design]: [FullFactorial], [LatinHypercube], [Saltelli] for
//     Sobol' indices, or [Morris] for elementary-effects screening; every
//     random design is deterministic given its *rand.Rand;
//  3. run the model once per row of Design.Points;
//  4. analyse the outputs with [AnalyzeSobol] (first- and total-order
//     indices with bootstrap intervals) or [AnalyzeMorris] (μ, μ*, σ);
//  5. report with the results' Table methods (sim/sweep draws their charts
//     with sim/chart, in the style of every other chart).
//
// Points are drawn in the unit hypercube [0, 1]^k and mapped through each
// parameter's inverse CDF or level list; see [Param.Quantile].
//
// Morris screening is cheap (r·(k+1) runs, r ≈ 10–50) and ranks many
// parameters; Sobol' indices cost N·(k+2) runs (N ≈ 2^10–2^14) and
// apportion the output variance. A usual sweep screens with Morris first and
// computes Sobol' indices for the parameters that matter.
//
// References:
//
//   - Morris, M. D. (1991). Factorial sampling plans for preliminary
//     computational experiments. Technometrics 33:161–174.
//   - Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective
//     screening design for sensitivity analysis of large models. Environ.
//     Model. Softw. 22:1509–1518.
//   - Jansen, M. J. W. (1999). Analysis of variance designs for model
//     output. Comput. Phys. Commun. 117:35–43.
//   - Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M.,
//     Tarantola, S. (2010). Variance based sensitivity analysis of model
//     output. Design and estimator for the total sensitivity index. Comput.
//     Phys. Commun. 181:259–270.
//   - Joe, S., Kuo, F. Y. (2008). Constructing Sobol sequences with better
//     two-dimensional projections. SIAM J. Sci. Comput. 30:2635–2654.
package sensitivity
