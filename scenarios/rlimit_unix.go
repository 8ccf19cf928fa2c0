//go:build unix

package scenarios

import "syscall"

// addressSpaceLimit is the process's RLIMIT_AS in bytes; 0 when unlimited.
func addressSpaceLimit() int64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &r); err != nil || r.Cur == ^uint64(0) || r.Cur > 1<<62 {
		return 0
	}
	return int64(r.Cur)
}
