package sim

import "golang.org/x/sys/unix"

// exchangeDirs swaps two folders' names in one step (renameat2 with
// RENAME_EXCHANGE, Linux 3.15 and later).
func exchangeDirs(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
