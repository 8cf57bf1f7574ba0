/* The daily flow model (docs/model.md).
 *
 * The loop itself is in flow_lanes.h, written once and compiled here for
 * one lane (single runs: tests, the stress test) and for RP_LANES lanes
 * (replications stepped in lockstep by the Monte Carlo driver).
 *
 * Layout for speed: edges are stored by buyer group, so a buyer's arrivals,
 * consumption, weights and orders walk memory in order; every state array
 * is [item][lanes].  Each edge has a ring of L slots (min(L, T) for runs
 * of T days, see ring_cap): today's arrival is
 * read from a slot and today's shipment written into the same slot, to
 * arrive L days later; the quantity in transit is kept beside the ring
 * (for L = 1 it is the ring's one slot).  A one-day input of a node whose
 * inputs are all single-sourced keeps no ring at all: its stock slot holds
 * the stock after consumption plus the shipment on its way, which is
 * exactly the next day's stock after arrivals (the same addition, so the
 * same bits), and the order needs only the two values it has in hand when
 * they are summed.  Without a cycle, the nodes are
 * walked suppliers first and each is done in one go (see day() in
 * flow_lanes.h).
 *
 * Quiet days (docs/model.md): when no event is active in a lane and
 * every state quantity of the lane is within 1e-9 (RP_QUIET_TOL) of its
 * baseline, the lane is set to the exact baseline; days on which every lane
 * is at its baseline with nothing active are skipped (they deliver
 * everything and change nothing).  `dense` turns this off, and so does a
 * network with a production cycle: there the baseline, solved to 1e-12, is
 * not an exact fixed point, and the cycle can amplify that rounding for
 * weeks, so skipping would depart from the day-by-day dynamics by more than
 * the model's 1e-6. */
#define _DEFAULT_SOURCE /* mmap flags, madvise */
#include "ripple/flow.h"
#include "ripple/util.h"

#pragma GCC diagnostic ignored "-Wpsabi" /* vectors stay inside */
/* no fused multiply-add (see flow_lanes.h): the build says so too */
#if !defined(__GNUC__) || defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Tolerances of the daily loop, each with its reason.
 *
 * RP_QUIET_TOL: a node is quiet when every state quantity of its inputs,
 * its output fraction and its availability are within this (relative) of
 * their baseline in every lane; it then snaps to the exact baseline, and
 * a shipment further than this from f0 keeps its ring marked off baseline
 * until it arrives.  Far above a day's rounding (1e-16 relative), far
 * below the 1e-6 agreement the model asks of skipping (tests/test_skip.c).
 *
 * RP_SHORT_TOL: an input group is short (its standby suppliers count the
 * day) when its primary suppliers' availability is below 1 - this:
 * shares need sum to 1 only within 1e-9 (docs/model.md), so an intact
 * group can read a few parts in 10^10 below 1.
 *
 * RP_DRY_STOCK: what rounding leaves of a stock just used up, in days of
 * baseline use; up to this counts as none (docs/model.md, see FN(dry)).
 *
 * RP_IMPACT_TOL: a node is impacted on a day its output is below
 * (1 - this) of its baseline (the node_impacted metric, docs/model.md). */
#define RP_QUIET_TOL 1e-9
#define RP_SHORT_TOL 1e-9
#define RP_DRY_STOCK 1e-12
#define RP_IMPACT_TOL 1e-6

/* What the work list makes of a node (w->state): asleep at its exact
 * baseline (not simulated; what others read of it is the baseline, its
 * own stocks and rings are set when it wakes), awake (simulated today,
 * close to its baseline), disturbed (hit, or off its baseline: its
 * suppliers and buyers are simulated too). */
enum { RP_ASLEEP = 0, RP_AWAKE = 1, RP_DISTURBED = 2 };

/* A lane's active events are first pruned (FN(prune)) when more than this
 * many are active; a lane of a usual run has a few dozen at most. */
#define RP_PRUNE_MIN 64

/* Does a run with option `dense` (RP_FLOW_*) simulate every node every
 * day?  Sparse runs cost more than dense ones on small networks: W38's
 * 2,025 nodes run 1.5x faster sparse, but the bundled networks of 26, 37
 * and 100 nodes took 13-15% more instructions sparse (callgrind, 64 to
 * 400 replications of auto_chips, pharma, default), as nearly every node
 * is disturbed on most days and the bookkeeping is paid on top. */
static int rp_flow_dense(const rp_model *m, int dense)
{
    if (dense == RP_FLOW_DENSE || m->has_cycle)
        return 1;
    return dense == RP_FLOW_AUTO && m->N <= RP_FLOW_DENSE_NODES;
}

/* a compiled variant of the daily loop (see run_lanes_fn) */
typedef void (*run_fn)(const rp_model *, rp_flow_ws *, int, double **,
                       const rp_flow_trace *);
static run_fn run_lanes_fn(void);
static run_fn run_half_fn(void);
static void run_1(const rp_model *, rp_flow_ws *, int, double **,
                  const rp_flow_trace *);

typedef struct {
    rp_event *ev; /* this run's events, by onset */
    int n_ev, cap, next, n_act;
    int *active;
    int at_base, quiet_for;
    int prune_at; /* FN(prune) once more events than this are active */
    double lost_units, lost_value, min_sl;
    int below, run, longest;
} rp_flow_lane;

