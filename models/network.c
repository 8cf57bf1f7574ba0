/* Network parsing, copying and selectors. */
#include "ripple/network.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const NODE_KEYS[] = {"id",
                                        "name",
                                        "kind",
                                        "region",
                                        "tags",
                                        "demand",
                                        "capacity",
                                        "inventory_days",
                                        "unit_value",
                                        "protection",
                                        "ttr_days",
                                        "spare_capacity",
                                        "recovery_factor",
                                        "fail_probability",
                                        NULL};
const rp_range RP_LEAD_TIME = {1, RP_MAX_LEAD_TIME, 0, 0, 1};

const char *const rp_net_edge_keys[] = {"from",
                                        "to",
                                        "input",
                                        "ratio",
                                        "share",
                                        "lead_time",
                                        "standby",
                                        "standby_share",
                                        "activation_delay",
                                        NULL};
/* positions in NODE_KEYS and rp_net_edge_keys */
enum {
    NK_ID,
    NK_NAME,
    NK_KIND,
    NK_REGION,
    NK_TAGS,
    NK_DEMAND,
    NK_CAPACITY,
    NK_INVENTORY_DAYS,
    NK_UNIT_VALUE,
    NK_PROTECTION,
    NK_TTR_DAYS,
    NK_SPARE_CAPACITY,
    NK_RECOVERY_FACTOR,
    NK_FAIL_PROBABILITY,
    NK_COUNT
};
enum {
    EK_FROM,
    EK_TO,
    EK_INPUT,
    EK_RATIO,
    EK_SHARE,
    EK_LEAD_TIME,
    EK_STANDBY,
    EK_STANDBY_SHARE,
    EK_ACTIVATION_DELAY,
    EK_COUNT
};
static const char *const NET_KEYS[] = {"name", "description", "nodes", "edges",
                                       NULL};

static void *xcalloc(size_t n, size_t sz)
{
    return calloc(n ? n : 1, sz);
}

/* The arrays of the edges (or of the nodes but the tags) carved out of one
 * allocation, made present at once in 2 MiB pages where the kernel gives
 * them (rp_json_present) instead of a page fault every 4 KiB of each
 * array as it is first written; the first array (from, id) is the
 * allocation, which rp_net_free releases.  k arrays of count items of
 * size[i] bytes; 0, or -1 when out of memory (nothing allocated). */
static int carve(size_t count, int k, void **const *arr, const size_t *size)
{
    size_t total = 0;
    for (int i = 0; i < k; i++)
        total += (count * size[i] + 63) & ~(size_t)63;
    char *b = calloc(total ? total : 1, 1);
    if (b == NULL)
        return -1;
    rp_json_present(b, total);
    for (int i = 0; i < k; i++) {
        *arr[i] = b;
        b += (count * size[i] + 63) & ~(size_t)63;
    }
    return 0;
}

static int alloc_edges(rp_network *n, int cap)
{
    n->cap_edges = cap;
    void **const arr[] = {(void **)&n->from,
                          (void **)&n->to,
                          (void **)&n->input,
                          (void **)&n->ratio,
                          (void **)&n->share,
                          (void **)&n->lead_time,
                          (void **)&n->standby,
                          (void **)&n->standby_share,
                          (void **)&n->activation_delay};
    const size_t size[] = {sizeof(int),
                           sizeof(int),
                           sizeof(char *),
                           sizeof(double),
                           sizeof(double),
                           sizeof(int),
                           1,
                           sizeof(double),
                           sizeof(int)};
    return carve((size_t)(cap > 0 ? cap : 1), 9, arr, size);
}

static int alloc_nodes(rp_network *n, int nn, int ntags)
{
    n->n_nodes = nn;
    n->tags = xcalloc((size_t)ntags, sizeof(char *));
    if (n->tags == NULL)
        return -1;
    void **const arr[] = {(void **)&n->id,
                          (void **)&n->kind,
                          (void **)&n->region,
                          (void **)&n->node_name,
                          (void **)&n->demand,
                          (void **)&n->capacity,
                          (void **)&n->inventory_days,
                          (void **)&n->unit_value,
                          (void **)&n->protection,
                          (void **)&n->ttr_days,
                          (void **)&n->spare_capacity,
                          (void **)&n->recovery_factor,
                          (void **)&n->fail_probability,
                          (void **)&n->tag_start};
    const size_t size[] = {sizeof(char *), sizeof(char *), sizeof(char *),
                           sizeof(char *), sizeof(double), sizeof(double),
                           sizeof(double), sizeof(double), sizeof(double),
                           sizeof(double), sizeof(double), sizeof(double),
                           sizeof(double), sizeof(int)};
    /* (tag_start has nn + 1 entries: one more item for every array) */
    return carve((size_t)nn + 1, 14, arr, size);
}

