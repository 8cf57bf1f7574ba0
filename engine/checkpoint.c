/* Checkpoints: a fixed header, then the sizes of any arrays past the
 * header's 24 slots (none for 24 arrays or fewer), then the arrays in a
 * fixed order.  The header records the run's identity and sizes, the size
 * of every array (the first 24) and of the whole file, and a SHA-256 of the
 * file (computed with the checksum field zero).  A checkpoint is input: it is
 * read only when its size and checksum match, it belongs to this run, and its
 * contents agree with its progress marker (docs/robustness.md). */
#define _POSIX_C_SOURCE 200809L
#include "ripple/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ripple/files.h"
#include "ripple/util.h"

static const char MAGIC[8] = {'R', 'I', 'P', 'L', 'C', 'K', 'P', 'T'};
/* Earlier checkpoints: the last character was the model version. */
static const char MAGIC_V1[8] = {'R', 'P', 'C', 'K', 'P', 'T', '1', '\0'};
static const char MAGIC_V2[8] = {'R', 'P', 'C', 'K', 'P', 'T', '2', '\0'};
#define LAYOUT 4
/* Arrays a checkpoint can hold (the model's table lists them; a layout
 * that adds or changes one takes a new LAYOUT number). */
#define NCHUNK RP_CKPT_MAX_CHUNKS
/* Array sizes the header holds (layout 4: 24); those of arrays past them
 * follow the header, before the arrays, so that a checkpoint of up to 24
 * arrays is byte for byte what layout 4 always was. */
#define HEADER_SLOTS 24
_Static_assert(NCHUNK >= HEADER_SLOTS, "the header's slots are a minimum");

typedef struct {
    char magic[8];
    uint32_t layout;       /* LAYOUT */
    int32_t model_version; /* RP_MODEL_VERSION of the sums */
    char fingerprint[64];  /* run identity, hex */
    int32_t S, N, T, strategy;
    int64_t R, next;
    uint64_t nchunks;             /* arrays that follow (chunks()) */
    uint64_t bytes[HEADER_SLOTS]; /* sizes of the first arrays, 0 past
                                     nchunks (the rest follow) */
    uint64_t total;               /* size of the file */
    unsigned char sum[32]; /* SHA-256 of the file with this field zero */
} header;
_Static_assert(sizeof(header) == 352, "checkpoint header layout");

typedef rp_ckpt_chunk chunk;

/* Bytes of the sizes that follow the header for n arrays. */
static size_t extra_bytes(int n)
{
    return n > HEADER_SLOTS ? (size_t)(n - HEADER_SLOTS) * sizeof(uint64_t)
                            : 0;
}

/* The model's arrays for progress marker next, into c[NCHUNK + 1]: how
 * many.  c[NCHUNK] is a guard the model must leave alone: a model listing
 * more than NCHUNK arrays gets a count above NCHUNK, however many it
 * says. */
static int list_arrays(const rp_ckpt_io *io, int64_t next, chunk *c)
{
    c[NCHUNK] = (chunk){NULL, SIZE_MAX};
    int n = io->chunks(io->arg, next, c);
    if (c[NCHUNK].p != NULL || c[NCHUNK].bytes != SIZE_MAX)
        return NCHUNK + 1;
    return n;
}

