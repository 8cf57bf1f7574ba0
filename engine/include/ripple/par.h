/* Distributed runs: the few MPI calls Ripple needs, behind functions that
 * do the single-process thing when Ripple is built without MPI
 * (RIPPLE_MPI=OFF), so the rest of the code has no #ifdefs. */
#ifndef RIPPLE_PAR_H
#define RIPPLE_PAR_H

#include <stddef.h>

/* Start and stop (MPI_Init_thread / MPI_Finalize when built with MPI). */
void rp_par_init(int *argc, char ***argv, int *rank, int *ranks);
void rp_par_finalize(void);
/* Send n bytes to rank 0 / receive a message of any size from `from`
 * (*n gets its size; the caller frees *buf).  0, or -1 on failure. */
int rp_par_send0(const void *buf, size_t n, int tag);
int rp_par_recv(int from, int tag, void **buf, size_t *n);
/* Element-wise sum of n doubles over all ranks, result on rank 0. */
int rp_par_sum0(double *v, size_t n, int rank);
/* Exit status agreed by all ranks: the largest. */
int rp_par_max_status(int status);

#endif