void rp_net_free(rp_network *n)
{
    if (n == NULL)
        return;
    free(n->id); /* every node array but the tags (alloc_nodes) */
    free(n->tags);
    free(n->from); /* every edge array (alloc_edges) */
    rp_strmap_free(&n->ids);
    free(n);
}

int rp_net_find(const rp_network *n, const char *id)
{
    return rp_strmap_get(&n->ids, id);
}

/* ---- values that differ only in case ----------------------------------- */

/* ASCII case-insensitive equality (names beyond ASCII compare exactly). */
static int same_ignoring_case(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return 0;
        if (x == 0)
            return 1;
    }
}

/* The strings of field f: count and the i-th one. */
static int field_count(const rp_network *n, rp_net_field f)
{
    switch (f) {
    case RP_NF_TAG:
        return n->tag_start[n->n_nodes];
    case RP_NF_INPUT:
        return n->n_edges;
    default:
        return n->n_nodes;
    }
}

static const char *field_at(const rp_network *n, rp_net_field f, int i)
{
    switch (f) {
    case RP_NF_ID:
        return n->id[i];
    case RP_NF_KIND:
        return n->kind[i];
    case RP_NF_REGION:
        return n->region[i];
    case RP_NF_TAG:
        return n->tags[i];
    default:
        return n->input[i];
    }
}

int rp_net_has_value(const rp_network *n, rp_net_field f, const char *s)
{
    if (f == RP_NF_ID)
        return rp_net_find(n, s) >= 0;
    int cnt = field_count(n, f);
    for (int i = 0; i < cnt; i++)
        if (strcmp(field_at(n, f, i), s) == 0)
            return 1;
    return 0;
}