/* -1 with a message when n arrays do not fit a checkpoint. */
static int too_many(int n, const char *path, rp_errors *err)
{
    if (n >= 0 && n <= NCHUNK)
        return 0;
    rp_err_runtime(err,
                   "%s: the model lists %d arrays for its checkpoint; a "
                   "checkpoint holds at most %d (RP_CKPT_MAX_CHUNKS)",
                   path, n, NCHUNK);
    return -1;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        size_t step = n < ((size_t)1 << 30) ? n : ((size_t)1 << 30);
        ssize_t w = write(fd, b, step);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* pread exactly n bytes at off; -1 on error or end of file. */
static int read_at(int fd, void *p, size_t n, off_t off)
{
    char *b = p;
    while (n > 0) {
        size_t step = n < ((size_t)1 << 30) ? n : ((size_t)1 << 30);
        ssize_t g = pread(fd, b, step, off);
        if (g < 0 && errno == EINTR)
            continue;
        if (g <= 0)
            return -1;
        b += g;
        n -= (size_t)g;
        off += g;
    }
    return 0;
}

/* The header for state st and the n arrays c[]; the sizes past the
 * header's slots go to extra[]. */
static void fill_header(header *h, const rp_ckpt_state *st,
                        const rp_ckpt_io *io, const chunk *c, int n,
                        uint64_t *extra)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, MAGIC, sizeof MAGIC);
    h->layout = LAYOUT;
    h->model_version = io->model_version;
    memcpy(h->fingerprint, st->fingerprint, sizeof h->fingerprint);
    h->S = io->S;
    h->N = io->N;
    h->T = io->T;
    h->R = io->R;
    h->strategy = st->strategy;
    h->next = st->next;
    h->nchunks = (uint64_t)n;
    h->total = sizeof *h + extra_bytes(n);
    for (int k = 0; k < n; k++) {
        if (k < HEADER_SLOTS)
            h->bytes[k] = c[k].bytes;
        else
            extra[k - HEADER_SLOTS] = c[k].bytes;
        h->total += c[k].bytes;
    }
}

rp_status rp_ckpt_write(const char *path, const rp_ckpt_state *st,
                        const rp_ckpt_io *io, rp_errors *err)
{
    chunk c[NCHUNK + 1];
    int n = list_arrays(io, st->next, c);
    if (too_many(n, path, err) != 0)
        return RP_ERUNTIME;
    header h;
    uint64_t extra[NCHUNK - HEADER_SLOTS + 1];
    fill_header(&h, st, io, c, n, extra);
    const size_t eb = extra_bytes(n);
    char tmp[PATH_MAX];
    int fd = rp_tmp_create(path, tmp, sizeof tmp);
    if (fd < 0)
        return rp_err_runtime(err, "%s: cannot write the checkpoint: %s", path,
                              strerror(errno));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned len = 0;
    int ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, &h, sizeof h) &&
             write_all(fd, &h, sizeof h) == 0;
    ok = ok && (eb == 0 || (EVP_DigestUpdate(md, extra, eb) &&
                            write_all(fd, extra, eb) == 0));
    for (int k = 0; k < n && ok; k++)
        ok = c[k].bytes == 0 || (EVP_DigestUpdate(md, c[k].p, c[k].bytes) &&
                                 write_all(fd, c[k].p, c[k].bytes) == 0);
    ok = ok && EVP_DigestFinal_ex(md, h.sum, &len) && len == sizeof h.sum;
    EVP_MD_CTX_free(md);
    ok = ok && pwrite(fd, h.sum, sizeof h.sum, offsetof(header, sum)) ==
                   (ssize_t)sizeof h.sum;
    int e = ok ? 0 : errno;
    ok = ok && fsync(fd) == 0;
    if (!ok && e == 0)
        e = errno;
    ok &= close(fd) == 0;
    if (!ok || rename(tmp, path) != 0) {
        if (e == 0)
            e = errno;
        unlink(tmp);
        rp_tmp_forget(tmp);
        return rp_err_runtime(err, "%s: writing the checkpoint failed: %s",
                              path, strerror(e));
    }
    rp_tmp_forget(tmp);
    return RP_OK;
}

/* SHA-256 of the file as written (checksum field zero) equals h->sum? */
static int checksum_ok(int fd, const header *h, uint64_t size)
{
    header z = *h;
    memset(z.sum, 0, sizeof z.sum);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t cap = (size_t)1 << 22;
    char *buf = malloc(cap);
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    int ok = md != NULL && buf != NULL &&
             EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, &z, sizeof z);
    for (uint64_t off = sizeof z; ok && off < size;) {
        size_t n = size - off < cap ? (size_t)(size - off) : cap;
        ok = read_at(fd, buf, n, (off_t)off) == 0 &&
             EVP_DigestUpdate(md, buf, n);
        off += n;
    }
    ok = ok && EVP_DigestFinal_ex(md, sum, &len) && len == sizeof h->sum &&
         memcmp(sum, h->sum, sizeof h->sum) == 0;
    EVP_MD_CTX_free(md);
    free(buf);
    return ok;
}