struct rp_flow_ws {
    int N, E, G, K;
    /* state, [item][K] */
    double *S;         /* [G] stock per input group */
    double *pipe;      /* rings: see ring_layout(); made by the first run */
    int horizon;       /* rings hold min(L, horizon) slots (0: none yet) */
    long pipe_len;     /* slots in all, with the spare */
    long *e_pipe;      /* [E] slot of edge e on days t = 0 mod L */
    long *ring_stride; /* [max_lead + 1]: day t's slot is e_pipe[e] +
                          (t mod L) ring_stride[L] */
    long *roff;        /* [max_lead + 1] today's ring row, (t mod L) stride */
    double *transit;   /* [E] quantity in the ring */
    double *O;         /* [E] order placed yesterday / today */
    int64_t *shortc;   /* [G] consecutive short days */
    /* per day, [item][K] */
    double *delta, *eps, *nsurv, *esurv;
    double *D, *x, *r, *alpha;
    double *w; /* [largest group][K] weights of the group at hand */
    unsigned char *nmark, *emark; /* on today's touched lists */
    double zero[RP_LANES];        /* eps of an undamaged link */
    int *touched_n, *touched_e;
    int n_tn, n_te;
    /* per lane */
    rp_flow_lane *lane;
    /* the disturbed part of the network (any lane) and today's work */
    unsigned char *state; /* RP_ASLEEP, RP_AWAKE, RP_DISTURBED */
    int *hot_list, n_hot;
    int *awake_list, n_awake;
    int32_t *ring_dirty;     /* [E][K] last day a lane's ring may hold a
                                shipment off f0 (sparse runs) */
    unsigned char *settled;  /* [N] at its exact baseline in every lane
                                after today (sparse runs) */
    int32_t *ring_dirty_any; /* [E] the latest of ring_dirty's lanes */
    double *tr0;             /* [E] in transit at baseline, L f0 */
    int *work, n_work;
    uint32_t *stamp, epoch;
    uint32_t *ehit;      /* epoch of the day a link of the node was hit */
    double *r0, *alpha0; /* [N] output fraction, availability at baseline */
    double *a0;          /* [N] stock availability at baseline */
    /* health (step 8), [N][K]; the nodes whose health is off its baseline
     * in some lane after the last simulated day, and today's candidates
     * with their new values ([candidate][K]) */
    double *h, *hn;
    double *hc0; /* [N] the capacity part of health with no damage */
    int *hlist, n_hl, *hcand;
    uint32_t *hstamp, hepoch;
    int *rank;         /* [N] position of the node in m->topo */
    int *heap, n_heap; /* ranks of buyers that joined today's work */
    /* options and counters */
    run_fn run; /* the loop for this lane count and this CPU */
    int dense;  /* RP_FLOW_AUTO, RP_FLOW_DENSE or RP_FLOW_SPARSE */
    int heavy;  /* this run's block: events enough to run dense */
    double stop_lost;
    double stop_node_days; /* a run ends once it simulated more node-days */
    long days_simulated;
    long event_steps; /* rp_flow_event_steps */
    double node_days; /* the last run's nodes simulated, summed over days */
    /* per node results: accumulated [N][K], handed out [K][N] */
    int32_t *dis_days, *imp_days;
    double *lostv;
    double *nodebuf; /* holds delta, D, x, r, alpha, lostv */
#define RP_NBIG 8
    void *big[RP_NBIG]; /* mapped state arrays (state_calloc) */
    size_t big_len[RP_NBIG];
    int n_big;
    int32_t *dis_out, *imp_out;
    double *lostv_out;
    /* one lane, for blocks of one replication (see rp_flow_run_lanes);
     * made on first use */
    rp_flow_ws *solo;
    rp_flow_ws *half; /* RP_HALF lanes, for groups of 2 .. RP_HALF */
};

/* A zeroed array of n items of size sz for the daily loop's state.  From
 * 256 KiB up it is mapped on its own (zero pages, touched only when used)
 * and marked for transparent huge pages where the kernel offers them: the
 * loop reads these arrays every day, and on 4 KiB pages it misses the TLB
 * (Willems 38: 98 -> 108 rep/s).  Such arrays are recorded in w->big and
 * unmapped by state_free. */
static void *state_calloc(rp_flow_ws *w, size_t n, size_t sz)
{
    size_t bytes = (n ? n : 1) * sz;
    if (bytes < ((size_t)1 << 18) || w->n_big == RP_NBIG)
        return calloc(n ? n : 1, sz);
    const size_t huge = (size_t)2 << 20;
    size_t len = (bytes + huge - 1) / huge * huge;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE);
#endif
    w->big[w->n_big] = p;
    w->big_len[w->n_big++] = len;
    return p;
}

static void state_free(rp_flow_ws *w, void *p)
{
    for (int i = 0; i < w->n_big; i++)
        if (w->big[i] == p) {
            munmap(p, w->big_len[i]);
            /* (the slot is free again: the rings can be made anew) */
            w->big[i] = w->big[w->n_big - 1];
            w->big_len[i] = w->big_len[--w->n_big];
            return;
        }
    free(p);
}

