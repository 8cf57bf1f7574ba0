/* The daily loop, written once for LANES replications stepped in lockstep.
 * models/flow.c includes this file once per lane count; every state array
 * is laid out [item][LANES], so one pass over the network structure serves
 * all lanes and the innermost loops (over lanes) vectorise.  Each lane
 * computes exactly what a single replication computes, in the same order.
 *
 * Expects: LANES (a constant) and FN(name) (a name suffixed with LANES). */

#define IX(i) ((size_t)(i)*LANES)

static void FN(set_baseline)(const rp_model *m, rp_flow_ws *w, int t, int l)
{
    for (int g = 0; g < m->G; g++) {
        int k = m->g_node[g];
        w->S[IX(g) + l] = m->ninv[k] * m->g_ratio[g] * m->x0[k];
        w->shortc[IX(g) + l] = 0;
    }
    for (int e = 0; e < m->E; e++) {
        int L = m->e_L[e];
        int pos = t % (L + 1);
        double tr = 0;
        for (int s = 0; s <= L; s++)
            w->pipe[IX(m->e_pipe[e] + s) + l] = 0;
        for (int s = 0; s < L; s++) {
            w->pipe[IX(m->e_pipe[e] + (pos + s) % (L + 1)) + l] = m->e_f0[e];
            tr += m->e_f0[e];
        }
        w->pos[e] = pos;
        w->transit[IX(e) + l] = tr;
        w->O[IX(e) + l] = m->e_f0[e];
    }
    for (int i = 0; i < m->N; i++)
        w->Dacc[IX(i) + l] = 0;
    for (int e = 0; e < m->E; e++)
        w->Dacc[IX(m->e_from[e]) + l] += m->e_f0[e];
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
static void FN(wake)(const rp_model *m, rp_flow_ws *w, int j, int t)
{
    for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
        double s0 = m->ninv[j] * m->g_ratio[g] * m->x0[j];
        for (int l = 0; l < LANES; l++) {
            w->S[IX(g) + l] = s0;
            w->shortc[IX(g) + l] = 0;
        }
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
            int L = m->e_L[e], pos = t % (L + 1);
            double f0 = m->e_f0[e], tr = 0;
            for (int s = 0; s < L; s++)
                tr += f0;
            for (int s = 0; s <= L; s++) {
                double v = ((s - pos + L + 1) % (L + 1)) < L ? f0 : 0;
                for (int l = 0; l < LANES; l++)
                    w->pipe[IX(m->e_pipe[e] + s) + l] = v;
            }
            w->pos[e] = pos;
            w->ring_dirty[e] = 0;
            for (int l = 0; l < LANES; l++) {
                w->transit[IX(e) + l] = tr;
                w->O[IX(e) + l] = f0;
            }
        }
    }
}

/* Is node j, after today, within 1e-9 (relative) of its baseline in every
 * lane: stock, counters, rings and orders of its inputs, and its output
 * fraction and availability? */
static int FN(node_quiet)(const rp_model *m, const rp_flow_ws *w, int j, int t)
{
    const double tol = 1e-9;
    for (int l = 0; l < LANES; l++)
        if (!(fabs(w->r[IX(j) + l] - w->r0[j]) <= tol) ||
            !(fabs(w->alpha[IX(j) + l] - w->alpha0[j]) <= tol))
            return 0;
    for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
        double s0 = m->ninv[j] * m->g_ratio[g] * m->x0[j];
        for (int l = 0; l < LANES; l++)
            if (w->shortc[IX(g) + l] != 0 ||
                !(fabs(w->S[IX(g) + l] - s0) <= tol * s0))
                return 0;
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
            double f0 = m->e_f0[e], lim = tol * f0;
            /* the ring holds only shipments within tol of f0 once the last
             * one that was not has arrived */
            if (w->ring_dirty[e] > t)
                return 0;
            for (int l = 0; l < LANES; l++)
                if (!(fabs(w->O[IX(e) + l] - f0) <= lim))
                    return 0;
        }
    }
    return 1;
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

