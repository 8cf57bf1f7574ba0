#!/usr/bin/env python3
"""Import a Willems (2008) multi-echelon chain into Ripple's network format.

usage: import_willems.py CHAIN.csv [-o NETWORK.json] [--inventory-days N]
       [--lead-time buyer|supplier]
       [--scenario SCENARIO.json --outages K --seed S --half-severity]

The CSV (as in data/willems/, described in data/README.md) has one row per
stage: stage_id, lead_time (processing days), cost_rate, ext_demand_mean,
and up_stages as (upstream id, units per unit) pairs.  For example

    python3 scenarios/tools/import_willems.py data/willems/willems_07.csv -o w07.json

Mapping:

* every stage becomes a node; its kind follows the id prefix (Part ->
  supplier, Manuf -> plant, Trans -> transport, Dist -> warehouse, Retail ->
  customer) and it is tagged with the prefix;
* ext_demand_mean becomes the node's final demand (units/day);
* every upstream pair becomes an edge with that ratio; each upstream is its
  own required input (the data has no alternative suppliers);
* the edge's lead time is the buyer stage's processing time rounded to whole
  days (at least 1): inputs ordered today become output that many days on;
  with --lead-time supplier it is the supplier (upstream) stage's processing
  time instead, the time the supplier takes to make what it ships, so the
  parts' long processing times become pipelines of that many days on the
  edges out of them (bench/'s W38-L workload);
* unit_value is the cumulative cost of a unit: the stage's cost_rate plus
  the ratio-weighted unit values of its inputs, so lost final demand is
  valued at what went into it.

With --scenario, also writes a scenario with K scripted outages of Part
stages (severity 1, 10 to 40 days, onsets spread over the year), the
workload of bench/.  --half-severity gives every second outage severity 0.5
(a partial loss of the part's capacity) instead of 1.
"""
import argparse
import csv
import json
import os
import random
import sys

KIND = {"Part": "supplier", "Manuf": "plant", "Trans": "transport",
        "Dist": "warehouse", "Retail": "customer"}


def load(path):
    rows = []
    with open(path, newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        col = {h: i for i, h in enumerate(header)}
        ups_at = col["up_stages"]
        for line, r in enumerate(rd, start=2):
            if not r or not r[0]:
                continue
            ups = r[ups_at:]
            if len(ups) % 2:
                sys.exit(f"{path}:{line}: up_stages must come in (id, ratio) pairs")
            pairs = [(ups[k], float(ups[k + 1])) for k in range(0, len(ups), 2) if ups[k]]
            rows.append({
                "id": r[0],
                "lead": float(r[col["lead_time"]] or 0),
                "cost": float(r[col["cost_rate"]] or 0),
                "demand": float(r[col["ext_demand_mean"]] or 0),
                "ups": pairs,
            })
    return rows


def convert(rows, name, inventory_days, lead_from="buyer"):
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        for u, _ in r["ups"]:
            if u not in by_id:
                sys.exit(f"stage {r['id']}: unknown upstream stage {u}")
    value = {}

    def unit_value(sid, depth=0):
        if sid in value:
            return value[sid]
        if depth > len(rows):
            sys.exit(f"cycle through stage {sid}")
        r = by_id[sid]
        v = r["cost"] + sum(q * unit_value(u, depth + 1) for u, q in r["ups"])
        value[sid] = v
        return v

    sys.setrecursionlimit(10000 + 4 * len(rows))
    nodes, edges = [], []
    for r in rows:
        prefix = r["id"].split("_")[0]
        n = {"id": r["id"], "kind": KIND.get(prefix, "stage"), "tags": [prefix.lower()],
             "unit_value": round(unit_value(r["id"]), 6)}
        if r["demand"] > 0:
            n["demand"] = r["demand"]
        if inventory_days is not None:
            n["inventory_days"] = inventory_days
        nodes.append(n)
        for u, q in r["ups"]:
            lead = r["lead"] if lead_from == "buyer" else by_id[u]["lead"]
            lt = max(1, int(round(lead)))
            edges.append({"from": u, "to": r["id"], "ratio": q, "lead_time": lt})
    return {"name": name, "nodes": nodes, "edges": edges}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--inventory-days", type=float, default=None)
    ap.add_argument("--lead-time", choices=("buyer", "supplier"), default="buyer",
                    help="whose processing time becomes the edge's lead time")
    ap.add_argument("--scenario")
    ap.add_argument("--outages", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--half-severity", action="store_true",
                    help="every second outage at severity 0.5")
    a = ap.parse_args()
    name = os.path.splitext(os.path.basename(a.csv))[0]
    net = convert(load(a.csv), name, a.inventory_days, a.lead_time)
    text = json.dumps(net, separators=(",", ":"))
    if a.output == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(a.output, "w") as f:
            f.write(text + "\n")
    if a.scenario:
        rng = random.Random(a.seed)
        parts = [n["id"] for n in net["nodes"] if n["kind"] == "supplier"]
        chosen = rng.sample(parts, min(a.outages, len(parts)))
        threats = [{"type": "scripted", "name": f"outage {p}", "node": p,
                    "onset": 20 + 30 * k, "duration": rng.randint(10, 40),
                    "severity": 0.5 if a.half_severity and k % 2 else 1.0}
                   for k, p in enumerate(chosen)]
        rel = os.path.relpath(os.path.abspath(a.output),
                              os.path.dirname(os.path.abspath(a.scenario)))
        scen = {"name": f"{name}-outages",
                "description": f"Willems chain {name}: {len(chosen)} scripted part "
                               "outages over one year (benchmark workload)"
                               + (", half at severity 0.5" if a.half_severity else "")
                               + (", supplier lead times" if a.lead_time == "supplier"
                                  else "") + ".",
                "network": rel, "horizon_days": 365, "replications": 10, "seed": 1,
                "model": {"replenishment_days": 6, "spare_capacity": 0.1,
                          "inventory_days": 7, "service_target": 0.99},
                "threats": threats,
                "stress": {"ttr_days": 30, "nodes": "all"}}
        with open(a.scenario, "w") as f:
            json.dump(scen, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
