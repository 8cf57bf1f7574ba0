/* Scenario loading: the top-level document, the network (inline or by a
 * path relative to the scenario), threats and strategies. */
#include "ripple/scenario.h"

#include <limits.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ripple/bounds.h"
#include "ripple/csvnet.h"
#include "ripple/strategy.h"
#include "ripple/util.h"

static const char *const SCEN_KEYS[] = {
    "name",         "description",  "currency", "network",
    "horizon_days", "replications", "seed",     "model",
    "threats",      "strategies",   "stress",   NULL};
static const char *const MODEL_KEYS[] = {"replenishment_days",
                                         "spare_capacity", "inventory_days",
                                         "service_target", NULL};
static const char *const STRESS_KEYS[] = {"ttr_days", "nodes", NULL};

void rp_scenario_free(rp_scenario *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n_threats; i++)
        if (s->threats[i].type && s->threats[i].type->free_data)
            s->threats[i].type->free_data(s->threats[i].data);
    free(s->threats);
    rp_strategies_free(s->strategies, s->n_strategies);
    rp_net_free(s->net);
    free(s->stress_mask);
    if (s->doc_pool != NULL)
        rp_json_pool_free(s->doc_pool);
    else
        cJSON_Delete(s->doc);
    if (s->net_pool != NULL)
        rp_json_pool_free(s->net_pool);
    else
        cJSON_Delete(s->net_doc);
    free(s->net_text);
    free(s->net_strings);
    free(s->file);
    free(s->net_file);
    free(s);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return rp_strdup("");
    size_t n = (size_t)(slash - path) + 1;
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, path, n);
        r[n] = '\0';
    }
    return r;
}

static rp_status parse_threats(rp_jctx *c, rp_scenario *s, const cJSON *list)
{
    if (list == NULL)
        return RP_OK;
    if (!cJSON_IsArray(list)) {
        rp_err_add(c->err, "%s: threats: must be a list", c->file);
        return RP_EINPUT;
    }
    int n = cJSON_GetArraySize(list);
    s->threats = calloc((size_t)n + 1, sizeof *s->threats);
    if (s->threats == NULL)
        return rp_err_runtime(c->err, "out of memory");
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, list)
    {
        char p[64];
        rp_json_index(p, sizeof p, "", "threats", i++);
        if (!cJSON_IsObject(it)) {
            rp_err_add(c->err, "%s: %s: must be an object", c->file, p);
            continue;
        }
        const char *type, *name = NULL;
        if (rp_json_string(c, it, p, "type", &type, 1) < 0)
            continue;
        rp_json_string(c, it, p, "name", &name, 0);
        const rp_threat_type *tt = rp_threat_find(type);
        if (tt == NULL) {
            char names[256];
            rp_threat_names(names, sizeof names);
            rp_err_add(c->err,
                       "%s: %s.type: unknown threat type \"%s\" "
                       "(known: %s)",
                       c->file, p, type, names);
            continue;
        }
        void *data = NULL;
        if (tt->parse(c, it, p, s->net, &data) != RP_OK)
            continue;
        rp_threat *t = &s->threats[s->n_threats++];
        t->type = tt;
        t->data = data;
        t->name = name ? name : type;
    }
    return RP_OK;
}

/* The "model" object's constants into s->par (defaults when absent). */
static void parse_model_params(rp_jctx *c, rp_scenario *s, const cJSON *mo)
{
    rp_params_default(&s->par);
    if (mo == NULL)
        return;
    if (!cJSON_IsObject(mo)) {
        rp_err_add(c->err, "%s: model: must be an object", s->file);
        return;
    }
    rp_json_check_keys(c, mo, "model", MODEL_KEYS);
    rp_json_number(c, mo, "model", "replenishment_days",
                   &s->par.replenishment_days, 6, RP_GT0, 0);
    rp_json_number(c, mo, "model", "spare_capacity", &s->par.spare_capacity,
                   0.1, RP_GE0, 0);
    rp_json_number(c, mo, "model", "inventory_days", &s->par.inventory_days, 7,
                   RP_GE0, 0);
    rp_json_number(c, mo, "model", "service_target", &s->par.service_target,
                   0.99, RP_UNIT, 0);
}

/* The network: a file path (relative to base_dir), a pair of CSV files,
 * or an object inline.  RP_OK, or the status to stop with. */
