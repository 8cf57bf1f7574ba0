/* Networks as a pair of CSV files (docs/formats.md, "CSV networks").
 *
 * A scenario's network may be {"nodes_csv": "sites.csv", "edges_csv":
 * "lanes.csv"}: a header row of the JSON field names, one row a node (an
 * edge).  The rows become the same JSON network document a network file
 * holds, which the network parser then checks; its messages are given back
 * in CSV terms ("sites.csv:14: capacity: must be a number > 0 (got
 * "12,5")").  Built on libcsv. */
#ifndef RIPPLE_CSVNET_H
#define RIPPLE_CSVNET_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ripple/error.h"
#include "ripple/json.h"
#include "ripple/network.h"

typedef enum { RP_CSV_NODES = 0, RP_CSV_EDGES = 1 } rp_csv_table;

/* The keys a network object naming CSV files may have. */
extern const char *const rp_csvnet_keys[];

/* Parse the CSV text of one table (len bytes; UTF-8 with or without a BOM,
 * ',' or ';' as found in the header line) into a JSON array of row
 * objects, and the line each row starts on in *lines (malloc'd, one per
 * row).  Every problem is reported as "LABEL:LINE: COLUMN: message". */
rp_status rp_csv_table_parse(const char *label, const char *text, size_t len,
                             rp_csv_table t, cJSON **rows, int **lines,
                             rp_errors *err);

/* Both tables to a network document ({"name", "nodes", "edges"}) and the
 * parsed network.  edges_text may be NULL (no edges); name may be NULL.
 * The network's strings are borrowed from *doc, which the caller keeps
 * (cJSON_Delete) as long as the network.  When lines is not NULL, it is
 * set to the line of every node's record and then every edge's
 * (malloc'd; the network's node_line and edge_line point into it, and
 * nodes_file and edges_file to the labels). */
rp_status rp_csvnet_from_text(const char *nodes_label, const char *nodes_text,
                              size_t nodes_len, const char *edges_label,
                              const char *edges_text, size_t edges_len,
                              const char *name, cJSON **doc, rp_network **net,
                              int **lines, rp_errors *err);

/* The network object spec ({"nodes_csv", "edges_csv", "name",
 * "description"}) at JSON path `path` of the scenario c->file, its paths
 * relative to base_dir: the files read (regular files of at most the input
 * limit), converted and parsed.  *label is set to a label naming the
 * files, in one allocation (free) with what the network's file,
 * nodes_file, edges_file, node_line and edge_line point to. */
rp_status rp_csvnet_load(rp_jctx *c, const cJSON *spec, const char *path,
                         const char *base_dir, cJSON **doc, char **label,
                         rp_network **net);

/* Write a network document (a JSON network object, already valid) as
 * DIR/nodes.csv and DIR/edges.csv: comma-separated, quoted where needed,
 * the columns that some row sets.  DIR is created when missing. */
rp_status rp_csvnet_write(const cJSON *net, const char *dir, rp_errors *err);

/* The path rp_csvnet_write gives table t (0: nodes.csv, 1: edges.csv) in
 * DIR, as a new string (free it); NULL out of memory. */
char *rp_csvnet_table_path(const char *dir, int t);

#endif
