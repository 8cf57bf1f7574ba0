/* CSV networks (csvnet.h): the CSV syntax (BOM, ';', quoting, CRLF, empty
 * cells), the types by column, and each error located by file, line and
 * column with the network parser's message. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "ripple/csvnet.h"

#define EDGES "from,to\nS,C\n"

/* Both tables to a network; st the status, err the messages. */
static rp_status load(const char *nodes, const char *edges, rp_network **net,
                      cJSON **doc, rp_errors *err)
{
    rp_err_init(err);
    return rp_csvnet_from_text("sites.csv", nodes, strlen(nodes), "lanes.csv",
                               edges, edges ? strlen(edges) : 0, "n", doc, net,
                               NULL, err);
}

static void expect_error(const char *nodes, const char *edges,
                         const char *want)
{
    rp_errors err;
    rp_network *net = NULL;
    cJSON *doc = NULL;
    rp_status st = load(nodes, edges, &net, &doc, &err);
    if (!tu_err_has(&err, want)) {
        for (int i = 0; i < err.count; i++)
            fprintf(stderr, "got: %s\n", err.msg[i]);
        fprintf(stderr, "wanted: %s\n", want);
    }
    assert_int_equal(st, RP_EINPUT);
    assert_true(tu_err_has(&err, want));
    assert_null(net);
    assert_null(doc);
}

/* The rows of a nodes table that must parse, and their line numbers
 * (free both). */
static cJSON *rows_of(const char *nodes, int **lines)
{
    cJSON *rows = NULL;
    rp_errors err;
    rp_err_init(&err);
    assert_int_equal(rp_csv_table_parse("sites.csv", nodes, strlen(nodes),
                                        RP_CSV_NODES, &rows, lines, &err),
                     RP_OK);
    return rows;
}

static void test_bom_semicolon_crlf(void **st)
{
    (void)st;
    const char *nodes = "\xEF\xBB\xBFid;kind;demand;capacity\r\n"
                        "S;supplier;;12.5\r\n"
                        "C;customer;10;\r\n";
    rp_errors err;
    rp_network *net = NULL;
    cJSON *doc = NULL;
    assert_int_equal(load(nodes, EDGES, &net, &doc, &err), RP_OK);
    assert_int_equal(net->n_nodes, 2);
    assert_string_equal(net->id[0], "S"); /* no BOM in the id */
    assert_string_equal(net->kind[1], "customer");
    assert_true(net->capacity[0] == 12.5);
    assert_true(isnan(net->capacity[1])); /* empty: absent */
    assert_true(net->demand[0] == 0);     /* empty: the default */
    assert_true(net->demand[1] == 10);
    assert_string_equal(net->name, "n");
    rp_net_free(net);
    cJSON_Delete(doc);
    /* lines that end in a CR alone (old Mac files) are lines too: the
     * rows' line numbers, and an error's, count them */
    int *lines = NULL;
    cJSON *rows = rows_of("id,demand\rS,\rC,5\r", &lines);
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    assert_int_equal(lines[0], 2);
    assert_int_equal(lines[1], 3);
    cJSON_Delete(rows);
    free(lines);
    expect_error("id,name\rS,a\rC,x,y\r", EDGES,
                 "sites.csv:3: 3 cells, the header has 2 columns");
}

static void test_quotes(void **st)
{
    (void)st;
    /* a separator and doubled quotes inside quotes (a line break inside
     * quotes is read too, but refused in every field, as in JSON: below) */
    const char *nodes = "id,name,region\n"
                        "\"S,1\",\"the \"\"big\"\" one\",EU\n"
                        "\"C\",\"\"\"Z\"\"\",\"US\"\n";
    int *lines = NULL;
    cJSON *rows = rows_of(nodes, &lines);
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    cJSON *r0 = cJSON_GetArrayItem(rows, 0), *r1 = cJSON_GetArrayItem(rows, 1);
    assert_string_equal(cJSON_GetObjectItem(r0, "id")->valuestring, "S,1");
    assert_string_equal(cJSON_GetObjectItem(r0, "name")->valuestring,
                        "the \"big\" one");
    assert_string_equal(cJSON_GetObjectItem(r1, "id")->valuestring, "C");
    assert_string_equal(cJSON_GetObjectItem(r1, "name")->valuestring, "\"Z\"");
    assert_int_equal(lines[0], 2);
    assert_int_equal(lines[1], 3);
    cJSON_Delete(rows);
    free(lines);
    /* the line break is refused in a name (as in JSON), at the record's
     * first line, and the next record's line counts it */
    expect_error("id,name\nS,\"a\nb\"\nC,\"x\"y\n", EDGES,
                 "sites.csv:2: name: holds a control character (U+000A)");
    expect_error("id,name\nS,\"a\r\nb\"\nC,x,y\n", EDGES,
                 "sites.csv:4: 3 cells, the header has 2 columns");
}

