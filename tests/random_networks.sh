#!/usr/bin/env bash
# Skipping quiet parts of the network against simulating all of it, on
# generated networks under random hazards everywhere: node hazards on every
# supplier, plant and warehouse, regional events, link disruptions.  Every
# replication's lost value, one lane and eight lanes, must agree with the
# dense run within the model's 1e-6.  Each network runs twice: as
# generated (1-3 substitute suppliers per input), and with standby
# suppliers added to a third of the input groups: some existing suppliers,
# some new standby plants without baseline output that need an input of
# their own (their health, not their stock, lets buyers switch to them).
# (Randomised, but with fixed seeds.)
# usage: random_networks.sh RIPPLE_BINARY
set -u
ripple=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for seed in 21 23 12 21s 23s 12s; do
    nodes=$([ "${seed%s}" = 12 ] && echo 300 || echo 150)
    "$ripple" generate -n "$nodes" -s "${seed%s}" -o "$tmp/g.json" 2>/dev/null ||
        { echo "FAIL: generate $seed" >&2; fail=1; continue; }
    if [ "$seed" != "${seed%s}" ]; then
        /usr/bin/python3 - "$tmp/g.json" "${seed%s}" <<'PYEOF' || fail=1
import json, random, sys
path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
net = json.load(open(path))
nodes = {n["id"]: n for n in net["nodes"]}
inputs_of = {}
for e in net["edges"]:
    inputs_of.setdefault(e["to"], []).append(e)
groups = {}
for e in net["edges"]:
    groups.setdefault((e["to"], e["input"]), []).append(e)
added, plants = 0, 0
for (to, inp), es in sorted(groups.items()):
    if rng.random() > 1 / 3:
        continue
    first = es[0]["from"]
    if rng.random() < 0.5:
        # an existing supplier that does not serve this group yet
        cands = sorted({e["from"] for e in net["edges"]
                        if nodes[e["from"]]["tags"] == nodes[first]["tags"]}
                       - {e["from"] for e in es})
        if not cands:
            continue
        sb = rng.choice(cands)
    else:
        # a standby plant with no baseline output, fed by the suppliers of
        # the group's first supplier (none for the top tier)
        sb = f"sb{plants}"
        plants += 1
        nodes[sb] = {"id": sb, "kind": "plant", "region": "R0",
                     "tags": ["standby"], "capacity": 400,
                     "inventory_days": rng.randint(0, 4)}
        net["nodes"].append(nodes[sb])
        for e in inputs_of.get(first, [])[:2]:
            net["edges"].append({"from": e["from"], "to": sb,
                                 "input": e["input"],
                                 "lead_time": rng.randint(1, 4)})
    net["edges"].append({"from": sb, "to": to, "input": inp, "standby": True,
                         "standby_share": rng.choice([0.5, 1.0]),
                         "activation_delay": rng.randint(0, 5),
                         "lead_time": rng.randint(1, 4)})
    added += 1
assert added > 5 and plants > 2, (added, plants)
json.dump(net, open(path, "w"))
PYEOF
    fi
    cat >"$tmp/s.json" <<JSON
{"name": "random $seed", "network": "g.json", "horizon_days": 365,
 "seed": ${seed%s}, "threats": [
  {"type": "node_hazard", "name": "fires",
   "nodes": {"kinds": ["supplier", "plant", "warehouse"]},
   "rate_per_year": 0.08, "duration": {"dist": "exponential", "mean": 20},
   "severity": {"dist": "uniform", "min": 0.3, "max": 1.0}},
  {"type": "regional", "name": "quakes", "regions": ["R1", "R2", "R3"],
   "rate_per_year": 0.5, "duration": {"dist": "lognormal", "mean": 10, "sd": 8},
   "severity": {"dist": "uniform", "min": 0.2, "max": 1.0}},
  {"type": "edge_hazard", "name": "links",
   "edges": {"from": {"kinds": ["supplier", "plant", "warehouse"]}},
   "rate_per_year": 0.02,
   "duration": {"dist": "triangular", "min": 2, "mode": 6, "max": 30},
   "severity": 1.0}]}
JSON
    for cfg in "dense:--lanes 1 --dense" "one:--lanes 1" "eight:--lanes 8"; do
        name=${cfg%%:*}
        # shellcheck disable=SC2086
        "$ripple" run "$tmp/s.json" -r 64 -j 2 ${cfg#*:} -q --register none --events none -o "$tmp/$name.h5" ||
            { echo "FAIL: run $seed $name" >&2; fail=1; }
    done
    # small runs: a thread's scratch has as many lanes as its groups need
    # (-r 1: one lane; -r 3 and -r 2 on two threads: fewer than eight)
    for cfg in "small1:-r 1 -j 1" "small3:-r 3 -j 1" "small2:-r 2 -j 2"; do
        name=${cfg%%:*}
        # shellcheck disable=SC2086
        "$ripple" run "$tmp/s.json" ${cfg#*:} -q --register none --events none -o "$tmp/$name.h5" ||
            { echo "FAIL: run $seed $name" >&2; fail=1; }
    done
    /usr/bin/python3 - "$tmp" "$seed" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
tmp, seed = sys.argv[1], sys.argv[2]
b = h5py.File(tmp + "/dense.h5")["replication/lost_value"][:]
assert b.max() > 0, "nothing was lost: the test would prove nothing"
for name in ("one", "eight", "small1", "small3", "small2"):
    a = h5py.File(tmp + "/" + name + ".h5")["replication/lost_value"][:]
    bn = b[:, :a.shape[1]]  # (a small run: the first replications)
    d = np.abs(a - bn) / np.maximum(1.0, np.abs(bn))
    if d.max() > 1e-6:
        r = np.unravel_index(d.argmax(), d.shape)
        print(f"FAIL: seed {seed}, {name} lane(s): replication {r[1]} lost "
              f"{a[r]:.17g}, dense {bn[r]:.17g}", file=sys.stderr)
        sys.exit(1)
PYEOF
done
exit $fail