/* Open path for reading, refusing symbolic links; -1 with a message. */
static int open_checkpoint(const char *path, rp_errors *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    if (errno == ELOOP)
        rp_err_add(err,
                   "%s: the checkpoint is a symbolic link; Ripple does not "
                   "follow links to checkpoints",
                   path);
    else
        rp_err_add(err, "%s: no checkpoint to resume from (%s)", path,
                   strerror(errno));
    return -1;
}

/* Read the header of the open checkpoint fd into *h and check what the
 * file alone tells: a regular file, the magic of this layout (earlier ones
 * named), the layout number, the size and the checksum. */
static rp_status read_header(int fd, const char *path, const rp_ckpt_io *io,
                             header *h, rp_errors *err)
{
    struct stat fs;
    memset(h, 0, sizeof *h);
    if (fstat(fd, &fs) != 0 || !S_ISREG(fs.st_mode))
        return rp_err_add(err, "%s: the checkpoint is not a regular file",
                          path);
    uint64_t size = (uint64_t)fs.st_size;
    int has_magic = size >= sizeof h->magic &&
                    read_at(fd, h->magic, sizeof h->magic, 0) == 0;
    if (has_magic && memcmp(h->magic, MAGIC_V1, sizeof MAGIC_V1) == 0)
        return rp_err_add(err,
                          "%s: the checkpoint was written under model "
                          "version 1; this engine computes model version "
                          "%d, so its sums cannot be continued: run again "
                          "without --resume",
                          path, (int)io->model_version);
    if (has_magic && memcmp(h->magic, MAGIC_V2, sizeof MAGIC_V2) == 0)
        return rp_err_add(err,
                          "%s: the checkpoint was written by an earlier "
                          "Ripple, without a checksum: it cannot be "
                          "verified, so it is not resumed; run again without "
                          "--resume",
                          path);
    if (!has_magic || memcmp(h->magic, MAGIC, sizeof MAGIC) != 0)
        return rp_err_add(err, "%s: not a Ripple checkpoint", path);
    if (size < sizeof *h || read_at(fd, h, sizeof *h, 0) != 0)
        return rp_err_add(err,
                          "%s: damaged checkpoint: truncated (%llu bytes, "
                          "shorter than its %zu-byte header)",
                          path, (unsigned long long)size, sizeof *h);
    if (h->layout != LAYOUT)
        return rp_err_add(err,
                          "%s: damaged checkpoint: layout %u (this Ripple "
                          "reads layout %d)",
                          path, h->layout, LAYOUT);
    if (h->total != size)
        return rp_err_add(err,
                          "%s: damaged checkpoint: the file has %llu bytes, "
                          "its header says %llu (%s)",
                          path, (unsigned long long)size,
                          (unsigned long long)h->total,
                          size < h->total ? "truncated" : "extended");
    if (!checksum_ok(fd, h, size))
        return rp_err_add(err,
                          "%s: damaged checkpoint: its SHA-256 checksum does "
                          "not match its contents",
                          path);
    return RP_OK;
}

/* Does the checkpoint belong to this run: model version, fingerprint and
 * sizes? */
static rp_status check_identity(const header *h, const rp_ckpt_state *st,
                                const char *path, const rp_ckpt_io *io,
                                rp_errors *err)
{
    if (h->model_version != io->model_version)
        return rp_err_add(err,
                          "%s: the checkpoint was written under model "
                          "version %d; this engine computes model version "
                          "%d, so its sums cannot be continued: run again "
                          "without --resume",
                          path, (int)h->model_version, (int)io->model_version);
    /* the sizes it records say what differs; the fingerprint (a hash)
     * only that something does */
    const struct {
        const char *what;
        long long had, has;
    } sz[4] = {{"replications", (long long)h->R, (long long)io->R},
               {"days in the horizon", (long long)h->T, (long long)io->T},
               {"strategies", (long long)h->S, (long long)io->S},
               {"model size", (long long)h->N, (long long)io->N}};
    for (int k = 0; k < 4; k++)
        if (sz[k].had != sz[k].has)
            return rp_err_add(err,
                              "%s: the checkpoint belongs to another run: "
                              "it has %lld %s, this run %lld; run without "
                              "--resume (or with the checkpoint's options)",
                              path, sz[k].had, sz[k].what, sz[k].has);
    if (memcmp(h->fingerprint, st->fingerprint, sizeof h->fingerprint) != 0)
        return rp_err_add(err,
                          "%s: the checkpoint belongs to another run (the "
                          "scenario, its network, the seed or an option "
                          "that decides the numbers differs); run without "
                          "--resume",
                          path);
    return RP_OK;
}

