#!/usr/bin/env python3
"""The decision layer, read back from results files: the risk register by
threat, the event log and net benefit.
usage: test_register.py RIPPLE_BINARY TESTS_DATA_DIR

- The marginal loss of threat k equals the mean paired difference between
  the run and a run with threat k's rate set to 0 (every other threat's
  events unchanged: draws are keyed by threat index); Shapley values sum to
  the total mean loss; on two independent threats hitting separate
  customers, Shapley = marginal = standalone.
- Replaying the logged events of a replication as scripted events gives
  that replication's lost units (1e-9).
- Net benefit recomputed from /replication and the strategies' costs;
  prob_best sums to 1; the recommendation follows the mean net benefit.
"""
import json
import os
import subprocess

import h5py
import numpy as np

from ripple_test import Suite

suite = Suite("register")
ripple, data = suite.ripple, suite.data
check = suite.check
tmp = suite.tmp


run = suite.run


def close(a, b, rel=1e-9):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.all(np.abs(a - b) <= rel * np.maximum(1.0, np.abs(b)))


with open(os.path.join(data, "all_threats.json")) as f:
    sc = json.load(f)
sc["replications"] = 40
base = os.path.join(tmp, "all.json")
json.dump(sc, open(base, "w"))
full = os.path.join(tmp, "full.h5")
check(run(base, full, "--register", "shapley") == 0, "run with shapley")
f = h5py.File(full, "r")
reg = f["risk_register"]
lost = f["replication/lost_value"][()]          # [strategy, replication]
total = lost.mean(axis=1)
marg = reg["marginal_mean"][()]
check(reg["shapley"].attrs["method"] in ("exact", b"exact"),
      "six threats: Shapley exact")
check(close(reg["shapley"][()].sum(axis=1), total),
      "Shapley values sum to the total mean loss")
check(close(reg["interaction"][()], total - marg.sum(axis=1)),
      "interaction = total - sum of marginals")
names = [t.decode() if isinstance(t, bytes) else t for t in f["threat"][()]]
check(len(names) == len(sc["threats"]), "/threat lists every threat")
# marginal = paired difference with the threat's rate at 0 (every strategy)
rate_keys = ("rate_per_year", "attempts_per_year")
tested = 0
for k, th in enumerate(sc["threats"]):
    key = next((q for q in rate_keys if q in th), None)
    if key is None:
        continue                                  # scripted: no rate
    v = json.loads(json.dumps(sc))
    v["threats"][k][key] = 0
    p = os.path.join(tmp, f"zero{k}.json")
    json.dump(v, open(p, "w"))
    out = os.path.join(tmp, f"zero{k}.h5")
    check(run(p, out, "--register", "none", "--events", "none") == 0,
          f"run without threat {k}")
    without = h5py.File(out, "r")["replication/lost_value"][()]
    check(close(marg[:, k], (lost - without).mean(axis=1)),
          f"threat {k} ({th['type']}): marginal {marg[:, k]} vs paired "
          f"{(lost - without).mean(axis=1)}")
    tested += 1
check(tested >= 5, "every threat type but scripted zeroed")
p_any = reg["p_any"][()]
check(np.all((p_any >= 0) & (p_any <= 1)), "p_any in [0, 1]")
att = reg["attempts_per_year"][()]
types = [t["type"] for t in sc["threats"]]
check(all(np.isnan(att[:, k]).all() == (types[k] != "attack")
          for k in range(len(types))), "attempts only for attacks")

# the event log: replaying a replication's rows gives its lost units
ev = f["events"]
nodes = [n.decode() if isinstance(n, bytes) else n
         for n in f["node/node"][()]] if "node/node" in f else None
edges = sc["network"]["edges"]
ids = [n["id"] for n in sc["network"]["nodes"]]
units = f["replication/lost_units"][()]
S = lost.shape[0]
for s in range(S):
    for r in (0, 7, 19, 33):
        rows = np.nonzero((ev["strategy"][()] == s) &
                          (ev["replication"][()] == r))[0]
        threats = []
        for q in rows:
            t = {"type": "scripted", "onset": int(ev["onset"][q]),
                 "duration": int(ev["duration"][q]),
                 "severity": float(ev["severity"][q]),
                 "profile": ["step", "linear"][int(ev["profile"][q])]}
            tgt = int(ev["target"][q])
            if ev["target_kind"][q] == 0:
                t["node"] = ids[tgt]
            else:
                e = edges[tgt]
                t["edge"] = {"from": e["from"], "to": e["to"]}
                if "input" in e:
                    t["edge"]["input"] = e["input"]
            threats.append(t)
        rep = {"name": "replay", "network": sc["network"],
               "horizon_days": sc["horizon_days"], "replications": 1,
               "model": sc["model"], "threats": threats}
        if s > 0:
            rep["strategies"] = [sc["strategies"][s - 1]]
        p = os.path.join(tmp, "replay.json")
        json.dump(rep, open(p, "w"))
        out = os.path.join(tmp, "replay.h5")
        check(run(p, out, "--register", "none", "--events", "none") == 0,
              "replay run")
        got = h5py.File(out, "r")["replication/lost_units"][()]
        col = 0 if s == 0 else 1
        check(close(got[col, 0], units[s, r]),
              f"replay of strategy {s} replication {r}: {got[col, 0]} lost, "
              f"the run {units[s, r]}")
