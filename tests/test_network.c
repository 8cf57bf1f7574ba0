/* Loading networks and scenarios: good files, and one test per error kind,
 * each asserting that the message names the file and the place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_good_by_path(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("scen_path.json");
    assert_int_equal(s->net->n_nodes, 4);
    assert_int_equal(s->net->n_edges, 3);
    assert_int_equal(s->horizon, 30);
    assert_int_equal(s->replications, 2);
    assert_int_equal(rp_net_find(s->net, "M1"), 2);
    assert_string_equal(s->net->input[2], "M1"); /* default: supplier id */
    assert_true(s->net->capacity[0] == 120);
    assert_string_equal(s->net->tags[s->net->tag_start[0]], "tier2");
    assert_int_equal(s->n_threats, 1);
    assert_int_equal(s->n_strategies, 1);
    assert_string_equal(s->strategies[0].name, "baseline");
    rp_scenario_free(s);
}

static void expect_net_error(const char *net, const char *want);

/* Edges find their ends through a table holding an id's first 24 bytes:
 * ids of 23, 24 and more bytes, ids equal in their first 24 bytes, a
 * repeated buyer, and more tags than nodes (stored as they come). */
static void test_edge_ids(void **st)
{
    (void)st;
    const char *text =
        "{\"network\": {\"nodes\": ["
        "{\"id\": \"c\", \"demand\": 10, \"tags\": [\"t1\", \"t2\", "
        "\"t3\"]},"
        "{\"id\": \"abcdefghijklmnopqrstuvw\", \"tags\": [\"u1\", \"u2\"]},"
        "{\"id\": \"abcdefghijklmnopqrstuvwx\"},"
        "{\"id\": \"abcdefghijklmnopqrstuvwxyz-1\"},"
        "{\"id\": \"abcdefghijklmnopqrstuvwxyz-2\", \"tags\": [\"v\"]}],"
        "\"edges\": ["
        "{\"from\": \"abcdefghijklmnopqrstuvwxyz-2\", \"to\": \"c\", "
        "\"input\": \"i\"},"
        "{\"from\": \"abcdefghijklmnopqrstuvwxyz-1\", \"to\": \"c\", "
        "\"input\": \"i\"},"
        "{\"from\": \"abcdefghijklmnopqrstuvwx\", \"to\": \"c\"},"
        "{\"from\": \"abcdefghijklmnopqrstuvw\", \"to\": "
        "\"abcdefghijklmnopqrstuvwx\"}]}}";
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    const rp_network *n = s->net;
    int want_from[4] = {4, 3, 2, 1}, want_to[4] = {0, 0, 0, 2};
    for (int e = 0; e < 4; e++) {
        assert_int_equal(n->from[e], want_from[e]);
        assert_int_equal(n->to[e], want_to[e]);
        assert_int_equal(n->from[e], rp_net_find(n, n->id[n->from[e]]));
    }
    int want_start[6] = {0, 3, 5, 5, 5, 6};
    for (int i = 0; i <= 5; i++)
        assert_int_equal(n->tag_start[i], want_start[i]);
    const char *want_tags[6] = {"t1", "t2", "t3", "u1", "u2", "v"};
    for (int t = 0; t < 6; t++)
        assert_string_equal(n->tags[t], want_tags[t]);
    rp_scenario_free(s);
    /* an id equal to a known one in its first 24 bytes is still unknown */
    expect_net_error(
        "{\"nodes\": [{\"id\": \"c\", \"demand\": 1}, "
        "{\"id\": \"abcdefghijklmnopqrstuvwxyz-1\"}], \"edges\": [{\"from\": "
        "\"abcdefghijklmnopqrstuvwxyz-3\", \"to\": \"c\"}]}",
        "edges[0].from: unknown node \"abcdefghijklmnopqrstuvwxyz-3\"");
}

/* Parse inline scenario text whose network is NET; expect failure with a
 * message containing want. */
