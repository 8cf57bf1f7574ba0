#define _POSIX_C_SOURCE 200809L
#include "ripple/checkpoint.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The last character is the model version the checkpoint's sums were
 * computed under: sums of another model cannot be continued. */
static const char MAGIC[8] = {'R', 'P', 'C', 'K', 'P', 'T', '2', '\0'};
static const char MAGIC_V1[8] = {'R', 'P', 'C', 'K', 'P', 'T', '1', '\0'};

typedef struct {
    char magic[8];
    char fingerprint[65];
    char pad[7];
    int32_t S, N, T, strategy;
    int64_t R, next;
} header;

/* The arrays of a checkpoint, in file order. */
typedef struct {
    void *p;
    size_t bytes;
} chunk;

static int chunks(const rp_results *r, const rp_acc *acc, double *sl,
                  int64_t next, chunk *c)
{
    size_t S = (size_t)r->S, N = (size_t)r->N, T = (size_t)r->T;
    size_t R = (size_t)r->R, k = 0;
    c[k++] = (chunk){r->rep, S * R * sizeof *r->rep};
    c[k++] = (chunk){r->node_dis_mean, S * N * sizeof(double)};
    c[k++] = (chunk){r->node_p_dis, S * N * sizeof(double)};
    c[k++] = (chunk){r->node_imp_mean, S * N * sizeof(double)};
    c[k++] = (chunk){r->node_p_imp, S * N * sizeof(double)};
    c[k++] = (chunk){r->node_lost_mean, S * N * sizeof(double)};
    c[k++] = (chunk){r->node_crit, S * N * sizeof(double)};
    c[k++] = (chunk){r->sl_mean, S * T * sizeof(double)};
    c[k++] = (chunk){r->sl_q, S * T * RP_NQUANT * sizeof(double)};
    c[k++] = (chunk){acc->dis_sum, N * sizeof(int64_t)};
    c[k++] = (chunk){acc->imp_sum, N * sizeof(int64_t)};
    c[k++] = (chunk){acc->dis_cnt, N * sizeof(int64_t)};
    c[k++] = (chunk){acc->imp_cnt, N * sizeof(int64_t)};
    c[k++] = (chunk){acc->lost_sum, N * sizeof(double)};
    c[k++] = (chunk){acc->crit_sum, N * sizeof(double)};
    c[k++] = (chunk){sl, (size_t)next * T * sizeof(double)};
    return (int)k;
}

rp_status rp_ckpt_write(const char *path, const rp_ckpt_state *st,
                        const rp_results *r, const rp_acc *acc,
                        const double *sl, rp_errors *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (f == NULL)
        return rp_err_runtime(err, "%s: cannot write the checkpoint: %s", path,
                              strerror(errno));
    header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    memcpy(h.fingerprint, st->fingerprint, sizeof h.fingerprint);
    h.S = r->S;
    h.N = r->N;
    h.T = r->T;
    h.R = r->R;
    h.strategy = st->strategy;
    h.next = st->next;
    chunk c[16];
    int n = chunks(r, acc, (double *)sl, st->next, c);
    int ok = fwrite(&h, sizeof h, 1, f) == 1;
    for (int k = 0; k < n && ok; k++)
        ok = c[k].bytes == 0 || fwrite(c[k].p, c[k].bytes, 1, f) == 1;
    ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return rp_err_runtime(err, "%s: writing the checkpoint failed", path);
    }
    return RP_OK;
}

rp_status rp_ckpt_read(const char *path, rp_ckpt_state *st, rp_results *r,
                       rp_acc *acc, double *sl, rp_errors *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return rp_err_add(err, "%s: no checkpoint to resume from (%s)", path,
                          strerror(errno));
    header h;
    int got = fread(&h, sizeof h, 1, f) == 1;
    if (got && memcmp(h.magic, MAGIC_V1, sizeof MAGIC_V1) == 0) {
        fclose(f);
        return rp_err_add(err,
                          "%s: the checkpoint was written under model "
                          "version 1 (suppliers without health); this engine "
                          "computes model version 2, so its sums cannot be "
                          "continued: run again without --resume",
                          path);
    }
    if (!got || memcmp(h.magic, MAGIC, sizeof MAGIC) != 0) {
        fclose(f);
        return rp_err_add(err, "%s: not a Ripple checkpoint", path);
    }
    h.fingerprint[64] = '\0';
    if (strcmp(h.fingerprint, st->fingerprint) != 0 || h.S != r->S ||
        h.N != r->N || h.T != r->T || h.R != r->R) {
        fclose(f);
        return rp_err_add(err,
                          "%s: the checkpoint belongs to another run "
                          "(scenario, seed, replications, horizon or "
                          "options differ); run without --resume",
                          path);
    }
    if (h.strategy < 0 || h.strategy >= r->S || h.next < 0 || h.next > r->R) {
        fclose(f);
        return rp_err_add(err, "%s: damaged checkpoint", path);
    }
    st->strategy = h.strategy;
    st->next = h.next;
    chunk c[16];
    int n = chunks(r, acc, sl, st->next, c);
    int ok = 1;
    for (int k = 0; k < n && ok; k++)
        ok = c[k].bytes == 0 || fread(c[k].p, c[k].bytes, 1, f) == 1;
    fclose(f);
    if (!ok)
        return rp_err_add(err, "%s: truncated checkpoint", path);
    return RP_OK;
}
