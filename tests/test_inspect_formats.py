#!/usr/bin/env python3
"""ripple inspect on the decision layer, in text, json and csv.
usage: test_inspect_formats.py RIPPLE_BINARY TESTS_DATA_DIR

- text: the strategies ranked by net benefit a year with the P(best)
  legend and a recommendation that follows the mean net benefit ("no
  strategy pays for itself" when none is positive, also when a strategy
  cuts the loss but costs more than it saves); the risk register with the
  interaction line, the 5x5 likelihood x consequence matrix, the worst
  replications with their events.
- json parses, and its numbers are the file's datasets (exactly); the
  worst replications are the baseline's highest lost values and their
  events the rows of /events.
- csv: every section after a '# name' line parses as a table.
- money is named by the scenario's currency in every format; amounts in
  the text are grouped whole numbers from 1,000 on, never "9e+05".
- files without /risk_register and /events (--register none --events
  none) are read; --format xml is refused with exit status 2.
"""
import csv
import io
import json
import os
import shutil

import h5py
import numpy as np

from ripple_test import Suite

suite = Suite("inspect_formats")
ripple, data = suite.ripple, suite.data
check = suite.check
tmp = suite.tmp


sh = suite.rip

run = suite.run


def s(x):
    return x.decode() if isinstance(x, bytes) else x


def same(a, b):
    """json numbers (null for NaN) equal to the file's values"""
    a = np.array([np.nan if v is None else v for v in a], float)
    b = np.asarray(b, float)
    return a.shape == b.shape and bool(np.all((a == b) |
                                              (np.isnan(a) & np.isnan(b))))


with open(os.path.join(data, "all_threats.json")) as f:
    sc = json.load(f)
sc["replications"] = 40
sc["currency"] = "CHF"
# a threat's name longer than its column (24) is cut with "..." in the text
sc["threats"][0]["name"] = "Taiwan earthquake or typhoon"
scen = os.path.join(tmp, "all.json")
json.dump(sc, open(scen, "w"))
out = os.path.join(tmp, "all.h5")
check(run(scen, out, "--register", "shapley") == 0, "run")
h = h5py.File(out, "r")
strat = [s(x) for x in h["strategy"][()]]
threats = [s(x) for x in h["threat"][()]]
nodes = [s(x) for x in h["network/node"][()]]
nb = h["comparison/net_benefit_mean"][()]

# ---- text ----
r = sh("inspect", out)
check(r.returncode == 0, f"inspect: {r.stderr}")
t = r.stdout
for want in ["strategies ranked by net benefit a year",
             "  P(best): share of 1,000 bootstrap resamples of the replications in "
             "which it nets the most (baseline: none pays)\n",
             "  P(better): share of replications in which it loses less; "
             "ROI: (saved/yr - cost/yr) / cost/yr;\n",
             "  var.red.: the variance of the two losses over",
             "minus cost_per_year, in CHF a year;",
             " a year, in CHF",
             "risk register (baseline)",
             "  interaction ",
             "threats that strike together lose",
             "likelihood x consequence (baseline)",
             "  C5 >=20%", "  C1 <0.1%", "<0.01", ">=10",
             "worst replications (baseline): the 3 with the highest lost"]:
    check(want in t, f"text has {want!r}")
check("Taiwan earthquake or ... " in t and "earthquake or typ" not in t,
      "a long threat name cut with '...' in the text")
# the events' columns are explained once, above the first table (a second,
# differently worded legend under the last one was dropped)
check(t.count("  onset: ") == 1 and
      "severity: the share it takes of a node's capacity or a link's flow "
      "on its first day (1 = all)\n" in t, "one legend of the events")
# amounts read one way: grouped from 1,000 on, never %g's "9e+05" (the
# baseline's mean lost value shown as a grouped whole number)
import re
check(re.search(r"[0-9]e[+-][0-9]", t) is None, "no exponent in the text")
i_mean = [s(x) for x in h["summary/stat"][()]].index("mean")
big = float(h["summary/lost_value"][0, i_mean])
check(big < 1000 or f"{big:,.0f}" in t, f"grouped amounts ({big:,.0f})")
check("(lost value in 200 days, in CHF)" in t and
      "unit_value's currency" not in t, "text names the currency")
for fmt, want in (("json", '"currency": "CHF"'), ("csv", ',"CHF",')):
    r = sh("inspect", out, "--format", fmt)
    check(want in r.stdout, f"{fmt} names the currency")