void rp_flow_ws_free(rp_flow_ws *w)
{
    if (w == NULL)
        return;
    state_free(w, w->S);
    state_free(w, w->nodebuf);
    state_free(w, w->pipe);
    free(w->roff);
    free(w->e_pipe);
    free(w->ring_stride);
    state_free(w, w->transit);
    state_free(w, w->O);
    state_free(w, w->shortc);
    free(w->eps);
    free(w->nsurv);
    free(w->esurv);
    free(w->w);
    free(w->nmark);
    free(w->emark);
    free(w->touched_n);
    free(w->touched_e);
    if (w->lane != NULL)
        for (int l = 0; l < w->K; l++) {
            free(w->lane[l].ev);
            free(w->lane[l].active);
        }
    free(w->lane);
    free(w->state);
    free(w->hot_list);
    free(w->awake_list);
    free(w->ring_dirty);
    free(w->settled);
    free(w->ring_dirty_any);
    free(w->tr0);
    free(w->work);
    free(w->stamp);
    free(w->ehit);
    free(w->r0);
    free(w->alpha0);
    free(w->a0);
    state_free(w, w->h);
    free(w->hn);
    free(w->hc0);
    free(w->hlist);
    free(w->hcand);
    free(w->hstamp);
    free(w->rank);
    free(w->heap);
    free(w->dis_days);
    free(w->imp_days);
    free(w->dis_out);
    free(w->imp_out);
    free(w->lostv_out);
    rp_flow_ws_free(w->solo);
    rp_flow_ws_free(w->half);
    free(w);
}

/* Lockstep lanes share the structure loads between the copies of the
 * state and run as vectors.  Measured (one thread): 4.1x on Willems 38
 * (1.4 MB of state a copy), 1.9x on a 100,000-node network with every
 * node simulated (--dense; 45 MB a copy), and where eight copies are too
 * many for the memory, four still pay: a 100,000-node network with 60-day
 * lead times (180 MB a copy) ran 0.45 rep/s in one lane, 1.2-1.5 in four
 * and 1.5-1.6 in eight; the million-node network with threats everywhere
 * 0.044 in one lane and 0.096 in four.  So: as many lanes as the budget
 * holds. */
static size_t ws_bytes_own(const rp_model *m, int lanes, int horizon);

int rp_flow_lanes_for(const rp_model *m, int horizon, double budget)
{
    if (!(budget > 0))
        budget = RP_LANE_BUDGET;
    if ((double)ws_bytes_own(m, RP_LANES, horizon) <= budget)
        return RP_LANES;
    if ((double)ws_bytes_own(m, RP_HALF, horizon) <= budget)
        return RP_HALF;
    return 1;
}

double rp_flow_lane_budget(double available, int threads)
{
    double b =
        available > 0 ? available / (8.0 * (threads > 0 ? threads : 1)) : 0;
    return b > RP_LANE_BUDGET ? b : RP_LANE_BUDGET;
}

/* Pipelines never longer than the horizon needs.  On day t (0 <= t < T) an
 * edge of lead time L reads the slot its shipment of day t - L went into,
 * or the baseline f0 that filled the ring if t < L; today's shipment goes
 * into the same slot.  With L >= T no day reads a shipment (t - L < 0), so
 * a ring of T slots, slot t on day t, gives the same reads: each slot is
 * read once, holding f0, and what is written into it is never read.  So a
 * ring of min(L, T) slots is exact (with L < T every one of the L slots is
 * read), and the workspace's rings take at most T slots an edge however
 * long the lead times.  What is in transit (the order rule's pipeline
 * term) is the running sum kept beside the ring, over all L days. */
static int ring_cap(const rp_model *m, int horizon)
{
    int full = m->max_lead > 1 ? m->max_lead : 1;
    if (horizon <= 0 || horizon > full)
        return full;
    return horizon;
}

/* Ring slots in all for rings capped at H, with the spare slot (merged
 * edges have no ring) */
static long pipe_slots(const rp_model *m, int H)
{
    long n = 1;
    for (int q = 0; q < m->E; q++)
        if (!m->g_merged[m->e_grp[q]])
            n += m->e_L[q] < H ? m->e_L[q] : H;
    return n;
}

/* One workspace of `lanes` lanes alone (without those it makes for
 * smaller groups). */
static size_t ws_bytes_own(const rp_model *m, int lanes, int horizon)
{
    size_t K = (size_t)lanes, N = (size_t)m->N, E = (size_t)m->E,
           G = (size_t)m->G, gmax = 1;
    for (int g = 0; g < m->G; g++)
        if ((size_t)(m->g_estart[g + 1] - m->g_estart[g]) > gmax)
            gmax = (size_t)(m->g_estart[g + 1] - m->g_estart[g]);
    /* per lane: S, shortc; the six per-node arrays, nsurv, h, hn, the node
     * results handed out; rings, transit, O, eps, esurv; weights; ring
     * marks */
    size_t lane =
        8 * (2 * G + 10 * N + (size_t)pipe_slots(m, ring_cap(m, horizon)) +
             4 * E + gmax) +
        4 * 4 * N + 4 * E;
    /* shared: marks, lists, stamps, baselines (per node and per edge) */
    size_t shared = 86 * N + 25 * E + 16 * ((size_t)m->max_lead + 1);
    return sizeof(rp_flow_ws) + K * lane + shared;
}

/* What rp_flow_ws_new_lanes and runs over `horizon` days allocate, in
 * bytes (the events of a run come on top: 40 bytes an event a lane).  A
 * workspace of lanes may make a one-lane one (groups of one replication)
 * and one of RP_HALF lanes (groups of two to RP_HALF). */
size_t rp_flow_ws_bytes(const rp_model *m, int lanes, int horizon)
{
    size_t b = ws_bytes_own(m, lanes, horizon);
    if (lanes > 1)
        b += ws_bytes_own(m, 1, horizon);
    if (lanes > RP_HALF)
        b += ws_bytes_own(m, RP_HALF, horizon);
    return b;
}

