#ifndef COCREA_CQRENCODE_SHIM_H
#define COCREA_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
