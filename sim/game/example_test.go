package game_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/paywars/hongbao/sim/game"
)

// The battle of the sexes has two pure equilibria and a mixed one.
func ExampleEnumMixed() {
	const bos = `NFG 1 R "Battle of the sexes" { "Wife" "Husband" } { 2 2 }
2 1  0 0  0 0  1 2`
	g, err := game.ReadNFG(strings.NewReader(bos), "bos.nfg")
	if err != nil {
		log.Fatal(err)
	}
	eqs, err := game.EnumMixed(g)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range eqs {
		fmt.Println(game.FormatNE(p))
	}
	// Output:
	// NE,1,0,1,0
	// NE,2/3,1/3,1/3,2/3
	// NE,0,1,0,1
}

// A malformed file gives a file:line: message error.
func ExampleReadNFG_error() {
	_, err := game.ReadNFG(strings.NewReader("NFG 1 R \"t\" { \"A\" } { 2 }\n1 x"), "t.nfg")
	fmt.Println(err)
	// Output:
	// t.nfg:2: expected payoff 2 of 2, got 'x'
}

// The logit path finds the unique equilibrium of Jordan's three-player
// matching pennies, recognised as exact.
func ExampleLogit() {
	const jordan = `NFG 1 R "Jordan" { "1" "2" "3" } { 2 2 2 }
1 1 0  0 1 1  0 0 0  1 0 1  1 0 1  0 0 0  0 1 1  1 1 0`
	g, err := game.ReadNFG(strings.NewReader(jordan), "jordan.nfg")
	if err != nil {
		log.Fatal(err)
	}
	a, err := game.Logit(g, game.LogitOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(game.FormatNE(a.Profile), a.Regret)
	// Output:
	// NE,1/2,1/2,1/2,1/2,1/2,1/2 0
}