static void expect_net_error(const char *net, const char *want)
{
    char text[4096];
    snprintf(text, sizeof text, "{\"network\": %s}", net);
    rp_errors err;
    rp_scenario *s = NULL;
    rp_status st = tu_parse(text, &s, &err);
    if (st == RP_OK) {
        /* some errors only show when the model is built */
        rp_model *m = NULL;
        st = rp_model_build(s->net, &s->par, &m, &err);
        rp_model_free(m);
        rp_scenario_free(s);
    }
    assert_int_equal(st, RP_EINPUT);
    assert_true(tu_err_has(&err, want));
}

#define CHAIN_NODES                                                           \
    "\"nodes\": [{\"id\": \"S\"}, {\"id\": \"T\"}, {\"id\": \"M\"}, "         \
    "{\"id\": \"C\", \"demand\": 10}]"

static void test_unknown_reference(void **st)
{
    (void)st;
    expect_net_error("{" CHAIN_NODES ", \"edges\": [{\"from\": \"S\", \"to\": "
                     "\"M9\"}]}",
                     "t.json: network.edges[0].to: unknown node \"M9\"");
}

static void test_duplicate_id(void **st)
{
    (void)st;
    expect_net_error("{\"nodes\": [{\"id\": \"A\", \"demand\": 1}, {\"id\": "
                     "\"A\"}]}",
                     "t.json: network.nodes[1].id: duplicate id \"A\" (first "
                     "used by nodes[0])");
}

static void test_shares_sum(void **st)
{
    (void)st;
    expect_net_error("{" CHAIN_NODES ", \"edges\": ["
                     "{\"from\": \"S\", \"to\": \"M\", \"input\": \"x\", "
                     "\"share\": 0.5},"
                     "{\"from\": \"T\", \"to\": \"M\", \"input\": \"x\", "
                     "\"share\": 0.3},"
                     "{\"from\": \"M\", \"to\": \"C\"}]}",
                     "t.json: network.edges[0].share: shares of input \"x\" "
                     "of \"M\" sum to 0.8, must sum to 1");
}

static void test_ratio_differs(void **st)
{
    (void)st;
    expect_net_error("{" CHAIN_NODES ", \"edges\": ["
                     "{\"from\": \"S\", \"to\": \"M\", \"input\": \"x\", "
                     "\"ratio\": 2},"
                     "{\"from\": \"T\", \"to\": \"M\", \"input\": \"x\"},"
                     "{\"from\": \"M\", \"to\": \"C\"}]}",
                     "t.json: network.edges[1].ratio: 1 differs from the "
                     "ratio 2 of the same input \"x\" of \"M\"");
}

static void test_lead_time(void **st)
{
    (void)st;
    expect_net_error("{" CHAIN_NODES ", \"edges\": [{\"from\": \"M\", \"to\": "
                     "\"C\", \"lead_time\": 0}]}",
                     "t.json: network.edges[0].lead_time: must be an integer "
                     "in [1, 3650] (got 0)");
}

static void test_unknown_key(void **st)
{
    (void)st;
    expect_net_error("{\"nodes\": [{\"id\": \"A\", \"demand\": 1, \"colour\": "
                     "\"red\"}]}",
                     "t.json: network.nodes[0].colour: unknown key");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse("{\"network\": {\"nodes\": [{\"id\": \"A\", "
                              "\"demand\": 1}]}, \"horizon\": 5}",
                              &s, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "t.json: horizon: unknown key"));
}

static void test_bad_capacity_message(void **st)
{
    (void)st;
    expect_net_error("{\"nodes\": [{\"id\": \"A\", \"demand\": 1}, {\"id\": "
                     "\"B\"}, {\"id\": \"C\"}, {\"id\": \"D\", \"capacity\": "
                     "-5}]}",
                     "t.json: network.nodes[3].capacity: must be a number > "
                     "0 (got -5)");
}