/* Where the ring slots lie in w->pipe (merged edges have no ring and share
 * a spare slot at the end, which nothing reads).
 *
 * With one lane, each edge's L slots are consecutive, edge after edge: the
 * day's reads (8 bytes each) walk the whole array in order, and the
 * hardware streams it.  With lanes, a slot is a cache line, and the edges
 * of lead time L have L rows of slots instead, one row per day modulo L,
 * each row in the order the day's pass visits the buyers (m->topo): a day
 * reads row t mod L of every lead time, from start to end, and never
 * touches the other rows.  Measured (one thread): rows beat per-edge rings
 * by 3% with eight lanes on Willems 38 and on a 100,000-node network, and
 * lose by a quarter with one lane on that network, so each lane count
 * gets its own layout. */
static void ring_layout(const rp_model *m, rp_flow_ws *w, int rows)
{
    const int H = w->horizon;
    long slot = 0;
    for (int L = 0; L <= m->max_lead; L++)
        w->ring_stride[L] = rows ? 0 : 1;
    if (!rows) {
        for (int q = 0; q < m->E; q++)
            if (!m->g_merged[m->e_grp[q]]) {
                w->e_pipe[q] = slot;
                slot += m->e_L[q] < H ? m->e_L[q] : H;
            }
    } else {
        /* rows: count each lead time's edges, then deal out the slots
         * (next[L]: the next free slot of row 0; w->roff is free to serve
         * as that until the first day sets it) */
        long *next = w->roff;
        for (int q = 0; q < m->E; q++)
            if (!m->g_merged[m->e_grp[q]])
                w->ring_stride[m->e_L[q]]++;
        for (int L = 1; L <= m->max_lead; L++) {
            next[L] = slot;
            slot += (long)(L < H ? L : H) * w->ring_stride[L];
        }
        for (int p = 0; p < m->N; p++) {
            int k = m->topo[p];
            for (int q = m->g_estart[m->grp_start[k]];
                 q < m->g_estart[m->grp_start[k + 1]]; q++)
                if (!m->g_merged[m->e_grp[q]])
                    w->e_pipe[q] = next[m->e_L[q]]++;
        }
    }
    for (int q = 0; q < m->E; q++)
        if (m->g_merged[m->e_grp[q]])
            w->e_pipe[q] = slot; /* the spare, slot == w->pipe_len - 1 */
    /* every ring's slots inside the array, the spare last */
    assert(slot == w->pipe_len - 1);
#ifndef NDEBUG
    for (int q = 0; q < m->E; q++)
        if (!m->g_merged[m->e_grp[q]]) {
            const int L = m->e_L[q], n = L < H ? L : H;
            assert(w->e_pipe[q] >= 0 &&
                   w->e_pipe[q] + (long)(n - 1) * w->ring_stride[L] < slot);
        }
#endif
}

/* (in the allocating helpers below: on failure return -1, and the caller
 * frees the partly made workspace) */
#define SALLOC(p, n)                                                          \
    do {                                                                      \
        (p) = state_calloc(w, (size_t)(n), sizeof *(p));                      \
        if ((p) == NULL)                                                      \
            return -1;                                                        \
    } while (0)

#define WALLOC(p, n) RP_CALLOC_OR(p, n, return -1)

/* The state and the daily arrays, [item][K]. */
static int ws_state(rp_flow_ws *w, const rp_model *m, size_t K)
{
    SALLOC(w->S, K * (size_t)m->G);
    /* the per-node arrays of the daily loop, in one block */
    SALLOC(w->nodebuf, 6 * K * (size_t)m->N);
    w->delta = w->nodebuf;
    w->D = w->delta + K * (size_t)m->N;
    w->x = w->D + K * (size_t)m->N;
    w->r = w->x + K * (size_t)m->N;
    w->alpha = w->r + K * (size_t)m->N;
    w->lostv = w->alpha + K * (size_t)m->N;
    WALLOC(w->roff, m->max_lead + 1);
    WALLOC(w->e_pipe, m->E);
    WALLOC(w->ring_stride, m->max_lead + 1);
    SALLOC(w->transit, K * (size_t)m->E);
    SALLOC(w->O, K * (size_t)m->E);
    SALLOC(w->shortc, K * (size_t)m->G);
    WALLOC(w->eps, K * (size_t)m->E);
    WALLOC(w->nsurv, K * (size_t)m->N);
    WALLOC(w->esurv, K * (size_t)m->E);
    /* weights of one group at a time: as many rows as the largest group
     * has edges (a small scratch that stays in cache) */
    int gmax = 1;
    for (int g = 0; g < m->G; g++)
        if (m->g_estart[g + 1] - m->g_estart[g] > gmax)
            gmax = m->g_estart[g + 1] - m->g_estart[g];
    WALLOC(w->w, K * (size_t)gmax);
    SALLOC(w->h, K * (size_t)m->N);
    WALLOC(w->hn, K * (size_t)m->N);
    WALLOC(w->ring_dirty, K * (size_t)m->E);
    WALLOC(w->dis_days, K * (size_t)m->N);
    WALLOC(w->imp_days, K * (size_t)m->N);
    WALLOC(w->dis_out, K * (size_t)m->N);
    WALLOC(w->imp_out, K * (size_t)m->N);
    WALLOC(w->lostv_out, K * (size_t)m->N);
    WALLOC(w->lane, K);
    for (size_t i = 0; i < K * (size_t)m->N; i++)
        w->nsurv[i] = 1;
    for (size_t e = 0; e < K * (size_t)m->E; e++)
        w->esurv[e] = 1;
    return 0;
}

