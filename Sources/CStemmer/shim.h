#ifndef COCREA_CSTEMMER_SHIM_H
#define COCREA_CSTEMMER_SHIM_H
#include <libstemmer.h>
#endif