int rp_net_case_twins(const rp_network *n, rp_net_field f, const char *s,
                      char *buf, size_t size)
{
    const char *found[3];
    int k = 0, cnt = field_count(n, f);
    for (int i = 0; i < cnt && k < 3; i++) {
        const char *v = field_at(n, f, i);
        if (strcmp(v, s) == 0 || !same_ignoring_case(v, s))
            continue;
        int dup = 0;
        for (int q = 0; q < k; q++)
            dup |= strcmp(found[q], v) == 0;
        if (!dup)
            found[k++] = v;
    }
    if (size > 0)
        buf[0] = '\0';
    size_t used = 0;
    for (int q = 0; q < k && used < size; q++) {
        int w = snprintf(buf + used, size - used, "%s\"%s\"",
                         q == 0 ? "" : " or ", found[q]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return k;
}

void rp_net_unknown_node(rp_jctx *c, const rp_network *n, const char *path,
                         const char *id)
{
    char twins[200];
    if (rp_net_case_twins(n, RP_NF_ID, id, twins, sizeof twins) > 0)
        rp_err_add(c->err, "%s: %s: unknown node \"%s\"; did you mean %s?",
                   c->file, path, id, twins);
    else
        rp_err_add(c->err, "%s: %s: unknown node \"%s\"", c->file, path, id);
}

/* Room for twice the tags: the node pass stores them as it meets them (a
 * pass counting them first walked a large network's nodes once more). */
static int grow_tags(rp_network *n, int *cap)
{
    if (*cap > INT_MAX / 2)
        return -1;
    int c = *cap * 2;
    const char **t = realloc(n->tags, (size_t)c * sizeof *t);
    if (t == NULL)
        return -1;
    n->tags = t;
    *cap = c;
    return 0;
}

/* rp_json_number_item, an absent optional member (most of a large
 * network's: every field but a few) answered without a call. */
static inline int number_at(rp_jctx *c, const cJSON *it, const char *path,
                            const char *key, double *out, double dflt,
                            rp_range r, int required)
{
    if (it == NULL && !required) {
        *out = dflt;
        return 0;
    }
    return rp_json_number_item(c, it, path, key, out, dflt, r, required);
}

/* Node i from its object: each member found in one walk over the object
 * (a network has many nodes; no field is looked up by name), the messages
 * in the order of the fields below. */
static int parse_node(rp_jctx *c, rp_network *n, const cJSON *it, int i,
                      char p[256], size_t plen, int *tagpos, int *tagcap)
{
    char q[300];
    rp_json_index_tail(p, 256, plen, i); /* path.nodes[i] */
    if (!cJSON_IsObject(it)) {
        n->id[i] = "";
        return rp_json_expected(c, it, p, "an object");
    }
    const cJSON *f[NK_COUNT];
    int bad = rp_json_members(c, it, p, NODE_KEYS, f) > 0;
    const char *s;
    if (rp_json_string_item(c, f[NK_ID], p, "id", &s, 1) < 0) {
        bad = 1;
        s = "";
    } else if (s[0] == '\0') {
        rp_err_add(c->err, "%s: %s.id: must not be empty", c->file, p);
        bad = 1;
    }
    n->id[i] = s;
    if (rp_json_string_item(c, f[NK_KIND], p, "kind", &s, 0) < 0 || s == NULL)
        s = "";
    n->kind[i] = s;
    if (rp_json_string_item(c, f[NK_REGION], p, "region", &s, 0) < 0 ||
        s == NULL)
        s = "";
    n->region[i] = s;
    if (rp_json_string_item(c, f[NK_NAME], p, "name", &s, 0) < 0)
        bad = 1;
    n->node_name[i] = s != NULL && s[0] ? s : n->id[i]; /* the id if unnamed */
    bad |= number_at(c, f[NK_DEMAND], p, "demand", &n->demand[i], 0, RP_GE0,
                     0) < 0;
    bad |= number_at(c, f[NK_CAPACITY], p, "capacity", &n->capacity[i], NAN,
                     RP_GT0, 0) < 0;
    bad |= number_at(c, f[NK_INVENTORY_DAYS], p, "inventory_days",
                     &n->inventory_days[i], NAN, RP_GE0, 0) < 0;
    bad |= number_at(c, f[NK_UNIT_VALUE], p, "unit_value", &n->unit_value[i],
                     1, RP_GE0, 0) < 0;
    bad |= number_at(c, f[NK_PROTECTION], p, "protection", &n->protection[i],
                     0, RP_UNIT, 0) < 0;
    bad |= number_at(c, f[NK_TTR_DAYS], p, "ttr_days", &n->ttr_days[i], NAN,
                     RP_INT_GE1, 0) < 0;
    bad |= number_at(c, f[NK_SPARE_CAPACITY], p, "spare_capacity",
                     &n->spare_capacity[i], NAN, RP_GE0, 0) < 0;
    bad |= number_at(c, f[NK_RECOVERY_FACTOR], p, "recovery_factor",
                     &n->recovery_factor[i], 1, RP_GT0, 0) < 0;
    bad |= number_at(c, f[NK_FAIL_PROBABILITY], p, "fail_probability",
                     &n->fail_probability[i], NAN, RP_UNIT, 0) < 0;
    n->tag_start[i] = *tagpos;
    const cJSON *tags = f[NK_TAGS];
    if (tags != NULL) {
        if (!cJSON_IsArray(tags)) {
            rp_json_path(q, sizeof q, p, "tags");
            rp_err_add(c->err, "%s: %s: must be a list of strings", c->file,
                       q);
            bad = 1;
        } else {
            const cJSON *t;
            int k = 0;
            cJSON_ArrayForEach(t, tags)
            {
                if (!cJSON_IsString(t)) {
                    char tq[320];
                    rp_json_path(q, sizeof q, p, "tags");
                    rp_json_index(tq, sizeof tq, q, NULL, k);
                    bad = rp_json_expected(c, t, tq, "a string") < 0;
                } else {
                    if (*tagpos == *tagcap && grow_tags(n, tagcap) != 0) {
                        rp_err_runtime(c->err, "out of memory");
                        return -1;
                    }
                    n->tags[(*tagpos)++] = t->valuestring;
                }
                k++;
            }
        }
    }
    return bad ? -1 : 0;
}

/* A parsed document holds its items in the order of the text, one after
 * the other, but a walk over a list follows pointers, which the processor
 * does not fetch ahead: counting the items fetches the memory this far
 * ahead of the item it is at (G1M's 5 million edges: 0.43-0.47 s without,
 * 0.17-0.20 s with).  Only a hint: wherever the items lie, the count is
 * the same.  (The passes that read the nodes and edges were measured no
 * faster with it: they touch each item's members anyway.) */
#define WALK_AHEAD 2048

/* The number of items of array a: as the parse of pool counted them, or
 * its list walked so. */
static int count_items(const rp_json_pool *pool, const cJSON *a)
{
    int n = rp_json_pool_array_size(pool, a);
    if (n >= 0)
        return n;
    n = 0;
    for (const cJSON *it = a->child; it != NULL; it = it->next, n++)
        __builtin_prefetch((const char *)it + WALK_AHEAD);
    return n;
}

/* ---- the ids the edges name ---------------------------------------------
 * Every edge names two nodes by id.  In the map of ids a lookup touches a
 * slot's key pointer, the key's bytes elsewhere and the value in a third
 * array: on a network of millions of edges, whose suppliers lie anywhere,
 * that was three cache misses an edge end and most of the time the network
 * took to read.  For the edges the ids also go into this table, whose slot
 * holds the id's first bytes, more of its hash and the node (32 bytes); the
 * slots of the next edges' ends are fetched (prefetched) while an edge is
 * read.  A lookup gives what rp_net_find gives: the first node with the
 * id, or -1. */
#define ID_INLINE 24 /* an id shorter than this is held whole */
#define ID_AHEAD 16  /* edges whose slots are fetched ahead */

typedef struct id_slot {
    char key[ID_INLINE]; /* the id's first bytes, NUL-padded */
    uint32_t tag;        /* the hash's high bits */
    int node;            /* node + 1; 0: an empty slot */
} id_slot;

typedef struct id_table {
    id_slot *slot; /* NULL: look up in the map of ids instead */
    size_t mask;
    uint64_t k0, k1; /* the map's random hash key */
} id_table;

/* An edge's "from" and "to" strings (NULL: none), their lengths and
 * hashes, taken before the edge is read. */
typedef struct id_ahead {
    const char *s[2];
    size_t len[2];
    uint64_t h[2];
} id_ahead;

/* The slot holding id s (length len, hash h), or the empty slot where it
 * would go. */
static id_slot *id_probe(const id_table *t, const rp_network *n, const char *s,
                         size_t len, uint64_t h)
{
    const uint32_t tag = (uint32_t)(h >> 32);
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        id_slot *sl = &t->slot[i];
        if (sl->node == 0)
            return sl;
        if (sl->tag != tag)
            continue;
        if (len < ID_INLINE ? memcmp(sl->key, s, len + 1) == 0
                            : memcmp(sl->key, s, ID_INLINE) == 0 &&
                                  strcmp(n->id[sl->node - 1], s) == 0)
            return sl;
    }
}

/* The table of n's ids (after its nodes are read): 0, or -1 when out of
 * memory (t->slot is then NULL). */
static int id_table_init(id_table *t, const rp_network *n)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)n->n_nodes)
        cap *= 2;
    t->slot = calloc(cap, sizeof *t->slot);
    if (t->slot == NULL)
        return -1;
    rp_json_present(t->slot, cap * sizeof *t->slot); /* (written anywhere) */
    t->mask = cap - 1;
    t->k0 = n->ids.key[0];
    t->k1 = n->ids.key[1];
    for (int i = 0; i < n->n_nodes; i++) {
        const char *s = n->id[i];
        if (s[0] == '\0')
            continue; /* (not in the map either) */
        size_t len = strlen(s);
        uint64_t h = rp_siphash13(s, len, t->k0, t->k1);
        id_slot *sl = id_probe(t, n, s, len, h);
        if (sl->node != 0)
            continue; /* a repeated id: the first node keeps it */
        memcpy(sl->key, s, len < ID_INLINE ? len : ID_INLINE);
        sl->tag = (uint32_t)(h >> 32);
        sl->node = i + 1;
    }
    return 0;
}

