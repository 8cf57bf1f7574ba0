/* Names of the supply-chain model's own groups in results and stress
 * files (docs/formats.md), shared by the writer and the readers (app/);
 * conventions as in ripple/h5names.h. */
#ifndef RIPPLE_SC_H5NAMES_H
#define RIPPLE_SC_H5NAMES_H

#include "ripple/h5names.h"

/* the model's dimension scales */
#define RP_H5S_EDGE "edge"
#define RP_H5S_NODE "node"
#define RP_H5S_THREAT "threat"
#define RP_H5S_EVENT "event"

/* the root's copies: edge index and the scenario's threats */
#define RP_H5_EDGE "/" RP_H5S_EDGE
#define RP_H5_THREAT "/" RP_H5S_THREAT

/* The model's names for datasets of the engine's groups and for a root
 * attribute (rp_h5_mc_names, rp_h5_inputs): the daily series is the
 * service level, the loss the strategies are compared on the lost value,
 * and the input hashed is the network. */
#define RP_H5_TS_MEAN RP_H5G_TIMESERIES "/service_level_mean"
#define RP_H5_TS_QUANTILES RP_H5G_TIMESERIES "/service_level_quantiles"
#define RP_H5_TS_BELOW RP_H5G_TIMESERIES "/p_below_target"
#define RP_H5_CMP_DELTA_MEAN RP_H5G_COMPARISON "/lost_value_delta_mean"
#define RP_H5_CMP_DELTA_LOW RP_H5G_COMPARISON "/lost_value_delta_ci95_low"
#define RP_H5_CMP_DELTA_HIGH RP_H5G_COMPARISON "/lost_value_delta_ci95_high"
#define RP_H5A_NETWORK_SHA256 "network_sha256" /* root attribute */

/* /network: the network at baseline (the baseline strategy's) */
#define RP_H5G_NETWORK "/network"
#define RP_H5_NET_NODE_NAME RP_H5G_NETWORK "/node_name"
#define RP_H5_NET_NODE_KIND RP_H5G_NETWORK "/node_kind"
#define RP_H5_NET_NODE_REGION RP_H5G_NETWORK "/node_region"
#define RP_H5_NET_DEMAND RP_H5G_NETWORK "/node_demand"
#define RP_H5_NET_CAPACITY RP_H5G_NETWORK "/node_capacity"
#define RP_H5_NET_BASELINE_OUTPUT RP_H5G_NETWORK "/node_baseline_output"
#define RP_H5_NET_INVENTORY_DAYS RP_H5G_NETWORK "/node_inventory_days"
#define RP_H5_NET_UNIT_VALUE RP_H5G_NETWORK "/node_unit_value"
#define RP_H5_NET_PROTECTION RP_H5G_NETWORK "/node_protection"
#define RP_H5_NET_EDGE_FROM RP_H5G_NETWORK "/edge_from"
#define RP_H5_NET_EDGE_TO RP_H5G_NETWORK "/edge_to"
#define RP_H5_NET_EDGE_LABEL RP_H5G_NETWORK "/edge_label"
#define RP_H5_NET_LEAD_TIME RP_H5G_NETWORK "/edge_lead_time"
#define RP_H5_NET_EDGE_INPUT RP_H5G_NETWORK "/edge_input"
#define RP_H5_NET_EDGE_SHARE RP_H5G_NETWORK "/edge_share"
#define RP_H5_NET_EDGE_RATIO RP_H5G_NETWORK "/edge_ratio"
#define RP_H5_NET_BASELINE_FLOW RP_H5G_NETWORK "/edge_baseline_flow"

/* /node: per strategy and node, over replications */
#define RP_H5G_NODE "/node"
#define RP_H5_NODE_NAME RP_H5G_NODE "/node_name"
#define RP_H5_NODE_KIND RP_H5G_NODE "/node_kind"
#define RP_H5_NODE_REGION RP_H5G_NODE "/node_region"
#define RP_H5_NODE_DIS_MEAN RP_H5G_NODE "/disrupted_days_mean"
#define RP_H5_NODE_P_DIS RP_H5G_NODE "/p_disrupted"
#define RP_H5_NODE_IMP_MEAN RP_H5G_NODE "/impacted_days_mean"
#define RP_H5_NODE_P_IMP RP_H5G_NODE "/p_impacted"
#define RP_H5_NODE_LOST_MEAN RP_H5G_NODE "/lost_value_mean"
#define RP_H5_NODE_CRITICALITY RP_H5G_NODE "/criticality"

/* /events: the event log, a row an event */
#define RP_H5G_EVENTS "/events"
#define RP_H5_EV_STRATEGY RP_H5G_EVENTS "/strategy"
#define RP_H5_EV_REPLICATION RP_H5G_EVENTS "/replication"
#define RP_H5_EV_THREAT RP_H5G_EVENTS "/threat"
#define RP_H5_EV_TARGET_KIND RP_H5G_EVENTS "/target_kind"
#define RP_H5_EV_TARGET RP_H5G_EVENTS "/target"
#define RP_H5_EV_ONSET RP_H5G_EVENTS "/onset"
#define RP_H5_EV_DURATION RP_H5G_EVENTS "/duration"
#define RP_H5_EV_SEVERITY RP_H5G_EVENTS "/severity"
#define RP_H5_EV_PROFILE RP_H5G_EVENTS "/profile"

/* /risk_register: per strategy and threat */
#define RP_H5G_REGISTER "/risk_register"
#define RP_H5_REG_EVENTS_PER_YEAR RP_H5G_REGISTER "/events_per_year"
#define RP_H5_REG_P_ANY RP_H5G_REGISTER "/p_any"
#define RP_H5_REG_ATTEMPTS RP_H5G_REGISTER "/attempts_per_year"
#define RP_H5_REG_P_SUCCESS RP_H5G_REGISTER "/p_success"
#define RP_H5_REG_STANDALONE RP_H5G_REGISTER "/standalone_mean"
#define RP_H5_REG_MARGINAL RP_H5G_REGISTER "/marginal_mean"
#define RP_H5_REG_MARGINAL_LOW RP_H5G_REGISTER "/marginal_ci95_low"
#define RP_H5_REG_MARGINAL_HIGH RP_H5G_REGISTER "/marginal_ci95_high"
#define RP_H5_REG_SHAPLEY RP_H5G_REGISTER "/shapley"
#define RP_H5_REG_TAIL RP_H5G_REGISTER "/tail_marginal_cvar95"
#define RP_H5_REG_LOSS_PER_EVENT RP_H5G_REGISTER "/loss_per_event"
#define RP_H5_REG_LIKELIHOOD RP_H5G_REGISTER "/likelihood_class"
#define RP_H5_REG_CONSEQUENCE RP_H5G_REGISTER "/consequence_class"
#define RP_H5_REG_INTERACTION RP_H5G_REGISTER "/interaction"

/* /stress: the stress test, per node */
#define RP_H5G_STRESS "/stress"
#define RP_H5_STRESS_TTR RP_H5G_STRESS "/ttr_days"
#define RP_H5_STRESS_TTS RP_H5G_STRESS "/tts_days"
#define RP_H5_STRESS_PI RP_H5G_STRESS "/performance_impact"
#define RP_H5_STRESS_REI RP_H5G_STRESS "/rei"
#define RP_H5_STRESS_EXPOSED RP_H5G_STRESS "/exposed"
#define RP_H5_STRESS_TESTED RP_H5G_STRESS "/tested"

#endif
