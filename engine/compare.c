/* Strategies against the baseline (ripple/compare.h): paired differences per
 * replication, the net-benefit decision, the risk register's summary. */
#include "ripple/compare.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

#include "ripple/register.h"
#include "ripple/rng.h"
#include "ripple/stats.h"

int rp_compare(const rp_results *r, const double *cost, rp_comparison *out)
{
    int64_t R = r->R;
    double *a = malloc((size_t)R * sizeof *a);
    double *b = malloc((size_t)R * sizeof *b);
    double *d = malloc((size_t)R * sizeof *d);
    if (a == NULL || b == NULL || d == NULL) {
        free(a);
        free(b);
        free(d);
        return -1;
    }
    for (int64_t q = 0; q < R; q++)
        a[q] = r->rep[q].lost_value;
    double ma = rp_mean(a, (size_t)R), va = rp_var(a, (size_t)R);
    for (int s = 0; s < r->S; s++) {
        const rp_metrics *m = r->rep + (size_t)s * (size_t)R;
        int64_t better = 0;
        for (int64_t q = 0; q < R; q++) {
            b[q] = m[q].lost_value;
            d[q] = b[q] - a[q];
            better += b[q] < a[q];
        }
        double md = rp_mean(d, (size_t)R), vd = rp_var(d, (size_t)R);
        double se = sqrt(vd / (double)R);
        rp_comparison *c = &out[s];
        c->delta_mean = md;
        c->delta_lo = md - 1.96 * se;
        c->delta_hi = md + 1.96 * se;
        c->prob_better = (double)better / (double)R;
        double saved = (ma - rp_mean(b, (size_t)R)) * 365.0 / (double)r->T;
        c->roi = cost[s] > 0 ? (saved - cost[s]) / cost[s] : NAN;
        c->variance_reduction =
            vd > 0 ? (va + rp_var(b, (size_t)R)) / vd : NAN;
    }
    free(a);
    free(b);
    free(d);
    return 0;
}

int rp_decide(const rp_results *r, const double *cost, uint64_t seed,
              rp_decision *out)
{
    const int64_t R = r->R;
    const int S = r->S;
    const double scale = 365.0 / (double)r->T;
    double *nb = malloc((size_t)S * (size_t)R * sizeof *nb);
    int64_t *idx = malloc((size_t)R * sizeof *idx);
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    if (nb == NULL || idx == NULL || rng == NULL) {
        free(nb);
        free(idx);
        if (rng != NULL)
            gsl_rng_free(rng);
        return -1;
    }
    /* per replication: saved value a year minus the cost */
    for (int s = 0; s < S; s++)
        for (int64_t q = 0; q < R; q++)
            nb[(size_t)s * (size_t)R + (size_t)q] =
                s == 0
                    ? 0.0
                    : (r->rep[q].lost_value -
                       r->rep[(size_t)s * (size_t)R + (size_t)q].lost_value) *
                              scale -
                          cost[s];
    int best = 0;
    for (int s = 0; s < S; s++) {
        const double *x = nb + (size_t)s * (size_t)R;
        double m = rp_mean(x, (size_t)R);
        double se = sqrt(rp_var(x, (size_t)R) / (double)R);
        out[s].nb_mean = m;
        out[s].nb_lo = m - 1.96 * se;
        out[s].nb_hi = m + 1.96 * se;
        out[s].prob_best = 0;
        if (s > 0 && m > out[best].nb_mean)
            best = s;
    }
    /* paired bootstrap: the same resampled replications for every
     * strategy; resample b draws from its own stream */
    for (int b = 0; b < RP_BOOTSTRAP && R > 0; b++) {
        rp_rng_stream(rng, seed, (uint64_t)b, 0xFFFF, 0, RP_DRAW_BOOTSTRAP);
        for (int64_t q = 0; q < R; q++)
            idx[q] = (int64_t)gsl_rng_uniform_int(rng, (unsigned long)R);
        int arg = 0;
        double top = 0;
        for (int s = 1; s < S; s++) {
            const double *x = nb + (size_t)s * (size_t)R;
            double acc = 0;
            for (int64_t q = 0; q < R; q++)
                acc += x[idx[q]];
            acc /= (double)R;
            if (acc > top) {
                top = acc;
                arg = s;
            }
        }
        out[arg].prob_best += 1.0 / RP_BOOTSTRAP;
    }
    free(nb);
    free(idx);
    gsl_rng_free(rng);
    return out[best].nb_mean > 0 ? best : 0;
}