static void test_types(void **st)
{
    (void)st;
    const char *nodes = "id,tags,demand\nS,tier1| hot |x,\nC,,5\nM,,1e2\n";
    const char *edges = "from,to,standby,share,lead_time\n"
                        "S,C,,1,3\n"
                        "M,C,true,,\n";
    rp_errors err;
    rp_network *net = NULL;
    cJSON *doc = NULL;
    assert_int_equal(load(nodes, edges, &net, &doc, &err), RP_OK);
    assert_int_equal(net->tag_start[1] - net->tag_start[0], 3);
    assert_string_equal(net->tags[0], "tier1");
    assert_string_equal(net->tags[1], "hot");
    assert_string_equal(net->tags[2], "x");
    assert_int_equal(net->tag_start[2] - net->tag_start[1], 0);
    assert_true(net->demand[2] == 100);
    assert_int_equal(net->standby[0], 0);
    assert_int_equal(net->standby[1], 1);
    assert_int_equal(net->lead_time[0], 3);
    assert_int_equal(net->lead_time[1], 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "edges"), 1), "standby")));
    rp_net_free(net);
    cJSON_Delete(doc);
}

static void test_errors(void **st)
{
    (void)st;
    /* a decimal comma is not a number: the parser's message, by line */
    expect_error("id,capacity\nS,\nC,\"12,5\"\n", EDGES,
                 "sites.csv:3: capacity: must be a number > 0 (got \"12,5\")");
    expect_error("id;capacity\nS;\nC;12,5\n", EDGES,
                 "sites.csv:3: capacity: must be a number > 0 (got \"12,5\")");
    expect_error("id,colour\nS,red\n", EDGES,
                 "sites.csv:1: unknown column \"colour\" (allowed: id, name,");
    expect_error("id,,demand\nS,x,1\n", EDGES,
                 "sites.csv:2: a value in column 2, which has no name");
    expect_error("id,kind,kind\nS,a,b\n", EDGES,
                 "sites.csv:1: column \"kind\" appears twice");
    expect_error("kind,demand\nplant,1\n", EDGES,
                 "sites.csv:1: no \"id\" column");
    expect_error("id,demand\nS,\n,5\n", EDGES,
                 "sites.csv:3: id: missing (must be a string)");
    expect_error("id,demand\nS,1,2\n", EDGES,
                 "sites.csv:2: 3 cells, the header has 2 columns");
    expect_error("id\nS\nC\nS\n", EDGES,
                 "sites.csv:4: id: duplicate id \"S\" (first used by line 2)");
    expect_error("id\nS\nC\n", "from,to,standby\nS,C,yes\n",
                 "lanes.csv:2: standby: must be true or false (got \"yes\")");
    expect_error("id\nS\nC\n", "from,to\r\nS,C\r\nS,X\r\n",
                 "lanes.csv:3: to: unknown node \"X\"");
    expect_error("id\nS\nC\n", "from,to\nC,C\n",
                 "lanes.csv:2: a node cannot supply itself (\"C\")");
    expect_error("id\nS\"x\nC\n", EDGES, "sites.csv:2: malformed quoting");
    expect_error("id\nS\n\"C\n", EDGES,
                 "sites.csv:3: a quoted field is not closed by the end of "
                 "the file");
    expect_error("id\n", EDGES,
                 "sites.csv: no rows: a network needs at least one node");
    expect_error("", EDGES, "sites.csv:1: empty file, expected a header row");
    expect_error("id,tags\nS,a||b\n", EDGES,
                 "sites.csv:2: tags: an empty tag in \"a||b\"");
    expect_error("id\nS\xff\n", EDGES, "sites.csv:2: id: not UTF-8");
    expect_error("id,demand\nS,\nC,1e400\n", EDGES,
                 "sites.csv:3: demand: \"1e400\" is too large a number");
    /* UTF-16 (its byte-order mark, then "i" as in "id"): said so once,
     * not as an unknown column "\xff\xfei" and a malformed quote a line */
    expect_error("\xff\xfei", EDGES,
                 "sites.csv:1: the file is UTF-16 (little-endian); save it "
                 "as UTF-8");
    expect_error("\xfe\xff", EDGES,
                 "sites.csv:1: the file is UTF-16 (big-endian)");
}

