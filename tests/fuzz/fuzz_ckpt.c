/* libFuzzer target: arbitrary bytes as a checkpoint (checkpoint.c), read
 * for a fixed small run: tests/data/golden/chain.json with -r 257
 * --horizon 3 and the default risk register (1 strategy, 3 nodes, 3 days,
 * 257 replications, 1 threat), as `--stop-after 1` leaves it after the
 * first block of 256 replications.  A checkpoint that is damaged or
 * belongs to another run must be refused with a message, never crash or
 * read out of bounds.  Each input is read twice: as it is, and with its
 * header's run identity, size and SHA-256 checksum set to fit, so that
 * mutations reach the checks behind the checksum (sizes, progress marker,
 * contents).
 * Build: cmake -DRIPPLE_FUZZ=ON -DCMAKE_C_COMPILER=clang; run:
 * build-fuzz/fuzz_ckpt tests/fuzz/corpus_ckpt -max_total_time=180 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_tmp.h"
#include "ripple/checkpoint.h"
#include "ripple/run.h"

int rp_fuzz_ckpt(const uint8_t *data, size_t size);

/* the run identity the corpus's checkpoints carry (64 hex digits) */
#define RP_FUZZ_CKPT_ID                                                       \
    "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"

static struct {
    int ready;
    const char *path;
    rp_results r;
    rp_acc acc;
    double *sl;
} rp_fuzz_ck;

/* the arrays of the fixed run, as rp_run allocates them */
static int rp_fuzz_ckpt_init(void)
{
    if (rp_fuzz_ck.ready)
        return rp_fuzz_ck.ready > 0 ? 0 : -1;
    rp_fuzz_ck.ready = -1;
    rp_results *r = &rp_fuzz_ck.r;
    size_t S = 1, N = 3, T = 3, R = 257, NT = 1;
    r->S = (int)S;
    r->N = (int)N;
    r->E = 2;
    r->T = (int)T;
    r->R = (int64_t)R;
    r->NT = (int)NT;
    r->reg = 1; /* RP_REG_MARGINAL */
    r->rep = calloc(S * R, sizeof *r->rep);
    r->node_dis_mean = calloc(S * N, sizeof(double));
    r->node_p_dis = calloc(S * N, sizeof(double));
    r->node_imp_mean = calloc(S * N, sizeof(double));
    r->node_p_imp = calloc(S * N, sizeof(double));
    r->node_lost_mean = calloc(S * N, sizeof(double));
    r->node_crit = calloc(S * N, sizeof(double));
    r->sl_mean = calloc(S * T, sizeof(double));
    r->sl_q = calloc(S * T * RP_NQUANT, sizeof(double));
    r->sl_below = calloc(S * T, sizeof(double));
    r->reg_alone = calloc(S * R * NT, sizeof(double));
    r->reg_marg = calloc(S * R * NT, sizeof(double));
    r->reg_nev = calloc(S * R * NT, sizeof(int32_t));
    r->reg_att = calloc(S * R * NT, sizeof(int32_t));
    r->reg_sampled = calloc(S * R, sizeof(int32_t));
    rp_acc *a = &rp_fuzz_ck.acc;
    a->dis_sum = calloc(N, sizeof(int64_t));
    a->imp_sum = calloc(N, sizeof(int64_t));
    a->dis_cnt = calloc(N, sizeof(int64_t));
    a->imp_cnt = calloc(N, sizeof(int64_t));
    a->lost_sum = calloc(N, sizeof(double));
    a->crit_sum = calloc(N, sizeof(double));
    rp_fuzz_ck.sl = calloc(R * T, sizeof(double));
    rp_fuzz_ck.path = rp_fuzz_tmp_new("ckpt");
    /* (never freed: they live as long as the process) */
    if (r->rep == NULL || r->node_dis_mean == NULL || r->node_p_dis == NULL ||
        r->node_imp_mean == NULL || r->node_p_imp == NULL ||
        r->node_lost_mean == NULL || r->node_crit == NULL ||
        r->sl_mean == NULL || r->sl_q == NULL || r->sl_below == NULL ||
        r->reg_alone == NULL || r->reg_marg == NULL || r->reg_nev == NULL ||
        r->reg_att == NULL || r->reg_sampled == NULL || a->dis_sum == NULL ||
        a->imp_sum == NULL || a->dis_cnt == NULL || a->imp_cnt == NULL ||
        a->lost_sum == NULL || a->crit_sum == NULL || rp_fuzz_ck.sl == NULL ||
        rp_fuzz_ck.path == NULL)
        return -1;
    rp_fuzz_ck.ready = 1;
    return 0;
}

static void rp_fuzz_ckpt_read(const uint8_t *data, size_t size)
{
    if (rp_fuzz_tmp_write(rp_fuzz_ck.path, data, size) != 0)
        return;
    rp_errors *err = malloc(sizeof *err);
    if (err == NULL)
        return;
    rp_err_init(err);
    rp_ckpt_state st;
    memset(&st, 0, sizeof st);
    memcpy(st.fingerprint, RP_FUZZ_CKPT_ID, sizeof st.fingerprint);
    rp_run_ckpt_read(rp_fuzz_ck.path, &st, &rp_fuzz_ck.r, &rp_fuzz_ck.acc,
                     rp_fuzz_ck.sl, err);
    free(err);
}

int rp_fuzz_ckpt(const uint8_t *data, size_t size)
{
    if (rp_fuzz_ckpt_init() != 0)
        return 0;
    rp_fuzz_ckpt_read(data, size);
    /* header: magic 8, layout 4, model version 4, run identity 64 (at 16),
     * ..., file size 8 (at 312), SHA-256 32 (at 320): 352 bytes */
    if (size < 352 || size > ((size_t)1 << 24))
        return 0;
    uint8_t *fix = malloc(size);
    if (fix == NULL)
        return 0;
    memcpy(fix, data, size);
    memcpy(fix + 16, RP_FUZZ_CKPT_ID, 64);
    uint64_t total = size;
    memcpy(fix + 312, &total, sizeof total);
    memset(fix + 320, 0, 32);
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (EVP_Digest(fix, size, sum, &len, EVP_sha256(), NULL) && len == 32) {
        memcpy(fix + 320, sum, 32);
        rp_fuzz_ckpt_read(fix, size);
    }
    free(fix);
    return 0;
}

#ifndef RIPPLE_FUZZ_REPLAY
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return rp_fuzz_ckpt_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rp_fuzz_ckpt(data, size);
}
#endif
