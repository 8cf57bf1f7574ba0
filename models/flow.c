/* The daily flow model.  The order of the steps is the contract of
 * MODEL.md section 4; every arithmetic expression follows the text so that
 * an independent implementation agrees to rounding.
 *
 * Layout for speed: edges are stored by buyer group, so a buyer's arrivals,
 * consumption, weights and orders walk memory in order.  Each edge has a
 * ring of L + 1 slots: the slot read for today's arrival is never the one
 * today's shipment goes into, so one pass over the nodes can receive and
 * ship together (a supplier may ship before its buyer has received).
 *
 * Quiet days (MODEL.md section 9): when no event is active and every state
 * quantity is within 1e-9 (relative) of its baseline, the state is set to
 * the exact baseline and the days up to the next event are skipped (they
 * deliver everything and change nothing).  `dense` turns this off, and so
 * does a network with a production cycle: there the baseline, solved to
 * 1e-12, is not an exact fixed point, and the cycle can amplify that
 * rounding for weeks, so skipping would depart from the day-by-day
 * dynamics by more than MODEL.md's 1e-6. */
#include "ripple/flow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct rp_flow_ws {
    int N, E, G;
    /* state */
    double *S;         /* [G] stock per input group */
    double *pipe;      /* rings, edge e at e_pipe[e], L + 1 slots */
    int *pos;          /* [E] arrival slot of today */
    double *transit;   /* [E] quantity in the ring */
    double *O;         /* [E] order placed yesterday / today */
    int32_t *shortc;   /* [G] consecutive short days */
    /* per day */
    double *delta;     /* [N] */
    double *eps;       /* [E] internal order */
    double *nsurv, *esurv; /* prod(1 - s) of today's events, 1 when none */
    unsigned char *nmark, *emark; /* on today's touched lists */
    double *D, *x, *alpha; /* [N] */
    double *r;         /* [N] delivered fraction today */
    double *Dacc;      /* [N] sum of yesterday's orders on out-edges */
    double *w;         /* [E] supplier weights */
    int *touched_n, *touched_e;
    int n_tn, n_te;
    /* events */
    rp_event *ev;
    int ev_cap;
    int *active;
    /* options and counters */
    int dense;
    double stop_lost;  /* stop once lost units exceed this */
    long days_simulated;
    /* results */
    int32_t *dis_days, *imp_days;
    double *lostv;
};

void rp_flow_ws_free(rp_flow_ws *w)
{
    if (w == NULL)
        return;
    free(w->S);
    free(w->pipe);
    free(w->pos);
    free(w->transit);
    free(w->O);
    free(w->shortc);
    free(w->delta);
    free(w->eps);
    free(w->nsurv);
    free(w->esurv);
    free(w->nmark);
    free(w->emark);
    free(w->D);
    free(w->x);
    free(w->alpha);
    free(w->r);
    free(w->Dacc);
    free(w->w);
    free(w->touched_n);
    free(w->touched_e);
    free(w->ev);
    free(w->active);
    free(w->dis_days);
    free(w->imp_days);
    free(w->lostv);
    free(w);
}

#define WALLOC(p, n)                                                           \
    do {                                                                       \
        size_t n_ = (size_t)(n);                                               \
        (p) = calloc(n_ ? n_ : 1, sizeof *(p));                                \
        if ((p) == NULL) {                                                     \
            rp_flow_ws_free(w);                                                \
            return NULL;                                                       \
        }                                                                      \
    } while (0)

rp_flow_ws *rp_flow_ws_new(const rp_model *m)
{
    rp_flow_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->N = m->N;
    w->E = m->E;
    w->G = m->G;
    WALLOC(w->S, m->G);
    WALLOC(w->pipe, m->pipe_len);
    WALLOC(w->pos, m->E);
    WALLOC(w->transit, m->E);
    WALLOC(w->O, m->E);
    WALLOC(w->shortc, m->G);
    WALLOC(w->delta, m->N);
    WALLOC(w->eps, m->E);
    WALLOC(w->nsurv, m->N);
    WALLOC(w->esurv, m->E);
    WALLOC(w->nmark, m->N);
    WALLOC(w->emark, m->E);
    WALLOC(w->D, m->N);
    WALLOC(w->x, m->N);
    WALLOC(w->alpha, m->N);
    WALLOC(w->r, m->N);
    WALLOC(w->Dacc, m->N);
    WALLOC(w->w, m->E);
    WALLOC(w->touched_n, m->N);
    WALLOC(w->touched_e, m->E);
    WALLOC(w->dis_days, m->N);
    WALLOC(w->imp_days, m->N);
    WALLOC(w->lostv, m->N);
    for (int i = 0; i < m->N; i++)
        w->nsurv[i] = 1;
    for (int e = 0; e < m->E; e++)
        w->esurv[e] = 1;
    w->stop_lost = INFINITY;
    return w;
}

