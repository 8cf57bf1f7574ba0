/* The daily loop, written once for LANES replications stepped in lockstep.
 * models/flow.c includes this file once per lane count; every state array
 * is laid out [item][LANES], so one pass over the network structure serves
 * all lanes and the innermost loops (over lanes) vectorise.  Each lane
 * computes exactly what a single replication computes, in the same order.
 *
 * Expects: LANES (a constant) and FN(name) (a name suffixed with LANES).
 *
 * Bit identity across machines and vector widths needs every a * b + c
 * rounded twice (no fused multiply-add).  The build turns contraction off
 * for every file (-ffp-contract=off); the standard pragma says so here too
 * for the compilers that honour it (clang; gcc ignores it and warns). */
#if !defined(__GNUC__) || defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define IX(i) ((size_t)(i)*LANES)

/* Where lane l keeps the product of (1 - severity) of event e's target:
 * its node's nsurv or its edge's esurv. */
static inline double *FN(surv)(const rp_model *m, rp_flow_ws *w,
                               const rp_event *e, int l)
{
    if (e->is_edge)
        return &w->esurv[IX(m->e_of_orig[e->target]) + l];
    return &w->nsurv[IX(e->target) + l];
}

/* Lane l's active events less those that can no longer change anything:
 * an event whose target another active event keeps fully down (step
 * profile, severity 1) until at least the day this one ends.  Its factor
 * goes into a product that holds an exact 0 for the rest of its life, so
 * dropping it changes no bit; without this, events that pile up on the
 * same targets (many long outages) made every day cost as many steps as
 * events were active, and a run of many years grow with their square.
 * Each target's longest full outage is noted in its survival slot, which
 * is 1 for every target when this runs (FN(damage) has just reset the
 * touched ones): end + 2 while the outage is still to be met in the list,
 * -(end + 2) once it has been kept; back to 1 afterwards.  The list keeps
 * its order. */
static void FN(prune)(const rp_model *m, rp_flow_ws *w, int l)
{
    rp_flow_lane *ln = &w->lane[l];
    for (int q = 0; q < ln->n_act; q++) {
        const rp_event *e = &ln->ev[ln->active[q]];
        if (e->profile == RP_PROFILE_STEP && e->severity == 1.0) {
            double *sp = FN(surv)(m, w, e, l);
            const double v = (double)e->onset + (double)e->duration + 2.0;
            if (v > *sp)
                *sp = v;
        }
    }
    int keep = 0;
    for (int q = 0; q < ln->n_act; q++) {
        const rp_event *e = &ln->ev[ln->active[q]];
        double *sp = FN(surv)(m, w, e, l);
        const double v = *sp, end = (double)e->onset + (double)e->duration;
        int drop = 0;
        if (v != 1.0) {
            const double full_end = fabs(v) - 2.0;
            if (v > 0 && e->profile == RP_PROFILE_STEP && e->severity == 1.0 &&
                end == full_end)
                *sp = -v; /* the outage that outlasts the others: kept */
            else
                drop = end <= full_end;
        }
        if (!drop)
            ln->active[keep++] = ln->active[q];
    }
    ln->n_act = keep;
    for (int q = 0; q < ln->n_act; q++)
        *FN(surv)(m, w, &ln->ev[ln->active[q]], l) = 1.0;
}

/* Step 1 for every lane: today's damage from the active events. */
static void FN(damage)(const rp_model *m, rp_flow_ws *w, int t)
{
    for (int q = 0; q < w->n_tn; q++) {
        int i = w->touched_n[q];
        for (int l = 0; l < LANES; l++) {
            w->delta[IX(i) + l] = 0;
            w->nsurv[IX(i) + l] = 1;
        }
        w->nmark[i] = 0;
    }
    for (int q = 0; q < w->n_te; q++) {
        int e = w->touched_e[q];
        for (int l = 0; l < LANES; l++) {
            w->eps[IX(e) + l] = 0;
            w->esurv[IX(e) + l] = 1;
        }
        w->emark[e] = 0;
    }
    w->n_tn = w->n_te = 0;
    for (int l = 0; l < LANES; l++) {
        rp_flow_lane *ln = &w->lane[l];
        if (ln->n_act > ln->prune_at) {
            /* (again once the list has doubled: a step per event, in all) */
            FN(prune)(m, w, l);
            ln->prune_at = 2 * ln->n_act + RP_PRUNE_MIN;
        }
        w->event_steps += ln->n_act;
        for (int q = 0; q < ln->n_act; q++) {
            const rp_event *e = &ln->ev[ln->active[q]];
            double s = rp_event_severity(e, t);
            if (!(s > 0))
                continue;
            if (e->is_edge) {
                int ie = m->e_of_orig[e->target];
                if (!w->emark[ie]) {
                    w->emark[ie] = 1;
                    w->touched_e[w->n_te++] = ie;
                }
                w->esurv[IX(ie) + l] *= 1.0 - s;
                w->eps[IX(ie) + l] = 1.0 - w->esurv[IX(ie) + l];
            } else {
                int in = e->target;
                if (!w->nmark[in]) {
                    w->nmark[in] = 1;
                    w->touched_n[w->n_tn++] = in;
                }
                w->nsurv[IX(in) + l] *= 1.0 - s;
                w->delta[IX(in) + l] = 1.0 - w->nsurv[IX(in) + l];
            }
        }
    }
}

/* Node j's own state back to the exact baseline for day t, in every lane:
 * its input groups' stock and counters, its in-edges' rings, transit and
 * orders.  Used when a quiet node is needed again (its rings were left
 * as they were while it slept) and by the dense start. */
static void FN(wake)(const rp_model *m, rp_flow_ws *w, int j)
{
    for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
        double s0 = m->ninv[j] * m->g_ratio[g] * m->x0[j];
        if (m->g_merged[g])
            s0 += m->e_f0[m->g_estart[g]];
        for (int l = 0; l < LANES; l++) {
            w->S[IX(g) + l] = s0;
            w->shortc[IX(g) + l] = 0;
        }
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
            int L = m->e_L[e];
            double f0 = m->e_f0[e], tr = w->tr0[e];
            if (!m->g_merged[g])
                for (int s = 0; s < (L < w->horizon ? L : w->horizon); s++)
                    for (int l = 0; l < LANES; l++)
                        w->pipe[IX(w->e_pipe[e] + s * w->ring_stride[L]) + l] =
                            f0;
            w->ring_dirty_any[e] = 0;
            for (int l = 0; l < LANES; l++) {
                w->ring_dirty[IX(e) + l] = 0;
                w->transit[IX(e) + l] = tr;
                w->O[IX(e) + l] = f0;
            }
        }
    }
}

/* Put quiet node j to sleep: what others read of it (its output fraction,
 * availability, output, and the orders it placed) takes the exact baseline
 * values; its own stocks and rings are restored when it wakes. */
static void FN(sleep)(const rp_model *m, rp_flow_ws *w, int j)
{
    for (int l = 0; l < LANES; l++) {
        w->r[IX(j) + l] = w->r0[j];
        w->alpha[IX(j) + l] = w->alpha0[j];
        w->x[IX(j) + l] = m->x0[j];
    }
    int a = m->g_estart[m->grp_start[j]], b = m->g_estart[m->grp_start[j + 1]];
    for (int e = a; e < b; e++)
        for (int l = 0; l < LANES; l++)
            w->O[IX(e) + l] = m->e_f0[e];
}

/* The lanes of one item as one GCC vector: eight doubles for RP_LANES,
 * lowered to whatever the target has (one AVX-512 register, two AVX2 ones;
 * flow.c compiles this file once per instruction set and picks one at run
 * time), a plain double for one lane.  Every operation is IEEE-exact lane
 * by lane (no contraction into FMA), so each lane computes what a single
 * run computes, on any CPU.  Selections use masks (all ones where the
 * comparison holds), which give the same result as `c ? a : b` for every
 * input, NaN included. */
