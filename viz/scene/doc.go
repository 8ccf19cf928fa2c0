// Package scene is what the live visualizer draws, without drawing it: the
// picture of the social graph laid out by community ([Layout]), the merchant
// district ([MerchantLayout]), the colours of wallets ([Palette]), the
// sliders that move a platform's levers ([LeverSpec]) and the [Snapshot] of
// a running world that the renderer reads.
//
// Nothing here imports ebiten, so the package tests without a display, and
// nothing here is a rule of the model: every number comes from a
// [sim.World] through its read API.
package scene
