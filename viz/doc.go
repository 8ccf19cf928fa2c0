// Package viz is the live visualizer of hongbao: a window (or a browser
// canvas) that shows a running world — the social graph coloured by
// wallet, red envelopes flying along friendships, the merchant district,
// a dashboard of each platform with live charts — and lets a person steer
// it: play, pause, step, speed, reset, choose a scenario, move each
// platform's levers, start a Spring Festival or an outage.
//
// The package is the small ebiten adapter the Ebitengine examples
// recommend: [Game] implements ebiten.Game and only draws and reads input.
// The world runs in its own goroutine inside a [live.Runner]; the picture
// is computed by package [scene], which does not import ebiten. A frame
// reads the latest [scene.Snapshot] and never waits for the simulation.
//
// Drawing is batched: every dot of the graph is one triangle textured with
// a disc, all in one DrawTriangles call (up to 21,845 dots per call);
// envelope flights and merchants are batched the same way.
package viz