#define AI static inline __attribute__((always_inline))
#define VD FN(vd)
#define VL FN(vl)
#if VW == 1
typedef double VD;
typedef int64_t VL;
#define LANE(v, l) (v)
AI VD FN(ld)(const double *p)
{
    return *p;
}
AI void FN(st)(double *p, VD v)
{
    *p = v;
}
AI VL FN(ldl)(const int64_t *p)
{
    return *p;
}
AI void FN(stl)(int64_t *p, VL v)
{
    *p = v;
}
AI VD FN(sel)(int c, VD a, VD b)
{
    return c ? a : b;
}
AI VL FN(seli)(int c, VL a, VL b)
{
    return c ? a : b;
}
AI VD FN(vpos)(VD q)
{
    return q > 0 ? q : 0;
}
#else
typedef double VD __attribute__((vector_size(8 * VW)));
typedef int64_t VL __attribute__((vector_size(8 * VW)));
typedef double FN(vdm)
    __attribute__((vector_size(8 * VW), aligned(8), may_alias));
typedef int64_t FN(vlm)
    __attribute__((vector_size(8 * VW), aligned(8), may_alias));
#define LANE(v, l) (v)[l]
AI VD FN(ld)(const double *p)
{
    return *(const FN(vdm) *)p;
}
AI void FN(st)(double *p, VD v)
{
    *(FN(vdm) *)p = v;
}
AI VL FN(ldl)(const int64_t *p)
{
    return *(const FN(vlm) *)p;
}
AI void FN(stl)(int64_t *p, VL v)
{
    *(FN(vlm) *)p = v;
}
AI VD FN(sel)(VL mask, VD a, VD b)
{
    return (VD)(((VL)a & mask) | ((VL)b & ~mask));
}
AI VL FN(seli)(VL mask, VL a, VL b)
{
    return (a & mask) | (b & ~mask);
}
AI VD FN(vpos)(VD q)
{
    VD z = {0};
    return (VD)((VL)q & (q > z));
}
#endif
/* Stock after consumption (step 7), max(0, s), with what rounding leaves
 * of an emptied stock (at most `dry`, RP_DRY_STOCK of a day's baseline use)
 * taken as none: a residue of an ulp would otherwise count as availability
 * and, in a group whose suppliers all ran dry, take the group's whole order
 * from the supplier that happens to keep it (the weights of docs/model.md
 * divide by the sum of the weights).  dry = 0 leaves max(0, s) exactly. */
AI VD FN(dry)(VD s, VD dry)
{
    const VD z = {0};
    return FN(sel)(s > dry, s, z);
}
/* a < b ? a : b */
AI VD FN(vmin)(VD a, VD b)
{
    return FN(sel)(a < b, a, b);
}
/* is the mask (or, for one lane, the condition) true in some lane? */
AI int FN(any)(VL m)
{
#if VW == 1
    return m != 0;
#elif defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&      \
    VW == 8
    typedef long long v8ll __attribute__((vector_size(64)));
    return __builtin_ia32_ptestmq512((v8ll)m, (v8ll)m, (unsigned char)0xff) !=
           0;
#elif defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&      \
    VW == 4
    return __builtin_ia32_movmskpd256((VD)m) != 0;
#elif defined(__x86_64__) && defined(__GNUC__) && VW == 2
    return __builtin_ia32_movmskpd((VD)m) != 0;
#else
#if VW == 8
    m |= __builtin_shuffle(m, (VL){4, 5, 6, 7, 0, 1, 2, 3});
#endif
#if VW >= 4
    m |= __builtin_shuffle(m, (VL){2, 3, 0, 1});
#endif
    return (m[0] | m[1]) != 0;
#endif
}
/* does some lane of v lie more than lim away from f (or is NaN)? */
AI int FN(off)(VD v, double f, double lim)
{
#if VW == 1
    return !(fabs(v - f) <= lim);
#else
    const VD d = v - f;
    const VL mag = (VL)d & ((VL){0} + INT64_MAX); /* |d| */
    return FN(any)(~((VD)mag <= lim));
#endif
}

/* Step 8's health for every lane, from today's damage and yesterday's
 * health of the suppliers: h_j = min(c_j, over j's input groups of
 * min(1, sum over primary edges of s_e (1 - eps_e) h_i)).  Only nodes whose
 * health someone needs are computed (m->health_read), and only those whose
 * health can be off its baseline today: damaged today (or buying over a
 * link damaged today), off it yesterday, or buying from a node that was.
 * Every other node's inputs are at their baseline, where the rule gives
 * back h0 exactly: the model's baseline health is the rule's fixed point,
 * found by sweeps that stop when one changes nothing, which on a network
 * without cycles always happens.  So dense runs too compute only these
 * (the same bits as computing every node: G100K-H spent a sixth of its
 * daily loop here), except on a network with a cycle, whose sweeps may
 * stop short of the fixed point.  New values go to a scratch first, so
 * every candidate reads yesterday's values whatever the order (cycles
 * included).  Afterwards w->hlist holds the nodes off their baseline. */
static void FN(health)(const rp_model *m, rp_flow_ws *w, int dense)
{
    const unsigned char *hr = m->health_read;
    int nc = 0;
    if (dense && !m->acyclic) {
        for (int j = 0; j < m->N; j++)
            if (hr[j])
                w->hcand[nc++] = j;
    } else {
        const uint32_t ep = ++w->hepoch;
#define HADD(j)                                                               \
    do {                                                                      \
        int j_ = (j);                                                         \
        if (hr[j_] && w->hstamp[j_] != ep) {                                  \
            w->hstamp[j_] = ep;                                               \
            w->hcand[nc++] = j_;                                              \
        }                                                                     \
    } while (0)
        for (int q = 0; q < w->n_tn; q++)
            HADD(w->touched_n[q]);
        for (int q = 0; q < w->n_te; q++)
            if (!m->e_standby[w->touched_e[q]])
                HADD(m->e_to[w->touched_e[q]]);
        for (int q = 0; q < w->n_hl; q++) {
            const int j = w->hlist[q];
            HADD(j);
            for (int o = m->out_start[j]; o < m->out_start[j + 1]; o++)
                if (!m->e_standby[m->out_edge[o]])
                    HADD(m->e_to[m->out_edge[o]]);
        }
#undef HADD
        if (nc == 0) {
            w->n_hl = 0;
            return;
        }
    }
    const VD one = (VD){0} + 1.0;
    for (int p = 0; p < nc; p++) {
        const int j = w->hcand[p];
        /* (the NH vectors of VW lanes that make up the LANES lanes, each
         * array [NH], in one walk of j's inputs) */
        VD hv[LANES / VW];
        for (int h = 0; h < LANES / VW; h++) {
            if (w->nmark[j]) { /* damaged today in some lane */
                double c[VW];
                for (int l = 0; l < VW; l++)
                    c[l] =
                        rp_health_capacity(m, j, w->delta[IX(j) + h * VW + l]);
                hv[h] = FN(ld)(c);
            } else {
                hv[h] = (VD){0} + w->hc0[j];
            }
        }
        for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
            VD sum[LANES / VW];
            for (int h = 0; h < LANES / VW; h++)
                sum[h] = (VD){0};
            for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
                if (m->e_standby[e])
                    continue;
                const double se = m->e_share[e];
                const double *hi = w->h + IX(m->e_from[e]);
                if (w->emark[e]) { /* the link is damaged today */
                    const double *ep = w->eps + IX(e);
                    for (int h = 0; h < LANES / VW; h++)
                        sum[h] += se * (1.0 - FN(ld)(ep + h * VW)) *
                                  FN(ld)(hi + h * VW);
                } else { /* (1 - eps) is exactly 1 */
                    for (int h = 0; h < LANES / VW; h++)
                        sum[h] += se * FN(ld)(hi + h * VW);
                }
            }
            for (int h = 0; h < LANES / VW; h++)
                hv[h] = FN(vmin)(hv[h], FN(vmin)(one, sum[h]));
        }
        for (int h = 0; h < LANES / VW; h++)
            FN(st)(w->hn + (size_t)p * LANES + h * VW, hv[h]);
    }
    int n = 0;
    for (int p = 0; p < nc; p++) {
        const int j = w->hcand[p];
        int off = 0;
        for (int l = 0; l < LANES; l++) {
            const double v = w->hn[(size_t)p * LANES + l];
            w->h[IX(j) + l] = v;
            off |= v != m->h0[j];
        }
        if (off)
            w->hlist[n++] = j;
    }
    w->n_hl = n;
}