static rp_status parse_network(rp_jctx *cx, rp_scenario *s, const cJSON *nw,
                               const char *base_dir)
{
    rp_jctx c = *cx;
    rp_errors *err = c.err;
    if (nw == NULL) {
        rp_err_add(err, "%s: network: missing (a path or a network object)",
                   s->file);
        return RP_EINPUT;
    }
    if (cJSON_IsString(nw)) {
        const char *rel = nw->valuestring;
        size_t n = strlen(base_dir) + strlen(rel) + 1;
        s->net_file = malloc(n);
        if (s->net_file == NULL)
            return rp_err_runtime(err, "out of memory");
        if (rel[0] == '/')
            snprintf(s->net_file, n, "%s", rel);
        else
            snprintf(s->net_file, n, "%s%s", base_dir, rel);
        size_t rl = strlen(rel);
        if (rl >= 4 && (strcmp(rel + rl - 4, ".csv") == 0 ||
                        strcmp(rel + rl - 4, ".CSV") == 0)) {
            rp_err_add(err,
                       "%s: network: \"%s\" is a CSV file; a network in CSV "
                       "is named with \"network\": {\"nodes_csv\": "
                       "\"NODES.csv\", \"edges_csv\": \"EDGES.csv\"}",
                       s->file, rel);
            return RP_EINPUT;
        }
        struct stat st;
        if (stat(s->net_file, &st) != 0) {
            rp_err_add(err,
                       "%s: network: the file \"%s\" it names does not "
                       "exist (looked for %s, relative to the scenario's "
                       "folder)",
                       s->file, rel, s->net_file);
            return RP_EINPUT;
        }
        if (rp_json_read_file_pooled(s->net_file, s->net_file, &s->net_doc,
                                     &s->net_pool, err) != RP_OK)
            return rp_err_status(err);
        rp_jctx nc = {s->net_file, err};
        if (rp_net_parse_pooled(&nc, s->net_doc, "", s->net_pool, &s->net) !=
            RP_OK)
            return rp_err_status(err);
    } else if (cJSON_IsObject(nw) && (cJSON_HasObjectItem(nw, "nodes_csv") ||
                                      cJSON_HasObjectItem(nw, "edges_csv"))) {
        /* a pair of CSV files (csvnet.h) */
        if (rp_csvnet_load(&c, nw, "network", base_dir, &s->net_doc,
                           &s->net_file, &s->net) != RP_OK)
            return rp_err_status(err);
    } else if (cJSON_IsObject(nw)) {
        s->net_file = rp_strdup(s->file);
        if (s->net_file == NULL)
            return rp_err_runtime(err, "out of memory");
        rp_jctx nc = {s->net_file, err};
        if (rp_net_parse_pooled(&nc, nw, "network", s->doc_pool, &s->net) !=
            RP_OK)
            return rp_err_status(err);
    } else {
        rp_json_expected(&c, nw, "network", "a file path or a network object");
        return RP_EINPUT;
    }
    return RP_OK;
}

/* The stress test's settings: every node, TTR 30 days, unless "stress"
 * says otherwise.  RP_OK, or RP_ERUNTIME out of memory. */
static rp_status parse_stress(rp_jctx *c, rp_scenario *s, const cJSON *ss)
{
    s->stress_ttr = 30;
    s->stress_mask = malloc((size_t)s->net->n_nodes);
    if (s->stress_mask == NULL)
        return rp_err_runtime(c->err, "out of memory");
    memset(s->stress_mask, 1, (size_t)s->net->n_nodes);
    if (ss == NULL)
        return RP_OK;
    if (!cJSON_IsObject(ss)) {
        rp_err_add(c->err, "%s: stress: must be an object", s->file);
        return RP_OK;
    }
    rp_json_check_keys(c, ss, "stress", STRESS_KEYS);
    rp_json_number(c, ss, "stress", "ttr_days", &s->stress_ttr, 30, RP_INT_GE1,
                   0);
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(ss, "nodes");
    if (sel != NULL)
        rp_net_select_nodes(c, s->net, sel, "stress.nodes", s->stress_mask);
    return RP_OK;
}

