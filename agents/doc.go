// Package agents holds the decision rules of hongbao's agents: how users
// adopt a wallet and choose how to pay, how habit and trust move, how red
// envelopes are split, how merchants pick the wallets they accept, and how
// platforms decide their subsidies (Policy).
//
// Rules here are small pure functions over plain values, named after the
// behaviour they model (SplitLuckyMoney, AdoptionUtility, ChooseMethod,
// DecayHabit, FirstPaymentReturn, CapacityFailure, InducedShare,
// Spendable, MerchantWantsWallet, ...), each with its formula and source in
// its doc comment and a table test, so a reader finds each rule of
// ../docs/model.md (which links every one) in one hop. The engine in
// package sim owns the state and calls them; the hot ones are kept small
// enough to inline into its daily step.
//
// A platform's decisions are a Policy, one type per file (Fixed, Match,
// Escalate, Bandit, Fictitious, under a TreasuryFloor, behind an External
// layer for decisions from outside the model), built once per world by
// NewPolicy and asked every morning to Decide from an Observation of what
// the platform could know. Nothing here keeps global state or draws random
// numbers except through the uniform draws passed in.
package agents
