package agents

import "sync"

// External is a policy whose levers are set from outside, between days:
// the live visualizer's sliders, a classroom's players, an optimiser. It
// follows Base (nil: adds nothing) and sets outright the levers given to
// Set or SetLevers, from the next day planned on.
//
// External is safe for concurrent use: a server may call Set from its
// handlers while another goroutine steps the world; a day planned sees
// the levers as they were when it began.
type External struct {
	Base Policy

	mu     sync.Mutex
	levers Levers
}

// NewExternal returns an External over base with no lever set.
func NewExternal(base Policy) *External { return &External{Base: base, levers: NoLevers} }

// Decide is Base's decision with the levers set from outside.
func (e *External) Decide(obs Observation) Decision {
	var d Decision
	if e.Base != nil {
		d = e.Base.Decide(obs)
	}
	if lv := e.Levers(); lv != NoLevers {
		o := lv // allocated only here: most days set no lever
		d.Override = &o
	}
	return d
}

// Unwrap returns the policy the levers override.
func (e *External) Unwrap() Policy { return e.Base }

// Levers returns the levers set now (negative fields: not set). The zero
// External (no NewExternal) reports the zero Levers until Set is called.
func (e *External) Levers() Levers {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.levers
}

// SetLevers replaces every lever at once (NoLevers gives them all back to
// Base and the schedule).
func (e *External) SetLevers(l Levers) {
	e.mu.Lock()
	e.levers = l
	e.mu.Unlock()
}

// Set changes some levers: f edits a copy of the levers set now, and the
// copy replaces them, atomically.
func (e *External) Set(f func(l *Levers)) {
	e.mu.Lock()
	f(&e.levers)
	e.mu.Unlock()
}