/* The work lists, marks and stamps, one per node or edge. */
static int ws_lists(rp_flow_ws *w, const rp_model *m)
{
    WALLOC(w->nmark, m->N);
    WALLOC(w->emark, m->E);
    WALLOC(w->touched_n, m->N);
    WALLOC(w->touched_e, m->E);
    WALLOC(w->state, m->N);
    WALLOC(w->hot_list, m->N);
    WALLOC(w->awake_list, m->N);
    WALLOC(w->settled, m->N);
    WALLOC(w->ring_dirty_any, m->E);
    WALLOC(w->work, m->N);
    WALLOC(w->stamp, m->N);
    WALLOC(w->ehit, m->N);
    WALLOC(w->hlist, m->N);
    WALLOC(w->hcand, m->N);
    WALLOC(w->hstamp, m->N);
    WALLOC(w->rank, m->N);
    WALLOC(w->heap, m->N);
    for (int q = 0; q < m->N; q++)
        w->rank[m->topo[q]] = q;
    return 0;
}

/* The baseline values the loop compares with and snaps to.  A node at
 * baseline delivers everything it is asked for (capacity and stock cover
 * demand); its stock availability is 1 if it has output (or no inputs and
 * some capacity), and its availability the larger of that and its
 * baseline health. */
static int ws_baselines(rp_flow_ws *w, const rp_model *m)
{
    WALLOC(w->tr0, m->E);
    WALLOC(w->r0, m->N);
    WALLOC(w->alpha0, m->N);
    WALLOC(w->a0, m->N);
    WALLOC(w->hc0, m->N);
    for (int e = 0; e < m->E; e++) {
        double tr = 0; /* (summed as FN(wake) sums it) */
        for (int q = 0; q < m->e_L[e]; q++)
            tr += m->e_f0[e];
        w->tr0[e] = tr;
    }
    for (int j = 0; j < m->N; j++) {
        w->hc0[j] = rp_health_capacity(m, j, 0.0);
        double D0 = m->F[j];
        for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++)
            D0 += m->e_f0[m->out_edge[q]];
        w->r0[j] = D0 > 0 ? 1.0 : 0.0;
        if (m->x0[j] > 0)
            w->a0[j] = 1.0;
        else if (m->grp_start[j + 1] > m->grp_start[j])
            w->a0[j] = 0.0;
        else
            w->a0[j] = m->cap[j] > 0 ? 1.0 : 0.0;
        w->alpha0[j] = w->a0[j] < m->h0[j] ? m->h0[j] : w->a0[j];
    }
    return 0;
}
#undef SALLOC
#undef WALLOC

rp_flow_ws *rp_flow_ws_new_lanes(const rp_model *m, int lanes)
{
    if (lanes != 1 && lanes != RP_HALF && lanes != RP_LANES)
        return NULL;
    rp_flow_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->N = m->N;
    w->E = m->E;
    w->G = m->G;
    w->K = lanes;
    w->run = lanes == 1         ? run_1
             : lanes == RP_HALF ? run_half_fn()
                                : run_lanes_fn();
    w->stop_lost = INFINITY;
    w->stop_node_days = INFINITY;
    if (ws_state(w, m, (size_t)lanes) != 0 || ws_lists(w, m) != 0 ||
        ws_baselines(w, m) != 0) {
        rp_flow_ws_free(w);
        return NULL;
    }
    return w;
}

rp_flow_ws *rp_flow_ws_new(const rp_model *m)
{
    return rp_flow_ws_new_lanes(m, 1);
}

int rp_flow_lanes(const rp_flow_ws *w)
{
    return w->K;
}

void rp_flow_set_options(rp_flow_ws *w, int dense, double stop_lost_units)
{
    w->dense = dense;
    w->stop_lost = stop_lost_units;
}

long rp_flow_days_simulated(const rp_flow_ws *w)
{
    return w->days_simulated;
}

long rp_flow_event_steps(const rp_flow_ws *w)
{
    return w->event_steps;
}

rp_flow_nodes rp_flow_node_results_lane(const rp_flow_ws *w, int lane)
{
    size_t off = (size_t)lane * (size_t)w->N;
    rp_flow_nodes r = {w->dis_out + off, w->imp_out + off, w->lostv_out + off};
    return r;
}

rp_flow_nodes rp_flow_node_results(const rp_flow_ws *w)
{
    return rp_flow_node_results_lane(w, 0);
}

double rp_event_severity(const rp_event *e, int t)
{
    int m = t - e->onset;
    if (m < 0 || m >= e->duration)
        return 0;
    if (e->profile == RP_PROFILE_LINEAR)
        return e->severity * (1.0 - (double)m / (double)e->duration);
    return e->severity;
}

static int cmp_onset(const void *a, const void *b)
{
    const rp_event *x = a, *y = b;
    if (x->onset != y->onset)
        return x->onset < y->onset ? -1 : 1;
    return 0;
}

static int cmp_int_asc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The arrays of one simulated day, copied out of the model and the
 * workspace into one local struct: read through m-> and w->, every pointer
 * is loaded again after each store (a store to an int may alias an int
 * field), which cost more instructions than the arithmetic. */
typedef struct {
    const int *grp_start, *g_estart, *out_start, *out_edge, *e_from, *e_L;
    const int *e_delay, *g_nprim;
    const long *e_pipe;
    const unsigned char *e_standby;
    const double *F, *cap, *x0, *v, *ninv, *g_ratio, *e_share, *e_b, *e_f0;
    const double *r0, *alpha0, *h;
    const unsigned char *nmark, *simple, *avail_read;
    double *S, *pipe, *transit, *O, *eps, *delta, *D, *x, *r, *alpha, *w;
    double *lostv;
    const long *roff;
    int64_t *shortc;
    int32_t *ring_dirty, *ring_dirty_any, *dis_days, *imp_days;
    int n_te, t;
    double itau;
} rp_kern;

