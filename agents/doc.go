// Package agents holds the decision rules of hongbao's agents: how users
// adopt a wallet and choose how to pay, how habit and trust move, how red
// envelopes are split, how merchants pick the wallets they accept, and how
// platforms set their subsidies and react to rivals.
//
// Rules here are small pure functions over plain values, named after the
// behaviour they model (SplitLuckyMoney, AdoptionUtility, ChooseMethod,
// DecayHabit, MerchantWantsWallet, ...), so a reader finds each rule of
// ../shared/MODEL.md in one hop. The engine in package sim owns the state and
// calls them; nothing here keeps global state or draws random numbers except
// through the uniform draws passed in.
package agents
