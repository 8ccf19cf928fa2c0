package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/game"
)

func init() {
	register(command{name: "nash", summary: "compute Nash equilibria of a Gambit .nfg game", run: nashCmd})
}

// nashMethods are the accepted --method values with a one-line description.
var nashMethods = []struct{ name, doc string }{
	{"enumpure", "all pure-strategy equilibria"},
	{"enummixed", "all extreme equilibria, exact (2 players; default for 2 players)"},
	{"lcp", "one equilibrium by Lemke–Howson from --label, exact (2 players)"},
	{"logit", "logit QRE path to λ=1e6, refined (any players; default for 3+)"},
	{"simpdiv", "not implemented; use logit (accepted so Gambit-style scripts get a clear error)"},
	{"iesds", "iterated elimination of strictly dominated strategies (by pure or mixed strategies); prints the reduced game as .nfg"},
	{"replicator", "final state of the replicator dynamic from the centroid"},
	{"fictitious", "empirical frequencies of fictitious play"},
}

// nashExample is the file written by --write-example: the battle of the
// sexes in the outcome version of the format.
const nashExample = `NFG 1 R "Battle of the sexes" { "Wife" "Husband" }

{ { "Opera" "Football" }
{ "Opera" "Football" }
}
""

{
{ "both opera" 2, 1 }
{ "both football" 1, 2 }
}
1 0 0 2
`

// approxTol is the regret below which an approximate profile from the
// dynamics is printed as an equilibrium ("NE,…") rather than "profile,…".
const approxTol = 1e-6

// nashHelp is printed by nash -h on stdout and after a mistake on stderr,
// so nash does not give it to its flag set (see nashCmd).
var nashHelp = help{
	synopsis: []string{"hongbao nash FILE.nfg [--method M] [--decimals N] [--label K] [--steps N]", "hongbao nash --write-example"},
	about:    nashAbout(),
	examples: []string{
		"hongbao nash --write-example > bos.nfg",
		"hongbao nash bos.nfg",
		"NE,1,0,1,0",
		"NE,2/3,1/3,1/3,2/3",
		"NE,0,1,0,1",
	},
}

// nashAbout builds the description of nashHelp from approxTol and
// nashMethods, so that the help cannot drift from what nash accepts.
func nashAbout() string {
	var b strings.Builder
	fmt.Fprintf(&b, `Computes Nash equilibria of a game in Gambit's .nfg format (FILE or - for stdin)
and prints one per line as Gambit's tools do: NE,p1_s1,p1_s2,...,p2_s1,...
Exact methods print rationals (1/2); approximate ones print decimals and their
regret on stderr. The dynamics print "profile,..." when the end state is not an
equilibrium within %g.

Methods:`, approxTol)
	for _, m := range nashMethods {
		fmt.Fprintf(&b, "\n  %-10s  %s", m.name, m.doc)
	}
	return b.String()
}

