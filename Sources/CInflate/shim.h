#ifndef COCREA_CINFLATE_SHIM_H
#define COCREA_CINFLATE_SHIM_H
#include <zlib.h>
#endif
