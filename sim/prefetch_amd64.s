#include "textflag.h"

// PF asks for the line at the address in argument ARG.
#define PF(ARG) MOVQ ARG, AX; PREFETCHT0 (AX)

// func prefetch6(a, b, c, d, e, f uintptr)
TEXT ·prefetch6(SB), NOSPLIT|NOFRAME, $0-48
	PF(a+0(FP))
	PF(b+8(FP))
	PF(c+16(FP))
	PF(d+24(FP))
	PF(e+32(FP))
	PF(f+40(FP))
	RET
