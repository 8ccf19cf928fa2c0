package scenarios

// Helpers for other TOML formats of the project (sweep and game files), so
// that every file hongbao reads reports problems the same way.

// KeyLocator tells where each key of a TOML source is. Paths join table
// keys with "." and array elements with "[i]", e.g. "params[1].values".
type KeyLocator struct{ l *locator }

// LocateKeys scans TOML source and returns where each key is. It never
// fails: keys it cannot place have no position.
func LocateKeys(src []byte) KeyLocator { return KeyLocator{locate(src)} }

// Find returns the 1-based line and column of path's key, or of its nearest
// ancestor that has one, so that a problem about a missing key points at
// the table that lacks it; 0, 0 when nothing is known.
func (k KeyLocator) Find(path string) (line, col int) {
	p := k.l.find(path)
	return p.line, p.col
}

// Suggest returns the candidate closest to word ("did you mean"), or ""
// when none is close: the same up to case, '_' and '-', or within a small
// edit distance.
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }

// DescribeValue names the TOML type of a decoded value, with the value
// when it is short, for "want X, got Y" messages.
func DescribeValue(raw any) string { return describe(raw) }
