"""`ripple sweep`: the file it writes (/sweep with labelled axes, long_name
and units on every dataset, intervals around the means, the critical
fraction as defined), the same bits for 1 and 2 threads, independent
failures (p_served NaN exactly where there is no final demand, q = 0 and
q = 1), and bad requests refused with exit 2 and a message naming the
culprit.
usage: test_sweep_cli.py RIPPLE SCENARIOS_DIR"""
import json
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

ripple, scen_dir = sys.argv[1], sys.argv[2]
failures = 0
passes = 0


def check(cond, what):
    global failures, passes
    if cond:
        passes += 1
    else:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def sweep(args, quiet=True):
    return subprocess.run([ripple, "sweep"] + args + (["-q"] if quiet else []),
                          capture_output=True, text=True)


ORDERS = ["random", "degree", "degree_adaptive", "betweenness", "flow",
          "demand"]
METRICS = ["giant_component", "served_demand", "supply_availability"]
default = os.path.join(scen_dir, "default.json")
pharma = os.path.join(scen_dir, "pharma.json")

with tempfile.TemporaryDirectory() as tmp:
    out1, out2 = os.path.join(tmp, "s1.h5"), os.path.join(tmp, "s2.h5")
    for out, j in ((out1, "1"), (out2, "2")):
        p = sweep([default, "-o", out, "-r", "300", "-j", j, "--fractions",
                   "41", "--fail-probability", "0.05"])
        check(p.returncode == 0, f"sweep -j {j}: exit {p.returncode} "
              f"{p.stderr}")
    with h5py.File(out1, "r") as f, h5py.File(out2, "r") as g:
        check(f.attrs["filetype"] == "ripple-sweep", "filetype")
        check(f.attrs["run_kind"] == "sweep", "run_kind")
        check(int(f.attrs["replications"]) == 300, "replications attribute")
        names = []
        f["sweep"].visit(names.append)
        for n in names:
            d = f["sweep"][n]
            check("long_name" in d.attrs and "units" in d.attrs,
                  f"{n}: long_name and units")
            check(np.array_equal(d[()], g["sweep"][n][()], equal_nan=True)
                  if d.dtype.kind == "f" else
                  np.array_equal(d[()], g["sweep"][n][()]),
                  f"{n}: the same for 1 and 2 threads")
        sw = f["sweep"]
        check([o.decode() for o in sw["order"][()]] == ORDERS, "order scale")
        fr = sw["fraction"][()]
        check(len(fr) == 41 and fr[0] == 0 and fr[-1] == 1, "fraction scale")
        for m in METRICS:
            mean = sw[m + "_mean"][()]
            lo, hi = sw[m + "_ci95_low"][()], sw[m + "_ci95_high"][()]
            check(mean.shape == (6, 41), f"{m}: shape")
            check(np.all((mean >= 0) & (mean <= 1)), f"{m}: in [0, 1]")
            check(np.all(lo <= mean + 1e-15) and np.all(hi >= mean - 1e-15),
                  f"{m}: interval around the mean")
            check(np.all(mean[:, -1] == 0), f"{m}: nothing left at 1")
            # removing nodes never helps (the mean of monotone curves)
            check(np.all(np.diff(mean, axis=1) <= 1e-12), f"{m}: monotone")
        check(np.all(sw["served_demand_mean"][:, 0] == 1),
              "all demand served with nothing removed")
        # random removal has a band; the interval narrows to zero at 0, 1
        sd = sw["served_demand_mean"][()]
        check(sw["served_demand_ci95_high"][0, 4] >
              sw["served_demand_ci95_low"][0, 4], "random: a band")
        crit = sw["critical_fraction"][()]
        for o in range(6):
            first = fr[np.argmax(sd[o] < 0.5)]
            check(crit[o] == first, f"critical fraction of {ORDERS[o]}")
        # p_served: NaN exactly for nodes without final demand
        js = json.loads(f.attrs["scenario_json"])
        demand = np.array([n.get("demand", 0) for n in js["network"]["nodes"]])
        ps = sw["p_served"][()]
        check(np.array_equal(np.isnan(ps), demand == 0), "p_served NaN")
        ok = ps[~np.isnan(ps)]
        check(np.all((ok >= 0) & (ok <= 1)) and ok.min() < 1,
              "p_served in [0, 1]")
        check(sw.attrs["fail_probability"] == 0.05, "fail_probability")
        lo, mean, hi = (sw["fail_served_demand_" + k][()]
                        for k in ("ci95_low", "mean", "ci95_high"))
        check(lo < mean < hi, "fail_served_demand interval")
        # p_served weighted by demand is the served demand
        check(abs(np.nansum(ps * demand) / demand.sum() - mean) < 1e-9,
              "p_served and fail_served_demand agree")
    # xarray labels every axis
    ds = xr.open_dataset(out1, engine="h5netcdf", group="sweep")
    check(ds.served_demand_mean.dims == ("order", "fraction"), "xarray dims")
    check(float(ds.served_demand_mean.sel(order="random", fraction=0.0)) == 1,
          "xarray selection")
    ds.close()

    # subsets of orders, in the order asked; q = 0 and q = 1
    out = os.path.join(tmp, "o.h5")
    p = sweep([pharma, "-o", out, "-r", "20", "--orders", "demand,random",
               "--fail-probability", "0"])
    check(p.returncode == 0, f"--orders demand,random: {p.stderr}")
    with h5py.File(out, "r") as f:
        check([o.decode() for o in f["sweep/order"][()]] ==
              ["demand", "random"], "orders as asked")
        ps = f["sweep/p_served"][()]
        check(np.all(ps[~np.isnan(ps)] == 1), "q = 0: every customer served")
    p = sweep([pharma, "-o", out, "-r", "5", "--orders", "none",
               "--fail-probability", "1"], quiet=False)
    check(p.returncode == 0, f"--orders none: {p.stderr}")
    first = (p.stdout.splitlines() or [""])[0]
    check(first.startswith("wrote ") and "fractions" not in first,
          f"--orders none: no fractions counted ({first})")
    with h5py.File(out, "r") as f:
        check("served_demand_mean" not in f["sweep"], "--orders none")
        ps = f["sweep/p_served"][()]
        check(np.all(ps[~np.isnan(ps)] == 0), "q = 1: no customer served")
    # fail_probability on nodes: S1 always fails, the rest use Q (0 when
    # not given); C1 buys only through M1 from S1 or S2, C2 only from S3
    own = os.path.join(tmp, "own.json")
    with open(own, "w") as fh:
        json.dump({"name": "own", "horizon_days": 30, "network": {
            "nodes": [{"id": "S1", "fail_probability": 1},
                      {"id": "S2", "fail_probability": 1},
                      {"id": "S3"}, {"id": "M1"},
                      {"id": "C1", "demand": 10}, {"id": "C2", "demand": 30}],
            "edges": [{"from": "S1", "to": "M1", "input": "p", "share": 0.5},
                      {"from": "S2", "to": "M1", "input": "p", "share": 0.5},
                      {"from": "M1", "to": "C1"}, {"from": "S3", "to": "C2"}]},
            "threats": []}, fh)
    for extra, want in (([], [0, 1]), (["--fail-probability", "0"], [0, 1]),
                        (["--fail-probability", "1"], [0, 0])):
        p = sweep([own, "-o", out, "-r", "5", "--orders", "none"] + extra)
        check(p.returncode == 0, f"own fail_probability {extra}: {p.stderr}")
        with h5py.File(out, "r") as f:
            ids = [i.decode() for i in f["sweep/node"][()]]
            ps = f["sweep/p_served"][()]
            got = [ps[ids.index("C1")], ps[ids.index("C2")]]
            check(got == want, f"own fail_probability {extra}: {got}")
    # the summary on stdout
    p = sweep([pharma, "-o", out, "-r", "10", "--orders", "random"],
              quiet=False)
    check(p.returncode == 0 and "random" in p.stdout and "wrote" in p.stdout,
          "summary printed")
    # every column of the table explained, with its unit
    for col in ("critical", "giant@0.2", "served@.2", "avail@.2"):
        check(f"\n  {col} " in p.stdout, f"legend of {col}: {p.stdout}")
    check("shares 0..1" in p.stdout, "the table's unit")
    p = sweep([pharma, "-o", out, "-r", "1", "--orders", "random"],
              quiet=False)
    check(", 1 replication, " in p.stdout, f"one replication: {p.stdout}")
    # no interval from one replication: '-', not nan
    p = sweep([pharma, "-o", out, "-r", "1", "--orders", "none",
               "--fail-probability", "0.1"], quiet=False)
    check(p.returncode == 0 and "[-, -] (share of final demand" in p.stdout
          and "nan" not in p.stdout, f"one replication's interval: {p.stdout}")

    # ripple report of a sweep file: a page of its own; a damaged one is
    # refused naming the object, and leaves no page
    html = os.path.join(tmp, "s1.html")
    p = subprocess.run([ripple, "report", out1, "-o", html, "-q"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"report of a sweep file: {p.stderr}")
    page = open(html, encoding="utf-8").read() if p.returncode == 0 else ""
    check(page.count("<svg") == 3 and "Critical fractions" in page and
          "least-served" in page and "degree_adaptive" in page,
          "report: three charts, the critical fractions, p_served")
    # its table at the fraction `ripple sweep` prints (served@.2, giant@0.2)
    with h5py.File(out1, "r") as f:
        fr = f["sweep/fraction"][()]
        k = int(np.argmin(np.abs(fr - 0.2)))
        orders = [o.decode() for o in f["sweep/order"][()]]
        served = f["sweep/served_demand_mean"][orders.index("random"), k]
        giant = f["sweep/giant_component_mean"][orders.index("random"), k]
    row = ('<tr><td>random</td><td class="num">[0-9.]+%%</td><td class="num">'
           '%.1f%%</td><td class="num">%.1f%%</td></tr>' %
           (100 * served, 100 * giant))
    check("<th>served at %.0f%% removed</th>" % (100 * fr[k]) in page and
          abs(fr[k] - 0.2) < 0.05 and re.search(row, page) is not None,
          f"report: the table at 20% removed, as the terminal ({row})")
    # a mean past 1 by a rounding (1 + 2.2e-16: the sweep of Willems 38)
    # is a share, not damage
    near = os.path.join(tmp, "near_one.h5")
    with h5py.File(out1, "r") as f, h5py.File(near, "w") as g:
        f.copy("sweep", g)
        for k, v in f.attrs.items():
            g.attrs[k] = v
        g["sweep/served_demand_mean"][0, 0] = 1 + 2.0 ** -52
    p = subprocess.run([ripple, "report", near, "-o",
                        os.path.join(tmp, "near_one.html"), "-q"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"report of a mean of 1 + 2^-52: {p.stderr}")
    for damage, needle in (("shape", "/sweep/served_demand_mean"),
                           ("order", "/sweep/order"),
                           ("range", "/sweep/giant_component_mean")):
        bad = os.path.join(tmp, f"bad_{damage}.h5")
        with h5py.File(out1, "r") as f, h5py.File(bad, "w") as g:
            f.copy("sweep", g)
            for k, v in f.attrs.items():
                g.attrs[k] = v
            if damage == "shape":
                del g["sweep/served_demand_mean"]
                g["sweep/served_demand_mean"] = np.zeros((6, 40))
            elif damage == "order":
                o = g["sweep/order"][()]
                o[2] = b"sideways"
                g["sweep/order"][2] = o[2]
            else:
                g["sweep/giant_component_mean"][0, 3] = 7.0
        bhtml = os.path.join(tmp, f"bad_{damage}.html")
        p = subprocess.run([ripple, "report", bad, "-o", bhtml, "-q"],
                           capture_output=True, text=True)
        check(p.returncode == 2 and needle in p.stderr and
              not os.path.exists(bhtml),
              f"report of a damaged sweep file ({damage}): exit "
              f"{p.returncode}, {p.stderr!r}")

    # interdependence: pairs that need each other can only lower the curves
    # and p_served (same seed: the same orders and failure draws)
    deps = os.path.join(tmp, "deps.csv")
    with open(deps, "w") as fh:
        fh.write("node,partner\nFORM-IE,PKG-PL\n# power\n"
                 "API-IN-HYD, API-IN-VIZ\n")
    outs = {}
    for tag, extra in (("no", []), ("dep", ["--dependencies", deps])):
        outs[tag] = os.path.join(tmp, f"dep_{tag}.h5")
        p = sweep([pharma, "-o", outs[tag], "-r", "100",
                   "--fail-probability", "0.05"] + extra)
        check(p.returncode == 0, f"--dependencies ({tag}): {p.stderr}")
    with h5py.File(outs["no"], "r") as f, h5py.File(outs["dep"], "r") as g:
        check(int(g["sweep"].attrs["dependency_units"]) == 2 and
              int(f["sweep"].attrs["dependency_units"]) == 0,
              "dependency_units")
        a, b = f["sweep/served_demand_mean"][()], g["sweep/served_demand_mean"][()]
        check(np.all(b <= a + 1e-12) and np.any(b < a - 1e-6),
              "dependencies lower served demand")
        check(np.array_equal(f["sweep/giant_component_mean"][()],
                             g["sweep/giant_component_mean"][()]),
              "dependency pairs do not join components")
        pa, pb = f["sweep/p_served"][()], g["sweep/p_served"][()]
        ok = ~np.isnan(pa)
        check(np.all(pb[ok] <= pa[ok]), "dependencies lower p_served")
    for text, needle in (("FORM-IE,NOPE\n", ":1: unknown node \"NOPE\""),
                         ("node,partner\nPKG-PL,PKG-PL\n",
                          ":2: a node cannot depend on itself"),
                         ("FORM-IE\n", ":1: expected NODE,PARTNER"),
                         ("# nothing\n", "no dependency pairs")):
        bad_deps = os.path.join(tmp, "bad_deps.csv")
        with open(bad_deps, "w") as fh:
            fh.write(text)
        p = sweep([pharma, "-o", os.path.join(tmp, "x.h5"),
                   "--dependencies", bad_deps])
        check(p.returncode == 2, f"--dependencies {text!r}: exit "
              f"{p.returncode}")
        check(("bad_deps.csv" + needle if needle.startswith(":") else needle)
              in p.stderr, f"--dependencies {text!r}: {p.stderr!r}")

    # bad requests: exit 2 and a message naming what is wrong
    bad_json = os.path.join(tmp, "bad.json")
    with open(bad_json, "w") as fh:
        fh.write('{"name": "x", "network": {"nodes": [{"id": "a", '
                 '"demand": -1}], "edges": []}}')
    link = os.path.join(tmp, "link.h5")
    os.symlink(os.path.join(tmp, "elsewhere.h5"), link)
    cases = [
        ([default, "--orders", "random,sideways"], "sideways"),
        ([default, "--orders", "random,random"], "twice"),
        ([default, "--orders", "none"], "--fail-probability"),
        ([default, "--fractions", "1"], "--fractions"),
        ([default, "-r", "0"], "-r"),
        ([default, "--fail-probability", "1.5"], "--fail-probability"),
        ([default, "--fail-probability", "x"], "--fail-probability"),
        ([default, "--bogus"], "--bogus"),
        ([default, "--dependencies", os.path.join(tmp, "none.csv")],
         "none.csv"),
        ([os.path.join(tmp, "missing.json")], "missing.json"),
        ([bad_json], "bad.json: network.nodes[0].demand"),
        ([default, "-o", link], "link.h5"),
        ([], "SCENARIO"),
    ]
    for args, needle in cases:
        p = sweep(args + ([] if "-o" in args else
                          ["-o", os.path.join(tmp, "x.h5")]))
        check(p.returncode == 2, f"{args}: exit {p.returncode}, want 2")
        check(needle in p.stderr, f"{args}: message {p.stderr!r} names "
              f"{needle!r}")
    check(not os.path.exists(os.path.join(tmp, "x.h5")),
          "no file after a refusal")
    p = sweep(["--help"], quiet=False)
    check(p.returncode == 0 and "--fail-probability" in p.stdout, "--help")

print(f"{passes} checks passed, {failures} failed")
sys.exit(1 if failures else 0)
