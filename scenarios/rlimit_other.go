//go:build !unix

package scenarios

// addressSpaceLimit is unknown here.
func addressSpaceLimit() int64 { return 0 }
