/* libFuzzer target: arbitrary bytes as a scenario file.  Parsing must
 * either succeed or report errors, never crash; a scenario that parses is
 * compiled for every strategy and run for a few days.
 * Build: cmake -DRIPPLE_FUZZ=ON -DCMAKE_C_COMPILER=clang; run:
 * build-fuzz/fuzz_scenario tests/fuzz/corpus -max_total_time=60 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/ripple.h"

int rp_fuzz_scenario(const uint8_t *data, size_t size);

int rp_fuzz_scenario(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    if (rp_scenario_parse("fuzz.json", text, NULL, &s, &err) == RP_OK) {
        if (s->horizon > 30)
            s->horizon = 30;
        for (int k = 0; k < s->n_strategies; k++) {
            const rp_network *n =
                s->strategies[k].net ? s->strategies[k].net : s->net;
            rp_model *m = NULL;
            if (n->n_nodes > 2000 || n->n_edges > 5000)
                break;
            if (rp_model_build(n, &s->par, &m, &err) != RP_OK)
                continue;
            void **preps = NULL;
            if (rp_threats_prepare(s->threats, s->n_threats, m, &preps,
                                   &err) == RP_OK) {
                gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
                rp_evbuf eb = {0};
                rp_flow_ws *w = rp_flow_ws_new(m);
                if (w != NULL &&
                    rp_threats_sample(s->threats, s->n_threats, preps, m,
                                      s->seed, 0, s->horizon, rng, &eb) == 0 &&
                    eb.n < 100000) {
                    rp_metrics met;
                    rp_flow_run(m, w, eb.ev, eb.n, s->horizon, &met, NULL,
                                NULL);
                }
                rp_flow_ws_free(w);
                rp_evbuf_free(&eb);
                gsl_rng_free(rng);
                rp_threats_release(s->threats, s->n_threats, preps);
            }
            rp_model_free(m);
        }
        rp_scenario_free(s);
    }
    free(text);
    return 0;
}

#ifndef RIPPLE_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rp_fuzz_scenario(data, size);
}
#endif
