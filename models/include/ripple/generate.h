/* Synthetic supply networks for benchmarks and experiments: tiered, with
 * multi-sourced inputs, regions and heavy-tailed supplier degrees. */
#ifndef RIPPLE_GENERATE_H
#define RIPPLE_GENERATE_H

#include <stdint.h>
#include <stdio.h>

typedef struct rp_gen_opts {
    long nodes;    /* total nodes (>= 10) */
    int tiers;     /* tiers including the customers (>= 2) */
    double degree; /* mean supplier edges per buyer */
    int regions;   /* number of regions */
    uint64_t seed;
} rp_gen_opts;

void rp_gen_defaults(rp_gen_opts *o);
/* The most tiers a network of this many nodes can have (each supplier
 * tier holds a node at least; at most 50). */
long rp_gen_max_tiers(long nodes);
/* Write the network JSON to f; returns the number of edges, or -1 on an
 * I/O or memory failure. */
long rp_generate(FILE *f, const rp_gen_opts *o);

#endif