check(len(ev["onset"]) > 40, "the log holds events")

# net benefit from /replication and the costs
cost = np.array([0] + [st.get("cost_per_year", 0) for st in sc["strategies"]])
nb = (lost[0] - lost) * 365.0 / sc["horizon_days"] - cost[:, None]
nb[0] = 0
cmp_ = f["comparison"]
check(close(cmp_["net_benefit_mean"][()], nb.mean(axis=1)),
      "net benefit = saved value a year minus cost")
se = nb.std(axis=1, ddof=1) / np.sqrt(nb.shape[1])
check(close(cmp_["net_benefit_ci95_high"][()] - cmp_["net_benefit_mean"][()],
            1.96 * se, 1e-6), "net benefit interval")
pb = cmp_["prob_best"][()]
check(abs(pb.sum() - 1) < 1e-9 and np.all(pb >= 0), "prob_best sums to 1")
# a share of the 1,000 resamples, exactly k/1000 (never 1 + 7e-16)
check(np.all(pb <= 1) and np.all(pb == np.round(pb * 1000) / 1000),
      "prob_best is a count of 1,000 resamples divided once")
rec = cmp_.attrs["recommended"]
rec = rec.decode() if isinstance(rec, bytes) else rec
best = int(np.argmax(nb.mean(axis=1)))
want = (["baseline"] + [st["name"] for st in sc["strategies"]])[best] \
    if nb.mean(axis=1)[best] > 0 else "baseline"
check(rec == want, f"recommended {rec}, expected {want}")

# two independent threats on separate customers: Shapley = marginal =
# standalone (nothing interacts)
two = {"name": "two", "horizon_days": 120, "replications": 30, "seed": 5,
       "network": {"nodes": [
           {"id": "S1", "kind": "supplier"}, {"id": "C1", "kind": "customer",
                                              "demand": 10, "unit_value": 3},
           {"id": "S2", "kind": "supplier"}, {"id": "C2", "kind": "customer",
                                              "demand": 20, "unit_value": 2}],
           "edges": [{"from": "S1", "to": "C1"}, {"from": "S2", "to": "C2"}]},
       "model": {"inventory_days": 2},
       "threats": [
           {"type": "node_hazard", "name": "A", "nodes": {"ids": ["S1"]},
            "rate_per_year": 4, "duration": {"dist": "exponential",
                                             "mean": 8}},
           {"type": "node_hazard", "name": "B", "nodes": {"ids": ["S2"]},
            "rate_per_year": 3, "duration": {"dist": "exponential",
                                             "mean": 6}}]}
p = os.path.join(tmp, "two.json")
json.dump(two, open(p, "w"))
out = os.path.join(tmp, "two.h5")
check(run(p, out, "--register", "shapley") == 0, "two threats")
g = h5py.File(out, "r")["risk_register"]
a, m, sh = (g["standalone_mean"][()], g["marginal_mean"][()],
            g["shapley"][()])
check(a.sum() > 0, "the two threats lose something")
check(close(a, m) and close(m, sh), f"independent: standalone {a}, "
      f"marginal {m}, Shapley {sh}")
check(close(g["interaction"][()], 0, 1e-9) or
      abs(g["interaction"][()][0]) < 1e-6 * a.sum(), "no interaction")

# every dataset of a run file (register, events, strategies) and of a
# stress file says what it is and its units; values are in the currency
def undocumented(path):
    bad = []
    with h5py.File(path, "r") as h:
        h.visititems(lambda n, o: bad.append(n) if isinstance(
            o, h5py.Dataset) and ("long_name" not in o.attrs or
                                  "units" not in o.attrs) else None)
    return bad


sc["currency"] = "EUR"
json.dump(sc, open(base, "w"))
eur = os.path.join(tmp, "eur.h5")
check(run(base, eur, "-r", "5") == 0, "run with a currency")
check(undocumented(eur) == [], f"undocumented: {undocumented(eur)}")
with h5py.File(eur, "r") as h:
    cur = h.attrs["currency"]
    check((cur.decode() if isinstance(cur, bytes) else cur) == "EUR",
          "currency attribute")
    u = h["replication/lost_value"].attrs["units"]
    check((u.decode() if isinstance(u, bytes) else u) == "EUR",
          "lost value in EUR")
    lab = h["network/edge_label"][0]
    lab = lab.decode() if isinstance(lab, bytes) else lab
    e0 = sc["network"]["edges"][0]
    check(lab == f"{e0['from']}->{e0['to']}:{e0.get('input', e0['from'])}",
          f"edge label {lab}")
    check("node_name" in h["node"] and "node_kind" in h["node"] and
          "node_region" in h["node"], "node labels in /node")
st = os.path.join(tmp, "st.h5")
r = subprocess.run([ripple, "stress", base, "-q", "-o", st],
                   capture_output=True, text=True)
check(r.returncode == 0, "stress " + r.stderr)
check(undocumented(st) == [], f"undocumented (stress): {undocumented(st)}")

suite.done()