/* The lanes of v that lie more than lim away from f (or are NaN), as a
 * mask; a selection by such a mask; and the lanes' ring marks (int32,
 * ring_dirty) set to d under a mask, and compared with t. */
#if VW == 1
AI void FN(mark)(int32_t *p, VL m, int32_t d)
{
    if (m)
        *p = d;
}
AI VL FN(marked)(const int32_t *p, int32_t t)
{
    return *p > t ? -1 : 0;
}
AI VL FN(offm)(VD v, double f, double lim)
{
    return fabs(v - f) <= lim ? 0 : -1;
}
AI VD FN(selm)(VL m, VD a, VD b)
{
    return m ? a : b;
}
#else
typedef int32_t FN(vim)
    __attribute__((vector_size(4 * VW), aligned(4), may_alias));
AI void FN(mark)(int32_t *p, VL m, int32_t d)
{
    const FN(vim) mi = __builtin_convertvector(m, FN(vim));
    const FN(vim) old = *(const FN(vim) *)p;
    *(FN(vim) *)p = (old & ~mi) | (((FN(vim)){0} + d) & mi);
}
AI VL FN(marked)(const int32_t *p, int32_t t)
{
    const FN(vim) v = *(const FN(vim) *)p;
    return __builtin_convertvector(v > t, VL);
}
AI VL FN(offm)(VD v, double f, double lim)
{
    const VD d = v - f;
    const VL mag = (VL)d & ((VL){0} + INT64_MAX); /* |d| */
    return ~((VD)mag <= lim);
}
AI VD FN(selm)(VL m, VD a, VD b)
{
    return FN(sel)(m, a, b);
}
#endif

/* The kernel below walks the network's structure once for all LANES lanes:
 * every loop over nodes, groups and edges holds an inner loop over the NH
 * vectors of VW lanes that make up the LANES lanes (two AVX2 registers for
 * eight lanes), which the compiler unrolls.  Values of one vector are
 * arrays [NH] indexed by h, and HV(p) is the address of vector h of the
 * item at p.  (GCC's 64-byte vectors under AVX2 cannot do this: they live
 * on the stack and their compares become scalar branches.) */
#define NH (LANES / VW)
#define H for (int h = 0; h < NH; h++)
#define HV(p) ((p) + (size_t)h * VW)
/* a comparison's result as a mask, all ones where it holds (for one lane
 * the comparison is an int, 0 or 1) */
#if VW == 1
#define MASK(c) ((c) ? (VL)-1 : (VL)0)
#else
#define MASK(c) ((VL)(c))
#endif

/* The lanes in which node j, after today, is hit (damaged today, or a link
 * of it) or not within RP_QUIET_TOL (relative) of its baseline: output
 * fraction, availability, and its inputs' stock, counters, rings and
 * orders, as masks off[NH].  Lane by lane, so that what a lane does never
 * depends on the other lanes. */
AI void FN(unsettled)(const rp_model *m, const rp_flow_ws *w, int j, int t,
                      VL *off)
{
    const double tol = RP_QUIET_TOL;
    const VD z = {0};
    H off[h] = FN(offm)(FN(ld)(HV(w->r + IX(j))), w->r0[j], tol);
    if (m->avail_read[j])
        H off[h] |= FN(offm)(FN(ld)(HV(w->alpha + IX(j))), w->alpha0[j], tol);
    if (w->nmark[j])
        H off[h] |= MASK(FN(ld)(HV(w->delta + IX(j))) > z);
    if (w->ehit[j] == w->epoch) { /* a link of j is hit in some lane */
        const int a = m->g_estart[m->grp_start[j]];
        const int b = m->g_estart[m->grp_start[j + 1]];
        for (int e = a; e < b; e++)
            H off[h] |= MASK(FN(ld)(HV(w->eps + IX(e))) > z);
        for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
            const double *ep = w->eps + IX(m->out_edge[q]);
            H off[h] |= MASK(FN(ld)(HV(ep)) > z);
        }
    }
    for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
        int every = 1;
        H every &= !FN(any)(~off[h]);
        if (every)
            return; /* off in every lane already */
        double s0 = m->ninv[j] * m->g_ratio[g] * m->x0[j];
        const double *Sp = w->S + IX(g);
        if (m->g_merged[g]) {
            /* stock and shipment are one quantity here (its next day
             * depends on nothing else) */
            const int e = m->g_estart[g];
            const double c0 = s0 + m->e_f0[e], f0 = m->e_f0[e];
            const double *Op = w->O + IX(e);
            H off[h] |= FN(offm)(FN(ld)(HV(Sp)), c0, tol * c0) |
                        FN(offm)(FN(ld)(HV(Op)), f0, tol * f0);
            continue;
        }
        const int64_t *cp = w->shortc + IX(g);
        H off[h] |= MASK(FN(ldl)(HV(cp)) != 0) |
                    FN(offm)(FN(ld)(HV(Sp)), s0, tol * s0);
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
            double f0 = m->e_f0[e], lim = tol * f0;
            /* a ring of L > 1 holds f0 exactly in a lane once the last
             * shipment that was off has arrived (FN(settle_ship)); a
             * one-slot ring holds today's shipment only */
            if (m->e_L[e] == 1) {
                const double *pp = w->pipe + IX(w->e_pipe[e]);
                H off[h] |= FN(offm)(FN(ld)(HV(pp)), f0, lim);
            } else if (w->ring_dirty_any[e] > t) {
                const int32_t *rd = w->ring_dirty + IX(e);
                H off[h] |= FN(marked)(HV(rd), t);
            }
            const double *Op = w->O + IX(e);
            H off[h] |= FN(offm)(FN(ld)(HV(Op)), f0, lim);
        }
    }
}

/* After node j's day (sparse runs): in each lane where it is not hit and
 * is within RP_QUIET_TOL of its baseline, its state snaps to the exact
 * baseline (docs/model.md allows it), before any buyer reads it.  A node
 * simulated in a lane only because another lane needs it starts and ends
 * the day at its exact baseline there, so each lane gives what it would
 * give alone, bit for bit.  Returns whether j is now at its baseline in
 * every lane. */
AI int FN(settle)(const rp_model *m, rp_flow_ws *w, int j, int t)
{
    VL off[NH];
    FN(unsettled)(m, w, j, t, off);
    int all = 1, every = 1;
    H
    {
        all &= !FN(any)(off[h]);
        every &= !FN(any)(~off[h]);
    }
    if (every)
        return 0; /* off its baseline in every lane: nothing snaps */
    const VD z = {0};
#define SNAP(a, i, b)                                                         \
    do {                                                                      \
        double *p_ = (a) + IX(i);                                             \
        const VD b_ = z + (b);                                                \
        H FN(st)(HV(p_), FN(selm)(off[h], FN(ld)(HV(p_)), b_));               \
    } while (0)
    SNAP(w->r, j, w->r0[j]);
    SNAP(w->alpha, j, w->alpha0[j]);
    SNAP(w->x, j, m->x0[j]);
    const int g0 = m->grp_start[j], g1 = m->grp_start[j + 1];
    for (int g = g0; g < g1; g++) {
        double s0 = m->ninv[j] * m->g_ratio[g] * m->x0[j];
        if (m->g_merged[g])
            s0 += m->e_f0[m->g_estart[g]];
        SNAP(w->S, g, s0);
        int64_t *cp = w->shortc + IX(g);
        H FN(stl)(HV(cp), FN(ldl)(HV(cp)) & off[h]);
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
            const double f0 = m->e_f0[e];
            SNAP(w->O, e, f0);
            if (m->e_L[e] > 1)
                SNAP(w->transit, e, w->tr0[e]);
            else if (!m->g_merged[g])
                SNAP(w->pipe, w->e_pipe[e], f0);
        }
    }
#undef SNAP
    return all;
}