/* Steps 2-9 except shipping for the nodes work[q0..q1), every lane. */
static void FN(nodes)(const rp_model *m, rp_flow_ws *w, int q0, int q1,
                      double *ysum, double *lsum, double *lval)
{
    for (int q = q0; q < q1; q++) {
        const int j = w->work[q];
        double P[LANES], D[LANES], x[LANES], r[LANES];
        /* 2. arrivals into j's input groups (edges are stored by buyer, so
         * this walks the rings in order) */
        for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
            double *S = w->S + IX(g);
            for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
                double *slot = w->pipe + IX(m->e_pipe[e] + w->pos[e]);
                double *tr = w->transit + IX(e);
                for (int l = 0; l < LANES; l++) {
                    double a = slot[l];
                    slot[l] = 0;
                    S[l] += a;
                    tr[l] -= a;
                }
            }
        }
        /* 3. demand: final demand plus yesterday's orders, less today's
         * damage to the links */
        const double Fj = m->F[j], capj = m->cap[j], x0 = m->x0[j];
        for (int l = 0; l < LANES; l++)
            D[l] = Fj;
        if (w->n_te > 0) {
            for (int k = m->out_start[j]; k < m->out_start[j + 1]; k++) {
                const int e = m->out_edge[k];
                const double *O = w->O + IX(e), *eps = w->eps + IX(e);
                for (int l = 0; l < LANES; l++)
                    D[l] += O[l] * (1.0 - eps[l]);
            }
        } else {
            /* no link is damaged today: (1 - eps) is exactly 1 */
            for (int k = m->out_start[j]; k < m->out_start[j + 1]; k++) {
                const double *O = w->O + IX(m->out_edge[k]);
                for (int l = 0; l < LANES; l++)
                    D[l] += O[l];
            }
        }
        /* 4-5. producible, output */
        for (int l = 0; l < LANES; l++)
            P[l] = capj * (1.0 - w->delta[IX(j) + l]);
        for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
            const double ag = m->g_ratio[g];
            const double *S = w->S + IX(g);
            if (ag == 1.0) {
                for (int l = 0; l < LANES; l++)
                    P[l] = S[l] < P[l] ? S[l] : P[l];
            } else {
                for (int l = 0; l < LANES; l++) {
                    double lim = S[l] / ag;
                    P[l] = lim < P[l] ? lim : P[l];
                }
            }
        }
        for (int l = 0; l < LANES; l++) {
            x[l] = P[l] < D[l] ? P[l] : D[l];
            r[l] = D[l] > 0 ? x[l] / D[l] : 0;
            w->D[IX(j) + l] = D[l];
            w->x[IX(j) + l] = x[l];
            w->r[IX(j) + l] = r[l];
        }
        /* 6. final deliveries (shipments to buyers: below) */
        if (Fj > 0) {
            const double vj = m->v[j];
            for (int l = 0; l < LANES; l++) {
                double y = r[l] * Fj;
                double lost = Fj - y;
                ysum[l] += y;
                lsum[l] += lost;
                lval[l] += vj * lost;
                w->lostv[IX(j) + l] += vj * lost;
            }
        }
        /* 7. consumption */
        for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
            const double ag = m->g_ratio[g];
            double *S = w->S + IX(g);
            for (int l = 0; l < LANES; l++) {
                double s = S[l] - ag * x[l];
                S[l] = s > 0 ? s : 0;
            }
        }
        /* 9. availability; disrupted and impacted days */
        for (int l = 0; l < LANES; l++) {
            double al;
            if (x0 > 0) {
                double a = P[l] / x0;
                al = a < 1 ? a : 1;
            } else {
                al = P[l] > 0 ? 1 : 0;
            }
            w->alpha[IX(j) + l] = al;
            w->dis_days[IX(j) + l] += w->delta[IX(j) + l] > 0;
            w->imp_days[IX(j) + l] += x0 > 0 && x[l] < (1 - 1e-6) * x0;
        }
    }
}

/* Steps 6/8 (shipping) and 10-11 (weights, orders) for the input groups of
 * the nodes on the work list: edge arrays are walked in order. */