static void test_blank_rows(void **st)
{
    (void)st;
    /* blank lines and rows of empty cells are skipped; lines still count */
    const char *nodes = "id,demand\n\nS,\n,\nC,10\n";
    rp_errors err;
    rp_network *net = NULL;
    cJSON *doc = NULL;
    assert_int_equal(load(nodes, EDGES, &net, &doc, &err), RP_OK);
    assert_int_equal(net->n_nodes, 2);
    rp_net_free(net);
    cJSON_Delete(doc);
    /* empty columns without a name (as spreadsheets add) are ignored */
    assert_int_equal(
        load("id,demand,,\nS,,,\nC,10,,\n", EDGES, &net, &doc, &err), RP_OK);
    assert_int_equal(net->n_nodes, 2);
    rp_net_free(net);
    cJSON_Delete(doc);
    expect_error("id,demand\n\nS,\n,\nC,-1\n", EDGES,
                 "sites.csv:5: demand: must be a number >= 0 (got -1)");
}

/* Export then read back: the same network document. */
static void test_write_read(void **st)
{
    (void)st;
    const char *nodes = "id,name,tags,capacity,protection\n"
                        "S,\"a, \"\"b\"\"\",x|y,0.1,\n"
                        "C, ,,,0.3333333333333333\n";
    const char *edges =
        "from,to,input,standby,standby_share,activation_delay\n"
        "S,C,in;put,,,\n"
        "S,C,in;put,true,0.5,3\n";
    rp_errors err;
    rp_network *net = NULL;
    cJSON *doc = NULL;
    assert_int_equal(load(nodes, edges, &net, &doc, &err), RP_OK);
    char dir[] = "/tmp/test_csvnet.XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(rp_csvnet_write(doc, dir, &err), RP_OK);
    char p[300];
    snprintf(p, sizeof p,
             "{\"network\": {\"nodes_csv\": \"%s/nodes.csv\", "
             "\"edges_csv\": \"%s/edges.csv\", \"name\": \"n\"}}",
             dir, dir);
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(p, &s, &err), RP_OK);
    char *a = cJSON_PrintUnformatted(doc);
    char *b = cJSON_PrintUnformatted(rp_scenario_network_doc(s));
    assert_string_equal(a, b);
    free(a);
    free(b);
    rp_scenario_free(s);
    rp_net_free(net);
    cJSON_Delete(doc);
    snprintf(p, sizeof p, "%s/nodes.csv", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/edges.csv", dir);
    unlink(p);
    rmdir(dir);
}

static void test_scenario_spec(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse("{\"network\": {\"nodes_csv\": 3}}", &s, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "network.nodes_csv: must be a string"));
    assert_int_equal(tu_parse("{\"network\": {\"edges_csv\": \"e.csv\", "
                              "\"nodes\": []}}",
                              &s, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "network.nodes: unknown key"));
    assert_int_equal(
        tu_parse("{\"network\": {\"nodes_csv\": \"/nonexistent/n.csv\"}}", &s,
                 &err),
        RP_EINPUT);
    assert_true(tu_err_has(&err, "/nonexistent/n.csv"));
    assert_int_equal(
        tu_parse("{\"network\": {\"nodes_csv\": \"/tmp\"}}", &s, &err),
        RP_EINPUT);
    assert_true(tu_err_has(&err, "/tmp: "));
}

/* Errors found when the model is built name the record's line too. */
static void expect_model_error(const char *nodes, const char *edges,
                               const char *want)
{
    rp_errors err;
    rp_err_init(&err);
    rp_network *net = NULL;
    cJSON *doc = NULL;
    int *lines = NULL;
    assert_int_equal(rp_csvnet_from_text("sites.csv", nodes, strlen(nodes),
                                         "lanes.csv", edges, strlen(edges),
                                         NULL, &doc, &net, &lines, &err),
                     RP_OK);
    rp_params par;
    rp_params_default(&par);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(net, &par, &m, &err), RP_EINPUT);
    assert_true(tu_err_has(&err, want));
    rp_model_free(m);
    rp_net_free(net);
    cJSON_Delete(doc);
    free(lines);
}

static void test_model_errors(void **st)
{
    (void)st;
    expect_model_error("id,demand\nS,\nT,\nC,10\n",
                       "from,to,input,share\nS,C,x,0.5\n\nT,C,x,0.2\n",
                       "lanes.csv:2: share: shares of input \"x\" of \"C\" "
                       "sum to 0.7, must sum to 1");
    expect_model_error("id,demand,capacity\nS,,\nC,10,5\n", "from,to\nS,C\n",
                       "sites.csv:3: capacity: 5 is below the baseline "
                       "output 10 of \"C\"");
    expect_model_error("id,demand\nS,\nT,\nC,10\n",
                       "from,to,input,ratio\nS,C,x,1\nT,C,x,2\n",
                       "lanes.csv:3: ratio: 2 differs from the ratio 1 of "
                       "the same input \"x\" of \"C\" (lanes.csv:2)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_semicolon_crlf),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_blank_rows),
        cmocka_unit_test(test_write_read),
        cmocka_unit_test(test_scenario_spec),
        cmocka_unit_test(test_model_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
