/* The daily flow model (docs/model.md) on cases worked out by
 * hand.  The golden cases (test_golden.c) check the same model against an
 * independent implementation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* S -> C chain; C: demand 100, n = 2 days of stock; lead time L; one
 * scripted threat given as JSON. */
static rp_scenario *chain(int L, const char *threat, int T)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"horizon_days\": %d, \"network\": {\"nodes\": ["
             "{\"id\": \"S\"}, {\"id\": \"C\", \"demand\": 100, "
             "\"inventory_days\": 2}], \"edges\": [{\"from\": \"S\", \"to\": "
             "\"C\", \"lead_time\": %d}]}, \"threats\": [%s]}",
             T, L, threat);
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    return s;
}

/* The model of scenario s's network (the test fails if it cannot be
 * built). */
static rp_model *model_of(const rp_scenario *s)
{
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    return m;
}

/* By hand: S is down on days a..a+D-1 (a = 5, D = 10), so it ships nothing
 * on those days and C receives nothing on days a+L .. a+L+D-1.  C's two
 * days of stock cover the first two of them; the other D - 2 = 8 days lose
 * all 100 units: lost = 800.  On day a+D S is back and ships min(cap = 110,
 * C's swollen order) = 110 >= 100, arriving L days later, so nothing more
 * is lost.  The lead time only shifts the loss window. */
static void test_chain_stock_and_pipeline(void **st)
{
    (void)st;
    for (int L = 1; L <= 6; L += 5) {
        rp_scenario *s = chain(L,
                               "{\"type\": \"scripted\", \"node\": \"S\", "
                               "\"onset\": 5, \"duration\": 10}",
                               60);
        double sl[60];
        rp_metrics m;
        tu_run_one(s, &m, sl);
        assert_true(m.lost_units == 800);
        assert_true(m.lost_value == 800); /* unit value 1 */
        assert_int_equal(m.days_below_target, 8);
        assert_int_equal(m.longest_outage, 8);
        assert_true(m.min_service == 0);
        assert_int_equal(m.nodes_disrupted, 1);
        assert_int_equal(m.nodes_impacted, 2);
        assert_int_equal(m.events, 1);
        assert_true(tu_close(m.fill_rate, 1 - 800.0 / 6000.0, 1e-15));
        for (int t = 0; t < 60; t++) {
            int lost_day = t >= 5 + L + 2 && t <= 5 + L + 9;
            assert_true(sl[t] == (lost_day ? 0.0 : 1.0));
        }
        rp_scenario_free(s);
    }
}

/* An edge event of severity 1 on the only link S -> C cuts S off exactly
 * like an outage of S: S sees no demand, ships nothing, and C's supplier
 * availability is alpha_S (1 - 1) = 0.  Same days, same loss (800). */
static void test_edge_event_equals_node_outage(void **st)
{
    (void)st;
    rp_scenario *a = chain(3,
                           "{\"type\": \"scripted\", \"node\": \"S\", "
                           "\"onset\": 5, \"duration\": 10}",
                           60);
    rp_scenario *b = chain(3,
                           "{\"type\": \"scripted\", \"edge\": {\"from\": "
                           "\"S\", \"to\": \"C\"}, \"onset\": 5, "
                           "\"duration\": 10}",
                           60);
    double sa[60], sb[60];
    rp_metrics ma, mb;
    tu_run_one(a, &ma, sa);
    tu_run_one(b, &mb, sb);
    assert_true(mb.lost_units == 800);
    assert_memory_equal(sa, sb, sizeof sa);
    assert_int_equal(mb.nodes_disrupted, 0); /* edges are not nodes */
    rp_scenario_free(a);
    rp_scenario_free(b);
}

/* Linear profile: severity 1 over 4 days from day 5 gives delta = 1, 0.75,
 * 0.5, 0.25 and S's capacity 110 (1 - delta) = 0, 27.5, 55, 82.5.  C keeps
 * ordering at least 100 a day, so S produces exactly its capacity, then
 * 110 on day 9 (catching up on C's swollen orders). */