static void FN(groups)(const rp_model *m, rp_flow_ws *w, double itau, int t)
{
    for (int q = 0; q < w->n_work; q++) {
        const int k = w->work[q];
        for (int g = m->grp_start[k]; g < m->grp_start[k + 1]; g++) {
            const int a = m->g_estart[g], b = m->g_estart[g + 1];
            for (int e = a; e < b; e++) {
                int p = w->pos[e], L = m->e_L[e];
                const double *rf = w->r + IX(m->e_from[e]);
                const double *O = w->O + IX(e), *eps = w->eps + IX(e);
                double *slot =
                    w->pipe + IX(m->e_pipe[e] + (p == 0 ? L : p - 1));
                double *tr = w->transit + IX(e);
                const double f0 = m->e_f0[e], lim = 1e-9 * f0;
                int off = 0;
                if (w->n_te > 0) {
                    for (int l = 0; l < LANES; l++) {
                        double ship = rf[l] * O[l] * (1.0 - eps[l]);
                        slot[l] = ship;
                        tr[l] += ship;
                        off |= !(fabs(ship - f0) <= lim);
                    }
                } else {
                    for (int l = 0; l < LANES; l++) {
                        double ship = rf[l] * O[l];
                        slot[l] = ship;
                        tr[l] += ship;
                        off |= !(fabs(ship - f0) <= lim);
                    }
                }
                if (off)
                    w->ring_dirty[e] = t + L;
                w->pos[e] = p == L ? 0 : p + 1; /* tomorrow's arrival */
            }
            const double ag = m->g_ratio[g], capk = m->cap[k];
            const double nk = m->ninv[k];
            double u[LANES];
            for (int l = 0; l < LANES; l++) {
                double ck = capk * (1.0 - w->delta[IX(k) + l]);
                double Dk = w->D[IX(k) + l];
                u[l] = ag * (Dk < ck ? Dk : ck);
            }
            if (b - a == 1 && !m->e_standby[a]) {
                /* a single supplier: its weight is 1 whatever happens */
                const int j = m->e_from[a];
                const double sh = m->e_share[a], La = 1.0 * m->e_L[a];
                const double *epa = w->n_te > 0 ? w->eps + IX(a) : w->zero;
                for (int l = 0; l < LANES; l++) {
                    double ae = w->alpha[IX(j) + l] * (1.0 - epa[l]);
                    double A = sh * ae;
                    int32_t c = w->shortc[IX(g) + l];
                    w->shortc[IX(g) + l] = (A < 1 - 1e-9) ? c + 1 : 0;
                    double Wstar = u[l] * La;
                    double Q = u[l] + (nk * u[l] - w->S[IX(g) + l]) * itau +
                               (Wstar - w->transit[IX(a) + l]) * itau;
                    w->O[IX(a) + l] = Q > 0 ? 1.0 * Q : 0;
                }
                continue;
            }
            /* several suppliers: lanes innermost, so the loops vectorise */
            double A[LANES], sum[LANES], wl[LANES], Pi[LANES], Q[LANES];
            int c[LANES];
            for (int l = 0; l < LANES; l++)
                A[l] = sum[l] = wl[l] = Pi[l] = 0;
            for (int e = a; e < b; e++) {
                if (m->e_standby[e])
                    continue;
                const double sh = m->e_share[e];
                const double *al = w->alpha + IX(m->e_from[e]);
                const double *eps = w->eps + IX(e);
                for (int l = 0; l < LANES; l++)
                    A[l] += sh * (al[l] * (1.0 - eps[l]));
            }
            for (int l = 0; l < LANES; l++) {
                c[l] = (A[l] < 1 - 1e-9) ? w->shortc[IX(g) + l] + 1 : 0;
                w->shortc[IX(g) + l] = c[l];
            }
            for (int e = a; e < b; e++) {
                const double *al = w->alpha + IX(m->e_from[e]);
                const double *eps = w->eps + IX(e);
                double *we = w->w + IX(e);
                if (!m->e_standby[e]) {
                    const double sh = m->e_share[e];
                    for (int l = 0; l < LANES; l++) {
                        double raw = sh * (al[l] * (1.0 - eps[l]));
                        we[l] = raw;
                        sum[l] += raw;
                    }
                } else {
                    const double bs = m->e_b[e];
                    const int d = m->e_delay[e];
                    for (int l = 0; l < LANES; l++) {
                        double ae = al[l] * (1.0 - eps[l]);
                        double raw = c[l] > d ? bs * ae * (1.0 - A[l]) : 0;
                        we[l] = raw;
                        sum[l] += raw;
                    }
                }
            }
            for (int e = a; e < b; e++) {
                double *we = w->w + IX(e);
                const double base = m->e_standby[e] ? 0 : m->e_share[e];
                const double Le = 1.0 * m->e_L[e];
                const double *tr = w->transit + IX(e);
                for (int l = 0; l < LANES; l++) {
                    double wv = sum[l] > 0 ? we[l] / sum[l] : base;
                    we[l] = wv;
                    wl[l] += wv * Le;
                    Pi[l] += tr[l];
                }
            }
            for (int l = 0; l < LANES; l++) {
                double Wstar = u[l] * wl[l];
                double qv = u[l] + (nk * u[l] - w->S[IX(g) + l]) * itau +
                            (Wstar - Pi[l]) * itau;
                Q[l] = qv > 0 ? qv : 0;
            }
            for (int e = a; e < b; e++) {
                const double *we = w->w + IX(e);
                double *O = w->O + IX(e);
                for (int l = 0; l < LANES; l++)
                    O[l] = we[l] * Q[l];
            }
        }
    }
}

