// Package game is the game-theory solver layer of the hongbao simulator: finite
// normal-form (strategic) games, their Nash equilibria, learning dynamics and
// Gambit .nfg files. It needs nothing from the simulation and can be used on
// its own, for example on the payoff tables of a subsidy war.
//
// # Games and profiles
//
// A [Game] has any number of players, each with a finite list of strategies,
// and a payoff for every player at every pure strategy profile. Payoffs are
// stored exactly as [big.Rat]; a game built from float64 values ([NewFloat])
// is flagged inexact and the solvers then report floating-point answers
// with a stated tolerance. Pure profiles are numbered as in Gambit: the first
// player's strategy varies fastest (see [Game.ProfileIndex]).
//
// A mixed profile is a [Profile]: one probability vector per player, exact
// (rationals) or approximate (float64).
//
// # Solvers
//
//   - [EnumPure]: every pure Nash equilibrium, by checking each profile.
//   - [IESDS]: iterated elimination of strictly dominated strategies, by pure
//     strategies or, with an exact linear program, by mixed strategies.
//   - [EnumMixed]: every extreme Nash equilibrium of a two-player game, by
//     enumerating the vertices of the best-response polytopes in exact
//     arithmetic (von Stengel 2002; Avis, Rosenberg, Savani and von Stengel
//     2010), correct on degenerate games.
//   - [LemkeHowson]: one equilibrium of a two-player game by complementary
//     pivoting with the lexicographic rule, from any dropped label
//     (Lemke and Howson 1964; von Stengel 2002, section 3.6).
//   - [Logit]: one equilibrium of a game with any number of players by
//     following the principal branch of the logit quantal response
//     equilibrium correspondence to large λ (McKelvey and Palfrey 1995;
//     Turocy 2005), as gambit-logit does, then refined and verified.
//   - [Replicator] and [FictitiousPlay]: learning dynamics for any number of
//     players.
//
// Gambit's simplicial subdivision (gambit-simpdiv) is not implemented;
// [Logit] is the method for games with more than two players.
//   - [Regret], [IsEpsilonNash] and [Utility] check any profile.
//
// # Files and output
//
// [ReadNFG] and [WriteNFG] read and write Gambit's strategic-game format
// (https://gambitproject.readthedocs.io/en/latest/formats.html), both the
// payoff and the outcome version; parse errors are [*NfgError] values
// printed as file:line: message. [FormatNE] prints a profile the way
// Gambit's command-line tools do (NE,1/2,1/2,1/3,2/3), so the outputs can be
// compared with diff.
//
// References:
//
//   - B. von Stengel (2002), "Computing equilibria for two-person games",
//     chapter 45 of Handbook of Game Theory vol. 3, Aumann and Hart (eds.).
//   - D. Avis, G. D. Rosenberg, R. Savani, B. von Stengel (2010),
//     "Enumeration of Nash equilibria for two-player games", Economic Theory 42:9–37.
//   - R. D. McKelvey and A. McLennan (1996), "Computation of equilibria in
//     finite games", Handbook of Computational Economics vol. 1, 87–142.
//   - R. D. McKelvey and T. R. Palfrey (1995), "Quantal response equilibria
//     for normal form games", Games and Economic Behavior 10:6–38.
//   - T. L. Turocy (2005), "A dynamic homotopy interpretation of the logistic
//     quantal response equilibrium correspondence", Games and Economic Behavior 51:243–263.
//   - J. Hofbauer and K. Sigmund (1998), Evolutionary Games and Population Dynamics.
//   - G. W. Brown (1951), "Iterative solution of games by fictitious play";
//     J. Robinson (1951), "An iterative method of solving a game".
package game