int rp_register_summary(const rp_results *r, const int *is_attack,
                        double annual_value, rp_reg_row *out,
                        double *interaction)
{
    if (r->reg_alone == NULL)
        return -1;
    const int64_t R = r->R;
    const int S = r->S, NT = r->NT;
    const double years = (double)R * (double)r->T / 365.0;
    double *tot = malloc((size_t)R * sizeof *tot);
    double *col = malloc((size_t)R * sizeof *col);
    if (tot == NULL || col == NULL) {
        free(tot);
        free(col);
        return -1;
    }
    for (int s = 0; s < S; s++) {
        const rp_metrics *m = r->rep + (size_t)s * (size_t)R;
        for (int64_t q = 0; q < R; q++)
            tot[q] = m[q].lost_value;
        double total_mean = rp_mean(tot, (size_t)R);
        /* var95 of the total lost value: the nearest-rank quantile */
        for (int64_t q = 0; q < R; q++)
            col[q] = tot[q];
        gsl_sort(col, 1, (size_t)R);
        double var95 = R > 0 ? col[rp_nearest_rank((size_t)R, 0.95)] : 0;
        double msum = 0;
        for (int k = 0; k < NT; k++) {
            rp_reg_row *o = &out[(size_t)s * (size_t)NT + (size_t)k];
            size_t base = (size_t)s * (size_t)R * (size_t)NT + (size_t)k;
            int64_t nev = 0, att = 0, any = 0, ntail = 0;
            double alone = 0, tail = 0, shap = 0;
            for (int64_t q = 0; q < R; q++) {
                size_t i = base + (size_t)q * (size_t)NT;
                nev += r->reg_nev[i];
                att += r->reg_att[i];
                any += r->reg_nev[i] > 0;
                alone += r->reg_alone[i];
                col[q] = r->reg_marg[i];
                if (tot[q] >= var95) {
                    tail += r->reg_marg[i];
                    ntail++;
                }
                if (r->reg_shap != NULL)
                    shap += r->reg_shap[i];
            }
            double mm = rp_mean(col, (size_t)R);
            double se = sqrt(rp_var(col, (size_t)R) / (double)R);
            o->events_per_year = (double)nev / years;
            o->p_any = (double)any / (double)R;
            o->attempts_per_year = is_attack[k] ? (double)att / years : NAN;
            o->p_success =
                is_attack[k] && att > 0 ? (double)nev / (double)att : NAN;
            o->standalone_mean = alone / (double)R;
            o->marginal_mean = mm;
            o->marginal_lo = mm - 1.96 * se;
            o->marginal_hi = mm + 1.96 * se;
            o->shapley = r->reg_shap != NULL ? shap / (double)R : NAN;
            o->tail_marginal_cvar95 = ntail > 0 ? tail / (double)ntail : 0;
            o->loss_per_event = nev > 0 ? alone / (double)nev : 0;
            o->likelihood_class =
                rp_reg_class(rp_reg_likelihood_bands, o->events_per_year);
            o->consequence_class = rp_reg_class(
                rp_reg_consequence_bands,
                annual_value > 0 ? o->loss_per_event / annual_value : 0);
            msum += mm;
        }
        interaction[s] = total_mean - msum;
    }
    free(tot);
    free(col);
    return 0;
}
