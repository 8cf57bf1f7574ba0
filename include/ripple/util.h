/* Small helpers shared by the modules. */
#ifndef RIPPLE_UTIL_H
#define RIPPLE_UTIL_H

#include <stddef.h>

/* strdup for C11; NULL on allocation failure. */
char *rp_strdup(const char *s);

#endif