void rp_flow_set_options(rp_flow_ws *w, int dense, double stop_lost_units)
{
    w->dense = dense;
    w->stop_lost = stop_lost_units;
}

long rp_flow_days_simulated(const rp_flow_ws *w) { return w->days_simulated; }

rp_flow_nodes rp_flow_node_results(const rp_flow_ws *w)
{
    rp_flow_nodes r = {w->dis_days, w->imp_days, w->lostv};
    return r;
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

/* Section 3's initial condition, for day t (ring positions t mod (L+1)).
 * Used at day 0 and to snap back to the baseline. */
static void set_baseline(const rp_model *m, rp_flow_ws *w, int t)
{
    for (int g = 0; g < m->G; g++) {
        int k = m->g_node[g];
        w->S[g] = m->ninv[k] * m->g_ratio[g] * m->x0[k];
        w->shortc[g] = 0;
    }
    for (int e = 0; e < m->E; e++) {
        double *ring = w->pipe + m->e_pipe[e];
        int L = m->e_L[e];
        int pos = t % (L + 1);
        double tr = 0;
        /* slots pos, pos+1, ..., pos+L-1 (mod L+1) hold days t..t+L-1 */
        for (int s = 0; s <= L; s++)
            ring[s] = 0;
        for (int s = 0; s < L; s++) {
            ring[(pos + s) % (L + 1)] = m->e_f0[e];
            tr += m->e_f0[e];
        }
        w->pos[e] = pos;
        w->transit[e] = tr;
        w->O[e] = m->e_f0[e];
    }
    memset(w->Dacc, 0, (size_t)m->N * sizeof(double));
    for (int e = 0; e < m->E; e++)
        w->Dacc[m->e_from[e]] += m->e_f0[e];
}

/* Is every state quantity within 1e-9 (relative) of its baseline? */
static int near_baseline(const rp_model *m, const rp_flow_ws *w)
{
    const double tol = 1e-9;
    for (int g = 0; g < m->G; g++) {
        int k = m->g_node[g];
        double s0 = m->ninv[k] * m->g_ratio[g] * m->x0[k];
        if (w->shortc[g] != 0 || !(fabs(w->S[g] - s0) <= tol * fabs(s0)))
            return 0;
    }
    for (int e = 0; e < m->E; e++) {
        double f0 = m->e_f0[e], lim = tol * f0;
        if (!(fabs(w->O[e] - f0) <= lim))
            return 0;
        const double *ring = w->pipe + m->e_pipe[e];
        int L = m->e_L[e], pos = w->pos[e];
        /* at the start of a day the slots pos .. pos+L-1 hold the next L
         * days' shipments and slot pos+L (= pos-1) is empty */
        int empty = pos == 0 ? L : pos - 1;
        for (int s = 0; s <= L; s++) {
            double v = ring[s];
            double want = (s == empty) ? 0 : f0;
            if (!(fabs(v - want) <= lim))
                return 0;
        }
    }
    return 1;
}

static void reset_nodes(const rp_model *m, rp_flow_ws *w)
{
    memset(w->delta, 0, (size_t)m->N * sizeof(double));
    memset(w->dis_days, 0, (size_t)m->N * sizeof(int32_t));
    memset(w->imp_days, 0, (size_t)m->N * sizeof(int32_t));
    memset(w->lostv, 0, (size_t)m->N * sizeof(double));
    for (int q = 0; q < w->n_tn; q++) {
        w->nsurv[w->touched_n[q]] = 1;
        w->nmark[w->touched_n[q]] = 0;
    }
    for (int q = 0; q < w->n_te; q++) {
        w->esurv[w->touched_e[q]] = 1;
        w->emark[w->touched_e[q]] = 0;
        w->eps[w->touched_e[q]] = 0;
    }
    w->n_tn = w->n_te = 0;
}

static void trace_day(const rp_model *m, const rp_flow_ws *w,
                      const rp_flow_trace *trace, int t, int quiet)
{
    int N = m->N, G = m->G, E = m->E;
    if (trace->x) {
        double *row = trace->x + (size_t)t * (size_t)N;
        if (quiet)
            memcpy(row, m->x0, (size_t)N * sizeof(double));
        else
            memcpy(row, w->x, (size_t)N * sizeof(double));
    }
    if (trace->S)
        memcpy(trace->S + (size_t)t * (size_t)G, w->S,
               (size_t)G * sizeof(double));
    if (trace->O)
        memcpy(trace->O + (size_t)t * (size_t)E, w->O,
               (size_t)E * sizeof(double));
}

/* Step 1: today's damage from the active events. */
static void damage(const rp_model *m, rp_flow_ws *w, int n_act, int t)
{
    for (int q = 0; q < w->n_tn; q++) {
        int i = w->touched_n[q];
        w->delta[i] = 0;
        w->nsurv[i] = 1;
        w->nmark[i] = 0;
    }
    for (int q = 0; q < w->n_te; q++) {
        int e = w->touched_e[q];
        w->eps[e] = 0;
        w->esurv[e] = 1;
        w->emark[e] = 0;
    }
    w->n_tn = w->n_te = 0;
    for (int q = 0; q < n_act; q++) {
        const rp_event *e = &w->ev[w->active[q]];
        double s = rp_event_severity(e, t);
        if (!(s > 0))
            continue;
        if (e->is_edge) {
            int ie = m->e_of_orig[e->target];
            if (!w->emark[ie]) {
                w->emark[ie] = 1;
                w->touched_e[w->n_te++] = ie;
            }
            w->esurv[ie] *= 1.0 - s;
            w->eps[ie] = 1.0 - w->esurv[ie];
        } else {
            int in = e->target;
            if (!w->nmark[in]) {
                w->nmark[in] = 1;
                w->touched_n[w->n_tn++] = in;
            }
            w->nsurv[in] *= 1.0 - s;
            w->delta[in] = 1.0 - w->nsurv[in];
        }
    }
}

rp_status rp_flow_run(const rp_model *m, rp_flow_ws *w, const rp_event *ev,
                      int nev, int T, rp_metrics *out, double *sl,
                      const rp_flow_trace *trace)
{
    const int N = m->N, G = m->G;
    if (nev > w->ev_cap) {
        free(w->ev);
        free(w->active);
        w->ev = malloc((size_t)nev * sizeof *w->ev);
        w->active = malloc((size_t)nev * sizeof *w->active);
        if (w->ev == NULL || w->active == NULL) {
            w->ev_cap = 0;
            return RP_ERUNTIME;
        }
        w->ev_cap = nev;
    }
    int n_ev = 0, n_touch = 0;
    for (int i = 0; i < nev; i++) {
        if (ev[i].onset >= T || ev[i].onset + ev[i].duration <= 0 ||
            ev[i].duration < 1)
            continue;
        w->ev[n_ev++] = ev[i];
        n_touch += ev[i].shared == 0;
    }
    if (n_ev > 1)
        qsort(w->ev, (size_t)n_ev, sizeof *w->ev, cmp_onset);

    reset_nodes(m, w);
    set_baseline(m, w, 0);
    /* dividing by tau is replaced by multiplying with its inverse: the
     * results move by an ulp at most, well inside MODEL.md's tolerance */
    const double itau = 1.0 / m->par.replenishment_days;
    const double target = m->par.service_target;
    const double sumF = m->sumF;
    double lost_units = 0, lost_value = 0, min_sl = INFINITY;
    int below = 0, run = 0, longest = 0;
    int next = 0, n_act = 0;
    const int dense = w->dense || m->has_cycle;
    int at_base = 1;   /* state is exactly the baseline */
    int quiet_for = 0; /* days since the last event ended */
    long simulated = 0;

    for (int t = 0; t < T; t++) {
        while (next < n_ev && w->ev[next].onset <= t)
            w->active[n_act++] = next++;
        {
            int keep = 0;
            for (int q = 0; q < n_act; q++) {
                const rp_event *e = &w->ev[w->active[q]];
                if (e->onset + e->duration > t)
                    w->active[keep++] = w->active[q];
            }
            n_act = keep;
        }
        if (!dense && n_act == 0 && !at_base) {
            /* check every fourth quiet day: snapping a little late costs
             * a few days of work, checking daily a pass per day */
            quiet_for++;
            if ((quiet_for & 3) == 0 && near_baseline(m, w)) {
                set_baseline(m, w, t);
                at_base = 1;
            }
        }
        if (!dense && n_act == 0 && at_base) {
            /* nothing happens until the next onset: full service */
            int until = next < n_ev ? w->ev[next].onset : T;
            if (until > T)
                until = T;
            if (w->n_tn || w->n_te)
                damage(m, w, 0, t);
            for (int d = t; d < until; d++) {
                if (sl != NULL)
                    sl[d] = 1.0;
                if (trace != NULL)
                    trace_day(m, w, trace, d, 1);
            }
            if (until > t) {
                if (1.0 < min_sl)
                    min_sl = 1.0;
                if (!(1.0 < target))
                    run = 0;
                /* ring positions advance with the days skipped */
                if (until < T)
                    set_baseline(m, w, until);
                t = until - 1;
                continue;
            }
        }
        if (n_act > 0) {
            at_base = 0;
            quiet_for = 0;
        }
        simulated++;

        /* 1. damage */
        if (n_act > 0 || w->n_tn || w->n_te)
            damage(m, w, n_act, t);

        /* 3. demand, part 1: yesterday's orders were summed per supplier
         * as they were placed; take off today's damage to the links */
        for (int q = 0; q < w->n_te; q++) {
            int e = w->touched_e[q];
            w->Dacc[m->e_from[e]] -= w->O[e] * w->eps[e];
        }

        /* 2-9 except shipping, node by node */
        double ysum = 0, lsum = 0, lval = 0;
        for (int j = 0; j < N; j++) {
            /* 2. arrivals into j's input groups (edges are stored by
             * buyer, so this walks the rings in order) */
            for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
                double s = w->S[g];
                for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
                    double *slot = w->pipe + m->e_pipe[e] + w->pos[e];
                    double a = *slot;
                    *slot = 0;
                    s += a;
                    w->transit[e] -= a;
                }
                w->S[g] = s;
            }
            /* 3. demand */
            double D = m->F[j] + w->Dacc[j];
            w->D[j] = D;
            /* 4. producible */
            double P = m->cap[j] * (1.0 - w->delta[j]);
            for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
                double ag = m->g_ratio[g];
                double lim = ag == 1.0 ? w->S[g] : w->S[g] / ag;
                if (lim < P)
                    P = lim;
            }
            /* 5. output */
            double x = P < D ? P : D;
            double r = D > 0 ? x / D : 0;
            w->x[j] = x;
            w->r[j] = r;
            /* 6. final deliveries (shipments to buyers: below) */
            if (m->F[j] > 0) {
                double y = r * m->F[j];
                double lost = m->F[j] - y;
                ysum += y;
                lsum += lost;
                lval += m->v[j] * lost;
                w->lostv[j] += m->v[j] * lost;
            }
            /* 7. consumption */
            for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
                double s = w->S[g] - m->g_ratio[g] * x;
                w->S[g] = s > 0 ? s : 0;
            }
            /* 9. availability */
            double x0 = m->x0[j];
            if (x0 > 0) {
                double a = P / x0;
                w->alpha[j] = a < 1 ? a : 1;
            } else {
                w->alpha[j] = P > 0 ? 1 : 0;
            }
            if (w->delta[j] > 0)
                w->dis_days[j]++;
            if (x0 > 0 && x < (1 - 1e-6) * x0)
                w->imp_days[j]++;
            w->Dacc[j] = 0; /* refilled by today's orders below */
        }

        /* 6/8 shipping and 10-11 weights and orders, buyer group by buyer
         * group: every edge array is walked in order */
        for (int g = 0; g < G; g++) {
            int a = m->g_estart[g], b = m->g_estart[g + 1];
            int k = m->g_node[g];
            for (int e = a; e < b; e++) {
                int p = w->pos[e], L = m->e_L[e];
                double ship = w->r[m->e_from[e]] * w->O[e] * (1.0 - w->eps[e]);
                w->pipe[m->e_pipe[e] + (p == 0 ? L : p - 1)] = ship;
                w->transit[e] += ship;
                w->pos[e] = p == L ? 0 : p + 1; /* tomorrow's arrival */
            }
            double ag = m->g_ratio[g];
            double capk = m->cap[k] * (1.0 - w->delta[k]);
            double u = ag * (w->D[k] < capk ? w->D[k] : capk);
            if (b - a == 1 && !m->e_standby[a]) {
                /* a single supplier: its weight is 1 whatever happens */
                double ae = w->alpha[m->e_from[a]] * (1.0 - w->eps[a]);
                double A = m->e_share[a] * ae;
                w->shortc[g] = (A < 1 - 1e-9) ? w->shortc[g] + 1 : 0;
                w->w[a] = 1.0;
                double Wstar = u * (1.0 * m->e_L[a]);
                double Q = u + (m->ninv[k] * u - w->S[g]) * itau +
                           (Wstar - w->transit[a]) * itau;
                double o = Q > 0 ? 1.0 * Q : 0;
                w->O[a] = o;
                w->Dacc[m->e_from[a]] += o;
                continue;
            }
            double A = 0;
            for (int e = a; e < b; e++)
                if (!m->e_standby[e])
                    A += m->e_share[e] *
                         (w->alpha[m->e_from[e]] * (1.0 - w->eps[e]));
            int c = (A < 1 - 1e-9) ? w->shortc[g] + 1 : 0;
            w->shortc[g] = c;
            double sum = 0;
            for (int e = a; e < b; e++) {
                double ae = w->alpha[m->e_from[e]] * (1.0 - w->eps[e]);
                double raw;
                if (!m->e_standby[e])
                    raw = m->e_share[e] * ae;
                else
                    raw = c > m->e_delay[e] ? m->e_b[e] * ae * (1.0 - A) : 0;
                w->w[e] = raw;
                sum += raw;
            }
            if (sum > 0) {
                for (int e = a; e < b; e++)
                    w->w[e] = w->w[e] / sum;
            } else {
                for (int e = a; e < b; e++)
                    w->w[e] = m->e_standby[e] ? 0 : m->e_share[e];
            }
            double wl = 0, Pi = 0;
            for (int e = a; e < b; e++) {
                wl += w->w[e] * m->e_L[e];
                Pi += w->transit[e];
            }
            double Wstar = u * wl;
            double Q = u + (m->ninv[k] * u - w->S[g]) * itau +
                       (Wstar - Pi) * itau;
            if (!(Q > 0))
                Q = 0;
            for (int e = a; e < b; e++) {
                double o = w->w[e] * Q;
                w->O[e] = o;
                w->Dacc[m->e_from[e]] += o;
            }
        }

        if (trace != NULL)
            trace_day(m, w, trace, t, 0);

        double SL = ysum / sumF;
        if (sl != NULL)
            sl[t] = SL;
        lost_units += lsum;
        lost_value += lval;
        if (SL < min_sl)
            min_sl = SL;
        if (SL < target) {
            below++;
            run++;
            if (run > longest)
                longest = run;
        } else {
            run = 0;
        }
        if (lost_units > w->stop_lost) {
            /* the caller only asked whether anything is lost */
            for (int d = t + 1; d < T && sl != NULL; d++)
                sl[d] = NAN;
            break;
        }
    }

    int nd = 0, ni = 0;
    for (int i = 0; i < N; i++) {
        nd += w->dis_days[i] > 0;
        ni += w->imp_days[i] > 0;
    }
    w->days_simulated = simulated;
    out->lost_units = lost_units;
    out->lost_value = lost_value;
    out->fill_rate = 1.0 - lost_units / ((double)T * sumF);
    out->min_service = T > 0 ? min_sl : 1.0;
    out->days_below_target = below;
    out->longest_outage = longest;
    out->nodes_disrupted = nd;
    out->nodes_impacted = ni;
    out->events = n_touch;
    return RP_OK;
}