/* ... for model m and workspace w, once a run (every lane: the kernel
 * addresses lanes l .. l + VW - 1 of item i at IX(i) + l) */
static rp_kern kern_of(const rp_model *m, rp_flow_ws *w, double itau)
{
    const rp_kern k = {
        .grp_start = m->grp_start,
        .g_estart = m->g_estart,
        .out_start = m->out_start,
        .out_edge = m->out_edge,
        .e_from = m->e_from,
        .e_L = m->e_L,
        .e_delay = m->e_delay,
        .g_nprim = m->g_nprim,
        .e_pipe = w->e_pipe,
        .e_standby = m->e_standby,
        .F = m->F,
        .cap = m->cap,
        .x0 = m->x0,
        .v = m->v,
        .ninv = m->ninv,
        .g_ratio = m->g_ratio,
        .e_share = m->e_share,
        .e_b = m->e_b,
        .e_f0 = m->e_f0,
        .S = w->S,
        .pipe = w->pipe,
        .transit = w->transit,
        .O = w->O,
        .eps = w->eps,
        .delta = w->delta,
        .D = w->D,
        .x = w->x,
        .r = w->r,
        .alpha = w->alpha,
        .w = w->w,
        .lostv = w->lostv,
        .roff = w->roff,
        .shortc = w->shortc,
        .ring_dirty = w->ring_dirty,
        .ring_dirty_any = w->ring_dirty_any,
        .dis_days = w->dis_days,
        .imp_days = w->imp_days,
        .r0 = w->r0,
        .nmark = w->nmark,
        .simple = m->simple,
        .avail_read = m->avail_read,
        .alpha0 = w->alpha0,
        .h = w->h,
        .itau = itau, /* (t and n_te: set by day()) */
    };
    return k;
}

/* A min-heap of node ranks: buyers that join today's work while the day is
 * walked in supplier-before-buyer order. */