static void test_linear_profile(void **st)
{
    (void)st;
    rp_event e = {0, 5, 4, 0, RP_PROFILE_LINEAR, 1.0, 0, 0};
    assert_true(rp_event_severity(&e, 4) == 0);
    assert_true(rp_event_severity(&e, 5) == 1.0);
    assert_true(rp_event_severity(&e, 6) == 0.75);
    assert_true(rp_event_severity(&e, 8) == 0.25);
    assert_true(rp_event_severity(&e, 9) == 0);

    rp_scenario *s = chain(1,
                           "{\"type\": \"scripted\", \"node\": \"S\", "
                           "\"onset\": 5, \"duration\": 4, \"severity\": "
                           "1, \"profile\": \"linear\"}",
                           20);
    rp_model *m = model_of(s);
    double x[20 * 2];
    rp_flow_trace tr = {.x = x};
    rp_flow_ws *w = rp_flow_ws_new(m);
    rp_event ev = {0, 5, 4, 0, RP_PROFILE_LINEAR, 1.0, 0, 0};
    rp_metrics met;
    assert_int_equal(rp_flow_run(m, w, &ev, 1, 20, &met, NULL, &tr), RP_OK);
    const double want[] = {0, 27.5, 55, 82.5, 110};
    for (int k = 0; k < 5; k++)
        assert_true(tu_close(x[(5 + k) * 2 + 0], want[k], 1e-12));
    assert_true(x[4 * 2] == 100);
    /* C (stock 200 after day 5) receives 0, 27.5, 55, 82.5 on days 6-9:
     * stock 200 -> 100 -> 27.5; day 8 has 27.5 + 55 = 82.5 (17.5 lost);
     * day 9 has 82.5 (17.5 lost); day 10 gets 110.  Lost: 35 units. */
    assert_true(tu_close(met.lost_units, 35, 1e-12));
    assert_int_equal(met.days_below_target, 2);
    assert_int_equal(met.nodes_impacted, 2);
    rp_flow_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Two substitutable suppliers: A (share 0.6, capacity 70) and B (share
 * 0.4, capacity 60) feed P, which serves C (100/day).  A fails for good on
 * day 10.  Once the stocks are gone P can make no more than B's 60 a day,
 * and B's whole capacity is ordered (weights move to the available
 * supplier), so the service level settles at exactly 60/100. */
static void test_substitute_covers_part(void **st)
{
    (void)st;
    const char *text =
        "{\"horizon_days\": 150, \"model\": {\"inventory_days\": 4}, "
        "\"network\": {\"nodes\": [{\"id\": \"A\", \"capacity\": 70}, "
        "{\"id\": \"B\", \"capacity\": 60}, {\"id\": \"P\"}, {\"id\": \"C\", "
        "\"demand\": 100, \"inventory_days\": 0}], \"edges\": ["
        "{\"from\": \"A\", \"to\": \"P\", \"input\": \"part\", \"share\": "
        "0.6, \"lead_time\": 3}, {\"from\": \"B\", \"to\": \"P\", \"input\": "
        "\"part\", \"share\": 0.4, \"lead_time\": 5}, {\"from\": \"P\", "
        "\"to\": \"C\"}]}, \"threats\": [{\"type\": \"scripted\", \"node\": "
        "\"A\", \"onset\": 10, \"duration\": 500}]}";
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    double sl[150];
    rp_metrics m;
    tu_run_one(s, &m, sl);
    for (int t = 0; t < 10; t++)
        assert_true(sl[t] == 1);
    for (int t = 80; t < 150; t++)
        assert_true(tu_close(sl[t], 0.6, 1e-9));
    assert_true(m.min_service < 0.6 + 1e-9);
    rp_scenario_free(s);
}

/* Standby: A feeds P (lead 2); X (capacity 150, lead 3) is a standby
 * supplier activated after 5 short days; P and C hold 2 days of stock.
 * A is down from day 5.  The group is short from day 5 (count 1), so the
 * count first exceeds 5 on day 10: P orders from X on day 10, X ships on
 * day 11, P receives on day 14 and C on day 15.  Meanwhile A's last
 * shipment reaches P on day 6, P's stock lasts to day 8, C receives its
 * last units on day 9 and its stock covers days 10 and 11: C loses days
 * 12, 13 and 14 (300 units), and nothing after. */
