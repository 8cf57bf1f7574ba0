/* Fuzz targets whose reader needs a file (HDF5 results, checkpoints): the
 * input is written to a temporary file of this process, made once with
 * mkstemp in $TMPDIR (default /tmp) and removed at exit. */
#ifndef RIPPLE_FUZZ_TMP_H
#define RIPPLE_FUZZ_TMP_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RP_FUZZ_NTMP 4
static char rp_fuzz_tmp_paths[RP_FUZZ_NTMP][512];
static int rp_fuzz_tmp_n;

static void rp_fuzz_tmp_cleanup(void)
{
    for (int k = 0; k < rp_fuzz_tmp_n; k++)
        unlink(rp_fuzz_tmp_paths[k]);
}

/* A new temporary file named with tag; NULL if none can be made. */
static const char *rp_fuzz_tmp_new(const char *tag)
{
    if (rp_fuzz_tmp_n == RP_FUZZ_NTMP)
        return NULL;
    const char *dir = getenv("TMPDIR");
    char *p = rp_fuzz_tmp_paths[rp_fuzz_tmp_n];
    snprintf(p, sizeof rp_fuzz_tmp_paths[0], "%s/ripple-fuzz-%s-XXXXXX",
             dir != NULL && dir[0] != '\0' ? dir : "/tmp", tag);
    int fd = mkstemp(p);
    if (fd < 0)
        return NULL;
    close(fd);
    if (rp_fuzz_tmp_n++ == 0)
        atexit(rp_fuzz_tmp_cleanup);
    return p;
}

/* Replace the contents of path with data; 0 on success. */
static int rp_fuzz_tmp_write(const char *path, const uint8_t *data,
                             size_t size)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    return close(fd);
}

#endif
