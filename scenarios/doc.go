// Package scenarios reads, checks and documents scenario files: the TOML that
// describes a world of users, merchants and wallet platforms for the
// simulator.
//
// A file only says what differs from the defaults (the SetDefaults methods);
// [Parse] overlays it on them, applies --set overrides, and checks the
// result against the tags of the schema (min, max, enum, unit) and against
// the rules that tie keys together, reporting every problem at once, with its
// line and column, as [Problems]. The same tags render docs/scenarios.md
// ([DocsMarkdown]), so the reference cannot drift from the loader.
//
// Scenarios shipped with the program live in library/ and are embedded
// ([Library], [LibrarySource]); [Load] takes either a library name or a path.
package scenarios