/* What is in transit over an edge (lead time L > 1) after today's arrival
 * and shipment `ship` (one vector: tr its running sum, slot today's ring
 * slot, both at vector h), stored as the edge's running sum; call before
 * the shipment goes into today's slot, which still holds the arrival.  The
 * sum less the arrival is kept at 0 or above, as what is in transit is:
 * once a ring has emptied, rounding can leave it a hair below 0, which the
 * orders of step 10 would read as a shortfall.  (Step 2, the arrival, is
 * read from the same slot by FN(producible): the running sum loses it here,
 * when the edge ships.) */
AI VD FN(transit)(double *tr, const double *slot, VD ship)
{
    const VD trn = FN(vpos)(FN(ld)(tr) - FN(ld)(slot)) + ship;
    FN(st)(tr, trn);
    return trn;
}

/* Today's slot of edge e's ring (its arrival until the edge ships). */
AI double *FN(slot)(const rp_kern *restrict k, int e, int L)
{
    return k->pipe + IX(k->e_pipe[e] + k->roff[L]);
}

/* Steps 2 and 4 for node j, every lane: arrivals into its input groups
 * (edges are stored by buyer, so this walks the rings in order), and what
 * it can produce: P (its damaged capacity) limited by each input's stock
 * over its ratio. */
AI void FN(producible)(const rp_kern *restrict k, int j, VD *P)
{
    const int g0 = k->grp_start[j], g1 = k->grp_start[j + 1];
    if (k->simple[j] == 2) {
        /* every input a merged one-day input (see FN(single)): its slot is
         * the stock after today's arrival */
        for (int g = g0; g < g1; g++) {
            const double *Sp = k->S + IX(g);
            const double ag = k->g_ratio[g];
            H
            {
                const VD S = FN(ld)(HV(Sp));
                P[h] = FN(vmin)(ag == 1.0 ? S : S / ag, P[h]);
            }
        }
    } else if (k->simple[j]) {
        /* every input single-sourced: group g is edge g + d; a one-day
         * input's slot holds yesterday's stock plus what arrives today */
        const int d = k->g_estart[g0] - g0;
        for (int g = g0; g < g1; g++) {
            double *Sp = k->S + IX(g);
            const int e = g + d, L = k->e_L[e];
            const double ag = k->g_ratio[g];
            if (L > 1) {
                const double *a = FN(slot)(k, e, L);
                H
                {
                    const VD S = FN(ld)(HV(Sp)) + FN(ld)(HV(a));
                    FN(st)(HV(Sp), S);
                    P[h] = FN(vmin)(ag == 1.0 ? S : S / ag, P[h]);
                }
            } else {
                H
                {
                    const VD S = FN(ld)(HV(Sp));
                    P[h] = FN(vmin)(ag == 1.0 ? S : S / ag, P[h]);
                }
            }
        }
    } else {
        for (int g = g0; g < g1; g++) {
            double *Sp = k->S + IX(g);
            VD S[NH];
            H S[h] = FN(ld)(HV(Sp));
            for (int e = k->g_estart[g]; e < k->g_estart[g + 1]; e++) {
                const double *a = FN(slot)(k, e, k->e_L[e]);
                H S[h] += FN(ld)(HV(a));
            }
            const double ag = k->g_ratio[g];
            H
            {
                FN(st)(HV(Sp), S[h]);
                P[h] = FN(vmin)(ag == 1.0 ? S[h] : S[h] / ag, P[h]);
            }
        }
    }
}

/* Steps 2-8 for node j in every lane, but for consumption and shipping
 * (FN(group_all)).  Arrivals read the slot of today in each ring of j's
 * inputs; j's shipping puts today's shipment into the same slot, which
 * comes round again in L days.  Returns whether j's delivered fraction or
 * availability left its baseline in some lane. */
AI int FN(node_all)(const rp_kern *restrict k, int j, double *restrict ysum,
                    double *restrict lsum, double *restrict lval)
{
    /* 3. demand: final demand plus yesterday's orders, less today's
     * damage to the links */
    const double Fj = k->F[j], capj = k->cap[j], x0 = k->x0[j];
    VD D[NH];
    H D[h] = (VD){0} + Fj;
    const int o0 = k->out_start[j], o1 = k->out_start[j + 1];
    if (k->n_te > 0) {
        for (int q = o0; q < o1; q++) {
            const int e = k->out_edge[q];
            const double *Op = k->O + IX(e), *ep = k->eps + IX(e);
            H D[h] += FN(ld)(HV(Op)) * (1.0 - FN(ld)(HV(ep)));
        }
    } else {
        /* no link is damaged today: (1 - eps) is exactly 1 */
        for (int q = o0; q < o1; q++) {
            const double *Op = k->O + IX(k->out_edge[q]);
            H D[h] += FN(ld)(HV(Op));
        }
    }
    /* 2. arrivals into j's input groups (edges are stored by buyer, so
     * this walks the rings in order), and 4-5. producible, output */
    /* (a node with no event today has no damage: skip reading it) */
    const int nm = k->nmark[j];
    VD dj[NH], P[NH];
    H
    {
        dj[h] = nm ? FN(ld)(HV(k->delta + IX(j))) : (VD){0};
        P[h] = capj * (1.0 - dj[h]);
    }
    FN(producible)(k, j, P);
    const VD z = {0};
    int moved = 0;
    H
    {
        const VD x = FN(vmin)(P[h], D[h]);
        const VD r = FN(sel)(D[h] > z, x / D[h], z);
        FN(st)(HV(k->D + IX(j)), D[h]);
        FN(st)(HV(k->x + IX(j)), x);
        FN(st)(HV(k->r + IX(j)), r);
        /* 6. final deliveries (shipments to buyers: FN(group_all) of the
         * buyer) */
        if (Fj > 0) {
            const double vj = k->v[j];
            const VD y = r * Fj;
            const VD lost = Fj - y;
            FN(st)(HV(ysum), FN(ld)(HV(ysum)) + y);
            FN(st)(HV(lsum), FN(ld)(HV(lsum)) + lost);
            FN(st)(HV(lval), FN(ld)(HV(lval)) + vj * lost);
            double *lv = HV(k->lostv + IX(j));
            FN(st)(lv, FN(ld)(lv) + vj * lost);
        }
        /* 7. consumption: in FN(group_all), where the stock is read
         * anyway */
        /* 8. availability (if a buyer weighs it); disrupted and impacted
         * days */
        VL amoved = (VL){0};
        if (k->avail_read[j]) {
            VD al;
            if (x0 > 0)
                al = FN(vmin)(P[h] / x0, z + 1.0);
            else
                al = FN(sel)(P[h] > z, z + 1.0, z);
            /* the larger of stock availability and health */
            const VD hj = FN(ld)(HV(k->h + IX(j)));
            al = FN(sel)(al < hj, hj, al);
            FN(st)(HV(k->alpha + IX(j)), al);
            amoved = al != k->alpha0[j];
        }
        if (FN(any)(dj[h] > z)) {
            int32_t *restrict dd = HV(k->dis_days + IX(j));
            for (int l = 0; l < VW; l++)
                dd[l] += LANE(dj[h], l) > 0;
        }
        const double imp = (1 - RP_IMPACT_TOL) * x0;
        if (x0 > 0 && FN(any)(x < imp)) {
            int32_t *restrict id = HV(k->imp_days + IX(j));
            for (int l = 0; l < VW; l++)
                id[l] += LANE(x, l) < imp;
        }
        /* did its delivered fraction or availability leave the baseline? */
        moved |= FN(any)((r != k->r0[j]) | amoved);
    }
    return moved;
}

/* Steps 6-7 (shipping into the rings of node j's inputs: the supplier's
 * r is today's; consumption) and 9-10 (weights, orders) for j's input
 * groups. */
/* Today's shipment over edge e (lead time L > 1) into its ring, in sparse
 * runs, lanes of vector h: where it is within RP_QUIET_TOL of the baseline
 * f0 it goes in as f0 exactly, so that a ring back at its baseline holds
 * exactly f0; where it is not, the lane's ring is off its baseline until it
 * arrives. */
