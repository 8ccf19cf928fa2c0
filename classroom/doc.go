// Package classroom runs the subsidy wars as a class game: teams of
// students play platforms of a scenario in the browser, round by round,
// against each other and against bots, and then see what the model makes
// of what they played.
//
// The server owns the state. Every action that changes a session (created,
// a student joined or moved, a decision, a round advanced) is appended to
// the session's log, an append-only JSON-lines file synced to disk before
// the action is acknowledged (see [Log]). A session is rebuilt from its
// log by deterministic replay: the same scenario and seed with the same
// decisions give the same world, byte for byte, so a server killed at any
// moment resumes every session where it was.
//
// A team is one more way to drive a platform: between rounds, its
// decisions set the platform's live levers (sim.World.SetLever), as the
// visualizer's sliders do, and its reactive strategy is switched off;
// seats that no team takes are played by the scenario's strategies or a
// bot the teacher picks (fixed, match, escalate, bandit, fictitious).
package classroom