# the trace command printed under a worst replication runs as printed and
# replays that replication (this run's scenario, -r, -s and --horizon)
import re
import shlex
m = re.search(r"replication (\d+): lost value .*\n    \((ripple trace [^)]*)\)", t)
check(m is not None, "text prints a trace command under a worst replication")
if m:
    args = shlex.split(m.group(2))[2:] + ["-o", os.path.join(tmp, "tr.h5")]
    r = sh("trace", *args)
    lost = h["replication/lost_value"][0, int(m.group(1))]
    # the money in the scenario's currency
    # (amounts as the text shows them: "34,741,300", 4 digits below 1,000)
    v = re.search(r"\(value ([0-9.,e+-]+), in CHF\)", r.stdout + r.stderr)
    check(r.returncode == 0 and v is not None and
          abs(float(v.group(1).replace(",", "")) - lost) <=
          max(5e-4 * abs(lost), 0.5),
          f"the printed trace command replays the replication: {r.stderr}")
best = int(np.argmax(nb[1:])) + 1
if nb[best] > 0:
    check(f'  -> recommended: "{strat[best]}", the highest expected net '
          f'benefit' in t, "recommendation names the best net benefit")
else:
    check("  -> no strategy pays for itself: keep the baseline" in t,
          "no strategy pays")
check("cuts expected loss" not in t, "the old '->' line is gone")
matrix = [ln for ln in t.splitlines() if ln.startswith("  C") and "|" in ln]
check(len(matrix) == 5 and all(ln.count("|") == 6 for ln in matrix),
      f"5 x 5 matrix: {matrix}")

# ---- json ----
r = sh("inspect", out, "--format", "json")
check(r.returncode == 0, "inspect --format json")
j = json.loads(r.stdout)
for k in ("strategies", "risk_register", "matrix", "worst_replications",
          "recommendation", "recommended", "lost_value", "interaction"):
    check(k in j, f"json has {k}")
js = {row["strategy"]: row for row in j["strategies"]}
check(sorted(js) == sorted(strat), "every strategy ranked")
check([row["strategy"] for row in j["strategies"]] ==
      [strat[i] for i in np.argsort(-np.where(np.arange(len(nb)) == 0, 0,
                                              nb), kind="stable")],
      "ranked by net benefit")
for key in ("net_benefit_mean", "net_benefit_ci95_low",
            "net_benefit_ci95_high", "prob_best"):
    check(same([js[n][key] for n in strat], h["comparison/" + key][()]),
          f"json {key} = /comparison/{key}")
check(same([js[n]["cost_per_year"] for n in strat],
           h["strategies/cost_per_year"][()]), "json cost = the file's")
check(j["recommended"] == s(h["comparison"].attrs["recommended"]),
      f"json recommended {j['recommended']} = the file's")
reg = h["risk_register"]
rows = [x for x in j["risk_register"] if x["strategy"] == "baseline"]
check(len(rows) == len(threats), "a register row a threat")
order = [threats.index(x["threat"]) for x in rows]
check(list(np.argsort(-reg["marginal_mean"][0], kind="stable")) == order,
      "register sorted by marginal loss")
for key in ("events_per_year", "p_any", "attempts_per_year", "p_success",
            "standalone_mean", "marginal_mean", "marginal_ci95_low",
            "marginal_ci95_high", "shapley", "tail_marginal_cvar95",
            "loss_per_event", "likelihood_class", "consequence_class"):
    check(same([x[key] for x in rows], reg[key][0][order]),
          f"json register {key} = /risk_register/{key}")
inter = {x["strategy"]: x for x in j["interaction"]}
check(inter["baseline"]["interaction"] == reg["interaction"][0],
      "json interaction = the file's")
cells = [c for c in j["matrix"] if c["strategy"] == "baseline"]
check(len(cells) == 25, "25 cells")
L, C = reg["likelihood_class"][0], reg["consequence_class"][0]
check(all(sorted(c["threats"]) ==
          sorted(threats[k] for k in range(len(threats))
                 if L[k] == c["likelihood_class"] and
                 C[k] == c["consequence_class"]) for c in cells),
      "matrix cells hold the threats of their classes")
lost = h["replication/lost_value"][0]
top = np.argsort(-lost, kind="stable")[:3]
w = j["worst_replications"]
check([x["replication"] for x in w] == list(top),
      f"worst replications {[x['replication'] for x in w]} = {list(top)}")