/* 0 for the key "from", 1 for "to", -1 for any other or none (strcmp
 * spelled out: it ran for every member of every edge). */
static int edge_end(const char *k)
{
    if (k == NULL)
        return -1;
    if (k[0] == 'f')
        return k[1] == 'r' && k[2] == 'o' && k[3] == 'm' && k[4] == '\0' ? 0
                                                                         : -1;
    return k[0] == 't' && k[1] == 'o' && k[2] == '\0' ? 1 : -1;
}

/* The ends of edge object it into *a, hashed, their slots fetched; prev:
 * the edge before it (consecutive edges often share a buyer). */
static void id_announce(const id_table *t, const cJSON *it, id_ahead *a,
                        const id_ahead *prev)
{
    a->s[0] = a->s[1] = NULL;
    if (!cJSON_IsObject(it))
        return;
    const cJSON *m;
    cJSON_ArrayForEach(m, it)
    {
        int e = edge_end(m->string);
        if (e < 0 || a->s[e] != NULL || !cJSON_IsString(m) ||
            m->valuestring == NULL)
            continue;
        const char *s = m->valuestring;
        a->s[e] = s;
        /* (the edge before's end by address only: an equal copy elsewhere
         * is hashed again, to the same) */
        if (prev != NULL && prev->s[e] == s) {
            a->len[e] = prev->len[e];
            a->h[e] = prev->h[e];
        } else {
            a->len[e] = strlen(s);
            a->h[e] = rp_siphash13(s, a->len[e], t->k0, t->k1);
        }
        __builtin_prefetch(&t->slot[a->h[e] & t->mask]);
    }
}

