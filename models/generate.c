/* Network generator.
 *
 * Tier 0 holds the customers (a quarter of the nodes, each with final
 * demand); tiers 1..K-1 hold the suppliers, more of them further upstream.
 * A buyer in tier k draws 1-3 inputs, each with 1-3 substitute suppliers
 * from tier k+1: the first in turn (so every supplier has a buyer), the
 * others with Zipf-like popularity (weight 1/rank^0.8), so a few suppliers
 * serve very many buyers, as in real networks.  Lead times,
 * stocks, capacities' slack and regions are drawn per node or edge.  The
 * output uses the network format as is, so any scenario can name it. */
#include "ripple/generate.h"

#include <math.h>
#include <stdlib.h>

#include "ripple/rng.h"

void rp_gen_defaults(rp_gen_opts *o)
{
    o->nodes = 1000;
    o->tiers = 5;
    o->degree = 5;
    o->regions = 12;
    o->seed = 1;
}

/* A small, deterministic generator for the structure (Philox stream). */
typedef struct {
    gsl_rng *r;
} gen;

static double unif(gen *g)
{
    return gsl_rng_uniform(g->r);
}

long rp_gen_max_tiers(long nodes)
{
    long N = nodes < 10 ? 10 : nodes;
    long suppliers = N - N / 4;
    return suppliers + 1 < 50 ? suppliers + 1 : 50;
}

/* Tier sizes: start[k] .. start[k + 1] - 1 are the nodes of tier k
 * (k = 0..K-1): customers a quarter, the rest growing upstream. */
static void tier_starts(long N, int K, long *start)
{
    long customers = N / 4;
    double wsum = 0;
    for (int k = 1; k < K; k++)
        wsum += k;
    start[0] = 0;
    start[1] = customers;
    long left = N - customers;
    for (int k = 1; k < K; k++) {
        long size =
            k == K - 1 ? left : (long)((double)(N - customers) * k / wsum);
        if (size < 1)
            size = 1;
        if (size > left - (K - 1 - k))
            size = left - (K - 1 - k);
        start[k + 1] = start[k] + size;
        left -= size;
    }
}

/* The "nodes" array's entries, tier by tier. */
static void write_nodes(FILE *f, gen *g, const rp_gen_opts *o, int K,
                        const long *start)
{
    static const char *const kinds[] = {"customer", "warehouse", "plant",
                                        "supplier"};
    for (int k = 0; k < K; k++) {
        const char *kind = kinds[k < 3 ? k : 3];
        for (long i = start[k]; i < start[k + 1]; i++) {
            int reg = (int)(unif(g) * o->regions);
            fprintf(f,
                    "%s{\"id\": \"n%ld\", \"kind\": \"%s\", \"region\": "
                    "\"R%d\", \"tags\": [\"tier%d\"], \"inventory_days\": %d",
                    i ? ",\n" : "", i, kind, reg, k,
                    k == 0 ? 3 + (int)(unif(g) * 5) : 5 + (int)(unif(g) * 15));
            if (k == 0)
                fprintf(f, ", \"demand\": %d, \"unit_value\": %d",
                        10 + (int)(unif(g) * 90), 50 + (int)(unif(g) * 450));
            fputc('}', f);
        }
    }
}

/* Up to three suppliers of one input from tier s0 .. s1 - 1 into chosen
 * (-1: none): the round robin's *rr first, then ns - 1 by popularity
 * (cum: cumulative Zipf weights, a duplicate draw dropped). */
static void pick_suppliers(gen *g, int ns, long s0, long s1, const double *cum,
                           long *rr, long chosen[3])
{
    double total = cum[s1 - 1];
    chosen[0] = chosen[1] = chosen[2] = -1;
    for (int z = 0; z < ns; z++) {
        if (z == 0) {
            chosen[0] = *rr;
            *rr = *rr + 1 < s1 ? *rr + 1 : s0;
            continue;
        }
        /* binary search the popularity */
        double x = unif(g) * total;
        long lo = s0, hi = s1 - 1;
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            if (cum[mid] < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        int dup = 0;
        for (int y = 0; y < z; y++)
            dup |= chosen[y] == lo;
        if (dup)
            continue;
        chosen[z] = lo;
    }
}

/* The "edges" array's entries: every buyer of tier k draws its inputs
 * from tier k + 1.  cum: cumulative Zipf weights within each supplier
 * tier.  Returns the number of edges. */
static long write_edges(FILE *f, gen *g, const rp_gen_opts *o, int K,
                        const long *start, const double *cum)
{
    long edges = 0;
    double per_group = 2.0, groups_mean = o->degree / per_group;
    for (int k = 0; k < K - 1; k++) {
        long s0 = start[k + 1], s1 = start[k + 2];
        long rr = s0; /* round robin: every supplier gets a buyer */
        for (long b = start[k]; b < start[k + 1]; b++) {
            int ng = 1 + (int)(unif(g) * (2 * groups_mean - 1) + 0.5);
            if (k == 0)
                ng = 1; /* customers buy one product, maybe from several */
            for (int q = 0; q < ng; q++) {
                int ns = 1 + (int)(unif(g) * 3);
                long chosen[3];
                int lead = 1 + (int)(unif(g) * 10);
                pick_suppliers(g, ns, s0, s1, cum, &rr, chosen);
                int real = 0;
                for (int z = 0; z < 3; z++)
                    real += chosen[z] >= 0;
                for (int z = 0; z < 3; z++) {
                    if (chosen[z] < 0)
                        continue;
                    fprintf(f,
                            "%s{\"from\": \"n%ld\", \"to\": \"n%ld\", "
                            "\"input\": \"i%d\", \"lead_time\": %d}",
                            edges ? ",\n" : "", chosen[z], b, q,
                            lead + (real > 1 ? z : 0));
                    edges++;
                }
            }
        }
    }
    return edges;
}

long rp_generate(FILE *f, const rp_gen_opts *o)
{
    long N = o->nodes < 10 ? 10 : o->nodes;
    int K = o->tiers < 2 ? 2 : o->tiers;
    /* every supplier tier needs a node (the command line refuses more
     * tiers than that; see rp_gen_max_tiers) */
    if (K > rp_gen_max_tiers(N))
        K = (int)rp_gen_max_tiers(N);
    gen g = {gsl_rng_alloc(rp_rng_philox)};
    if (g.r == NULL)
        return -1;
    rp_rng_stream(g.r, o->seed, 0, 0xFFFF, 0, 0);
    long *start = calloc((size_t)K + 1, sizeof *start);
    double *cum = NULL;
    if (start == NULL) {
        gsl_rng_free(g.r);
        return -1;
    }
    tier_starts(N, K, start);
    fprintf(f, "{\"name\": \"generated-%ld\", \"nodes\": [\n", N);
    write_nodes(f, &g, o, K, start);
    fprintf(f, "\n], \"edges\": [\n");
    /* Zipf popularity within each supplier tier: cumulative weights */
    cum = malloc((size_t)N * sizeof *cum);
    if (cum == NULL) {
        free(start);
        gsl_rng_free(g.r);
        return -1;
    }
    for (int k = 1; k < K; k++) {
        double c = 0;
        for (long i = start[k]; i < start[k + 1]; i++) {
            c += 1.0 / pow((double)(i - start[k] + 1), 0.8);
            cum[i] = c;
        }
    }
    long edges = write_edges(f, &g, o, K, start, cum);
    fprintf(f, "\n]}\n");
    free(cum);
    free(start);
    gsl_rng_free(g.r);
    return ferror(f) ? -1 : edges;
}
