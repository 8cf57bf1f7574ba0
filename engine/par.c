/* Distributed runs (ripple/par.h): the few MPI calls Ripple makes, and their
 * single-process stand-ins when built without MPI (RIPPLE_MPI=OFF). */
#include "ripple/par.h"

#include <stdlib.h>
#include <string.h>

#ifdef RIPPLE_HAVE_MPI
#include <mpi.h>

void rp_par_init(int *argc, char ***argv, int *rank, int *ranks)
{
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, ranks);
}

void rp_par_finalize(void)
{
    MPI_Finalize();
}

/* Messages are sent in pieces of at most 1 GiB (MPI counts are int). */
#define PIECE ((size_t)1 << 30)

int rp_par_send0(const void *buf, size_t n, int tag)
{
    unsigned long long len = n;
    if (MPI_Send(&len, 1, MPI_UNSIGNED_LONG_LONG, 0, tag, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        return -1;
    for (size_t off = 0; off < n; off += PIECE) {
        size_t k = n - off < PIECE ? n - off : PIECE;
        if (MPI_Send((const char *)buf + off, (int)k, MPI_BYTE, 0, tag,
                     MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int rp_par_recv(int from, int tag, void **buf, size_t *n)
{
    unsigned long long len;
    *buf = NULL;
    if (MPI_Recv(&len, 1, MPI_UNSIGNED_LONG_LONG, from, tag, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    *n = (size_t)len;
    *buf = malloc(*n ? *n : 1);
    if (*buf == NULL)
        return -1;
    for (size_t off = 0; off < *n; off += PIECE) {
        size_t k = *n - off < PIECE ? *n - off : PIECE;
        if (MPI_Recv((char *)*buf + off, (int)k, MPI_BYTE, from, tag,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int rp_par_sum0(double *v, size_t n, int rank)
{
    for (size_t off = 0; off < n; off += PIECE / 8) {
        int k = (int)(n - off < PIECE / 8 ? n - off : PIECE / 8);
        int rc = rank == 0 ? MPI_Reduce(MPI_IN_PLACE, v + off, k, MPI_DOUBLE,
                                        MPI_SUM, 0, MPI_COMM_WORLD)
                           : MPI_Reduce(v + off, NULL, k, MPI_DOUBLE, MPI_SUM,
                                        0, MPI_COMM_WORLD);
        if (rc != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int rp_par_max_status(int status)
{
    int out = status;
    MPI_Allreduce(&status, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out;
}

#else

void rp_par_init(int *argc, char ***argv, int *rank, int *ranks)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    *ranks = 1;
}

void rp_par_finalize(void) {}

int rp_par_send0(const void *buf, size_t n, int tag)
{
    (void)buf;
    (void)n;
    (void)tag;
    return -1;
}

int rp_par_recv(int from, int tag, void **buf, size_t *n)
{
    (void)from;
    (void)tag;
    *buf = NULL;
    *n = 0;
    return -1;
}

int rp_par_sum0(double *v, size_t n, int rank)
{
    (void)v;
    (void)n;
    (void)rank;
    return 0;
}

int rp_par_max_status(int status)
{
    return status;
}

#endif