/* The node of end e (0 from, 1 to) of an edge, string s; a: what was
 * taken ahead for the edge, or NULL. */
static int id_find(const rp_network *n, const id_table *t, const id_ahead *a,
                   int e, const char *s)
{
    if (t->slot == NULL)
        return rp_net_find(n, s);
    size_t len;
    uint64_t h;
    if (a != NULL && a->s[e] == s) {
        len = a->len[e];
        h = a->h[e];
    } else {
        len = strlen(s);
        h = rp_siphash13(s, len, t->k0, t->k1);
    }
    return id_probe(t, n, s, len, h)->node - 1;
}

/* Edge i from its object, as parse_node reads a node; its ends' nodes
 * from t (a: what was taken ahead for it). */
static int parse_edge(rp_jctx *c, rp_network *n, const cJSON *it, int i,
                      char p[256], size_t plen, const id_table *t,
                      const id_ahead *a)
{
    rp_json_index_tail(p, 256, plen, i); /* path.edges[i] */
    n->from[i] = n->to[i] = -1;
    if (!cJSON_IsObject(it))
        return rp_json_expected(c, it, p, "an object");
    const cJSON *f[EK_COUNT];
    int bad = rp_json_members(c, it, p, rp_net_edge_keys, f) > 0;
    const char *ends[2] = {"from", "to"};
    for (int k = 0; k < 2; k++) {
        const char *s;
        int idx = -1;
        if (rp_json_string_item(c, f[k == 0 ? EK_FROM : EK_TO], p, ends[k], &s,
                                1) < 0) {
            bad = 1;
        } else {
            idx = id_find(n, t, a, k, s);
            if (idx < 0) {
                char q[300];
                rp_json_path(q, sizeof q, p, ends[k]);
                rp_net_unknown_node(c, n, q, s);
                bad = 1;
            }
        }
        if (k == 0)
            n->from[i] = idx;
        else
            n->to[i] = idx;
    }
    if (n->from[i] >= 0 && n->from[i] == n->to[i]) {
        rp_err_add(c->err, "%s: %s: a node cannot supply itself (\"%s\")",
                   c->file, p, n->id[n->from[i]]);
        bad = 1;
    }
    const char *in = NULL;
    if (rp_json_string_item(c, f[EK_INPUT], p, "input", &in, 0) < 0)
        bad = 1;
    else if (in != NULL && in[0] == '\0') {
        rp_err_add(c->err, "%s: %s.input: must not be empty", c->file, p);
        bad = 1;
    }
    if (in == NULL)
        in = n->from[i] >= 0 ? n->id[n->from[i]] : "";
    n->input[i] = in;
    double v;
    bad |=
        number_at(c, f[EK_RATIO], p, "ratio", &n->ratio[i], 1, RP_GT0, 0) < 0;
    bad |= number_at(c, f[EK_SHARE], p, "share", &n->share[i], NAN, RP_GE0,
                     0) < 0;
    bad |= number_at(c, f[EK_LEAD_TIME], p, "lead_time", &v, 1, RP_LEAD_TIME,
                     0) < 0;
    n->lead_time[i] = (int)v;
    int sb;
    bad |= rp_json_bool_item(c, f[EK_STANDBY], p, "standby", &sb, 0) < 0;
    n->standby[i] = (unsigned char)sb;
    int has_b = number_at(c, f[EK_STANDBY_SHARE], p, "standby_share",
                          &n->standby_share[i], 1, RP_GT0, 0);
    int has_d = number_at(c, f[EK_ACTIVATION_DELAY], p, "activation_delay", &v,
                          0, RP_INT_GE0, 0);
    bad |= has_b < 0 || has_d < 0;
    n->activation_delay[i] = (int)v;
    if (!sb && (has_b > 0 || has_d > 0)) {
        rp_err_add(c->err,
                   "%s: %s: %s applies only to a standby edge (add "
                   "\"standby\": true)",
                   c->file, p,
                   has_b > 0 ? "standby_share" : "activation_delay");
        bad = 1;
    }
    if (sb && !isnan(n->share[i]) && n->share[i] != 0) {
        rp_err_add(c->err,
                   "%s: %s.share: a standby edge carries no baseline "
                   "share; use standby_share (got %.17g)",
                   c->file, p, n->share[i]);
        bad = 1;
    }
    if (sb)
        n->share[i] = 0;
    return bad ? -1 : 0;
}

