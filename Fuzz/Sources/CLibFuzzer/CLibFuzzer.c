// SwiftPM builds a C target only from a source file; the declaration is all this module is for.
#include "CLibFuzzer.h"
