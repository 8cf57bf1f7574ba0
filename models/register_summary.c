/* The risk register's summary (ripple/register.h): per strategy and
 * threat, from the register's rows of every replication, the figures of
 * /risk_register. */
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

#include "ripple/register.h"
#include "ripple/run.h"
#include "ripple/stats.h"

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
