/* Resources decided before work starts: the thread count, the input files
 * (regular files of bounded size, opened without blocking), and memory (an
 * estimate of what a run of the model will use, compared with what the
 * machine, the process limits and the cgroup leave). */
#ifndef RIPPLE_RESOURCES_H
#define RIPPLE_RESOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "ripple/bounds.h"
#include "ripple/error.h"

/* The most threads worth running: 4 per core the process may use, at
 * least 8, at most RP_MAX_THREADS. */
int rp_thread_cap(void);

/* Check that path names a regular file of at most max_bytes (0: any size)
 * and open it for reading without blocking (a FIFO swapped in after the
 * check cannot hang the open).  Returns the descriptor and its size, or -1
 * with an input error naming label ("...: is a FIFO, not a regular file").
 */
int rp_input_open(const char *path, const char *label, size_t max_bytes,
                  size_t *size, rp_errors *err);
/* The same check without keeping the file open (0, or -1 with an error). */
int rp_input_check(const char *path, const char *label, size_t max_bytes,
                   rp_errors *err);

/* Memory this process may still take: the least of MemAvailable
 * (/proc/meminfo), what RLIMIT_AS and RLIMIT_DATA leave, what the cgroup's
 * memory limit leaves, and RIPPLE_MAX_MEMORY from the environment (bytes,
 * or with a suffix K, M, G, T: powers of 1024).  source names the
 * smallest; returns a negative number when nothing is known. */
double rp_mem_available(char *source, size_t n);
/* A size as RIPPLE_MAX_MEMORY takes it: bytes, or a number with K, M, G
 * or T (powers of 1024; "KiB", "MB" and the like read the same); -1 when
 * it is not one. */
double rp_mem_parse_size(const char *s);
/* Bytes the process holds now (VmRSS), or 0 when unknown. */
double rp_mem_resident(void);
/* "1.5 GiB", "230 MiB", "12 KiB", "100 bytes". */
void rp_mem_format(double bytes, char *buf, size_t n);

/* The parts of a Monte Carlo run's (or another pass of the model's) peak
 * memory. */
enum {
    RP_MEM_LOADED,    /* what the process holds already: the input, the
                         strategies' copies, libraries */
    RP_MEM_MODEL,     /* one compiled model at a time */
    RP_MEM_WORKSPACE, /* threads x one model workspace (lanes included) */
    RP_MEM_EVENTS,    /* threads x lanes x one replication's sampled input */
    RP_MEM_RESULTS,   /* replication metrics and summaries, all strategies */
    RP_MEM_DAILY,     /* daily series of one strategy (R x T) */
    RP_MEM_RECORDS,   /* replications' records waiting for the ordered sums */
    RP_MEM_QUANTILES, /* threads x one column of R values (daily bands) */
    RP_MEM_WRITE,     /* the results file being written */
    RP_MEM_NPARTS
};

/* How the model names a plan and its parts for people: what the plan is
 * for ("run"; `title` as a sentence has it, "a run"), each part's name
 * and what reduces it (in the command line's terms).  A NULL entry, or no
 * words at all, takes the engine's generic wording. */
typedef struct rp_mem_words {
    const char *what, *title;
    const char *name[RP_MEM_NPARTS];
    const char *fix[RP_MEM_NPARTS];
} rp_mem_words;

enum { RP_MEM_PHASE_SIMULATE, RP_MEM_PHASE_BANDS, RP_MEM_PHASE_WRITE };

typedef struct rp_mem_plan {
    const rp_mem_words *words; /* NULL: the engine's generic wording */
    int single;                /* 1: one pass of the model (no replications or
                                  strategies to describe), 0: a Monte Carlo run */
    int threads, lanes;
    int64_t replications;
    int horizon, strategies;
    double events_per_rep; /* a bound on one replication's events */
    double events_mean;    /* their mean */
    double part[RP_MEM_NPARTS];
    /* held throughout: LOADED, MODEL, RESULTS; then one phase at a time:
     * simulating (DAILY, RECORDS, WORKSPACE, EVENTS), the daily bands
     * (DAILY, QUANTILES), writing (WRITE) */
    int phase; /* the largest phase: RP_MEM_PHASE_* */
    double held, phase_bytes;
    double peak; /* held + phase_bytes: the estimate */
} rp_mem_plan;

/* held, phase, phase_bytes and peak of a plan whose parts are set. */
void rp_mem_plan_finish(rp_mem_plan *p);
/* One line: "about 48 MiB (input 20 MiB, model 1 MiB, ...)". */
void rp_mem_plan_describe(const rp_mem_plan *p, char *buf, size_t n);
/* Compare the plan with the memory available; 0 when it fits (or nothing
 * is known), else -1 with an input error: what is needed, what is
 * available and which options reduce the largest parts. */
int rp_mem_plan_check(const rp_mem_plan *p, rp_errors *err);

#endif