AI VD FN(settle_ship)(const rp_kern *restrict k, int e, VD ship, int L, int h)
{
    const double f0 = k->e_f0[e];
    const VL off = FN(offm)(ship, f0, RP_QUIET_TOL * f0);
    if (FN(any)(off)) {
        FN(mark)(HV(k->ring_dirty + IX(e)), off, k->t + L);
        k->ring_dirty_any[e] = k->t + L;
    }
    return FN(selm)(off, ship, (VD){0} + f0);
}

/* Input group g of one (non-standby) supplier over edge e: consumption,
 * shipping, and the order (its weight is 1 whatever happens). */
AI void FN(single)(const rp_kern *restrict k, int g, int e, const VD *x,
                   const VD *need, double nk, VD dry1, const int edam,
                   const int track, const int merged)
{
    const VD z = {0};
    const double ag = k->g_ratio[g], itau = k->itau;
    const int L = merged ? 1 : k->e_L[e];
    double *Sp = k->S + IX(g), *Op = k->O + IX(e);
    const double *rp = k->r + IX(k->e_from[e]), *ep = k->eps + IX(e);
    double *slot = merged ? NULL : FN(slot)(k, e, L);
    double *tr = k->transit + IX(e);
    const VD dryg = ag == 1.0 ? dry1 : dry1 * ag;
    H
    {
        /* 7. consumption (the buyer's own stock: nothing else reads it) */
        const VD S = FN(dry)(FN(ld)(HV(Sp)) - ag * x[h], dryg);
        const VD u = ag * need[h];
        const VD epv = edam ? FN(ld)(HV(ep)) : z;
        const VD O = FN(ld)(HV(Op));
        VD ship = FN(ld)(HV(rp)) * O * (1.0 - epv);
        if (track && L > 1)
            ship = FN(settle_ship)(k, e, ship, L, h);
        VD trn = ship;
        if (merged) {
            /* (a one-day input of a simple node: the slot keeps stock plus
             * shipment, which is tomorrow's stock after arrivals) */
            FN(st)(HV(Sp), S + ship);
        } else {
            FN(st)(HV(Sp), S);
            if (L > 1)
                trn = FN(transit)(HV(tr), HV(slot), ship);
            FN(st)(HV(slot), ship);
        }
        /* (the count of short days matters only to standby suppliers: a
         * group without one keeps it at 0) */
        const VD Wstar = u * (1.0 * L);
        const VD Q = u + (nk * u - S) * itau + (Wstar - trn) * itau;
        FN(st)(HV(Op), FN(vpos)(Q));
    }
}

/* Input group g of several suppliers (or of a standby one): consumption
 * (step 7), shipping on every edge (6), the suppliers' weights (9) and the
 * orders (10), every lane.  Each accumulator (A, sum, wl, Pi) takes the
 * same terms in the same order as one loop per step would give: edge
 * order.  `stb`: the group has a standby edge (the common case, none, has
 * its own copy without the tests). */
AI void FN(multi)(const rp_kern *restrict k, int g, const VD *x,
                  const VD *need, double nk, VD dry1, const int edam,
                  const int track, const int stb)
{
    const double itau = k->itau;
    const VD z = {0};
    const int a = k->g_estart[g], b = k->g_estart[g + 1];
    const double ag = k->g_ratio[g];
    double *Sp = k->S + IX(g);
    const VD dryg = ag == 1.0 ? dry1 : dry1 * ag;
    VD S[NH], u[NH];
    /* 7. consumption (the buyer's own stock: nothing else reads it) */
    H
    {
        S[h] = FN(dry)(FN(ld)(HV(Sp)) - ag * x[h], dryg);
        FN(st)(HV(Sp), S[h]);
        u[h] = ag * need[h];
    }
    /* one walk: shipping on every edge, what is in the pipeline (Pi: the
     * running sum in transit, or with L = 1 the ring's one slot, today's
     * shipment), the primaries' raw weights and their availability A */
    VD A[NH], sum[NH], Pi[NH];
    H A[h] = sum[h] = Pi[h] = z;
    for (int e = a; e < b; e++) {
        const int L = k->e_L[e], i = k->e_from[e];
        const double *rp = k->r + IX(i), *alp = k->alpha + IX(i);
        const double *ep = k->eps + IX(e), *Op = k->O + IX(e);
        double *slot = FN(slot)(k, e, L), *tr = k->transit + IX(e);
        double *wp = k->w + IX(e - a);
        const int prim = !stb || !k->e_standby[e];
        const double share = k->e_share[e];
        H
        {
            const VD keep = 1.0 - (edam ? FN(ld)(HV(ep)) : z);
            VD ship = FN(ld)(HV(rp)) * FN(ld)(HV(Op)) * keep;
            if (track && L > 1)
                ship = FN(settle_ship)(k, e, ship, L, h);
            Pi[h] += L > 1 ? FN(transit)(HV(tr), HV(slot), ship) : ship;
            FN(st)(HV(slot), ship);
            if (prim) {
                const VD raw = share * (FN(ld)(HV(alp)) * keep);
                A[h] += raw;
                FN(st)(HV(wp), raw);
                if (!stb)
                    sum[h] += raw;
            }
        }
    }
    if (stb) {
        /* the count of short days, then the standby suppliers' raw weights
         * (they read A), and sum over every edge in order (standby edges
         * keep their place among the primaries: a buyer's edges of one
         * input are in file order) */
        const VL zl = {0}, one = zl + 1;
        VL c[NH];
        H
        {
            int64_t *cp = HV(k->shortc + IX(g));
            c[h] = FN(seli)(A[h] < 1 - RP_SHORT_TOL, FN(ldl)(cp) + one, zl);
            FN(stl)(cp, c[h]);
        }
        for (int e = a; e < b; e++) {
            double *wp = k->w + IX(e - a);
            if (k->e_standby[e]) {
                const double *ep = k->eps + IX(e);
                const double *alp = k->alpha + IX(k->e_from[e]);
                const VL d = (VL){0} + (int64_t)k->e_delay[e];
                const double eb = k->e_b[e];
                H
                {
                    const VD epv = edam ? FN(ld)(HV(ep)) : z;
                    const VD ae = FN(ld)(HV(alp)) * (1.0 - epv);
                    const VD raw =
                        FN(sel)(c[h] > d, eb * ae * (1.0 - A[h]), z);
                    FN(st)(HV(wp), raw);
                    sum[h] += raw;
                }
            } else {
                H sum[h] += FN(ld)(HV(wp));
            }
        }
    }
    /* 9. the weights (where sum is 0: the shares), and 10. the orders */
    int allpos = 1;
#if VW == 1
    H allpos &= sum[h] > 0;
#else
    H allpos &= !FN(any)(~(sum[h] > z));
#endif
    VD wl[NH];
    H wl[h] = z;
    if (allpos) {
        for (int e = a; e < b; e++) {
            double *wp = k->w + IX(e - a);
            const double Le = 1.0 * k->e_L[e];
            H
            {
                const VD wv = FN(ld)(HV(wp)) / sum[h];
                FN(st)(HV(wp), wv);
                wl[h] += wv * Le;
            }
        }
    } else {
        for (int e = a; e < b; e++) {
            double *wp = k->w + IX(e - a);
            const double Le = 1.0 * k->e_L[e];
            const double base = stb && k->e_standby[e] ? 0 : k->e_share[e];
            H
            {
                const VD wv =
                    FN(sel)(sum[h] > z, FN(ld)(HV(wp)) / sum[h], z + base);
                FN(st)(HV(wp), wv);
                wl[h] += wv * Le;
            }
        }
    }
    VD Q[NH];
    H
    {
        const VD Wstar = u[h] * wl[h];
        Q[h] = FN(vpos)(u[h] + (nk * u[h] - S[h]) * itau +
                        (Wstar - Pi[h]) * itau);
    }
    for (int e = a; e < b; e++) {
        const double *wp = k->w + IX(e - a);
        double *Op = k->O + IX(e);
        H FN(st)(HV(Op), FN(ld)(HV(wp)) * Q[h]);
    }
}