static void test_standby_activation(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/standby.json");
    double sl[80];
    rp_metrics m;
    tu_run_one(s, &m, sl);
    assert_true(m.lost_units == 300);
    for (int t = 0; t < 80; t++)
        assert_true(sl[t] == ((t >= 12 && t <= 14) ? 0.0 : 1.0));
    rp_scenario_free(s);
}

/* With no events nothing ever moves: zero loss over ten years on the
 * bundled 100-node network. */
static void test_baseline_is_stationary(void **st)
{
    (void)st;
    char path[512];
    snprintf(path, sizeof path, "%s/../../scenarios/default.json",
             RIPPLE_TEST_DATA);
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    assert_int_equal(rp_scenario_load(path, &s, &err), RP_OK);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    int T = 3650;
    double *sl = malloc((size_t)T * sizeof *sl);
    rp_flow_ws *w = rp_flow_ws_new(m);
    rp_metrics met;
    assert_int_equal(rp_flow_run(m, w, NULL, 0, T, &met, sl, NULL), RP_OK);
    assert_true(met.lost_units == 0);
    assert_true(met.lost_value == 0);
    assert_int_equal(met.nodes_impacted, 0);
    assert_int_equal(met.days_below_target, 0);
    for (int t = 0; t < T; t++)
        assert_true(sl[t] == 1);
    free(sl);
    rp_flow_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Overlapping events on one node multiply survivals: 0.5 and 0.5 give
 * delta = 0.75 on the overlap. */
static void test_overlapping_events(void **st)
{
    (void)st;
    rp_scenario *s = chain(1,
                           "{\"type\": \"scripted\", \"node\": \"S\", "
                           "\"onset\": 5, \"duration\": 2, \"severity\": "
                           "0.5}, {\"type\": \"scripted\", \"node\": "
                           "\"S\", \"onset\": 6, \"duration\": 2, "
                           "\"severity\": 0.5}",
                           12);
    rp_model *m = model_of(s);
    double x[12 * 2];
    rp_flow_trace tr = {.x = x};
    rp_flow_ws *w = rp_flow_ws_new(m);
    rp_event ev[2] = {{0, 5, 2, 0, 0, 0.5, 0, 0}, {0, 6, 2, 0, 0, 0.5, 0, 0}};
    rp_metrics met;
    assert_int_equal(rp_flow_run(m, w, ev, 2, 12, &met, NULL, &tr), RP_OK);
    assert_true(tu_close(x[5 * 2], 55, 1e-12));   /* 110 x 0.5 */
    assert_true(tu_close(x[6 * 2], 27.5, 1e-12)); /* 110 x 0.25 */
    assert_int_equal(met.events, 2);
    rp_flow_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Events that pile up on one node: S of the S -> C chain gets a full
 * outage A on days 5-14, a half outage B on days 6-25 that outlasts it, a
 * full linear one and a full one ending with A (both inside A), a full
 * outage E on days 20-22 inside B, and 120 more full outages inside A
 * (enough for the list of active events to be pruned).  Those inside A
 * can change nothing, as A keeps S fully down; B and E must stay: S's
 * damage is 1 on days 5-14, 0.5 on 15-19, 1 on 20-22, 0.5 on 23-25, 0
 * after, as with A, B and E alone, bit for bit. */
static void test_pruned_outages(void **st)
{
    (void)st;
    rp_scenario *s = chain(1, "", 40);
    rp_model *m = model_of(s);
    enum { NEV = 125, T = 40 };
    rp_event ev[NEV] = {{0, 5, 10, 0, 0, 1.0, 0, 0},
                        {0, 6, 20, 0, 0, 0.5, 0, 0},
                        {0, 20, 3, 0, 0, 1.0, 0, 0},
                        {0, 7, 5, 0, RP_PROFILE_LINEAR, 1.0, 0, 0},
                        {0, 8, 7, 0, 0, 1.0, 0, 0}};
    for (int k = 5; k < NEV; k++) {
        int onset = 5 + k % 5;
        ev[k] = (rp_event){
            0, onset, 1 + k % (15 - onset), 0, 0, k % 3 ? 1.0 : 0.3, 0, 0};
    }
    double x[T * 2], d[T * 2], x3[T * 2], d3[T * 2];
    rp_flow_trace tr = {.x = x, .delta = d}, tr3 = {.x = x3, .delta = d3};
    rp_flow_ws *w = rp_flow_ws_new(m);
    rp_metrics met, met3;
    assert_int_equal(rp_flow_run(m, w, ev, NEV, T, &met, NULL, &tr), RP_OK);
    assert_int_equal(rp_flow_run(m, w, ev, 3, T, &met3, NULL, &tr3), RP_OK);
    for (int t = 0; t < T; t++) {
        double want = t >= 5 && t < 15    ? 1.0
                      : t >= 20 && t < 23 ? 1.0
                      : t >= 15 && t < 26 ? 0.5
                                          : 0.0;
        assert_true(d[t * 2] == want);
        assert_true(d3[t * 2] == want);
        assert_true(x[t * 2] == x3[t * 2] && x[t * 2 + 1] == x3[t * 2 + 1]);
    }
    assert_true(met.lost_units == met3.lost_units && met.lost_units > 0);
    assert_int_equal(met.events, NEV);
    rp_flow_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Outages that never end before the horizon, three new ones a day on the
 * same node for 1,000 days: every one but the first can change nothing.
 * The damage step visited every active event every day (3,000 active at
 * the end, 1.5 million visits in all); now the list is pruned as it
 * grows, and the results are those of the first outage alone. */
static void test_outages_pile_up(void **st)
{
    (void)st;
    enum { T = 1000, NEV = 3 * T };
    rp_scenario *s = chain(1, "", T);
    rp_model *m = model_of(s);
    rp_event *ev = calloc(NEV, sizeof *ev);
    assert_non_null(ev);
    for (int k = 0; k < NEV; k++)
        ev[k] = (rp_event){0, k / 3, 5000, 0, 0, 1.0, 0, 0};
    rp_flow_ws *w = rp_flow_ws_new(m);
    rp_metrics met, met1;
    assert_int_equal(rp_flow_run(m, w, ev, NEV, T, &met, NULL, NULL), RP_OK);
    long steps = rp_flow_event_steps(w);
    assert_int_equal(rp_flow_run(m, w, ev, 1, T, &met1, NULL, NULL), RP_OK);
    assert_true(met.lost_units == met1.lost_units && met.lost_units > 0);
    assert_true(met.min_service == met1.min_service);
    assert_true(steps < 100L * T); /* 1.5 million without pruning */
    free(ev);
    rp_flow_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* The lane count follows the memory a thread's workspace may take: eight
 * lanes when their state fits the budget, four when only those fit, one
 * otherwise; the budget is an eighth of what is available, shared by the
 * threads, and never below RP_LANE_BUDGET. */
static void test_lanes_for_budget(void **st)
{
    (void)st;
    rp_scenario *s = chain(3000, "", 30);
    rp_model *m = model_of(s);
    /* a workspace's own bytes: rp_flow_ws_bytes counts the smaller ones it
     * may make too (one lane; RP_HALF lanes beside eight) */
    const double one = (double)rp_flow_ws_bytes(m, 1, 365),
                 four = (double)rp_flow_ws_bytes(m, RP_HALF, 365) - one,
                 eight = (double)rp_flow_ws_bytes(m, RP_LANES, 365) -
                         (double)rp_flow_ws_bytes(m, RP_HALF, 365);
    assert_true(one < four && four < eight);
    assert_int_equal(rp_flow_lanes_for(m, 365, eight), RP_LANES);
    assert_int_equal(rp_flow_lanes_for(m, 365, eight - 1), RP_HALF);
    assert_int_equal(rp_flow_lanes_for(m, 365, four), RP_HALF);
    assert_int_equal(rp_flow_lanes_for(m, 365, four - 1), 1);
    assert_int_equal(rp_flow_lanes_for(m, 365, 1), 1);
    /* (no budget: RP_LANE_BUDGET, which this small chain fits) */
    assert_int_equal(rp_flow_lanes_for(m, 365, 0), RP_LANES);
    /* the rings follow the horizon: 30 days take fewer bytes than 365 */
    assert_true(rp_flow_lanes_for(m, 30, eight - 1) == RP_LANES);
    const double G = 1073741824.0;
    assert_true(rp_flow_lane_budget(64 * G, 2) == 4 * G);
    assert_true(rp_flow_lane_budget(64 * G, 0) == 8 * G);
    assert_true(rp_flow_lane_budget(2 * G, 8) == RP_LANE_BUDGET);
    assert_true(rp_flow_lane_budget(-1, 2) == RP_LANE_BUDGET);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Pipelines never longer than the horizon needs: S -> C with a lead time
 * of 3,000 days over a 30-day horizon.  No shipment of S can reach C
 * before the end, so C receives its baseline 100 a day from the pipeline
 * whatever S does: S down all 30 days costs nothing, and C at half
 * capacity (110 x 0.5 = 55) on days 5-14 loses 45 a day, 450 in all.  A
 * workspace whose rings were made for 3,650 days (3,000 slots) gives the
 * same bits, day by day, as one made for 30 (30 slots), and the bytes of
 * the rings follow the horizon, not the lead time. */
static void test_pipeline_capped_at_horizon(void **st)
{
    (void)st;
    rp_scenario *s = chain(3000, "", 30);
    rp_model *m = model_of(s);
    /* the bytes: one ring of min(L, T) slots, per lane */
    for (int K = 1; K <= RP_LANES; K += RP_LANES - 1) {
        size_t b30 = rp_flow_ws_bytes(m, K, 30),
               b10y = rp_flow_ws_bytes(m, K, 3650),
               bany = rp_flow_ws_bytes(m, K, 0);
        assert_true(b10y == bany);
        /* (a workspace of lanes counts the one-lane and the RP_HALF-lane
         * ones it may make) */
        size_t rings = (size_t)(K > 1 ? K + 1 + RP_HALF : K);
        assert_true(b10y - b30 == rings * 8 * (3000 - 30));
        assert_true(rp_flow_ws_bytes(m, K, 3000) == b10y);
    }
    rp_event ev[2] = {{0, 0, 30, 0, 0, 1.0, 0, 0},
                      {1, 5, 10, 0, 0, 0.5, 0, 0}};
    for (int dense = 0; dense <= 1; dense++) {
        rp_flow_ws *wc = rp_flow_ws_new(m), *wf = rp_flow_ws_new(m);
        const int mode = dense ? RP_FLOW_DENSE : RP_FLOW_SPARSE;
        rp_flow_set_options(wc, mode, INFINITY);
        rp_flow_set_options(wf, mode, INFINITY);
        rp_metrics a, b;
        memset(&a, 0, sizeof a); /* (padding compared below) */
        memset(&b, 0, sizeof b);
        /* wf's rings are made for ten years, then serve 30 days */
        assert_int_equal(rp_flow_run(m, wf, NULL, 0, 3650, &b, NULL, NULL),
                         RP_OK);
        double sa[30], sb[30], Sa[30], Sb[30], xa[60], xb[60];
        rp_flow_trace ta = {.x = xa, .S = Sa}, tb = {.x = xb, .S = Sb};
        assert_int_equal(rp_flow_run(m, wc, ev, 2, 30, &a, sa, &ta), RP_OK);
        assert_int_equal(rp_flow_run(m, wf, ev, 2, 30, &b, sb, &tb), RP_OK);
        assert_true(tu_close(a.lost_units, 450, 1e-12));
        assert_int_equal(a.days_below_target, 10);
        assert_memory_equal(&a, &b, sizeof a);
        assert_memory_equal(sa, sb, sizeof sa);
        assert_memory_equal(xa, xb, sizeof xa);
        if (dense) /* (stock is traced in dense runs) */
            assert_memory_equal(Sa, Sb, sizeof Sa);
        rp_flow_ws_free(wc);
        rp_flow_ws_free(wf);
    }
    rp_model_free(m);
    rp_scenario_free(s);
}

/* The automatic choice between sparse and dense (RP_FLOW_AUTO): on 150
 * supplier -> customer pairs (300 nodes, above RP_FLOW_DENSE_NODES), one
 * two-day outage runs sparse (quiet days skipped), while outages of every
 * supplier for ten of the 30 days (a third of the node-days hit) run
 * dense, with the bits of RP_FLOW_DENSE. */
static void test_auto_dense_for_heavy_blocks(void **st)
{
    (void)st;
    const int P = 150, T = 30;
    size_t cap = 200000, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n,
                          "{\"horizon_days\": %d, \"network\": {\"nodes\": [",
                          T);
    for (int i = 0; i < P; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "%s{\"id\": \"S%d\"}, {\"id\": \"C%d\", "
                              "\"demand\": 10, \"inventory_days\": 1}",
                              i ? ", " : "", i, i);
    n += (size_t)snprintf(text + n, cap - n, "], \"edges\": [");
    for (int i = 0; i < P; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "%s{\"from\": \"S%d\", \"to\": \"C%d\", "
                              "\"lead_time\": 2}",
                              i ? ", " : "", i, i);
    snprintf(text + n, cap - n, "]}}");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    free(text);
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    assert_true(m->N > RP_FLOW_DENSE_NODES);
    rp_event *ev = calloc((size_t)P, sizeof *ev);
    for (int i = 0; i < P; i++)
        ev[i] = (rp_event){2 * i, 5, 10, 0, 0, 1.0, 0, 0};
    rp_flow_ws *wa = rp_flow_ws_new(m), *wd = rp_flow_ws_new(m);
    rp_flow_set_options(wd, RP_FLOW_DENSE, INFINITY);
    rp_metrics a, d;
    memset(&a, 0, sizeof a);
    memset(&d, 0, sizeof d);
    /* light: one supplier down for two days */
    rp_event one = {0, 5, 2, 0, 0, 1.0, 0, 0};
    assert_int_equal(rp_flow_run(m, wa, &one, 1, T, &a, NULL, NULL), RP_OK);
    assert_true(rp_flow_days_simulated(wa) < T);
    /* heavy: every supplier down for ten days (every customer runs out) */
    assert_int_equal(rp_flow_run(m, wa, ev, P, T, &a, NULL, NULL), RP_OK);
    assert_int_equal(rp_flow_days_simulated(wa), T);
    assert_int_equal(rp_flow_run(m, wd, ev, P, T, &d, NULL, NULL), RP_OK);
    assert_memory_equal(&a, &d, sizeof a);
    assert_true(a.lost_units > 0);
    /* the pilot's measure (rp_flow_sparse_work): nodes simulated, summed
     * over the days; no events, none; the light outage, its supplier on
     * its two days and a little around; the heavy one, at least each
     * supplier on its ten days, at most every node every day; with a
     * limit, the day that passes it is the last */
    const double NT = (double)m->N * T;
    assert_true(rp_flow_sparse_work(m, NULL, 0, T, INFINITY) == 0);
    double light = rp_flow_sparse_work(m, &one, 1, T, INFINITY);
    assert_true(light >= 2 && light < NT / 20);
    double heavy = rp_flow_sparse_work(m, ev, P, T, INFINITY);
    assert_true(heavy >= 10.0 * P && heavy <= NT);
    double cut = rp_flow_sparse_work(m, ev, P, T, 1000);
    assert_true(cut > 1000 && cut <= 1000 + m->N && cut < heavy);
    free(ev);
    rp_flow_ws_free(wa);
    rp_flow_ws_free(wd);
    rp_model_free(m);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_stock_and_pipeline),
        cmocka_unit_test(test_lanes_for_budget),
        cmocka_unit_test(test_edge_event_equals_node_outage),
        cmocka_unit_test(test_linear_profile),
        cmocka_unit_test(test_substitute_covers_part),
        cmocka_unit_test(test_standby_activation),
        cmocka_unit_test(test_baseline_is_stationary),
        cmocka_unit_test(test_overlapping_events),
        cmocka_unit_test(test_pruned_outages),
        cmocka_unit_test(test_outages_pile_up),
        cmocka_unit_test(test_pipeline_capped_at_horizon),
        cmocka_unit_test(test_auto_dense_for_heavy_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
