// Package live runs a world in its own goroutine for the visualizer and
// lets a person steer it while it runs.
//
// A [sim.World] is not safe for concurrent use, so a [Runner] owns it: the
// runner's goroutine holds a mutex while it steps the world and, still
// holding it, copies what drawing needs into an immutable
// [scene.Snapshot]. The renderer only ever reads the latest snapshot
// ([Runner.Latest]); what a person does (play, pause, levers, events) is
// queued ([Runner.SetLever], [Runner.StartEvent], …; levers reach the
// world through each platform's External policy) and applied by the
// runner between days, so no frame ever waits for a step.
package live