AI void FN(group_multi)(const rp_kern *restrict k, int g, const VD *x,
                        const VD *need, double nk, VD dry1, const int edam,
                        const int track)
{
    if (k->g_nprim[g] < k->g_estart[g + 1] - k->g_estart[g])
        FN(multi)(k, g, x, need, nk, dry1, edam, track, 1);
    else
        FN(multi)(k, g, x, need, nk, dry1, edam, track, 0);
}

AI void FN(group_part)(const rp_kern *restrict k, int j, const int edam,
                       const int track)
{
    const double capk = k->cap[j], nk = k->ninv[j];
    /* (no stock at all: RP_DRY_STOCK of a day's baseline use, see
     * FN(dry)) */
    const VD dry1 = (VD){0} + RP_DRY_STOCK * k->x0[j];
    const VD z = {0};
    const int nm = k->nmark[j];
    VD need[NH], x[NH];
    H
    {
        /* min(D_k, cap_k (1 - delta_k)) */
        need[h] =
            FN(vmin)(FN(ld)(HV(k->D + IX(j))),
                     capk * (1.0 - (nm ? FN(ld)(HV(k->delta + IX(j))) : z)));
        x[h] = FN(ld)(HV(k->x + IX(j)));
    }
    const int g0 = k->grp_start[j], g1 = k->grp_start[j + 1];
    if (k->simple[j] == 2) {
        const int d = k->g_estart[g0] - g0;
        for (int g = g0; g < g1; g++)
            FN(single)(k, g, g + d, x, need, nk, dry1, edam, track, 1);
        return;
    }
    if (k->simple[j]) {
        /* every input single-sourced: group g is edge g + d */
        const int d = k->g_estart[g0] - g0;
        for (int g = g0; g < g1; g++) {
            const int merged = k->e_L[g + d] == 1;
            FN(single)(k, g, g + d, x, need, nk, dry1, edam, track, merged);
        }
        return;
    }
    for (int g = g0; g < g1; g++) {
        const int a = k->g_estart[g], b = k->g_estart[g + 1];
        if (b - a == 1 && !k->e_standby[a]) {
            FN(single)(k, g, a, x, need, nk, dry1, edam, track, 0);
            continue;
        }
        FN(group_multi)(k, g, x, need, nk, dry1, edam, track);
    }
}

/* Steps 6-7 and 9-10 for node j's inputs in every lane (each combination
 * of link damage today and off-baseline tracking gets its own copy of the
 * loop, without the tests it does not need). */
AI void FN(group_all)(const rp_kern *k, int j, int track)
{
    if (k->n_te > 0) {
        if (track)
            FN(group_part)(k, j, 1, 1);
        else
            FN(group_part)(k, j, 1, 0);
    } else {
        if (track)
            FN(group_part)(k, j, 0, 1);
        else
            FN(group_part)(k, j, 0, 0);
    }
}

#undef NH
#undef H
#undef HV
#undef MASK

#undef VD
#undef VL
#undef LANE
#undef AI

/* Add node j to today's work list (once). */
static inline void FN(want)(rp_flow_ws *w, int j)
{
    if (w->stamp[j] != w->epoch) {
        w->stamp[j] = w->epoch;
        w->work[w->n_work++] = j;
    }
}

/* Did node j's delivered fraction or availability leave its baseline
 * today in some lane?  Then its buyers must be simulated today too. */
static inline int FN(moved)(const rp_model *m, const rp_flow_ws *w, int j)
{
    int moved = 0;
    for (int l = 0; l < LANES; l++)
        moved |= w->r[IX(j) + l] != w->r0[j] ||
                 (m->avail_read[j] && w->alpha[IX(j) + l] != w->alpha0[j]);
    return moved;
}

/* Buyers of node j that are not on today's list join it (woken to their
 * baseline); with `heap`, their ranks go on the heap of nodes still to do. */
static void FN(add_buyers)(const rp_model *m, rp_flow_ws *w, int j, int heap)
{
    for (int k = m->out_start[j]; k < m->out_start[j + 1]; k++) {
        int b = m->e_to[m->out_edge[k]];
        if (w->stamp[b] != w->epoch) {
            FN(want)(w, b);
            if (w->state[b] == RP_ASLEEP) {
                FN(wake)(m, w, b);
                w->state[b] = RP_AWAKE;
            }
            if (heap)
                heap_push(w->heap, &w->n_heap, w->rank[b]);
        }
    }
}

/* One simulated day for the nodes on the work list, in every lane
 * (docs/model.md, "One day", steps 2-10).  Nodes off the list are at their
 * baseline.
 *
 * Without a cycle (m->acyclic) the list is in supplier-before-buyer order
 * and each node is done in one go: its own steps 2-8, then shipping and
 * orders for its inputs, whose suppliers are done already; its buyers,
 * later in the order, still read the orders it was given yesterday.  One
 * pass over the network, each ring touched once.  With a cycle, steps 2-8
 * for every node come first, then shipping and orders.
 *
 * A node on the list whose delivered fraction or availability moved today
 * changes what its buyers receive today, so its buyers join the list (the
 * suppliers of a disturbed node are on the list, and the buyers of those
 * are not always). */
static void FN(day)(const rp_model *m, rp_flow_ws *w, rp_kern *k, int t,
                    int dense, double *ysum, double *lsum, double *lval)
{
    for (int l = 0; l < LANES; l++)
        ysum[l] = lsum[l] = lval[l] = 0;
    k->t = t;
    k->n_te = w->n_te;
    const int n1 = w->n_work;
    if (m->acyclic && dense) {
        for (int q = 0; q < n1; q++) {
            FN(node_all)(k, w->work[q], ysum, lsum, lval);
            FN(group_all)(k, w->work[q], !dense);
        }
    } else if (m->acyclic) {
        w->n_heap = 0;
        int q = 0;
        while (q < n1 || w->n_heap > 0) {
            int j;
            if (w->n_heap > 0 && (q >= n1 || w->heap[0] < w->rank[w->work[q]]))
                j = m->topo[heap_pop(w->heap, &w->n_heap)];
            else
                j = w->work[q++];
            if (FN(node_all)(k, j, ysum, lsum, lval))
                FN(add_buyers)(m, w, j, 1);
            FN(group_all)(k, j, 1);
            w->settled[j] = (unsigned char)FN(settle)(m, w, j, t);
        }
    } else {
        for (int q = 0; q < n1; q++)
            FN(node_all)(k, w->work[q], ysum, lsum, lval);
        if (!dense) {
            for (int q = 0; q < n1; q++)
                if (FN(moved)(m, w, w->work[q]))
                    FN(add_buyers)(m, w, w->work[q], 0);
            for (int q = n1; q < w->n_work; q++)
                FN(node_all)(k, w->work[q], ysum, lsum, lval);
        }
        for (int q = 0; q < w->n_work; q++) {
            FN(group_all)(k, w->work[q], !dense);
            if (!dense)
                w->settled[w->work[q]] =
                    (unsigned char)FN(settle)(m, w, w->work[q], t);
        }
    }
}

/* The trace of day t (lane 0 of a dense run, where every node is
 * simulated every day), before the day: each group's stock after today's
 * arrivals and each node's producible, the sums node_part makes, in its
 * order (the same bits). */
static void FN(trace_in)(const rp_model *m, const rp_flow_ws *w,
                         const rp_flow_trace *tr, int t)
{
    for (int j = 0; j < m->N; j++) {
        double P = m->cap[j] * (1.0 - (w->nmark[j] ? w->delta[IX(j)] : 0.0));
        for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
            double S = w->S[IX(g)];
            if (!m->g_merged[g]) /* (a merged slot is that stock already) */
                for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++)
                    S += w->pipe[IX(w->e_pipe[e] + w->roff[m->e_L[e]])];
            if (tr->S)
                tr->S[(size_t)t * (size_t)m->G + (size_t)g] = S;
            const double ag = m->g_ratio[g], q = ag == 1.0 ? S : S / ag;
            P = q < P ? q : P;
        }
        if (tr->P)
            tr->P[(size_t)t * (size_t)m->N + (size_t)j] = P;
    }
}

/* ... and after it: demand, fill ratio, damage, health (step 8's rule for
 * the nodes whose health the loop does not need) and the day's loss. */
