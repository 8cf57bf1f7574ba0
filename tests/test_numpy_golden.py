#!/usr/bin/env python3
"""The benchmark's NumPy model (bench/numpy_model.py) is a second, independent
implementation of the model; it must reproduce the six golden cases (day by
day service and lost units, 1e-9 relative), so that the benchmark compares
Ripple with the same model and not another.
usage: test_numpy_golden.py REPO_ROOT"""
import json
import os
import sys

root = sys.argv[1]
sys.path.insert(0, os.path.join(root, "bench"))
import numpy_model as nm  # noqa: E402

fails = 0
for name in ["chain", "substitutes", "standby", "mixed", "abandon",
             "standby_upstream"]:
    path = os.path.join(root, "tests", "data", "golden", name + ".json")
    sc, net = nm.load(path)
    m = nm.build(sc, net)
    events = []
    for th in sc["threats"]:
        base = dict(onset=th["onset"], duration=th["duration"],
                    severity=th.get("severity", 1.0),
                    profile=th.get("profile", "step"))
        if "node" in th:
            events.append(dict(base, edge=False, target=m["idx"][th["node"]]))
        else:
            for k, e in enumerate(net["edges"]):
                if (e["from"], e["to"]) == (th["edge"]["from"], th["edge"]["to"]):
                    events.append(dict(base, edge=True, target=k))
    lu, lv, sl = nm.run(m, events, sc["horizon_days"])
    with open(path.replace(".json", ".expected.json")) as f:
        exp = json.load(f)
    ok = abs(lu - exp["lost_units"]) <= 1e-9 * max(1, exp["lost_units"])
    ok &= all(abs(a - b) <= 1e-9 for a, b in zip(sl, exp["service_level"]))
    ok &= len(sl) == len(exp["service_level"])
    print(f"{name}: lost {lu:.12g} (golden {exp['lost_units']:.12g})"
          f" {'ok' if ok else 'FAIL'}")
    fails += not ok
print(f"{6 - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