check(same([x["lost_value"] for x in w], lost[top]), "their lost values")
ev = h["events"]
es, er = ev["strategy"][()], ev["replication"][()]
ef, et = h["network/edge_from"][()], h["network/edge_to"][()]
for x in w:
    q = np.nonzero((es == 0) & (er == x["replication"]))[0]
    want = sorted((int(ev["onset"][i]), threats[ev["threat"][i]],
                   nodes[ev["target"][i]] if ev["target_kind"][i] == 0 else
                   f"{nodes[ef[ev['target'][i]]]} -> "
                   f"{nodes[et[ev['target'][i]]]}",
                   int(ev["duration"][i]), float(ev["severity"][i]))
                  for i in q)
    got = sorted((e["onset"], e["threat"], e["target"], e["duration"],
                  e["severity"]) for e in x["events"])
    check(got == want, f"events of replication {x['replication']}")

# ---- csv ----
r = sh("inspect", out, "--format", "csv")
check(r.returncode == 0, "inspect --format csv")
sections = {}
for block in r.stdout.split("\n\n"):
    lines = block.strip("\n").split("\n")
    check(lines[0].startswith("# "), f"section starts with '# ': {lines[0]}")
    sections[lines[0][2:]] = list(csv.DictReader(io.StringIO(
        "\n".join(lines[1:]))))
for k in ("strategies", "risk_register", "matrix", "worst_replications",
          "recommendation"):
    check(k in sections and sections[k], f"csv section {k}")
cs = {row["strategy"]: row for row in sections["strategies"]}
check(same([float(cs[n]["net_benefit_mean"]) for n in strat], nb),
      "csv net benefit = the file's")
check(sections["recommendation"][0]["recommended"] == j["recommended"],
      "csv and json recommend the same")
check(len(sections["matrix"]) == 25 * len({c["strategy"]
                                           for c in j["matrix"]}),
      "csv matrix: 25 rows a register")

# ---- a strategy that cuts the loss but costs more than it saves ----
v = json.loads(json.dumps(sc))
for st in v["strategies"]:
    st["cost_per_year"] = 1e12
p = os.path.join(tmp, "dear.json")
json.dump(v, open(p, "w"))
o2 = os.path.join(tmp, "dear.h5")
check(run(p, o2, "--register", "none", "--events", "none") == 0, "dear run")
r = sh("inspect", o2)
check(r.returncode == 0, "inspect without register and events")
check("  -> no strategy pays for itself: keep the baseline" in r.stdout,
      "dear strategies: no strategy pays for itself")
# absent sections: no table, a line saying they are not in the file
check("risk register (" not in r.stdout and
      "worst replications (" not in r.stdout, "absent sections not printed")
check("risk register: not in this file" in r.stdout and
      "worst replications: not in this file" in r.stdout,
      "absent sections named as absent")
r = sh("inspect", o2, "--format", "json")
j2 = json.loads(r.stdout)
check(j2["recommended"] == "baseline" and j2["risk_register"] is None and
      j2["worst_replications"] is None, "json: baseline, null sections")

# ---- the baseline alone: the file and inspect say the same ----
v = json.loads(json.dumps(sc))
v["strategies"] = []
v["replications"] = 8
p = os.path.join(tmp, "alone.json")
json.dump(v, open(p, "w"))
alone = os.path.join(tmp, "alone.h5")
check(run(p, alone, "--register", "none", "--events", "none") == 0, "alone run")
NOTHING = "no strategies besides the baseline: nothing to compare or recommend"
with h5py.File(alone, "r") as h4:
    a = h4["comparison"].attrs
    check(s(a["recommended"]) == "baseline" and
          s(a["recommendation"]) == NOTHING,
          f"baseline alone: the file recommends {s(a['recommended'])!r}: "
          f"{s(a['recommendation'])!r}")
r = sh("inspect", alone)
check(NOTHING in r.stdout and "keep the baseline" not in r.stdout,
      "baseline alone: inspect has nothing to compare")
j4 = json.loads(sh("inspect", alone, "--format", "json").stdout)
check(j4["recommendation"] == NOTHING, "baseline alone: json agrees")

# ---- no threats: no /threat, no register, an empty event log ----
v = json.loads(json.dumps(sc))
v["threats"] = []
v["replications"] = 8
p = os.path.join(tmp, "calm.json")
json.dump(v, open(p, "w"))
o3 = os.path.join(tmp, "calm.h5")
r = sh("run", p, "-j", "2", "-o", o3)
check(r.returncode == 0 and "error" not in r.stderr,
      f"a run without threats, and inspect after it: {r.stderr}")