rp_status rp_net_parse(rp_jctx *c, const cJSON *obj, const char *path,
                       rp_network **out)
{
    return rp_net_parse_pooled(c, obj, path, NULL, out);
}

rp_status rp_net_parse_pooled(rp_jctx *c, const cJSON *obj, const char *path,
                              const rp_json_pool *pool, rp_network **out)
{
    *out = NULL;
    int before = c->err->count + c->err->dropped;
    rp_network *n = calloc(1, sizeof *n);
    if (n == NULL)
        return rp_err_runtime(c->err, "out of memory");
    n->file = c->file;
    snprintf(n->prefix, sizeof n->prefix, "%s", path);
    rp_json_check_keys(c, obj, path, NET_KEYS);
    const char *name = NULL;
    rp_json_string(c, obj, path, "name", &name, 0);
    n->name = name ? name : "";
    const char *desc;
    rp_json_string(c, obj, path, "description", &desc, 0);

    char p[256];
    rp_json_path(p, sizeof p, path, "nodes");
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(obj, "nodes");
    if (!cJSON_IsArray(nodes) || nodes->child == NULL) {
        rp_err_add(c->err, "%s: %s: must be a non-empty list of nodes",
                   c->file, p);
        rp_net_free(n);
        return RP_EINPUT;
    }
    int nn = count_items(pool, nodes);
    int tagcap = nn; /* (grown as the nodes need) */
    const cJSON *it;
    const cJSON *edges = cJSON_GetObjectItemCaseSensitive(obj, "edges");
    int ne = 0;
    if (edges != NULL && !cJSON_IsArray(edges)) {
        rp_json_path(p, sizeof p, path, "edges");
        rp_err_add(c->err, "%s: %s: must be a list of edges", c->file, p);
        edges = NULL;
    }
    if (edges != NULL)
        ne = count_items(pool, edges);
    if (alloc_nodes(n, nn, tagcap) != 0 || alloc_edges(n, ne) != 0 ||
        rp_strmap_init(&n->ids, (size_t)nn) != 0) {
        rp_net_free(n);
        return rp_err_runtime(c->err, "out of memory");
    }
    int i = 0, tagpos = 0;
    /* the paths' common prefix written once, each index after it */
    char ip[256];
    rp_json_path(ip, sizeof ip, path, "nodes");
    size_t iplen = strlen(ip);
    cJSON_ArrayForEach(it, nodes)
    {
        parse_node(c, n, it, i, ip, iplen, &tagpos, &tagcap);
        if (n->id[i][0] != '\0') {
            int old;
            int r = rp_strmap_put(&n->ids, n->id[i], i, &old);
            if (r < 0) {
                rp_net_free(n);
                return rp_err_runtime(c->err, "out of memory");
            }
            if (r == 0) {
                char q[256];
                rp_json_index(q, sizeof q, path, "nodes", i);
                rp_err_add(c->err,
                           "%s: %s.id: duplicate id \"%s\" (first "
                           "used by nodes[%d])",
                           c->file, q, n->id[i], old);
            }
        }
        i++;
    }
    n->tag_start[nn] = tagpos;
    n->n_edges = ne;
    n->n_edges_file = ne;
    i = 0;
    rp_json_path(ip, sizeof ip, path, "edges");
    iplen = strlen(ip);
    if (edges != NULL) {
        id_table t = {0};
        if (ne > 0 && id_table_init(&t, n) != 0)
            t.slot = NULL; /* (the map of ids then answers) */
        id_ahead ring[ID_AHEAD];
        const cJSON *ahead = edges->child;
        int taken = 0; /* edges taken ahead */
        cJSON_ArrayForEach(it, edges)
        {
            for (; t.slot != NULL && ahead != NULL && taken < i + ID_AHEAD;
                 ahead = ahead->next, taken++)
                id_announce(&t, ahead, &ring[taken % ID_AHEAD],
                            taken > 0 ? &ring[(taken - 1) % ID_AHEAD] : NULL);
            parse_edge(c, n, it, i, ip, iplen, &t,
                       t.slot != NULL ? &ring[i % ID_AHEAD] : NULL);
            i++;
        }
        free(t.slot);
    }
    if (c->err->count + c->err->dropped > before) {
        rp_net_free(n);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *out = n;
    return RP_OK;
}

#define DUP(field, count)                                                     \
    do {                                                                      \
        memcpy(m->field, n->field, (size_t)(count) * sizeof *n->field);       \
    } while (0)

rp_network *rp_net_clone(const rp_network *n, int extra_edges)
{
    rp_network *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->name = n->name;
    m->file = n->file;
    m->nodes_file = n->nodes_file;
    m->edges_file = n->edges_file;
    m->node_line = n->node_line;
    m->edge_line = n->edge_line;
    memcpy(m->prefix, n->prefix, sizeof m->prefix);
    m->n_edges_file = n->n_edges_file;
    int ntags = n->tag_start[n->n_nodes];
    if (alloc_nodes(m, n->n_nodes, ntags) != 0 ||
        alloc_edges(m, n->n_edges + extra_edges) != 0 ||
        rp_strmap_init(&m->ids, (size_t)n->n_nodes) != 0) {
        rp_net_free(m);
        return NULL;
    }
    int nn = n->n_nodes, ne = n->n_edges;
    DUP(id, nn);
    DUP(kind, nn);
    DUP(region, nn);
    DUP(node_name, nn);
    DUP(tag_start, nn + 1);
    DUP(tags, ntags);
    DUP(demand, nn);
    DUP(capacity, nn);
    DUP(inventory_days, nn);
    DUP(unit_value, nn);
    DUP(protection, nn);
    DUP(ttr_days, nn);
    DUP(spare_capacity, nn);
    DUP(recovery_factor, nn);
    DUP(fail_probability, nn);
    m->n_edges = ne;
    DUP(from, ne);
    DUP(to, ne);
    DUP(input, ne);
    DUP(ratio, ne);
    DUP(share, ne);
    DUP(lead_time, ne);
    DUP(standby, ne);
    DUP(standby_share, ne);
    DUP(activation_delay, ne);
    for (int i = 0; i < nn; i++) {
        int old;
        if (rp_strmap_put(&m->ids, m->id[i], i, &old) < 0) {
            rp_net_free(m);
            return NULL;
        }
    }
    return m;
}

int rp_net_push_edge(rp_network *n)
{
    if (n->n_edges >= n->cap_edges)
        return -1;
    int e = n->n_edges++;
    n->from[e] = n->to[e] = -1;
    n->input[e] = "";
    n->ratio[e] = 1;
    n->share[e] = NAN;
    n->lead_time[e] = 1;
    n->standby[e] = 0;
    n->standby_share[e] = 1;
    n->activation_delay[e] = 0;
    return e;
}

/* ---- selectors ---------------------------------------------------------- */

static const char *const SEL_KEYS[] = {"ids", "kinds", "regions", "tags",
                                       NULL};

/* Does string s appear in JSON list lst? */
static int in_list(const cJSON *lst, const char *s)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, lst)
    {
        if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
            return 1;
    }
    return 0;
}

