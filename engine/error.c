/* Error records (ripple/error.h): messages collected in an rp_errors list
 * and the status they amount to; only main prints them. */
#include "ripple/error.h"

#include <stdio.h>
#include <string.h>

#include "ripple/util.h"

void rp_err_init(rp_errors *e)
{
    memset(e, 0, sizeof *e);
}

/* Messages quote what the input holds (ids, keys, paths), so they are
 * stored escaped: a newline or an ANSI escape sequence in an id must not
 * reach the terminal (rp_escape). */
static void err_vadd(rp_errors *e, const char *fmt, va_list ap)
{
    if (e->count >= RP_ERR_MAX) {
        e->dropped++;
        return;
    }
    char raw[RP_ERR_MSG];
    vsnprintf(raw, sizeof raw, fmt, ap);
    rp_escape(raw, e->msg[e->count], RP_ERR_MSG);
    e->count++;
}

rp_status rp_err_add(rp_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vadd(e, fmt, ap);
    va_end(ap);
    return RP_EINPUT;
}

rp_status rp_err_runtime(rp_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vadd(e, fmt, ap);
    va_end(ap);
    e->runtime = 1;
    return RP_ERUNTIME;
}

int rp_err_any(const rp_errors *e)
{
    return e->count > 0 || e->dropped > 0;
}

rp_status rp_err_status(const rp_errors *e)
{
    if (!rp_err_any(e))
        return RP_OK;
    return e->runtime ? RP_ERUNTIME : RP_EINPUT;
}
