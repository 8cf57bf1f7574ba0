/* The daily flow model.  The order of the steps below is the contract of
 * MODEL.md section 4; every arithmetic expression follows the text so that
 * an independent implementation agrees to rounding. */
#include "ripple/flow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct rp_flow_ws {
    int N, E, G;
    /* state */
    double *S;         /* [G] stock per input group */
    double *pipe;      /* rings, edge e at e_pipe[e], slot t mod L_e */
    double *transit;   /* [E] quantity in the ring */
    double *O;         /* [E] order placed yesterday / today */
    int32_t *shortc;   /* [G] consecutive short days */
    /* per day */
    double *delta;     /* [N] */
    double *eps;       /* [E] internal order */
    double *nsurv, *esurv; /* prod(1 - s) of today's events, 1 when none */
    unsigned char *nmark, *emark; /* on today's touched lists */
    double *D, *x, *alpha; /* [N] */
    double *w;         /* [E] supplier weights */
    int *touched_n, *touched_e;
    int n_tn, n_te;
    /* events */
    rp_event *ev;
    int ev_cap;
    int *active;
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
        size_t n_ = (size_t)(n);                                              \
        (p) = calloc(n_ ? n_ : 1, sizeof *(p));              \
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
    WALLOC(w->transit, m->E);
    WALLOC(w->O, m->E);
    WALLOC(w->shortc, m->G);
    WALLOC(w->delta, m->N);
    WALLOC(w->eps, m->E);
    WALLOC(w->nsurv, m->N);
    WALLOC(w->esurv, m->E);
    WALLOC(w->nmark, m->N);
    WALLOC(w->emark, m->E);
    for (int i = 0; i < m->N; i++)
        w->nsurv[i] = 1;
    for (int e = 0; e < m->E; e++)
        w->esurv[e] = 1;
    WALLOC(w->D, m->N);
    WALLOC(w->x, m->N);
    WALLOC(w->alpha, m->N);
    WALLOC(w->w, m->E);
    WALLOC(w->touched_n, m->N);
    WALLOC(w->touched_e, m->E);
    WALLOC(w->dis_days, m->N);
    WALLOC(w->imp_days, m->N);
    WALLOC(w->lostv, m->N);
    return w;
}

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

/* Section 3: the initial condition. */
static void flow_init(const rp_model *m, rp_flow_ws *w)
{
    for (int g = 0; g < m->G; g++) {
        int k = m->g_node[g];
        w->S[g] = m->ninv[k] * m->g_ratio[g] * m->x0[k];
        w->shortc[g] = 0;
    }
    for (int e = 0; e < m->E; e++) {
        double *ring = w->pipe + m->e_pipe[e];
        double tr = 0;
        for (int s = 0; s < m->e_L[e]; s++) {
            ring[s] = m->e_f0[e];
            tr += m->e_f0[e];
        }
        w->transit[e] = tr;
        w->O[e] = m->e_f0[e];
        w->eps[e] = 0;
    }
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
    }
    w->n_tn = w->n_te = 0;
}

rp_status rp_flow_run(const rp_model *m, rp_flow_ws *w, const rp_event *ev,
                      int nev, int T, rp_metrics *out, double *sl,
                      const rp_flow_trace *trace)
{
    const int N = m->N, E = m->E, G = m->G;
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
    /* stable enough: ties keep no particular order, and the product of
     * (1 - s) over simultaneous events is taken in target order below */
    if (n_ev > 1)
        qsort(w->ev, (size_t)n_ev, sizeof *w->ev, cmp_onset);

    flow_init(m, w);
    const double tau = m->par.replenishment_days;
    const double target = m->par.service_target;
    const double sumF = m->sumF;
    double lost_units = 0, lost_value = 0, min_sl = INFINITY;
    int below = 0, run = 0, longest = 0;
    int next = 0, n_act = 0;

    for (int t = 0; t < T; t++) {
        /* 1. damage: delta = 1 - prod(1 - s) over today's active events */
        for (int q = 0; q < w->n_tn; q++) {
            w->delta[w->touched_n[q]] = 0;
            w->nsurv[w->touched_n[q]] = 1;
            w->nmark[w->touched_n[q]] = 0;
        }
        for (int q = 0; q < w->n_te; q++) {
            w->eps[w->touched_e[q]] = 0;
            w->esurv[w->touched_e[q]] = 1;
            w->emark[w->touched_e[q]] = 0;
        }
        w->n_tn = w->n_te = 0;
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

        /* 2. arrivals */
        const int slot_t = t;
        for (int e = 0; e < E; e++) {
            double *ring = w->pipe + m->e_pipe[e];
            int s = slot_t % m->e_L[e];
            double a = ring[s];
            w->S[m->e_grp[e]] += a;
            w->transit[e] -= a;
            ring[s] = 0;
        }

        /* 3-9, node by node */
        double ysum = 0, lsum = 0, lval = 0;
        for (int j = 0; j < N; j++) {
            /* 3. demand */
            double D = m->F[j];
            for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
                int e = m->out_edge[q];
                D += w->O[e] * (1.0 - w->eps[e]);
            }
            w->D[j] = D;
            /* 4. producible */
            double P = m->cap[j] * (1.0 - w->delta[j]);
            for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
                double lim = w->S[g] / m->g_ratio[g];
                if (lim < P)
                    P = lim;
            }
            /* 5. output */
            double x = P < D ? P : D;
            double r = D > 0 ? x / D : 0;
            w->x[j] = x;
            /* 6. deliveries, 8. shipping */
            for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
                int e = m->out_edge[q];
                double ship = r * w->O[e] * (1.0 - w->eps[e]);
                double *ring = w->pipe + m->e_pipe[e];
                ring[slot_t % m->e_L[e]] = ship;
                w->transit[e] += ship;
            }
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
        }

        /* 10-11, buyer group by buyer group */
        for (int g = 0; g < G; g++) {
            int a = m->g_estart[g], b = m->g_estart[g + 1];
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
            int k = m->g_node[g];
            double ag = m->g_ratio[g];
            double capk = m->cap[k] * (1.0 - w->delta[k]);
            double u = ag * (w->D[k] < capk ? w->D[k] : capk);
            double wl = 0, Pi = 0;
            for (int e = a; e < b; e++) {
                wl += w->w[e] * m->e_L[e];
                Pi += w->transit[e];
            }
            double Wstar = u * wl;
            double Q = u + (m->ninv[k] * u - w->S[g]) / tau +
                       (Wstar - Pi) / tau;
            if (!(Q > 0))
                Q = 0;
            for (int e = a; e < b; e++)
                w->O[e] = w->w[e] * Q;
        }

        if (trace != NULL) {
            if (trace->x)
                memcpy(trace->x + (size_t)t * (size_t)N, w->x,
                       (size_t)N * sizeof(double));
            if (trace->S)
                memcpy(trace->S + (size_t)t * (size_t)G, w->S,
                       (size_t)G * sizeof(double));
            if (trace->O)
                memcpy(trace->O + (size_t)t * (size_t)E, w->O,
                       (size_t)E * sizeof(double));
        }

        /* metrics of the day */
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
    }

    int nd = 0, ni = 0;
    for (int i = 0; i < N; i++) {
        nd += w->dis_days[i] > 0;
        ni += w->imp_days[i] > 0;
    }
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
