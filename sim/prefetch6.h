// The body of prefetch6, shared by the architectures' files, each of
// which defines PF(ARG): ask for the line at the address in argument ARG.

// func prefetch6(a, b, c, d, e, f uintptr)
TEXT ·prefetch6(SB), NOSPLIT|NOFRAME, $0-48
	PF(a+0(FP))
	PF(b+8(FP))
	PF(c+16(FP))
	PF(d+24(FP))
	PF(e+32(FP))
	PF(f+40(FP))
	RET