/* Add node j to today's work list (once). */
static inline void FN(want)(rp_flow_ws *w, int j)
{
    if (w->stamp[j] != w->epoch) {
        w->stamp[j] = w->epoch;
        w->work[w->n_work++] = j;
    }
}

/* One simulated day for the nodes on the work list, in every lane (MODEL.md
 * section 4, steps 2-11).  Nodes off the list are at their baseline.  A
 * node on the list whose delivered fraction or availability moved today
 * changes what its buyers receive today, so its buyers join the list
 * before the shipping pass (the suppliers of a disturbed node are on the
 * list, and the buyers of those are not always). */
static void FN(day)(const rp_model *m, rp_flow_ws *w, double itau, int t,
                    int dense, double *ysum, double *lsum, double *lval)
{
    for (int l = 0; l < LANES; l++)
        ysum[l] = lsum[l] = lval[l] = 0;
    int n1 = w->n_work;
    FN(nodes)(m, w, 0, n1, ysum, lsum, lval);
    if (dense) {
        FN(groups)(m, w, itau, t);
        return;
    }
    for (int q = 0; q < n1; q++) {
        int j = w->work[q], moved = 0;
        for (int l = 0; l < LANES; l++)
            moved |= w->r[IX(j) + l] != w->r0[j] ||
                     w->alpha[IX(j) + l] != w->alpha0[j];
        if (!moved)
            continue;
        for (int k = m->out_start[j]; k < m->out_start[j + 1]; k++) {
            int b = m->e_to[m->out_edge[k]];
            if (w->stamp[b] != w->epoch) {
                FN(want)(w, b);
                if (w->state[b] == 0) {
                    FN(wake)(m, w, b, t);
                    w->state[b] = 1;
                }
            }
        }
    }
    FN(nodes)(m, w, n1, w->n_work, ysum, lsum, lval);
    FN(groups)(m, w, itau, t);
}