static int check_str_list(rp_jctx *c, const cJSON *lst, const char *path)
{
    if (!cJSON_IsArray(lst) || cJSON_GetArraySize(lst) == 0) {
        rp_err_add(c->err, "%s: %s: must be a non-empty list of strings",
                   c->file, path);
        return -1;
    }
    int k = 0, bad = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, lst)
    {
        if (!cJSON_IsString(it)) {
            char q[320];
            rp_json_index(q, sizeof q, path, NULL, k);
            bad = rp_json_expected(c, it, q, "a string") < 0;
        }
        k++;
    }
    return bad ? -1 : 0;
}

/* Report each value of lst that field f of no node (edge) has, but that
 * some node (edge) has in another case.  Returns the number reported. */
static int check_case(rp_jctx *c, const rp_network *n, const cJSON *lst,
                      rp_net_field f, const char *path, const char *what)
{
    int bad = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, lst)
    {
        char twins[200];
        if (!rp_net_has_value(n, f, it->valuestring) &&
            rp_net_case_twins(n, f, it->valuestring, twins, sizeof twins) >
                0) {
            rp_err_add(c->err,
                       "%s: %s: \"%s\" matches no %s; did you mean %s?",
                       c->file, path, it->valuestring, what, twins);
            bad++;
        }
    }
    return bad;
}