static void test_all_errors_reported(void **st)
{
    (void)st;
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    assert_int_equal(
        rp_scenario_load(RIPPLE_TEST_DATA "/bad/content.json", &s, &err),
        RP_EINPUT);
    assert_null(s);
    /* five different problems in one file, all reported */
    assert_true(tu_err_has(&err, "nodes[1].capacity: must be a number > 0 "
                                 "(got -5)"));
    assert_true(tu_err_has(&err, "nodes[2].id: duplicate id \"S1\""));
    assert_true(tu_err_has(&err, "nodes[3].colour: unknown key"));
    assert_true(tu_err_has(&err, "edges[0].to: unknown node \"M9\""));
    assert_true(tu_err_has(&err, "edges[1].lead_time: must be an integer in "
                                 "[1, 3650] (got 0)"));
    assert_true(tu_err_has(&err, "horizon_days: must be an integer in [1, "
                                 "36500] (got 0)"));
    assert_true(err.count >= 6);
}

static void test_missing_network_file(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse("{\"network\": \"nope.json\"}", &s, &err),
                     RP_EINPUT);
    /* the scenario and its key named, and where the file was looked for */
    assert_true(tu_err_has(&err, "network: the file \"nope.json\" it names "
                                 "does not exist (looked for nope.json"));
}

/* A CSV file, or a network file where a scenario goes: said as such. */
static void test_network_misnamed(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse("{\"network\": \"sites.csv\"}", &s, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "network: \"sites.csv\" is a CSV file; a "
                                 "network in CSV is named with"));
    assert_int_equal(tu_parse("{\"nodes\": [], \"edges\": []}", &s, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "this is a network file (it has \"nodes\"), "
                                 "not a scenario"));
}

static void test_selectors(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("scen_path.json");
    rp_errors err;
    rp_err_init(&err);
    rp_jctx c = {"sel.json", &err};
    unsigned char mask[4];
    cJSON *sel = cJSON_Parse("{\"kinds\": [\"supplier\"], \"regions\": "
                             "[\"KR\"]}");
    assert_int_equal(rp_net_select_nodes(&c, s->net, sel, "x", mask), 1);
    assert_int_equal(mask[1], 1);
    cJSON_Delete(sel);
    sel = cJSON_Parse("{\"tags\": [\"tier2\"]}");
    assert_int_equal(rp_net_select_nodes(&c, s->net, sel, "x", mask), 1);
    assert_int_equal(mask[0], 1);
    cJSON_Delete(sel);
    sel = cJSON_Parse("{\"regions\": [\"XX\"]}");
    assert_int_equal(
        rp_net_select_nodes(&c, s->net, sel, "threats[0].nodes", mask), -1);
    assert_true(tu_err_has(&err, "sel.json: threats[0].nodes: selector "
                                 "matches no node"));
    cJSON_Delete(sel);
    unsigned char emask[3];
    sel = cJSON_Parse("{\"to\": {\"ids\": [\"M1\"]}, \"inputs\": "
                      "[\"chips\"]}");
    assert_int_equal(rp_net_select_edges(&c, s->net, sel, "e", emask), 2);
    cJSON_Delete(sel);
    rp_scenario_free(s);
}

/* A scenario with the threats SEL over tests/data/network_case.json, a
 * network whose kinds, regions, tags, ids and inputs are capitalised. */
static rp_status parse_case(const char *sel, rp_errors *err)
{
    char *text = tu_read_with("network_case.json", "\"threats\": [%s]", sel);
    rp_scenario *s = NULL;
    rp_status st = tu_parse(text, &s, err);
    free(text);
    rp_scenario_free(s);
    return st;
}

#define HAZ(sel)                                                              \
    "{\"type\": \"node_hazard\", \"nodes\": " sel                             \
    ", \"rate_per_year\": 1, \"duration\": 5}"

/* A selector value that matches nothing as written but would match
 * ignoring case is a typo: an error that names the value and the match. */