static rp_status scenario_from_doc(rp_scenario *s, const char *base_dir,
                                   rp_errors *err)
{
    rp_jctx c = {s->file, err};
    int before = err->count + err->dropped;
    const cJSON *d = s->doc;
    if (cJSON_IsObject(d) && cJSON_HasObjectItem(d, "nodes") &&
        !cJSON_HasObjectItem(d, "network")) {
        /* a network file given where a scenario goes */
        rp_err_add(err,
                   "%s: this is a network file (it has \"nodes\"), not a "
                   "scenario; a scenario names it: {\"network\": \"%s\", "
                   "\"threats\": [...]}",
                   s->file, s->file);
        return RP_EINPUT;
    }
    rp_json_check_keys(&c, d, "", SCEN_KEYS);
    const char *str;
    rp_json_string(&c, d, "", "name", &str, 0);
    s->name = str ? str : "";
    rp_json_string(&c, d, "", "description", &str, 0);
    s->description = str ? str : "";
    str = NULL;
    rp_json_string(&c, d, "", "currency", &str, 0);
    s->currency = str ? str : "";
    if (strlen(s->currency) > 16) {
        rp_err_add(c.err,
                   "%s: currency: at most 16 characters (got \"%.20s...\")",
                   c.file, s->currency);
    }
    double v;
    rp_json_number(&c, d, "", "horizon_days", &v, 365,
                   (rp_range){1, RP_MAX_HORIZON, 0, 0, 1}, 0);
    s->horizon = (int)v;
    rp_json_number(&c, d, "", "replications", &v, 1000,
                   (rp_range){1, (double)RP_MAX_REPLICATIONS, 0, 0, 1}, 0);
    s->replications = (int64_t)v;
    rp_json_number(&c, d, "", "seed", &v, 1,
                   (rp_range){0, (double)RP_MAX_SEED, 0, 0, 1}, 0);
    s->seed = (uint64_t)v;

    parse_model_params(&c, s, cJSON_GetObjectItemCaseSensitive(d, "model"));
    rp_status ns = parse_network(
        &c, s, cJSON_GetObjectItemCaseSensitive(d, "network"), base_dir);
    if (ns != RP_OK)
        return ns;
    parse_threats(&c, s, cJSON_GetObjectItemCaseSensitive(d, "threats"));

    const cJSON *st = cJSON_GetObjectItemCaseSensitive(d, "strategies");
    if (st != NULL && !cJSON_IsArray(st)) {
        rp_err_add(err, "%s: strategies: must be a list", s->file);
    } else {
        rp_strategies_parse(&c, st, s->net, &s->strategies, &s->n_strategies);
    }

    if (parse_stress(&c, s, cJSON_GetObjectItemCaseSensitive(d, "stress")) !=
        RP_OK)
        return RP_ERUNTIME;
    if (err->count + err->dropped > before)
        return rp_err_status(err) ? rp_err_status(err) : RP_EINPUT;
    return RP_OK;
}

static rp_status finish(rp_scenario *s, const char *base_dir, rp_errors *err,
                        rp_scenario **out)
{
    rp_status st = scenario_from_doc(s, base_dir, err);
    if (st != RP_OK) {
        rp_scenario_free(s);
        return st;
    }
    *out = s;
    return RP_OK;
}

rp_status rp_scenario_load(const char *path, rp_scenario **out, rp_errors *err)
{
    *out = NULL;
    rp_scenario *s = calloc(1, sizeof *s);
    if (s == NULL || (s->file = rp_strdup(path)) == NULL) {
        free(s);
        return rp_err_runtime(err, "out of memory");
    }
    if (rp_json_read_file_pooled(path, path, &s->doc, &s->doc_pool, err) !=
        RP_OK) {
        rp_scenario_free(s);
        return rp_err_status(err);
    }
    char *dir = dir_of(path);
    if (dir == NULL) {
        rp_scenario_free(s);
        return rp_err_runtime(err, "out of memory");
    }
    rp_status st = finish(s, dir, err, out);
    free(dir);
    return st;
}

rp_status rp_scenario_parse(const char *label, const char *text,
                            const char *base_dir, rp_scenario **out,
                            rp_errors *err)
{
    *out = NULL;
    rp_scenario *s = calloc(1, sizeof *s);
    if (s == NULL || (s->file = rp_strdup(label)) == NULL) {
        free(s);
        return rp_err_runtime(err, "out of memory");
    }
    if (rp_json_parse_pooled(label, text, strlen(text), &s->doc, &s->doc_pool,
                             err) != RP_OK) {
        rp_scenario_free(s);
        return rp_err_status(err);
    }
    return finish(s, base_dir ? base_dir : "", err, out);
}

