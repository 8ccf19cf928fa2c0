package search

// Journal is a search journal opened by another algorithm that runs the
// same kind of calls (a point, a group of seeds, a value): the posterior
// of package calibrate journals every simulation through it, so a killed
// run replays like a search (torn last line dropped, another
// fingerprint refused).
type Journal struct {
	j     *journal
	cache map[string]entry
}

// OpenJournal opens (or creates) dir/journal.jsonl for the calls of the
// computation identified by fingerprint, with the calls it already holds.
func OpenJournal(dir, fingerprint string) (*Journal, error) {
	cache := map[string]entry{}
	j, err := openJournal(dir, fingerprint, cache)
	if err != nil {
		return nil, err
	}
	return &Journal{j: j, cache: cache}, nil
}

// Lookup returns the journalled value of the call (x, seeds) and the
// figures kept with it.
func (j *Journal) Lookup(x []float64, seeds []uint64) (value float64, figures []float64, ok bool) {
	e, ok := j.cache[callKey("f", x, seeds)]
	return e.Value, e.Figures, ok
}

// Append writes a call through to the journal (a kill loses at most the
// line being written). Not safe for concurrent use: callers serialise.
func (j *Journal) Append(x []float64, seeds []uint64, value float64, figures []float64) error {
	e := entry{Obj: "f", X: x, Seeds: seeds, Value: value, Figures: figures}
	if err := j.j.append(e); err != nil {
		return err
	}
	j.cache[callKey("f", x, seeds)] = e
	return nil
}

// Sync flushes and fsyncs the journal.
func (j *Journal) Sync() error { return j.j.sync() }

// Close syncs and closes the journal.
func (j *Journal) Close() error { return j.j.close() }
