#!/usr/bin/env bash
# Skipping quiet parts of the network against simulating all of it, on
# generated networks under random hazards everywhere: node hazards on every
# supplier, plant and warehouse, regional events, link disruptions.  Every
# replication's lost value, one lane and eight lanes, must agree with the
# dense run within MODEL.md's 1e-6.  (Randomised, but with fixed seeds.)
# usage: random_networks.sh RIPPLE_BINARY
set -u
ripple=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for seed in 21 23 12; do
    nodes=$([ "$seed" = 12 ] && echo 300 || echo 150)
    "$ripple" generate -n "$nodes" -s "$seed" -o "$tmp/g.json" 2>/dev/null ||
        { echo "FAIL: generate $seed" >&2; fail=1; continue; }
    cat >"$tmp/s.json" <<JSON
{"name": "random $seed", "network": "g.json", "horizon_days": 365,
 "seed": $seed, "threats": [
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
        "$ripple" run "$tmp/s.json" -r 64 -j 2 ${cfg#*:} -q -o "$tmp/$name.h5" ||
            { echo "FAIL: run $seed $name" >&2; fail=1; }
    done
    /usr/bin/python3 - "$tmp" "$seed" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
tmp, seed = sys.argv[1], sys.argv[2]
b = h5py.File(tmp + "/dense.h5")["replication/lost_value"][:]
assert b.max() > 0, "nothing was lost: the test would prove nothing"
for name in ("one", "eight"):
    a = h5py.File(tmp + "/" + name + ".h5")["replication/lost_value"][:]
    d = np.abs(a - b) / np.maximum(1.0, np.abs(b))
    if d.max() > 1e-6:
        r = np.unravel_index(d.argmax(), d.shape)
        print(f"FAIL: seed {seed}, {name} lane(s): replication {r[1]} lost "
              f"{a[r]:.17g}, dense {b[r]:.17g}", file=sys.stderr)
        sys.exit(1)
PYEOF
done
exit $fail