r = sh("inspect", o3, "--format", "json")
check(r.returncode == 0, f"inspect without threats: {r.stderr}")
j3 = json.loads(r.stdout) if r.returncode == 0 else {}
check(j3.get("worst_replications") is not None and
      all(x["events"] == [] for x in j3["worst_replications"]),
      "without threats: worst replications without events")

# ---- the text's tables and the csv's: one description, the same values ----
part = t[t.index("strategies ranked by net benefit"):t.index("  P(best):")]
t_rows = {ln[2:22].rstrip(): ln for ln in part.splitlines()[3:]}
check(sorted(t_rows) == sorted(n[:20] for n in strat),
      f"text: a row a strategy: {sorted(t_rows)}")
for n in strat[1:]:
    ln = t_rows.get(n[:20], "")
    check(f"{float(cs[n]['prob_better']):.3f}" in ln.split(),
          f"text P(better) of {n} = csv's: {ln!r}")
check(t_rows.get("baseline", "").split()[-3:] == ["-", "-", "-"],
      "baseline: '-' for P(better), ROI and var.red.")

# ---- a value that is not a number reads '-' in the text, null in json ----
o4 = os.path.join(tmp, "nan.h5")
shutil.copy(out, o4)
with h5py.File(o4, "r+") as g:
    mean = [s(x) for x in g["summary/stat"][()]].index("mean")
    fr = g["summary/fill_rate"]
    v = fr[()]
    v[1, mean] = np.nan
    fr[...] = v
r = sh("inspect", o4)
row = [ln for ln in r.stdout.splitlines() if ln.startswith("  " + strat[1])]
check(r.returncode == 0 and row and row[0].split()[-2] == "-" and
      "nan" not in row[0], f"NaN fill rate: '-' in the text: {row}")
r = sh("inspect", o4, "--format", "json")
check(r.returncode == 0 and
      json.loads(r.stdout)["lost_value"][1]["fill_rate"] is None,
      "NaN fill rate: null in json")

# ---- usage ----
for bad in (["--format", "xml"], ["--format"], ["--format", ""]):
    r = sh("inspect", out, *bad)
    check(r.returncode == 2 and "usage:" in r.stderr and not r.stdout,
          f"inspect {bad}: exit {r.returncode}")
r = sh("inspect", "--help")
check("--format" in r.stdout and "--output" in r.stdout,
      "inspect --help names --format and --output")

# ---- -o: a file (complete or not at all), or '-' for standard output ----
for fmt in ("text", "json", "csv"):
    want = sh("inspect", out, "--format", fmt)
    r = sh("inspect", out, "--format", fmt, "-o", "-")
    check(r.returncode == 0 and r.stdout == want.stdout and want.stdout,
          f"inspect --format {fmt} -o -: the same as without -o")
    f = os.path.join(tmp, "summary." + fmt)
    r = sh("inspect", out, "--format", fmt, "--output", f)
    check(r.returncode == 0 and r.stdout == "" and
          open(f).read() == want.stdout,
          f"inspect --format {fmt} -o FILE: the same text in the file")
junk = os.path.join(tmp, "junk.h5")
open(junk, "w").write("not HDF5")
f = os.path.join(tmp, "junk.txt")
r = sh("inspect", junk, "-o", f)
check(r.returncode == 2 and not os.path.exists(f) and
      r.stderr.count("error") == 1,
      f"inspect of a bad file -o FILE: exit 2, no file, one error: {r.stderr}")
r = sh("inspect", out, "-o", out)
check(r.returncode == 2 and "results file itself" in r.stderr and
      h5py.is_hdf5(out), "inspect -o onto its own results file is refused")

# ---- a scenario_json as long as a generated network of a million nodes
# writes (hundreds of MiB; here 65 MiB, past the old fixed 64 MiB limit):
# the reader takes any string the file holds ----
big = os.path.join(tmp, "big.h5")
shutil.copy(alone, big)
with h5py.File(big, "r+") as hb:
    sj = s(hb.attrs["scenario_json"])
    hb.attrs["scenario_json"] = sj[:-1] + " " * (65 << 20) + sj[-1]
r = sh("inspect", big)
check(r.returncode == 0 and "nothing to compare" in r.stdout,
      f"inspect of a 65 MiB scenario_json: exit {r.returncode}, "
      f"{r.stderr[:300]}{r.stdout[-300:]}")
os.remove(big)

suite.done()
