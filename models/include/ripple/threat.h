/* Threat types: how a scenario's threats become events in a replication.
 *
 * Each type lives in one file under models/ and exports one rp_threat_type
 * table; models/threats.c lists the tables.  Adding a type touches those two
 * files.  Sampling must draw only from streams keyed by (seed, replication,
 * threat index, target, purpose) (docs/model.md) so that every strategy
 * and every thread sees the same draws. */
#ifndef RIPPLE_THREAT_H
#define RIPPLE_THREAT_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "ripple/dist.h"
#include "ripple/draws.h"
#include "ripple/flow.h"
#include "ripple/json.h"
#include "ripple/model.h"
#include "ripple/network.h"

/* A growable list of events for one replication. */
typedef struct rp_evbuf {
    rp_event *ev;
    int n, cap;
} rp_evbuf;

int rp_evbuf_push(rp_evbuf *b, rp_event e); /* 0, or -1 out of memory */
void rp_evbuf_free(rp_evbuf *b);

/* What a sampler may look at. */
typedef struct rp_sample_ctx {
    const rp_model *model; /* the strategy's model (protection, recovery) */
    uint64_t seed;
    uint64_t replication;
    uint32_t threat;   /* index of the threat in the scenario */
    int horizon;       /* T */
    gsl_rng *rng;      /* scratch generator (rp_rng_philox) */
    int32_t *attempts; /* where an attack adds its attempts (successful or
                          not), or NULL */
} rp_sample_ctx;

typedef struct rp_threat_type {
    const char *name; /* the "type" value */
    /* Validate obj (path names it in messages) and build private data. */
    rp_status (*parse)(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data);
    /* Called once per (strategy) model before sampling, e.g. to compute
     * targeting scores; may be NULL.  Returns private per-model data. */
    rp_status (*prepare)(const void *data, const rp_model *m, void **prep,
                         rp_errors *err);
    /* Append the events of one replication. 0, or -1 out of memory. */
    int (*sample)(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out);
    void (*free_data)(void *data);
    void (*free_prep)(void *prep);
} rp_threat_type;

typedef struct rp_threat {
    const rp_threat_type *type;
    const char *name;
    void *data;
} rp_threat;

/* Look up a type by name (NULL if unknown); list the known names. */
const rp_threat_type *rp_threat_find(const char *name);
void rp_threat_names(char *buf, size_t n);

/* Shared parsing helpers for threat modules. */
int rp_threat_profile(rp_jctx *c, const cJSON *obj, const char *path,
                      uint8_t *profile);

/* What an event does to its target: duration and severity distributions
 * and the profile.  Durations are drawn as reals, scaled by the target's
 * recovery factor and rounded up to whole days (>= 1); severities are
 * clamped to (0, 1]. */
typedef struct rp_impact {
    rp_dist duration, severity;
    uint8_t profile;
} rp_impact;

int rp_impact_parse(rp_jctx *c, const cJSON *obj, const char *path,
                    rp_impact *imp);
/* Poisson count for a rate per year over the horizon, from the COUNT
 * stream of (threat, target). */
unsigned rp_threat_count(const rp_sample_ctx *ctx, double rate_per_year,
                         uint32_t target, uint32_t sub);
/* Duration in whole days from a real draw and a recovery factor. */
int32_t rp_duration_days(double draw, double recovery_factor);
double rp_clamp_severity(double s);
/* A Poisson process of events on one target (node or network edge index):
 * count, then onsets uniform on [0, T) floored to the day, then durations
 * (scaled by rf) and severities, each from its own stream of
 * (threat, target). 0, or -1 out of memory. */
int rp_poisson_events(const rp_sample_ctx *ctx, double rate, uint32_t target,
                      const rp_impact *imp, double rf, int is_edge,
                      rp_evbuf *out);
/* The nodes (edges = 0) or network edges (edges = 1) that the selector at
 * obj[key] matches, ascending, in a new array.  0, or -1 with an error
 * reported (missing, invalid, or matching nothing). */
int rp_threat_select(rp_jctx *c, const cJSON *obj, const char *path,
                     const char *key, const rp_network *net, int edges,
                     int **out, int *n);
/* The common shape of node_hazard and edge_hazard: independent Poisson
 * processes on the targets a selector matches. */
typedef struct rp_hazard {
    int n;
    int *targets; /* node indices, or network (file order) edge indices */
    double rate;
    rp_impact imp;
} rp_hazard;

/* Parse {type, name, KEY: selector, rate_per_year, duration, severity,
 * profile}; key is "nodes" or "edges". */
rp_status rp_hazard_parse(rp_jctx *c, const cJSON *obj, const char *path,
                          const rp_network *net, const char *key, void **data);
void rp_hazard_free(void *data);

/* Rate per year, a number in [0, 3650] (required). */
int rp_threat_rate(rp_jctx *c, const cJSON *obj, const char *path,
                   const char *key, double *rate);

/* All threats of a scenario against one (strategy) model. */
rp_status rp_threats_prepare(const rp_threat *th, int n, const rp_model *m,
                             void ***preps, rp_errors *err);
void rp_threats_release(const rp_threat *th, int n, void **preps);
/* 1 if there is at least one threat and every one is scripted: nothing is
 * drawn at random, so every replication simulates the same events. */
int rp_threats_all_scripted(const rp_threat *th, int n);
/* Events of replication rep (out is cleared first). 0, or -1 no memory. */
int rp_threats_sample(const rp_threat *th, int n, void *const *preps,
                      const rp_model *m, uint64_t seed, uint64_t rep, int T,
                      gsl_rng *rng, rp_evbuf *out);
/* The same, and attempts[i] (NULL: not counted) receives threat i's attack
 * attempts, successful or not (0 for other threat types).  Every event
 * carries the index of its threat. */
int rp_threats_sample_counts(const rp_threat *th, int n, void *const *preps,
                             const rp_model *m, uint64_t seed, uint64_t rep,
                             int T, gsl_rng *rng, rp_evbuf *out,
                             int32_t *attempts);

#endif