static void test_selector_case(void **st)
{
    (void)st;
    rp_errors err;
    assert_int_equal(parse_case(HAZ("{\"kinds\": [\"supplier\"]}"), &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "t.json: threats[0].nodes.kinds: "
                                 "\"supplier\" matches no node; did you "
                                 "mean \"Supplier\"?"));
    /* reported even when another value of the list matches */
    assert_int_equal(
        parse_case(HAZ("{\"kinds\": [\"plant\", \"supplier\"]}"), &err),
        RP_EINPUT);
    assert_true(tu_err_has(&err, "\"supplier\" matches no node; did you "
                                 "mean \"Supplier\"?"));
    assert_int_equal(parse_case(HAZ("{\"regions\": [\"tw\"]}"), &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].nodes.regions: \"tw\" matches "
                                 "no node; did you mean \"TW\"?"));
    assert_int_equal(parse_case(HAZ("{\"tags\": [\"TIER2\"]}"), &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].nodes.tags: \"TIER2\" matches "
                                 "no node; did you mean \"Tier2\"?"));
    assert_int_equal(parse_case(HAZ("{\"ids\": [\"s1\"]}"), &err), RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].nodes.ids[0]: unknown node "
                                 "\"s1\"; did you mean \"S1\"?"));
    assert_int_equal(parse_case("{\"type\": \"regional\", \"regions\": "
                                "[\"de\"], \"rate_per_year\": 1, "
                                "\"duration\": 5}",
                                &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].regions[0]: no node is in "
                                 "region \"de\"; did you mean \"DE\"?"));
    assert_int_equal(parse_case("{\"type\": \"edge_hazard\", \"edges\": "
                                "{\"inputs\": [\"chips\"]}, "
                                "\"rate_per_year\": 1, \"duration\": 5}",
                                &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].edges.inputs: \"chips\" "
                                 "matches no edge; did you mean "
                                 "\"Chips\"?"));
    assert_int_equal(parse_case("{\"type\": \"scripted\", \"node\": "
                                "\"m1\", \"onset\": 1, \"duration\": 2}",
                                &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].node: unknown node \"m1\"; did "
                                 "you mean \"M1\"?"));
    /* a value that matches nothing in any case stays as before: fine next
     * to a value that matches, an error when the selector is empty */
    assert_int_equal(
        parse_case(HAZ("{\"kinds\": [\"Factory\", \"plant\"]}"), &err), RP_OK);
    assert_int_equal(parse_case(HAZ("{\"kinds\": [\"Factory\"]}"), &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "threats[0].nodes: selector matches no "
                                 "node"));
    assert_false(strstr(err.msg[0], "did you mean") != NULL);
    /* exact matches are unaffected */
    assert_int_equal(parse_case(HAZ("{\"kinds\": [\"Supplier\"], \"tags\": "
                                    "[\"Tier2\"]}"),
                                &err),
                     RP_OK);
}

/* 100,000 nodes in a 4-tier tree, written and loaded: must simply work
 * (timing is for bench/, not for tests). */
static void test_large_network(void **st)
{
    (void)st;
    const int n = 100000;
    size_t cap = (size_t)n * 160;
    char *txt = malloc(cap);
    assert_non_null(txt);
    size_t used = 0;
    used += (size_t)snprintf(txt + used, cap - used,
                             "{\"horizon_days\": 10, \"network\": "
                             "{\"nodes\": [");
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(txt + used, cap - used,
                                 "%s{\"id\": \"N%d\"%s}", i ? "," : "", i,
                                 i >= n / 2 ? ", \"demand\": 1" : "");
    used += (size_t)snprintf(txt + used, cap - used, "], \"edges\": [");
    for (int i = 1; i < n; i++)
        used += (size_t)snprintf(txt + used, cap - used,
                                 "%s{\"from\": \"N%d\", \"to\": \"N%d\"}",
                                 i > 1 ? "," : "", (i - 1) / 2, i);
    snprintf(txt + used, cap - used, "]}}");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(txt, &s, &err), RP_OK);
    assert_int_equal(s->net->n_nodes, n);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    /* the root supplies every node below it: x0 = number of demand nodes */
    assert_true(tu_close(m->x0[0], n / 2, 1e-12));
    rp_model_free(m);
    rp_scenario_free(s);
    free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_by_path),
        cmocka_unit_test(test_edge_ids),
        cmocka_unit_test(test_unknown_reference),
        cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_shares_sum),
        cmocka_unit_test(test_ratio_differs),
        cmocka_unit_test(test_lead_time),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_bad_capacity_message),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_missing_network_file),
        cmocka_unit_test(test_network_misnamed),
        cmocka_unit_test(test_selectors),
        cmocka_unit_test(test_selector_case),
        cmocka_unit_test(test_large_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