/* Do the sizes the checkpoint fd records (header h and the sizes after
 * it) agree with the n arrays c[]? */
static int sizes_agree(int fd, const header *h, const chunk *c, int n)
{
    uint64_t extra[NCHUNK - HEADER_SLOTS + 1];
    const size_t eb = extra_bytes(n);
    if (h->nchunks != (uint64_t)n ||
        (eb > 0 && read_at(fd, extra, eb, sizeof *h) != 0))
        return 0;
    int ok = 1;
    uint64_t total = sizeof *h + eb;
    for (int k = 0; k < NCHUNK; k++) {
        uint64_t want = k < n ? c[k].bytes : 0;
        uint64_t got = k < HEADER_SLOTS ? h->bytes[k]
                       : k < n          ? extra[k - HEADER_SLOTS]
                                        : 0;
        ok &= got == want;
        total += want;
    }
    return ok && total == h->total;
}

/* The arrays for the header's progress marker, into c[NCHUNK + 1] (*n of
 * them), checked against the sizes the checkpoint fd records. */
static rp_status arrays_of(int fd, const header *h, const char *path,
                           const rp_ckpt_io *io, chunk *c, int *n,
                           rp_errors *err)
{
    *n = 0;
    int ok = h->strategy >= 0 && h->strategy < io->S && h->next >= 0 &&
             h->next <= io->R;
    if (ok) {
        *n = list_arrays(io, h->next, c);
        if (too_many(*n, path, err) != 0)
            return RP_ERUNTIME;
        ok = sizes_agree(fd, h, c, *n);
    }
    if (!ok)
        return rp_err_add(err,
                          "%s: damaged checkpoint: strategy %d, replication "
                          "%lld and the array sizes it records do not fit "
                          "this run (%d strategies x %s replications)",
                          path, (int)h->strategy, (long long)h->next, io->S,
                          RP_COUNT(io->R));
    return RP_OK;
}

/* Read the n arrays c[] that follow the header and the sizes after it. */
static rp_status read_arrays(int fd, const char *path, const chunk *c, int n,
                             rp_errors *err)
{
    off_t off = (off_t)(sizeof(header) + extra_bytes(n));
    for (int k = 0; k < n; k++) {
        if (c[k].bytes > 0 && read_at(fd, c[k].p, c[k].bytes, off) != 0)
            return rp_err_add(err,
                              "%s: damaged checkpoint: cannot read it: %s",
                              path, strerror(errno));
        off += (off_t)c[k].bytes;
    }
    return RP_OK;
}

rp_status rp_ckpt_read(const char *path, rp_ckpt_state *st,
                       const rp_ckpt_io *io, rp_errors *err)
{
    int fd = open_checkpoint(path, err);
    if (fd < 0)
        return RP_EINPUT;
    header h;
    chunk c[NCHUNK + 1];
    int n = 0;
    rp_status rs = read_header(fd, path, io, &h, err);
    if (rs == RP_OK)
        rs = check_identity(&h, st, path, io, err);
    if (rs == RP_OK)
        rs = arrays_of(fd, &h, path, io, c, &n, err);
    if (rs == RP_OK)
        rs = read_arrays(fd, path, c, n, err);
    close(fd);
    if (rs != RP_OK)
        return rs;
    rp_ckpt_state got = *st;
    got.strategy = h.strategy;
    got.next = h.next;
    if (io->check != NULL && io->check(io->arg, &got, path, err) != 0)
        return RP_EINPUT;
    st->strategy = h.strategy;
    st->next = h.next;
    return RP_OK;
}
