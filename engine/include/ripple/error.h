/* Ripple error records.
 *
 * Every function that can fail returns an rp_status and, for input errors,
 * appends human-readable messages to an rp_errors list.  Only main() prints.
 * Messages are complete ("in.json: items[3].rate: must be ..."); the
 * caller adds the "ripple: error: " prefix when printing.
 */
#ifndef RIPPLE_ERROR_H
#define RIPPLE_ERROR_H

#include <stdarg.h>

typedef enum {
    RP_OK = 0,
    RP_ERUNTIME = 1, /* I/O, memory, HDF5 */
    RP_EINPUT = 2    /* invalid input or usage */
} rp_status;

#define RP_ERR_MAX 50
#define RP_ERR_MSG 512

typedef struct rp_errors {
    int count;   /* messages stored (<= RP_ERR_MAX) */
    int dropped; /* further messages not stored */
    int runtime; /* nonzero if any message is a runtime (not input) failure */
    char msg[RP_ERR_MAX][RP_ERR_MSG];
} rp_errors;

void rp_err_init(rp_errors *e);
/* Append an input error; printf-style. Always returns RP_EINPUT. */
rp_status rp_err_add(rp_errors *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append a runtime error. Always returns RP_ERUNTIME. */
rp_status rp_err_runtime(rp_errors *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Status implied by the list: RP_OK when empty. */
rp_status rp_err_status(const rp_errors *e);
int rp_err_any(const rp_errors *e);

#endif
