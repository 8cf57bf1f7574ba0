/* libFuzzer target: arbitrary bytes as a CSV network, the nodes table and
 * the edges table separated by the bytes 0xfe 0xfe (none: no edges).
 * Reading must either succeed or report errors located by line, never
 * crash; a network that reads is built into a model.
 * Build: cmake -DRIPPLE_FUZZ=ON -DCMAKE_C_COMPILER=clang; run:
 * build-fuzz/fuzz_csv tests/fuzz/corpus_csv -max_total_time=180 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/csvnet.h"
#include "ripple/ripple.h"

int rp_fuzz_csv(const uint8_t *data, size_t size);

int rp_fuzz_csv(const uint8_t *data, size_t size)
{
    size_t cut = size;
    for (size_t i = 0; i + 1 < size; i++) {
        if (data[i] == 0xfe && data[i + 1] == 0xfe) {
            cut = i;
            break;
        }
    }
    size_t elen = cut < size ? size - cut - 2 : 0;
    char *nodes = malloc(cut + 1), *edges = malloc(elen + 1);
    rp_errors *err = malloc(sizeof *err);
    if (nodes == NULL || edges == NULL || err == NULL) {
        free(nodes);
        free(edges);
        free(err);
        return 0;
    }
    memcpy(nodes, data, cut);
    nodes[cut] = '\0';
    if (elen > 0)
        memcpy(edges, data + cut + 2, elen);
    edges[elen] = '\0';
    rp_err_init(err);
    cJSON *doc = NULL;
    rp_network *net = NULL;
    int *lines = NULL;
    if (rp_csvnet_from_text("n.csv", nodes, cut, "e.csv",
                            cut < size ? edges : NULL, elen, "fuzz", &doc,
                            &net, &lines, err) == RP_OK) {
        if (net->n_nodes <= 2000 && net->n_edges <= 5000) {
            rp_params par;
            rp_params_default(&par);
            rp_model *m = NULL;
            if (rp_model_build(net, &par, &m, err) == RP_OK)
                rp_model_free(m);
        }
        rp_net_free(net);
        cJSON_Delete(doc);
        free(lines);
    }
    free(err);
    free(nodes);
    free(edges);
    return 0;
}

#ifndef RIPPLE_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rp_fuzz_csv(data, size);
}
#endif
