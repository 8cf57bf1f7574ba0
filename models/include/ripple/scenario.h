/* A scenario: network, horizon, replications, seed, model constants,
 * threats, strategies and stress settings (docs/formats.md, "Scenario file").
 */
#ifndef RIPPLE_SCENARIO_H
#define RIPPLE_SCENARIO_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "ripple/error.h"
#include "ripple/model.h"
#include "ripple/network.h"
#include "ripple/threat.h"

typedef struct rp_strategy rp_strategy; /* see strategy.h */

typedef struct rp_scenario {
    char *file;     /* label of the scenario file */
    char *net_file; /* label of the network file (== file if inline) */
    cJSON *doc;     /* scenario document (owns borrowed strings) */
    cJSON *net_doc; /* network document when it is a separate file */
    /* the pools holding doc and net_doc when they were read from text
     * (json.h); NULL when the document is cJSON's own (a CSV network) */
    struct rp_json_pool *doc_pool, *net_pool;
    /* after rp_scenario_release_network: the network document's canonical
     * text and its SHA-256 (net_doc is then NULL), and one block holding
     * the strings the networks borrowed from it */
    char *net_text;
    char net_sha[65];
    char *net_strings;
    const char *name, *description;
    const char *currency; /* the unit of value ("EUR"; "" if not named) */
    rp_network *net;
    rp_params par;
    int horizon;
    int64_t replications;
    uint64_t seed;
    int n_threats;
    rp_threat *threats;
    int n_strategies; /* including the implicit baseline (index 0) */
    rp_strategy *strategies;
    double stress_ttr;          /* default TTR for nodes without ttr_days */
    unsigned char *stress_mask; /* nodes to stress test [n_nodes] */
} rp_scenario;

/* Load and validate a scenario file (network inline or by relative path). */
rp_status rp_scenario_load(const char *path, rp_scenario **out,
                           rp_errors *err);
/* Load from JSON text in memory (label names it); network must be inline
 * unless base_dir is given. */
rp_status rp_scenario_parse(const char *label, const char *text,
                            const char *base_dir, rp_scenario **out,
                            rp_errors *err);
void rp_scenario_free(rp_scenario *s);
/* A run needs the network document of a separate network file (JSON or
 * CSV) only as text once the scenario is loaded: keep its canonical text
 * and hash (rp_scenario_resolved_json and rp_scenario_network_sha256 give
 * what they gave before), copy the strings the networks (the strategies'
 * too) borrow from it into one block, and free the document, which on a
 * large network is most of the memory loading took.  Afterwards
 * rp_scenario_network_doc gives NULL.  Nothing happens to an inline
 * network (it is part of the scenario's document).  RP_OK, or RP_ERUNTIME
 * out of memory (the scenario is then as it was). */
rp_status rp_scenario_release_network(rp_scenario *s, rp_errors *err);
/* The bytes rp_scenario_release_network would give back (the document's
 * pool less the text and strings kept; 0 when it has nothing to release
 * or the document is not pooled), for memory estimates made before. */
double rp_scenario_release_saving(const rp_scenario *s);

/* The resolved scenario (network inlined, overrides applied) as JSON text;
 * the caller frees it.  NULL on allocation failure. */
char *rp_scenario_resolved_json(const rp_scenario *s);
/* The network document as parsed: the network file's, the inline object,
 * or the one built from a CSV pair (NULL once released). */
const cJSON *rp_scenario_network_doc(const rp_scenario *s);
/* SHA-256 of n bytes, as 64 hex digits. 0, or -1 on failure. */
int rp_sha256_hex(const char *txt, size_t n, char hex[65]);
/* SHA-256 (hex) of the network object's canonical (unformatted) JSON. */
int rp_scenario_network_sha256(const rp_scenario *s, char hex[65]);

#endif
