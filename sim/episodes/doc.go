// Package episodes holds the tests of the episode library: the real
// battles of 2013–2017 (scenarios/library) replayed through the model's
// mechanisms, each fact checked on several seeds at a reduced size. It has
// no code of its own outside tests; docs/episodes.md tells the stories,
// the measured numbers and the full-size commands.
package episodes
