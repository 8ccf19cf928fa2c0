#include "textflag.h"

#define PF(ARG) MOVD ARG, R0; PRFM (R0), PLDL1KEEP

#include "prefetch6.h"