static void FN(trace_out)(const rp_model *m, const rp_flow_ws *w,
                          const rp_flow_trace *tr, int t, double lost)
{
    const size_t N = (size_t)m->N, o = (size_t)t * N;
    for (size_t j = 0; j < N; j++) {
        if (tr->D)
            tr->D[o + j] = w->D[IX(j)];
        if (tr->r)
            tr->r[o + j] = w->r[IX(j)];
        if (tr->delta)
            tr->delta[o + j] = w->delta[IX(j)];
    }
    for (int j = 0; tr->h && j < m->N; j++) {
        double hv = w->h[IX(j)];
        if (!m->health_read[j]) {
            hv = rp_health_capacity(m, j, w->delta[IX(j)]);
            for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
                double sum = 0;
                for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++)
                    if (!m->e_standby[e])
                        sum += m->e_share[e] * (1.0 - w->eps[IX(e)]) *
                               (t > 0 ? tr->h[o - N + (size_t)m->e_from[e]]
                                      : m->h0[m->e_from[e]]);
                hv = rp_health_min(hv, rp_health_min(1.0, sum));
            }
        }
        tr->h[o + (size_t)j] = hv;
    }
    if (tr->lost)
        tr->lost[t] = lost;
}

/* Start of a run: every node asleep at its baseline (what others read of
 * it set, its own stocks and rings set when it wakes), or, in dense runs,
 * every node disturbed and awake from the start; health at its baseline. */
static void FN(start)(const rp_model *m, rp_flow_ws *w, int dense)
{
    const int N = m->N;
    for (int j = 0; j < N; j++) {
        w->state[j] = dense ? RP_DISTURBED : RP_ASLEEP;
        FN(sleep)(m, w, j);
        if (dense)
            FN(wake)(m, w, j);
    }
    for (size_t e = 0; e < IX(m->E); e++)
        w->ring_dirty[e] = 0;
    for (int e = 0; e < m->E; e++)
        w->ring_dirty_any[e] = 0;
    for (int j = 0; j < N; j++)
        if (m->health_read[j])
            for (int l = 0; l < LANES; l++)
                w->h[IX(j) + l] = m->h0[j];
    w->n_hl = 0;
    w->n_hot = w->n_awake = 0;
    if (dense)
        for (int j = 0; j < N; j++)
            w->hot_list[w->n_hot++] = j;
}

/* Events of day t: in each lane, those whose onset has come join the
 * active list and those that have ended leave it.  Returns whether some
 * lane has an active event; *until gets the next onset in any lane (T if
 * there is none). */
static int FN(activate)(rp_flow_ws *w, int t, int T, int *until)
{
    int any_active = 0;
    *until = T;
    for (int l = 0; l < LANES; l++) {
        rp_flow_lane *ln = &w->lane[l];
        while (ln->next < ln->n_ev && ln->ev[ln->next].onset <= t)
            ln->active[ln->n_act++] = ln->next++;
        int keep = 0;
        for (int q = 0; q < ln->n_act; q++) {
            const rp_event *e = &ln->ev[ln->active[q]];
            if (e->onset + e->duration > t)
                ln->active[keep++] = ln->active[q];
        }
        ln->n_act = keep;
        any_active |= ln->n_act > 0;
        int nx = ln->next < ln->n_ev ? ln->ev[ln->next].onset : T;
        if (nx < *until)
            *until = nx;
    }
    return any_active;
}

/* The quiet-day skip: every node of every lane is at its baseline and
 * nothing happens before day `until`, so days t .. until-1 give full
 * service and change nothing.  The awake nodes go to sleep, yesterday's
 * damage is cleared, those days' service levels (and traced output) are
 * written.  Returns the last day skipped (t - 1: none). */
static int FN(skip_quiet)(const rp_model *m, rp_flow_ws *w, int t, int until,
                          int T, double **sl, const rp_flow_trace *trace)
{
    const int N = m->N;
    for (int q = 0; q < w->n_awake; q++) {
        FN(sleep)(m, w, w->awake_list[q]);
        w->state[w->awake_list[q]] = RP_ASLEEP;
    }
    w->n_awake = 0;
    if (until > T)
        until = T;
    if (w->n_tn || w->n_te)
        FN(damage)(m, w, t);
    for (int d = t; d < until; d++)
        for (int l = 0; l < LANES; l++) {
            if (sl[l] != NULL)
                sl[l][d] = 1.0;
            if (trace != NULL && trace->x)
                memcpy(trace->x + (size_t)d * (size_t)N, m->x0,
                       (size_t)N * sizeof(double));
        }
    if (until > t)
        for (int l = 0; l < LANES; l++) {
            rp_flow_lane *ln = &w->lane[l];
            if (1.0 < ln->min_sl)
                ln->min_sl = 1.0;
            if (!(1.0 < m->par.service_target))
                ln->run = 0;
        }
    return until - 1;
}

/* Node i is disturbed today (hit, or a link of it hit): woken to its
 * baseline if it slept, and on the hot list once. */
static inline void FN(disturb)(const rp_model *m, rp_flow_ws *w, int i)
{
    if (w->state[i] != RP_DISTURBED) {
        if (w->state[i] == RP_ASLEEP)
            FN(wake)(m, w, i);
        w->state[i] = RP_DISTURBED;
        w->hot_list[w->n_hot++] = i;
    }
}

/* The nodes hit today and both ends of the links hit today join the
 * disturbed ones; a node with a link hit today is stamped in w->ehit. */
static void FN(mark_hit)(const rp_model *m, rp_flow_ws *w)
{
    for (int q = 0; q < w->n_tn; q++)
        FN(disturb)(m, w, w->touched_n[q]);
    for (int q = 0; q < w->n_te; q++) {
        const int e = w->touched_e[q];
        const int ends[2] = {m->e_from[e], m->e_to[e]};
        for (int z = 0; z < 2; z++)
            w->ehit[ends[z]] = w->epoch; /* a link of it is hit */
        for (int z = 0; z < 2; z++)
            FN(disturb)(m, w, ends[z]);
    }
}

/* Today's candidates: the disturbed nodes, their suppliers (a node's
 * orders move its suppliers) and buyers (its deliveries move its buyers),
 * and the nodes whose availability comes from their health alone while
 * that health is off.  With `many` they are only stamped (collected by a
 * scan in FN(order_work), which needs no count); else listed as well. */
static void FN(stamp_work)(const rp_model *m, rp_flow_ws *w, int many)
{
    /* a node whose availability comes from its health alone at baseline
     * (no output, so no stock) is simulated while its health is off: its
     * buyers may read a changed availability (a node with baseline output
     * is fully available from stock, whatever its health, until it is
     * disturbed) */
    for (int q = 0; q < w->n_hl; q++) {
        const int j = w->hlist[q];
        if (m->avail_read[j] && w->a0[j] < 1.0) {
            if (many)
                w->stamp[j] = w->epoch;
            else
                FN(want)(w, j);
        }
    }
    if (many) {
        const uint32_t ep = w->epoch;
        uint32_t *restrict stamp = w->stamp;
        const int *restrict from = m->e_from, *restrict to = m->e_to;
        for (int q = 0; q < w->n_hot; q++) {
            int h = w->hot_list[q];
            stamp[h] = ep;
            int a = m->g_estart[m->grp_start[h]];
            int b = m->g_estart[m->grp_start[h + 1]];
            for (int e = a; e < b; e++)
                stamp[from[e]] = ep;
            for (int k = m->out_start[h]; k < m->out_start[h + 1]; k++)
                stamp[to[m->out_edge[k]]] = ep;
        }
    } else {
        for (int q = 0; q < w->n_hot; q++) {
            int h = w->hot_list[q];
            FN(want)(w, h);
            int a = m->g_estart[m->grp_start[h]];
            int b = m->g_estart[m->grp_start[h + 1]];
            for (int e = a; e < b; e++)
                FN(want)(w, m->e_from[e]);
            for (int k = m->out_start[h]; k < m->out_start[h + 1]; k++)
                FN(want)(w, m->e_to[m->out_edge[k]]);
        }
    }
}

