//go:build !amd64 && !arm64

package sim

// canPrefetch is false where prefetch6 has no assembly (wasm among
// them): the users loops then skip their scan ahead (partition.prefetchDue).
const canPrefetch = false

// prefetch6 does nothing here; see prefetch_asm.go.
func prefetch6(a, b, c, d, e, f uintptr) {}