static const cJSON *network_obj(const rp_scenario *s)
{
    if (s->net_doc != NULL)
        return s->net_doc;
    if (s->net_text != NULL)
        return NULL; /* released */
    return cJSON_GetObjectItemCaseSensitive(s->doc, "network");
}

const cJSON *rp_scenario_network_doc(const rp_scenario *s)
{
    return network_obj(s);
}

/* The network document's canonical (unformatted) text, as
 * cJSON_PrintUnformatted prints it, written by rp_json_print into a buffer
 * the size of the text read (the canonical form is shorter unless numbers
 * were written short, as 1e300), so that printing a large network does
 * not double a growing buffer; cJSON's own printing is the fallback. */
static char *print_network(const rp_scenario *s, size_t *len)
{
    const cJSON *net = network_obj(s);
    if (net == NULL)
        return NULL;
    char *txt = rp_json_print(net, rp_json_pool_text_bytes(s->net_pool), len);
    if (txt == NULL && (txt = cJSON_PrintUnformatted(net)) != NULL)
        *len = strlen(txt);
    return txt;
}

/* The bytes of the strings net borrows (with their NULs). */
static size_t net_string_bytes(const rp_network *net)
{
    size_t n = net->name != NULL ? strlen(net->name) + 1 : 0;
    for (int i = 0; i < net->n_nodes; i++) {
        n += strlen(net->id[i]) + strlen(net->kind[i]) +
             strlen(net->region[i]) + 3;
        if (net->node_name[i] != net->id[i])
            n += strlen(net->node_name[i]) + 1;
    }
    for (int t = 0; t < net->tag_start[net->n_nodes]; t++)
        n += strlen(net->tags[t]) + 1;
    for (int e = 0; e < net->n_edges; e++)
        n += net->input[e] != NULL ? strlen(net->input[e]) + 1 : 0;
    return n;
}

/* str copied to *at, which advances past the copy. */
static const char *keep_string(char **at, const char *str)
{
    if (str == NULL)
        return NULL;
    size_t k = strlen(str) + 1;
    memcpy(*at, str, k);
    const char *r = *at;
    *at += k;
    return r;
}

/* Every string net borrows, copied to *at (net_string_bytes of them); the
 * map of ids then points at the copies. */
static void keep_net_strings(rp_network *net, char **at)
{
    net->name = keep_string(at, net->name);
    for (int i = 0; i < net->n_nodes; i++) {
        const char *id = net->id[i];
        net->id[i] = keep_string(at, id);
        net->node_name[i] = net->node_name[i] == id
                                ? net->id[i]
                                : keep_string(at, net->node_name[i]);
        net->kind[i] = keep_string(at, net->kind[i]);
        net->region[i] = keep_string(at, net->region[i]);
    }
    for (int t = 0; t < net->tag_start[net->n_nodes]; t++)
        net->tags[t] = keep_string(at, net->tags[t]);
    for (int e = 0; e < net->n_edges; e++)
        net->input[e] = keep_string(at, net->input[e]);
    for (size_t k = 0; k < net->ids.cap; k++)
        if (net->ids.keys[k] != NULL)
            net->ids.keys[k] = net->id[net->ids.vals[k]];
}

/* The strings of every network of s (the strategies' too). */
static size_t all_string_bytes(const rp_scenario *s)
{
    size_t n = net_string_bytes(s->net) + 1;
    for (int i = 0; i < s->n_strategies; i++)
        if (s->strategies[i].net != NULL)
            n += net_string_bytes(s->strategies[i].net);
    return n;
}

double rp_scenario_release_saving(const rp_scenario *s)
{
    if (s->net_pool == NULL || s->net_strings != NULL)
        return 0;
    /* the canonical text is about as long as the text read, or shorter */
    size_t bytes =
        rp_json_pool_text_bytes(s->net_pool) + 1 + all_string_bytes(s);
    double freed = (double)rp_json_pool_bytes(s->net_pool);
    return freed > (double)bytes ? freed - (double)bytes : 0;
}

