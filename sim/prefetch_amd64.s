#include "textflag.h"

#define PF(ARG) MOVQ ARG, AX; PREFETCHT0 (AX)

#include "prefetch6.h"