/* The work list in m->topo order (suppliers first, or node order): a few
 * nodes are sorted by rank, many are collected by a scan of the order.
 * Nodes on it that slept wake up (awake, not disturbed). */
static void FN(order_work)(const rp_model *m, rp_flow_ws *w, int many)
{
    if (!many) {
        for (int q = 0; q < w->n_work; q++)
            w->work[q] = w->rank[w->work[q]];
        qsort(w->work, (size_t)w->n_work, sizeof(int), cmp_int_asc);
        for (int q = 0; q < w->n_work; q++)
            w->work[q] = m->topo[w->work[q]];
    } else {
        int n = 0;
        for (int q = 0; q < m->N; q++)
            if (w->stamp[m->topo[q]] == w->epoch)
                w->work[n++] = m->topo[q];
        w->n_work = n;
    }
    for (int q = 0; q < w->n_work; q++) {
        int j = w->work[q];
        if (w->state[j] == RP_ASLEEP) {
            FN(wake)(m, w, j);
            w->state[j] = RP_AWAKE;
        }
    }
}

/* Today's work: every node in dense runs; else the disturbed nodes, those
 * hit today, and their suppliers and buyers, in m->topo order.  Awake
 * nodes no longer next to a disturbance go to sleep. */
static void FN(work_list)(const rp_model *m, rp_flow_ws *w, int dense)
{
    w->epoch++;
    w->n_work = 0;
    if (dense) {
        for (int q = 0; q < m->N; q++)
            w->work[w->n_work++] = m->topo[q];
        return;
    }
    FN(mark_hit)(m, w);
    /* (many when the disturbed nodes and their neighbours are many) */
    long reach = 0;
    for (int q = 0; q < w->n_hot; q++) {
        int h = w->hot_list[q];
        reach += 1 + m->out_start[h + 1] - m->out_start[h] +
                 m->g_estart[m->grp_start[h + 1]] -
                 m->g_estart[m->grp_start[h]];
    }
    const int many = reach >= m->N / 16;
    FN(stamp_work)(m, w, many);
    for (int q = 0; q < w->n_awake; q++) {
        int j = w->awake_list[q];
        if (w->stamp[j] != w->epoch && w->state[j] == RP_AWAKE) {
            FN(sleep)(m, w, j);
            w->state[j] = RP_ASLEEP;
        }
    }
    FN(order_work)(m, w, many);
}

/* After a sparse day: a node on the list stays disturbed if it was hit
 * today or is not (yet) back near its baseline; else it is awake and
 * sleeps once no disturbance is next to it. */
static void FN(reclassify)(rp_flow_ws *w)
{
    int n = 0;
    for (int q = 0; q < w->n_work; q++) {
        int j = w->work[q];
        int hit = w->nmark[j] || w->ehit[j] == w->epoch;
        if (hit || !w->settled[j]) {
            w->state[j] = RP_DISTURBED;
            w->hot_list[n++] = j;
        } else {
            w->state[j] = RP_AWAKE;
        }
        w->awake_list[q] = j;
    }
    w->n_hot = n;
    w->n_awake = w->n_work;
}

/* The day's service level and each lane's running metrics; nodes off the
 * work list delivered all their final demand. */
static void FN(tally)(const rp_model *m, rp_flow_ws *w, int t, int dense,
                      const double *ysum, const double *lsum,
                      const double *lval, double **sl)
{
    const double target = m->par.service_target, sumF = m->sumF;
    for (int l = 0; l < LANES; l++) {
        rp_flow_lane *ln = &w->lane[l];
        /* sparse: what was lost, summed over the simulated nodes in rank
         * order; a node at its exact baseline adds exactly 0, so the
         * other lanes' work list changes no bit of this lane's */
        double SL = dense ? ysum[l] / sumF : (sumF - lsum[l]) / sumF;
        if (sl[l] != NULL)
            sl[l][t] = SL;
        ln->lost_units += lsum[l];
        ln->lost_value += lval[l];
        if (SL < ln->min_sl)
            ln->min_sl = SL;
        if (SL < target) {
            ln->below++;
            ln->run++;
            if (ln->run > ln->longest)
                ln->longest = ln->run;
        } else {
            ln->run = 0;
        }
    }
}

#ifndef NDEBUG
/* Invariants of a simulated day, checked in debug builds: the work list
 * in rank order (each node once), sleeping nodes at their exact baseline
 * in every lane (what others read of them), and today's ring rows inside
 * the rings. */
static void FN(check_day)(const rp_model *m, const rp_flow_ws *w)
{
    for (int q = 1; q < w->n_work; q++)
        assert(w->rank[w->work[q - 1]] < w->rank[w->work[q]]);
    for (int j = 0; j < m->N; j++) {
        if (w->state[j] != RP_ASLEEP)
            continue;
        for (int l = 0; l < LANES; l++) {
            assert(w->r[IX(j) + l] == w->r0[j]);
            assert(w->x[IX(j) + l] == m->x0[j]);
            assert(w->alpha[IX(j) + l] == w->alpha0[j]);
        }
        int a = m->g_estart[m->grp_start[j]];
        int b = m->g_estart[m->grp_start[j + 1]];
        for (int e = a; e < b; e++)
            for (int l = 0; l < LANES; l++)
                assert(w->O[IX(e) + l] == m->e_f0[e]);
    }
    for (int L = 1; L <= m->max_lead; L++)
        assert(w->roff[L] >= 0 &&
               w->roff[L] <
                   (long)(L < w->horizon ? L : w->horizon) *
                       (w->ring_stride[L] > 0 ? w->ring_stride[L] : 1));
}
#endif

/* One run of T days in every lane: the phases above, day by day (a day
 * of work is FN(day)). */
static void FN(run)(const rp_model *m, rp_flow_ws *w, int T, double **sl,
                    const rp_flow_trace *trace)
{
    assert(w->K == LANES);
    const double itau = 1.0 / m->par.replenishment_days;
    const int dense = rp_flow_dense(m, w->dense) || w->heavy;
    double ysum[LANES], lsum[LANES], lval[LANES];
    long simulated = 0;
    double node_days = 0; /* nodes simulated, summed over the days */
    /* the loop's pointers, once a run (day() sets the day's fields) */
    rp_kern kern = kern_of(m, w, itau);
    FN(start)(m, w, dense);
    w->event_steps = 0;
    for (int t = 0; t < T; t++) {
        int until;
        const int any_active = FN(activate)(w, t, T, &until);
        if (!dense && !any_active && w->n_hot == 0 && w->n_hl == 0) {
            /* every node of every lane at its baseline, nothing due */
            const int last = FN(skip_quiet)(m, w, t, until, T, sl, trace);
            if (last >= t) {
                t = last;
                continue;
            }
        }
        simulated++;
        FN(damage)(m, w, t);
        FN(health)(m, w, dense);
        FN(work_list)(m, w, dense);
        for (int L = 1; L <= m->max_lead; L++) /* today's ring rows */
            w->roff[L] = (long)(t % (L < w->horizon ? L : w->horizon)) *
                         w->ring_stride[L];
#ifndef NDEBUG
        FN(check_day)(m, w);
#endif
        if (trace != NULL && LANES == 1 && dense)
            FN(trace_in)(m, w, trace, t);
        FN(day)(m, w, &kern, t, dense, ysum, lsum, lval);
        node_days += w->n_work;
        if (!dense)
            FN(reclassify)(w);
        if (trace != NULL && LANES == 1) {
            if (trace->x)
                memcpy(trace->x + (size_t)t * (size_t)m->N, w->x,
                       (size_t)m->N * sizeof(double));
            if (dense)
                FN(trace_out)(m, w, trace, t, lsum[0]);
        }
        FN(tally)(m, w, t, dense, ysum, lsum, lval, sl);
        if (node_days > w->stop_node_days)
            break; /* (rp_flow_sparse_work: enough to decide) */
        if (LANES == 1 && w->lane[0].lost_units > w->stop_lost) {
            /* the caller only asked whether anything is lost */
            for (int d = t + 1; d < T && sl[0] != NULL; d++)
                sl[0][d] = NAN;
            break;
        }
    }
    w->days_simulated = simulated;
    w->node_days = node_days;
}

#undef IX