func nashCmd(args []string, stdout, stderr io.Writer) int {
	// The flag package stays silent (io.Discard): nash reports a bad flag
	// itself, as "nash: ...", before its help.
	fs := flag.NewFlagSet("nash", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	method := fs.String("method", "", "solution method (default enummixed for 2 players, logit otherwise)")
	decimals := fs.Int("decimals", -1, "print probabilities in fixed point with `N` digits; -1 prints exact results as rationals and others with 6 digits")
	label := fs.Int("label", 0, "dropped label for lcp, 0-based: player 1's strategies, then player 2's")
	steps := fs.Int("steps", 10000, "steps of replicator (dt = 0.01) or rounds of fictitious play")
	example := fs.Bool("write-example", false, "print an example .nfg file (battle of the sexes) and exit")
	flags, pos := splitArgs(fs, args)
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			nashHelp.write(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "nash: %v\n\n", err)
		nashHelp.write(stderr, fs)
		return 2
	}
	if *example {
		fmt.Fprint(stdout, nashExample)
		return 0
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "nash: want one .nfg file, got %d arguments\n\n", len(pos))
		nashHelp.write(stderr, fs)
		return 2
	}
	known := false
	for _, m := range nashMethods {
		known = known || m.name == *method
	}
	if *method != "" && !known {
		fmt.Fprintf(stderr, "nash: unknown method %q\n\n", *method)
		nashHelp.write(stderr, fs)
		return 2
	}
	if *method == "simpdiv" {
		fmt.Fprintln(stderr, "nash: simpdiv is not implemented; --method logit computes an equilibrium for any number of players")
		return 2
	}
	if *steps < 1 {
		fmt.Fprintf(stderr, "nash: --steps must be positive, got %d\n", *steps)
		return 2
	}

	var g *game.Game
	var err error
	if pos[0] == "-" {
		g, err = game.ReadNFG(os.Stdin, "<stdin>")
	} else {
		g, err = game.ReadNFGFile(pos[0])
	}
	if err != nil {
		var ne *game.NfgError
		if errors.As(err, &ne) {
			fmt.Fprintln(stderr, ne.Error()) // file:line: message, nothing else
		} else {
			fmt.Fprintf(stderr, "nash: %s\n", scenarios.Echo(err.Error()))
		}
		return 1
	}
	if *method == "" {
		*method = "logit"
		if g.NumPlayers() == 2 {
			*method = "enummixed"
		}
	}
	twoPlayer := map[string]bool{"enummixed": true, "lcp": true}
	if twoPlayer[*method] && g.NumPlayers() != 2 {
		fmt.Fprintf(stderr, "nash: method %s needs a two-player game; this one has %d players (try --method logit)\n", *method, g.NumPlayers())
		return 2
	}
	if err := game.CheckCost(g, *method, *steps); err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", scenarios.Echo(pos[0]), strings.TrimPrefix(err.Error(), "game: "))
		return 1
	}
	print := func(tag string, p game.Profile) {
		fmt.Fprintln(stdout, game.FormatProfile(tag, p, *decimals))
	}
	switch *method {
	case "enumpure":
		for _, p := range game.EnumPure(g) {
			print("NE", p)
		}
	case "enummixed":
		eqs, err := game.EnumMixed(g)
		if err != nil {
			fmt.Fprintf(stderr, "nash: %v\n", err)
			return 1
		}
		for _, p := range eqs {
			print("NE", p)
		}
	case "lcp":
		p, err := game.LemkeHowson(g, *label)
		if err != nil {
			fmt.Fprintf(stderr, "nash: %v\n", err)
			return 2
		}
		print("NE", p)
	case "logit":
		a, err := game.Logit(g, game.LogitOptions{})
		if err != nil {
			fmt.Fprintf(stderr, "nash: %v\n", err)
			return 1
		}
		print("NE", a.Profile)
		if !a.Profile.Exact() {
			fmt.Fprintf(stderr, "nash: logit: regret %.3g at lambda %.3g\n", a.Regret, a.Lambda)
		}
	case "iesds":
		red, _ := game.IESDS(g, true)
		if err := game.WriteNFG(stdout, red, game.NFGAuto); err != nil {
			fmt.Fprintf(stderr, "nash: %v\n", err)
			return 1
		}
	case "replicator", "fictitious":
		var tr game.Trajectory
		if *method == "replicator" {
			tr, err = game.Replicator(g, game.ReplicatorOptions{Steps: *steps})
		} else {
			tr, err = game.FictitiousPlay(g, game.FictitiousOptions{Steps: *steps})
		}
		if err != nil {
			fmt.Fprintf(stderr, "nash: %v\n", err)
			return 1
		}
		tag := "profile"
		if g.IsEpsilonNash(tr.Final, approxTol) {
			tag = "NE"
		}
		print(tag, tr.Final)
		fmt.Fprintf(stderr, "nash: %s: regret %.3g after %d steps\n", *method, g.Regret(tr.Final), *steps)
	}
	return 0
}