static void FN(run)(const rp_model *m, rp_flow_ws *w, int T, double **sl,
                    const rp_flow_trace *trace)
{
    const int N = m->N;
    const double itau = 1.0 / m->par.replenishment_days;
    const double target = m->par.service_target;
    const double sumF = m->sumF;
    const int dense = w->dense || m->has_cycle;
    double ysum[LANES], lsum[LANES], lval[LANES];
    long simulated = 0;

    for (int l = 0; l < LANES; l++)
        FN(set_baseline)(m, w, 0, l);
    /* node states: 0 asleep at the exact baseline, 1 awake (simulated,
     * close to baseline), 2 disturbed (its neighbours are simulated too) */
    for (int j = 0; j < N; j++) {
        w->state[j] = dense ? 2 : 0;
        FN(sleep)(m, w, j);
    }
    for (int e = 0; e < m->E; e++)
        w->ring_dirty[e] = 0;
    w->n_hot = w->n_awake = 0;
    if (dense)
        for (int j = 0; j < N; j++)
            w->hot_list[w->n_hot++] = j;
    int stopped = 0;
    for (int t = 0; t < T && !stopped; t++) {
        int any_active = 0, until = T;
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
            if (nx < until)
                until = nx;
        }
        if (!dense && !any_active && w->n_hot == 0) {
            /* every node of every lane is at its baseline and nothing
             * happens until the next onset: full service, no change */
            for (int q = 0; q < w->n_awake; q++) {
                FN(sleep)(m, w, w->awake_list[q]);
                w->state[w->awake_list[q]] = 0;
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
            if (until > t) {
                for (int l = 0; l < LANES; l++) {
                    rp_flow_lane *ln = &w->lane[l];
                    if (1.0 < ln->min_sl)
                        ln->min_sl = 1.0;
                    if (!(1.0 < target))
                        ln->run = 0;
                }
                t = until - 1;
                continue;
            }
        }
        simulated++;
        FN(damage)(m, w, t);
        /* today's work: the disturbed nodes, those hit today, and their
         * suppliers and buyers (a node's orders move its suppliers, its
         * deliveries its buyers) */
        w->epoch++;
        w->n_work = 0;
        if (dense) {
            for (int j = 0; j < N; j++)
                w->work[w->n_work++] = j;
        } else {
            for (int q = 0; q < w->n_tn; q++) {
                int i = w->touched_n[q];
                if (w->state[i] != 2) {
                    if (w->state[i] == 0)
                        FN(wake)(m, w, i, t);
                    w->state[i] = 2;
                    w->hot_list[w->n_hot++] = i;
                }
            }
            for (int q = 0; q < w->n_te; q++) {
                int e = w->touched_e[q];
                int ends[2] = {m->e_from[e], m->e_to[e]};
                for (int z = 0; z < 2; z++)
                    w->ehit[ends[z]] = w->epoch; /* a link of it is hit */
                for (int z = 0; z < 2; z++)
                    if (w->state[ends[z]] != 2) {
                        if (w->state[ends[z]] == 0)
                            FN(wake)(m, w, ends[z], t);
                        w->state[ends[z]] = 2;
                        w->hot_list[w->n_hot++] = ends[z];
                    }
            }
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
            /* awake nodes no longer next to a disturbance go to sleep;
             * sleeping nodes that are needed wake up */
            for (int q = 0; q < w->n_awake; q++) {
                int j = w->awake_list[q];
                if (w->stamp[j] != w->epoch && w->state[j] == 1) {
                    FN(sleep)(m, w, j);
                    w->state[j] = 0;
                }
            }
            /* in node order: few nodes are sorted, many are collected */
            if (w->n_work < N / 16) {
                qsort(w->work, (size_t)w->n_work, sizeof(int), cmp_int_asc);
            } else {
                int n = 0;
                for (int j = 0; j < N; j++)
                    if (w->stamp[j] == w->epoch)
                        w->work[n++] = j;
            }
            for (int q = 0; q < w->n_work; q++) {
                int j = w->work[q];
                if (w->state[j] == 0) {
                    FN(wake)(m, w, j, t);
                    w->state[j] = 1;
                }
            }
        }
        FN(day)(m, w, itau, t, dense, ysum, lsum, lval);
        if (!dense) {
            /* disturbed: hit today, or not (yet) back near the baseline */
            int n = 0;
            for (int q = 0; q < w->n_work; q++) {
                int j = w->work[q];
                int hit = w->nmark[j] || w->ehit[j] == w->epoch;
                if (hit || !FN(node_quiet)(m, w, j, t)) {
                    w->state[j] = 2;
                    w->hot_list[n++] = j;
                } else {
                    w->state[j] = 1;
                }
                w->awake_list[q] = j;
            }
            w->n_hot = n;
            w->n_awake = w->n_work;
        }
        if (trace != NULL && LANES == 1) {
            if (trace->x)
                memcpy(trace->x + (size_t)t * (size_t)N, w->x,
                       (size_t)N * sizeof(double));
            if (trace->S)
                memcpy(trace->S + (size_t)t * (size_t)m->G, w->S,
                       (size_t)m->G * sizeof(double));
            if (trace->O)
                memcpy(trace->O + (size_t)t * (size_t)m->E, w->O,
                       (size_t)m->E * sizeof(double));
        }
        /* nodes off the list deliver all their final demand */
        double Fwork = 0;
        int all = w->n_work == N;
        if (!all)
            for (int q = 0; q < w->n_work; q++)
                Fwork += m->F[w->work[q]];
        for (int l = 0; l < LANES; l++) {
            rp_flow_lane *ln = &w->lane[l];
            double SL =
                all ? ysum[l] / sumF : (ysum[l] + (sumF - Fwork)) / sumF;
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
        if (LANES == 1 && w->lane[0].lost_units > w->stop_lost) {
            /* the caller only asked whether anything is lost */
            for (int d = t + 1; d < T && sl[0] != NULL; d++)
                sl[0][d] = NAN;
            stopped = 1;
        }
    }
    w->days_simulated = simulated;
}

#undef IX
