// Package empirical is the empirical-game layer of the hongbao simulator:
// it turns a strategist's question ("if we pay 10 yuan a ride and they answer
// with 12, who wins, and where would rational rivals settle?") into a
// normal-form game whose payoffs are estimated by simulation, and solves it.
//
// This is empirical game-theoretic analysis (Wellman 2006; Tuyls et al.
// 2020): simulate every strategy profile, estimate each player's payoff with
// replicates, solve the estimated game, and check each equilibrium's regret
// against the noise of the estimates.
//
// # Game files
//
// A game file (TOML; docs/game.md) names a base scenario, the players
// (platforms of the scenario) and each player's strategies, each a list of
// --set overrides of the player's own platform. [ParseSpec] reads it and
// [Bind] checks it against the scenario, reporting every problem at once as
// scenarios.Problems ("file:line:col: key: message").
//
// # Simulation
//
// [Bind] turns each strategy into an overlay of its platform (the fields
// the strategy changes, as a TOML inline table) and builds a factorial sweep
// (package sweep) with one parameter per player, platforms[k], whose levels
// are the player's strategies, and one output per player, its payoff. With
// common random numbers (the default), replicate r of every profile runs on
// the same seed. [Execute] runs that sweep on every core with its journal,
// so an interrupted game resumes where it stopped, and the results are the
// same bytes however the runs were split, ordered or resumed.
//
// # Estimation and solution
//
// A [Table] holds every replicate's payoff of every player at every profile.
// The estimated game is its mean payoffs ([Table.MeanGame]); [Analyze]
// solves it with package game: every pure equilibrium (EnumPure), for two
// players every extreme mixed equilibrium (EnumMixed), for more the logit
// solution (Logit). A deviation's gain u_i(j, p_{-i}) − u_i(p) is a linear
// combination of mean payoffs; with common random numbers its standard error
// comes from the paired, replicate-by-replicate differences
// ([Table.Contrast]), which cancels the noise the profiles share. A gain is
// significant when it exceeds ε by more than 1.96 standard errors ([Z95]).
// Each equilibrium carries its regret in the estimated game, the 95% upper
// bound of its regret in the true game, and whether it is rejected (a
// deviation gains significantly) or confirmed (every deviation's upper
// bound is within ε).
//
// # Output
//
// [WriteFiles] writes the estimated game as a Gambit .nfg file (`hongbao
// nash` on it prints the same equilibria), the payoff table as CSV, the
// best-response graph as Graphviz DOT, heat maps of the payoff table with
// the equilibria marked, replicator-dynamics plots for players with two
// strategies, and the [Report] as text and JSON.
//
// References:
//
//   - M. P. Wellman (2006), "Methods for empirical game-theoretic
//     analysis", AAAI-06, 1552–1555.
//   - K. Tuyls, J. Pérolat, M. Lanctot, E. Hughes, R. Everett, J. Z. Leibo,
//     C. Szepesvári, T. Graepel (2020), "Bounds and dynamics for empirical
//     game theoretic analysis", Autonomous Agents and Multi-Agent Systems 34:7.
//   - Y. Vorobeychik (2010), "Probabilistic analysis of simulation-based
//     games", ACM Transactions on Modeling and Computer Simulation 20(3):16.
//   - A. M. Law (2015), Simulation Modeling and Analysis, 5th ed., section
//     11.2 (common random numbers and paired comparisons).
package empirical
