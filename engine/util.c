#include "ripple/util.h"

#include <stdlib.h>
#include <string.h>

char *rp_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = malloc(n);
    if (r != NULL)
        memcpy(r, s, n);
    return r;
}
