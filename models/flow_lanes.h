/* The daily loop, written once for LANES replications stepped in lockstep.
 * models/flow.c includes this file once per lane count; every state array
 * is laid out [item][LANES], so one pass over the network structure serves
 * all lanes and the innermost loops (over lanes) vectorise.  Each lane
 * computes exactly what a single replication computes, in the same order.
 *
 * Expects: LANES (a constant) and FN(name) (a name suffixed with LANES). */

#define IX(i) ((size_t)(i) * LANES)

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

static int FN(near_baseline)(const rp_model *m, const rp_flow_ws *w, int l)
{
    const double tol = 1e-9;
    for (int g = 0; g < m->G; g++) {
        int k = m->g_node[g];
        double s0 = m->ninv[k] * m->g_ratio[g] * m->x0[k];
        if (w->shortc[IX(g) + l] != 0 ||
            !(fabs(w->S[IX(g) + l] - s0) <= tol * fabs(s0)))
            return 0;
    }
    for (int e = 0; e < m->E; e++) {
        double f0 = m->e_f0[e], lim = tol * f0;
        if (!(fabs(w->O[IX(e) + l] - f0) <= lim))
            return 0;
        int L = m->e_L[e], pos = w->pos[e];
        /* at the start of a day the slots pos .. pos+L-1 hold the next L
         * days' shipments and slot pos+L (= pos-1) is empty */
        int empty = pos == 0 ? L : pos - 1;
        for (int s = 0; s <= L; s++) {
            double v = w->pipe[IX(m->e_pipe[e] + s) + l];
            double want = (s == empty) ? 0 : f0;
            if (!(fabs(v - want) <= lim))
                return 0;
        }
    }
    return 1;
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

/* One simulated day for all lanes (MODEL.md section 4, steps 1-11). */
static void FN(day)(const rp_model *m, rp_flow_ws *w, double itau,
                    double *ysum, double *lsum, double *lval)
{
    const int N = m->N, G = m->G;
    for (int l = 0; l < LANES; l++)
        ysum[l] = lsum[l] = lval[l] = 0;
    /* 3. demand, part 1: yesterday's orders were summed per supplier as
     * they were placed; take off today's damage to the links */
    for (int q = 0; q < w->n_te; q++) {
        int e = w->touched_e[q];
        int j = m->e_from[e];
        for (int l = 0; l < LANES; l++)
            w->Dacc[IX(j) + l] -= w->O[IX(e) + l] * w->eps[IX(e) + l];
    }
    /* 2-9 except shipping, node by node */
    for (int j = 0; j < N; j++) {
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
        /* 3-5. demand, producible, output */
        const double Fj = m->F[j], capj = m->cap[j], x0 = m->x0[j];
        for (int l = 0; l < LANES; l++) {
            D[l] = Fj + w->Dacc[IX(j) + l];
            P[l] = capj * (1.0 - w->delta[IX(j) + l]);
        }
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
            w->Dacc[IX(j) + l] = 0; /* refilled by today's orders */
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

    /* 6/8 shipping and 10-11 weights and orders, buyer group by buyer
     * group: every edge array is walked in order */
    for (int g = 0; g < G; g++) {
        const int a = m->g_estart[g], b = m->g_estart[g + 1];
        const int k = m->g_node[g];
        for (int e = a; e < b; e++) {
            int p = w->pos[e], L = m->e_L[e];
            const double *rf = w->r + IX(m->e_from[e]);
            const double *O = w->O + IX(e), *eps = w->eps + IX(e);
            double *slot = w->pipe + IX(m->e_pipe[e] + (p == 0 ? L : p - 1));
            double *tr = w->transit + IX(e);
            for (int l = 0; l < LANES; l++) {
                double ship = rf[l] * O[l] * (1.0 - eps[l]);
                slot[l] = ship;
                tr[l] += ship;
            }
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
            for (int l = 0; l < LANES; l++) {
                double ae = w->alpha[IX(j) + l] * (1.0 - w->eps[IX(a) + l]);
                double A = sh * ae;
                int32_t c = w->shortc[IX(g) + l];
                w->shortc[IX(g) + l] = (A < 1 - 1e-9) ? c + 1 : 0;
                w->w[IX(a) + l] = 1.0;
                double Wstar = u[l] * La;
                double Q = u[l] + (nk * u[l] - w->S[IX(g) + l]) * itau +
                           (Wstar - w->transit[IX(a) + l]) * itau;
                double o = Q > 0 ? 1.0 * Q : 0;
                w->O[IX(a) + l] = o;
                w->Dacc[IX(j) + l] += o;
            }
            continue;
        }
        for (int l = 0; l < LANES; l++) {
            double A = 0;
            for (int e = a; e < b; e++)
                if (!m->e_standby[e])
                    A += m->e_share[e] * (w->alpha[IX(m->e_from[e]) + l] *
                                          (1.0 - w->eps[IX(e) + l]));
            int c = (A < 1 - 1e-9) ? w->shortc[IX(g) + l] + 1 : 0;
            w->shortc[IX(g) + l] = c;
            double sum = 0;
            for (int e = a; e < b; e++) {
                double ae = w->alpha[IX(m->e_from[e]) + l] *
                            (1.0 - w->eps[IX(e) + l]);
                double raw;
                if (!m->e_standby[e])
                    raw = m->e_share[e] * ae;
                else
                    raw = c > m->e_delay[e] ? m->e_b[e] * ae * (1.0 - A) : 0;
                w->w[IX(e) + l] = raw;
                sum += raw;
            }
            if (sum > 0) {
                for (int e = a; e < b; e++)
                    w->w[IX(e) + l] = w->w[IX(e) + l] / sum;
            } else {
                for (int e = a; e < b; e++)
                    w->w[IX(e) + l] = m->e_standby[e] ? 0 : m->e_share[e];
            }
            double wl = 0, Pi = 0;
            for (int e = a; e < b; e++) {
                wl += w->w[IX(e) + l] * m->e_L[e];
                Pi += w->transit[IX(e) + l];
            }
            double Wstar = u[l] * wl;
            double Q = u[l] + (nk * u[l] - w->S[IX(g) + l]) * itau +
                       (Wstar - Pi) * itau;
            if (!(Q > 0))
                Q = 0;
            for (int e = a; e < b; e++) {
                double o = w->w[IX(e) + l] * Q;
                w->O[IX(e) + l] = o;
                w->Dacc[IX(m->e_from[e]) + l] += o;
            }
        }
    }
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
    int stopped = 0;
    for (int t = 0; t < T && !stopped; t++) {
        int all_quiet = 1, until = T;
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
            if (!dense && ln->n_act == 0 && !ln->at_base) {
                /* check every fourth quiet day: snapping a little late
                 * costs a few days of work, checking daily a pass a day */
                ln->quiet_for++;
                if ((ln->quiet_for & 3) == 0 &&
                    FN(near_baseline)(m, w, l)) {
                    FN(set_baseline)(m, w, t, l);
                    ln->at_base = 1;
                }
            }
            if (ln->n_act > 0 || !ln->at_base)
                all_quiet = 0;
            int nx = ln->next < ln->n_ev ? ln->ev[ln->next].onset : T;
            if (nx < until)
                until = nx;
        }
        if (!dense && all_quiet) {
            /* nothing happens in any lane until the next onset */
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
                if (until < T)
                    for (int l = 0; l < LANES; l++)
                        FN(set_baseline)(m, w, until, l);
                t = until - 1;
                continue;
            }
        }
        for (int l = 0; l < LANES; l++) {
            rp_flow_lane *ln = &w->lane[l];
            if (ln->n_act > 0 || ln->at_base) {
                ln->quiet_for = 0;
                ln->at_base = 0;
            }
        }
        simulated++;
        FN(damage)(m, w, t);
        FN(day)(m, w, itau, ysum, lsum, lval);
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
        for (int l = 0; l < LANES; l++) {
            rp_flow_lane *ln = &w->lane[l];
            double SL = ysum[l] / sumF;
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