static void heap_push(int *h, int *n, int v)
{
    int i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static int heap_pop(int *h, int *n)
{
    int top = h[0], v = h[--*n], i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (v <= h[c])
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = v;
    return top;
}

#define LANES 1
#define VW 1
#define FN(name) name##_1
#include "flow_lanes.h"
#undef LANES
#undef VW
#undef FN
#define LANES RP_HALF
#define VW 2
#define FN(name) name##_H
#include "flow_lanes.h"
#undef LANES
#undef FN
#undef VW
#define LANES RP_LANES
#define VW 2
#define FN(name) name##_K
#include "flow_lanes.h"
#undef FN
#undef VW

/* The lanes loop again for AVX2 and AVX-512 (GCC on x86-64), chosen when a
 * workspace is made, by what the CPU has: the same operations in wider
 * registers, so the results are the same bit for bit (tests/test_flow.c runs
 * every variant this machine has and compares).
 * RIPPLE_SIMD=generic|avx2|avx512 in the environment asks for one (if the CPU
 * has it). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define RP_MULTI 1
#pragma GCC push_options
#pragma GCC target("avx2")
#define VW 4
#define FN(name) name##_K_avx2
#include "flow_lanes.h"
#undef FN
#undef LANES
#define LANES RP_HALF
#define FN(name) name##_H_avx2
#include "flow_lanes.h"
#undef FN
#undef LANES
#define LANES RP_LANES
#undef VW
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f")
#define VW 8
#define FN(name) name##_K_avx512
#include "flow_lanes.h"
#undef FN
#undef VW
#pragma GCC pop_options
#endif
#undef LANES

/* The loop for RP_HALF lanes: AVX2 when the CPU has it (AVX-512 has no
 * use for four lanes); the same bits either way. */
static run_fn run_half_fn(void)
{
#ifdef RP_MULTI
    __builtin_cpu_init();
    const char *want = getenv("RIPPLE_SIMD");
    if ((want == NULL || strcmp(want, "generic") != 0) &&
        __builtin_cpu_supports("avx2"))
        return run_H_avx2;
#endif
    return run_H;
}

static run_fn run_lanes_fn(void)
{
#ifdef RP_MULTI
    __builtin_cpu_init();
    const char *want = getenv("RIPPLE_SIMD");
    int has512 = __builtin_cpu_supports("avx512f");
    int has2 = __builtin_cpu_supports("avx2");
    if (want != NULL && strcmp(want, "generic") == 0)
        return run_K;
    if (want != NULL && strcmp(want, "avx2") == 0)
        return has2 ? run_K_avx2 : run_K;
    if (has512)
        return run_K_avx512;
    if (has2)
        return run_K_avx2;
#endif
    return run_K;
}

const char *rp_flow_simd(void)
{
    run_fn f = run_lanes_fn();
#ifdef RP_MULTI
    if (f == run_K_avx512)
        return "avx512";
    if (f == run_K_avx2)
        return "avx2";
#endif
    (void)f;
    return "generic";
}

/* Rings for runs of T days (see ring_cap): made by the first run, and
 * made anew only when a later run is longer than they serve.  -1 out of
 * memory. */
static int ensure_rings(const rp_model *m, rp_flow_ws *w, int T)
{
    const int H = ring_cap(m, T);
    if (w->pipe != NULL && H <= w->horizon)
        return 0;
    if (w->pipe != NULL)
        state_free(w, w->pipe);
    w->horizon = H;
    w->pipe_len = pipe_slots(m, H);
    w->pipe =
        state_calloc(w, (size_t)w->K * (size_t)w->pipe_len, sizeof *w->pipe);
    if (w->pipe == NULL) {
        w->horizon = 0;
        return -1;
    }
    ring_layout(m, w, w->K > 1);
    return 0;
}

/* With RP_FLOW_AUTO on a larger network (see rp_flow_dense), runs whose
 * events hit at least RP_FLOW_DENSE_HIT of their node-days (lanes x nodes
 * x days; an edge event counts for its two ends) run dense too: threats
 * everywhere disturb most of the network most days, and the bookkeeping is
 * paid on top.  Measured (one thread, CPU time): G100K-H, whose events
 * hit 1.2% of the node-days, ran 45.6 s sparse against 29.5 s dense for eight
 * replications; Willems 38 and W38-L (0.033%) run 1.5x and 1.4x faster
 * sparse, and G100K with five local outages (0.0003%) about 100x.  The
 * threshold lies between those, on the logarithmic scale.  A Monte Carlo
 * study decides once for all its replications (rp_flow_mode_for, from a
 * fixed sample of replications), so a replication gives the same bits in
 * any block and with any lane count; never from timing, so results do not
 * depend on the machine or the thread count. */
#define RP_FLOW_DENSE_HIT 2e-3

double rp_flow_hit_days(const rp_event *ev, int nev, int T)
{
    double hit = 0;
    for (int q = 0; q < nev; q++) {
        long a = ev[q].onset > 0 ? ev[q].onset : 0;
        long b = (long)ev[q].onset + ev[q].duration;
        if (b > T)
            b = T;
        if (b > a)
            hit += (double)(b - a) * (ev[q].is_edge ? 2.0 : 1.0);
    }
    return hit;
}

static int heavy(const rp_model *m, double hit, long runs, int T)
{
    return hit >= RP_FLOW_DENSE_HIT * (double)runs * (double)m->N * (double)T;
}

int rp_flow_mode_for(const rp_model *m, int dense, double hit_days, long runs,
                     int T)
{
    if (rp_flow_dense(m, dense))
        return RP_FLOW_DENSE;
    if (dense == RP_FLOW_SPARSE)
        return RP_FLOW_SPARSE;
    return heavy(m, hit_days, runs, T) ? RP_FLOW_DENSE : RP_FLOW_SPARSE;
}

double rp_flow_sparse_work(const rp_model *m, const rp_event *ev, int nev,
                           int T, double limit)
{
    rp_flow_ws *w = rp_flow_ws_new_lanes(m, 1);
    if (w == NULL)
        return -1;
    rp_flow_set_options(w, RP_FLOW_SPARSE, INFINITY);
    w->stop_node_days = limit;
    rp_metrics met;
    double nd = -1;
    if (rp_flow_run(m, w, ev, nev, T, &met, NULL, NULL) == RP_OK)
        nd = w->node_days;
    rp_flow_ws_free(w);
    return nd;
}

/* A run with RP_FLOW_AUTO (not a Monte Carlo study, which decides once
 * with rp_flow_mode_for): dense when its own events are heavy. */
static int heavy_block(const rp_model *m, const rp_flow_ws *w, int T)
{
    double hit = 0;
    for (int l = 0; l < w->K; l++)
        hit += rp_flow_hit_days(w->lane[l].ev, w->lane[l].n_ev, T);
    return heavy(m, hit, w->K, T);
}

/* Take a lane's events (those touching [0, T)), sorted by onset; returns
 * the count for the `events` metric, or -1 out of memory. */
static int load_lane(rp_flow_lane *ln, const rp_event *ev, int nev, int T)
{
    if (nev > ln->cap) {
        free(ln->ev);
        free(ln->active);
        ln->ev = malloc((size_t)nev * sizeof *ln->ev);
        ln->active = malloc((size_t)nev * sizeof *ln->active);
        if (ln->ev == NULL || ln->active == NULL) {
            ln->cap = 0;
            return -1;
        }
        ln->cap = nev;
    }
    int n = 0, counted = 0;
    for (int i = 0; i < nev; i++) {
        if (ev[i].onset >= T || ev[i].onset + ev[i].duration <= 0 ||
            ev[i].duration < 1)
            continue;
        ln->ev[n++] = ev[i];
        counted += ev[i].shared == 0;
    }
    if (n > 1)
        qsort(ln->ev, (size_t)n, sizeof *ln->ev, cmp_onset);
    ln->n_ev = n;
    ln->next = ln->n_act = 0;
    ln->prune_at = RP_PRUNE_MIN;
    ln->at_base = 1;
    ln->quiet_for = 0;
    ln->lost_units = ln->lost_value = 0;
    ln->min_sl = INFINITY;
    ln->below = ln->run = ln->longest = 0;
    return counted;
}

static void reset_results(rp_flow_ws *w)
{
    size_t n = (size_t)w->K * (size_t)w->N;
    memset(w->dis_days, 0, n * sizeof(int32_t));
    memset(w->imp_days, 0, n * sizeof(int32_t));
    memset(w->lostv, 0, n * sizeof(double));
    /* leftovers of the last run's final day */
    for (int q = 0; q < w->n_tn; q++) {
        int i = w->touched_n[q];
        for (int l = 0; l < w->K; l++) {
            w->delta[(size_t)i * (size_t)w->K + (size_t)l] = 0;
            w->nsurv[(size_t)i * (size_t)w->K + (size_t)l] = 1;
        }
        w->nmark[i] = 0;
    }
    for (int q = 0; q < w->n_te; q++) {
        int e = w->touched_e[q];
        for (int l = 0; l < w->K; l++) {
            w->eps[(size_t)e * (size_t)w->K + (size_t)l] = 0;
            w->esurv[(size_t)e * (size_t)w->K + (size_t)l] = 1;
        }
        w->emark[e] = 0;
    }
    w->n_tn = w->n_te = 0;
}

static void finish_lane(const rp_model *m, rp_flow_ws *w, int l, int T,
                        int counted, rp_metrics *out)
{
    const rp_flow_lane *ln = &w->lane[l];
    size_t K = (size_t)w->K, off = (size_t)l * (size_t)m->N;
    int nd = 0, ni = 0;
    for (int i = 0; i < m->N; i++) {
        size_t q = (size_t)i * K + (size_t)l;
        w->dis_out[off + (size_t)i] = w->dis_days[q];
        w->imp_out[off + (size_t)i] = w->imp_days[q];
        w->lostv_out[off + (size_t)i] = w->lostv[q];
        nd += w->dis_days[q] > 0;
        ni += w->imp_days[q] > 0;
    }
    out->lost_units = ln->lost_units;
    out->lost_value = ln->lost_value;
    out->fill_rate = 1.0 - ln->lost_units / ((double)T * m->sumF);
    out->min_service = T > 0 ? ln->min_sl : 1.0;
    out->days_below_target = ln->below;
    out->longest_outage = ln->longest;
    out->nodes_disrupted = nd;
    out->nodes_impacted = ni;
    out->events = counted;
}

/* A group smaller than the workspace's lanes runs in a narrower one: one
 * replication in one lane, two to RP_HALF in RP_HALF lanes.  The wider
 * loop would step its empty lanes at nearly the cost of full ones (`-r 1`
 * cost what `-r 8` did).  Each lane computes what its replication computes
 * alone, so the results are the same bits whatever the group; what the
 * caller reads (metrics, service levels, node results of lanes 0 .. used-1,
 * days simulated) is what the wider loop would hand out.  *sub: the
 * narrower workspace, made on first use. */
static rp_status run_narrower(const rp_model *m, rp_flow_ws *w,
                              rp_flow_ws **sub, int lanes, int used,
                              const rp_event *const *ev, const int *nev, int T,
                              rp_metrics *out, double *const *sl)
{
    if (*sub == NULL && (*sub = rp_flow_ws_new_lanes(m, lanes)) == NULL)
        return RP_ERUNTIME;
    /* (runs of lanes never stop early) */
    rp_flow_set_options(*sub, w->dense, INFINITY);
    rp_status st = rp_flow_run_lanes(m, *sub, used, ev, nev, T, out, sl);
    if (st != RP_OK)
        return st;
    const size_t n = (size_t)used * (size_t)m->N;
    memcpy(w->dis_out, (*sub)->dis_out, n * sizeof *w->dis_out);
    memcpy(w->imp_out, (*sub)->imp_out, n * sizeof *w->imp_out);
    memcpy(w->lostv_out, (*sub)->lostv_out, n * sizeof *w->lostv_out);
    w->days_simulated = (*sub)->days_simulated;
    w->event_steps = (*sub)->event_steps;
    return RP_OK;
}

rp_status rp_flow_run_lanes(const rp_model *m, rp_flow_ws *w, int used,
                            const rp_event *const *ev, const int *nev, int T,
                            rp_metrics *out, double *const *sl)
{
    int K = w->K;
    assert(used >= 0 && used <= K);
    if (used == 1 && K > 1)
        return run_narrower(m, w, &w->solo, 1, used, ev, nev, T, out, sl);
    if (used > 1 && used <= RP_HALF && K > RP_HALF)
        return run_narrower(m, w, &w->half, RP_HALF, used, ev, nev, T, out,
                            sl);
    if (ensure_rings(m, w, T) != 0)
        return RP_ERUNTIME;
    int counted[RP_LANES];
    double *sls[RP_LANES];
    for (int l = 0; l < K; l++) {
        int c = l < used ? load_lane(&w->lane[l], ev[l], nev[l], T)
                         : load_lane(&w->lane[l], NULL, 0, T);
        if (c < 0)
            return RP_ERUNTIME;
        counted[l] = c;
        sls[l] = (l < used && sl != NULL) ? sl[l] : NULL;
    }
    w->heavy = w->dense == RP_FLOW_AUTO && heavy_block(m, w, T);
    reset_results(w);
    w->run(m, w, T, sls, NULL);
    for (int l = 0; l < used; l++)
        finish_lane(m, w, l, T, counted[l], &out[l]);
    return RP_OK;
}

rp_status rp_flow_run(const rp_model *m, rp_flow_ws *w, const rp_event *ev,
                      int nev, int T, rp_metrics *out, double *sl,
                      const rp_flow_trace *trace)
{
    if (w->K != 1 || ensure_rings(m, w, T) != 0)
        return RP_ERUNTIME;
    int counted = load_lane(&w->lane[0], ev, nev, T);
    if (counted < 0)
        return RP_ERUNTIME;
    w->heavy = w->dense == RP_FLOW_AUTO && heavy_block(m, w, T);
    reset_results(w);
    double *sls[1] = {sl};
    run_1(m, w, T, sls, trace);
    finish_lane(m, w, 0, T, counted, out);
    return RP_OK;
}
