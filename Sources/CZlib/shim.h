#ifndef LOADTREE_CZLIB_SHIM_H
#define LOADTREE_CZLIB_SHIM_H
#include <zlib.h>
#endif
