/* libFuzzer target: arbitrary bytes as a results file (HDF5), read by
 * `ripple inspect` in each of its formats, the output thrown away.  A file
 * that is not a complete Ripple results file must be refused with a
 * message, never crash.  The input is written to a temporary file (HDF5
 * reads files).
 * Build: cmake -DRIPPLE_FUZZ=ON -DCMAKE_C_COMPILER=clang; run:
 * build-fuzz/fuzz_inspect tests/fuzz/corpus_inspect -max_total_time=180 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_tmp.h"
#include "ripple/inspect.h"

int rp_fuzz_inspect(const uint8_t *data, size_t size);

/* HDF5 1.10 (Debian 12) itself loses a few blocks when it opens a damaged
 * object header (H5Oopen -> H5O_protect): memory no Ripple code holds.
 * LeakSanitizer, here and in the replay test, ignores leaks from inside
 * the library; a leak of Ripple's own still counts. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libhdf5\n";
}

int rp_fuzz_inspect(const uint8_t *data, size_t size)
{
    static const char *path;
    static FILE *null;
    if (path == NULL)
        path = rp_fuzz_tmp_new("inspect");
    if (null == NULL)
        null = fopen("/dev/null", "w");
    if (path == NULL || null == NULL || rp_fuzz_tmp_write(path, data, size))
        return 0;
    rp_errors *err = malloc(sizeof *err);
    if (err == NULL)
        return 0;
    const int formats[] = {RP_INSPECT_TEXT, RP_INSPECT_JSON, RP_INSPECT_CSV};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        rp_err_init(err);
        if (rp_inspect_as(null, path, 0, formats[k], err) != RP_OK && k == 0)
            break; /* refused: the other formats read the same way */
    }
    free(err);
    return 0;
}

#ifndef RIPPLE_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rp_fuzz_inspect(data, size);
}
#endif