int rp_net_select_nodes(rp_jctx *c, const rp_network *n, const cJSON *sel,
                        const char *path, unsigned char *mask)
{
    int nn = n->n_nodes;
    if (cJSON_IsString(sel) && strcmp(sel->valuestring, "all") == 0) {
        memset(mask, 1, (size_t)nn);
        return nn;
    }
    if (!cJSON_IsObject(sel) || sel->child == NULL)
        return rp_json_expected(c, sel, path,
                                "\"all\" or an object with ids, kinds, "
                                "regions or tags");
    if (rp_json_check_keys(c, sel, path, SEL_KEYS) > 0)
        return -1;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(sel, "ids");
    const cJSON *kinds = cJSON_GetObjectItemCaseSensitive(sel, "kinds");
    const cJSON *regions = cJSON_GetObjectItemCaseSensitive(sel, "regions");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(sel, "tags");
    char p[300];
    int bad = 0;
    const cJSON *lists[4] = {ids, kinds, regions, tags};
    const char *names[4] = {"ids", "kinds", "regions", "tags"};
    for (int k = 0; k < 4; k++) {
        if (lists[k] != NULL) {
            rp_json_path(p, sizeof p, path, names[k]);
            if (check_str_list(c, lists[k], p) < 0)
                bad = 1;
        }
    }
    if (bad)
        return -1;
    if (ids != NULL) {
        int k = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, ids)
        {
            if (rp_net_find(n, it->valuestring) < 0) {
                char q[320];
                rp_json_index(q, sizeof q, path, "ids", k);
                rp_net_unknown_node(c, n, q, it->valuestring);
                bad = 1;
            }
            k++;
        }
    }
    /* a value that only a change of case would match is a typo, not an
     * intentionally empty part of the selector */
    const rp_net_field fields[4] = {RP_NF_ID, RP_NF_KIND, RP_NF_REGION,
                                    RP_NF_TAG};
    for (int k = 1; k < 4; k++) {
        if (lists[k] != NULL) {
            rp_json_path(p, sizeof p, path, names[k]);
            if (check_case(c, n, lists[k], fields[k], p, "node") > 0)
                bad = 1;
        }
    }
    if (bad)
        return -1;
    int count = 0;
    for (int i = 0; i < nn; i++) {
        int m = 1;
        if (ids && !in_list(ids, n->id[i]))
            m = 0;
        if (m && kinds && !in_list(kinds, n->kind[i]))
            m = 0;
        if (m && regions && !in_list(regions, n->region[i]))
            m = 0;
        if (m && tags) {
            int any = 0;
            for (int t = n->tag_start[i]; t < n->tag_start[i + 1]; t++)
                if (in_list(tags, n->tags[t])) {
                    any = 1;
                    break;
                }
            m = any;
        }
        mask[i] = (unsigned char)m;
        count += m;
    }
    if (count == 0) {
        rp_err_add(c->err, "%s: %s: selector matches no node", c->file, path);
        return -1;
    }
    return count;
}

static const char *const ESEL_KEYS[] = {"from", "to", "inputs", NULL};

int rp_net_select_edges(rp_jctx *c, const rp_network *n, const cJSON *sel,
                        const char *path, unsigned char *mask)
{
    int ne = n->n_edges;
    if (cJSON_IsString(sel) && strcmp(sel->valuestring, "all") == 0) {
        memset(mask, 1, (size_t)ne);
        if (ne == 0) {
            rp_err_add(c->err, "%s: %s: selector matches no edge", c->file,
                       path);
            return -1;
        }
        return ne;
    }
    if (!cJSON_IsObject(sel))
        return rp_json_expected(c, sel, path,
                                "\"all\" or an object with from, to or "
                                "inputs");
    if (rp_json_check_keys(c, sel, path, ESEL_KEYS) > 0)
        return -1;
    unsigned char *fm = NULL, *tm = NULL;
    int bad = 0;
    char p[300];
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(sel, "from");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(sel, "to");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(sel, "inputs");
    size_t nn = (size_t)n->n_nodes;
    if (f != NULL) {
        fm = malloc(nn);
        rp_json_path(p, sizeof p, path, "from");
        if (fm == NULL || rp_net_select_nodes(c, n, f, p, fm) < 0)
            bad = 1;
    }
    if (t != NULL) {
        tm = malloc(nn);
        rp_json_path(p, sizeof p, path, "to");
        if (tm == NULL || rp_net_select_nodes(c, n, t, p, tm) < 0)
            bad = 1;
    }
    if (in != NULL) {
        rp_json_path(p, sizeof p, path, "inputs");
        if (check_str_list(c, in, p) < 0 ||
            check_case(c, n, in, RP_NF_INPUT, p, "edge") > 0)
            bad = 1;
    }
    int count = 0;
    if (!bad) {
        for (int e = 0; e < ne; e++) {
            int m = 1;
            if (fm && !fm[n->from[e]])
                m = 0;
            if (m && tm && !tm[n->to[e]])
                m = 0;
            if (m && in && !in_list(in, n->input[e]))
                m = 0;
            mask[e] = (unsigned char)m;
            count += m;
        }
        if (count == 0) {
            rp_err_add(c->err, "%s: %s: selector matches no edge", c->file,
                       path);
            bad = 1;
        }
    }
    free(fm);
    free(tm);
    return bad ? -1 : count;
}