rp_status rp_scenario_release_network(rp_scenario *s, rp_errors *err)
{
    if (s->net_doc == NULL || s->net_strings != NULL)
        return RP_OK; /* inline, or released already */
    size_t len = 0;
    char *text = print_network(s, &len);
    if (text == NULL || rp_sha256_hex(text, len, s->net_sha) != 0) {
        free(text);
        return rp_err_runtime(err, "out of memory keeping the network");
    }
    /* the networks' strings, copied into one block */
    char *block = malloc(all_string_bytes(s)), *at = block;
    if (block == NULL) {
        free(text);
        return rp_err_runtime(err, "out of memory keeping the network");
    }
    keep_net_strings(s->net, &at);
    for (int i = 0; i < s->n_strategies; i++)
        if (s->strategies[i].net != NULL)
            keep_net_strings(s->strategies[i].net, &at);
    s->net_text = text;
    s->net_strings = block;
    if (s->net_pool != NULL)
        rp_json_pool_free(s->net_pool);
    else
        cJSON_Delete(s->net_doc);
    s->net_pool = NULL;
    s->net_doc = NULL;
    return RP_OK;
}

/* The text of d, unformatted, with `"network":` and the network's text
 * put in before its last three members (horizon, replications, seed), as
 * printing d with the network in that place gives. */
static char *splice_network(cJSON *d, const char *net)
{
    cJSON *tail = cJSON_CreateObject();
    const char *keys[3] = {"horizon_days", "replications", "seed"};
    for (int k = 0; k < 3 && tail != NULL; k++)
        cJSON_AddItemToObject(tail, keys[k],
                              cJSON_DetachItemFromObject(d, keys[k]));
    char *head = cJSON_PrintUnformatted(d), *rest = NULL, *txt = NULL;
    if (tail != NULL)
        rest = cJSON_PrintUnformatted(tail);
    if (head != NULL && rest != NULL) {
        size_t a = strlen(head), b = strlen(net), c = strlen(rest);
        txt = malloc(a + b + c + 16);
        if (txt != NULL) {
            /* head is "{...}" ("{}" without members), rest "{...}" */
            size_t w = a - 1;
            memcpy(txt, head, w);
            if (a > 2)
                txt[w++] = ',';
            memcpy(txt + w, "\"network\":", 10);
            w += 10;
            memcpy(txt + w, net, b);
            w += b;
            txt[w++] = ',';
            memcpy(txt + w, rest + 1, c); /* with its NUL */
        }
    }
    free(head);
    free(rest);
    cJSON_Delete(tail);
    return txt;
}

char *rp_scenario_resolved_json(const rp_scenario *s)
{
    /* a new top-level object whose members refer to the parsed document
     * (no deep copy: networks of millions of edges stay affordable) */
    cJSON *d = cJSON_CreateObject();
    if (d == NULL)
        return NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, s->doc)
    {
        const char *k = it->string;
        if (strcmp(k, "network") == 0 || strcmp(k, "horizon_days") == 0 ||
            strcmp(k, "replications") == 0 || strcmp(k, "seed") == 0)
            continue;
        cJSON_AddItemReferenceToObject(d, k, (cJSON *)it);
    }
    if (s->net_text == NULL)
        cJSON_AddItemReferenceToObject(d, "network", (cJSON *)network_obj(s));
    cJSON_AddNumberToObject(d, "horizon_days", s->horizon);
    cJSON_AddNumberToObject(d, "replications", (double)s->replications);
    cJSON_AddNumberToObject(d, "seed", (double)s->seed);
    char *txt = s->net_text != NULL ? splice_network(d, s->net_text)
                                    : rp_json_print(d, 0, NULL);
    if (txt == NULL && s->net_text == NULL)
        txt = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    return txt;
}

int rp_sha256_hex(const char *txt, size_t n, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(txt, n, md, &len, EVP_sha256(), NULL) || len != 32)
        return -1;
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}

int rp_scenario_network_sha256(const rp_scenario *s, char hex[65])
{
    if (s->net_text != NULL) {
        memcpy(hex, s->net_sha, 65);
        return 0;
    }
    size_t len = 0;
    char *txt = print_network(s, &len);
    if (txt == NULL)
        return -1;
    int rc = rp_sha256_hex(txt, len, hex);
    free(txt);
    return rc;
}
