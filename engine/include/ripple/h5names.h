/* Names in a results file that the engine writes (docs/formats.md), shared
 * by the writer (engine/h5out.c) and the readers (app/): a name is spelled
 * once, here.  A model names its own groups in a header of its own.
 *
 * Groups are absolute paths; datasets are absolute paths too (HDF5 takes
 * them from any location), so a reader uses the same macro as the writer.
 * Dimension scales are plain names: every group keeps its own copy of the
 * scales its datasets use (RP_H5G_X "/" RP_H5S_Y), and the root keeps one
 * of each ("/" RP_H5S_Y). */
#ifndef RIPPLE_H5NAMES_H
#define RIPPLE_H5NAMES_H

/* dimension scales (a model names its own in its header) */
#define RP_H5S_STRATEGY "strategy"
#define RP_H5S_DAY "day"
#define RP_H5S_QUANTILE "quantile"
#define RP_H5S_STAT "stat"
#define RP_H5S_REPLICATION "replication"

/* the root's copies */
#define RP_H5_STRATEGY "/" RP_H5S_STRATEGY
#define RP_H5_DAY "/" RP_H5S_DAY
#define RP_H5_QUANTILE "/" RP_H5S_QUANTILE
#define RP_H5_STAT "/" RP_H5S_STAT

/* /strategies: what each strategy costs and does */
#define RP_H5G_STRATEGIES "/strategies"
#define RP_H5_STRATEGIES_COST RP_H5G_STRATEGIES "/cost_per_year"
#define RP_H5A_STRATEGIES_ACTIONS "actions_json" /* attribute */

/* /replication and /summary: a dataset per metric, named by the model's
 * metric table (rp_metric_def.name); a reader names a metric's datasets by
 * the metric's name: RP_H5_REP(name), RP_H5_SUM(name) */
#define RP_H5G_REPLICATION "/replication"
#define RP_H5G_SUMMARY "/summary"
#define RP_H5_REP(metric) RP_H5G_REPLICATION "/" #metric
#define RP_H5_SUM(metric) RP_H5G_SUMMARY "/" #metric

/* /timeseries: the model's daily series over replications (the model
 * names its datasets: rp_h5_mc_names) */
#define RP_H5G_TIMESERIES "/timeseries"

/* /comparison: strategies against the baseline, paired (the model names
 * the datasets of the paired difference in its loss: rp_h5_mc_names) */
#define RP_H5G_COMPARISON "/comparison"
#define RP_H5_CMP_PROB_BETTER RP_H5G_COMPARISON "/prob_better"
#define RP_H5_CMP_ROI RP_H5G_COMPARISON "/roi"
#define RP_H5_CMP_VAR_REDUCTION RP_H5G_COMPARISON "/variance_reduction"
#define RP_H5_CMP_NB_MEAN RP_H5G_COMPARISON "/net_benefit_mean"
#define RP_H5_CMP_NB_LOW RP_H5G_COMPARISON "/net_benefit_ci95_low"
#define RP_H5_CMP_NB_HIGH RP_H5G_COMPARISON "/net_benefit_ci95_high"
#define RP_H5_CMP_PROB_BEST RP_H5G_COMPARISON "/prob_best"
#define RP_H5A_CMP_RECOMMENDED "recommended" /* attributes of the group */

#endif
