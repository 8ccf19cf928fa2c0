//go:build amd64 || arm64

package sim

// canPrefetch says that prefetch6 asks for lines (in assembly, as Go has
// no prefetch of its own).
const canPrefetch = true

// prefetch6 asks the processor to bring the lines at six addresses into
// its caches and goes on without waiting for them (PREFETCHT0 on amd64,
// PRFM PLDL1KEEP on arm64). Unlike a load, a prefetch does not hold the
// instructions after it until its line comes, so it can be issued many
// users ahead. An address need not be valid: a prefetch never faults.
//
//go:noescape
func prefetch6(a, b, c, d, e, f uintptr)
