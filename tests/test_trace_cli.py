"""`ripple trace`: one replication of a run, day by day.  Its days add up to
the run's numbers for that replication and strategy, its file is labelled,
and bad requests are input errors (exit 2) with a message.
usage: test_trace_cli.py RIPPLE DATA_DIR"""
import json
import os
import subprocess
import tempfile

import h5py
import numpy as np
import xarray as xr

from ripple_test import Suite

suite = Suite("trace")
ripple, data = suite.ripple, suite.data
check = suite.check


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def trace(args, out):
    return suite.rip(["trace"] + args + ["-o", out, "-q"])


NODE_DATASETS = ["output", "demand", "producible", "fill_ratio", "damage",
                 "health"]

with tempfile.TemporaryDirectory() as tmp:
    # every threat type and four strategies; the bundled default scenario
    cases = [([os.path.join(data, "all_threats.json"), "-r", "40", "-s", "7"],
              [0, 3, 17, 39]),
             (["-r", "20"], [0, 11, 19])]
    for k, (scen, reps) in enumerate(cases):
        res = os.path.join(tmp, f"run{k}.h5")
        subprocess.run([ripple, "run"] + scen + ["-o", res, "-q"], check=True)
        with h5py.File(res, "r") as f:
            lost = f["replication/lost_units"][()]
            events = f["replication/events"][()]
            strategies = [s.decode() for s in f["replication/strategy"][()]]
            nodes = list(f["network/node"][()])
            seed = int(f.attrs["seed"])
            name = f.attrs["scenario_name"]
        nonzero = 0
        for si, sname in enumerate(strategies):
            for r in reps:
                out = os.path.join(tmp, f"t{k}_{si}_{r}.h5")
                p = trace(scen + ["--replication", str(r), "--strategy",
                                  sname], out)
                check(p.returncode == 0, f"trace {scen} {sname} {r}: "
                      f"{p.returncode} {p.stderr}")
                if p.returncode != 0:
                    continue
                with h5py.File(out, "r") as f:
                    day_lost = f["lost_units"][()]
                    total = float(day_lost.sum())
                    check(close(total, lost[si, r]),
                          f"{sname} rep {r}: trace loses {total!r}, the run "
                          f"{lost[si, r]!r}")
                    check(close(float(f.attrs["lost_units"]), lost[si, r]),
                          f"{sname} rep {r}: lost_units attribute")
                    check(int(f.attrs["events"]) == events[si, r],
                          f"{sname} rep {r}: events")
                    nonzero += lost[si, r] > 0
                    T = f["day"].shape[0]
                    N = len(nodes)
                    for d in NODE_DATASETS:
                        check(f[d].shape == (T, N), f"{d} shape")
                    G = f["group"].shape[0]
                    check(f["stock"].shape == (T, G), "stock shape")
                    check(f["service_level"].shape == (T,), "sl shape")
                    check(list(f["node"][()]) == nodes, "node labels")
                    check(all(b":" in g for g in f["group"][()]),
                          "group labels buyer:input")
                    for d in f:
                        a = f[d].attrs
                        check("long_name" in a and "units" in a,
                              f"{d}: long_name and units")
                    check(f["day"].attrs["units"] in ("day", b"day"),
                          "/day in days, as in a results file")
                    check(int(f.attrs["model_version"]) == 2,
                          "model_version")
                    check(int(f.attrs["replication"]) == r, "replication")
                    check(f.attrs["strategy"] == sname, "strategy")
                    check(int(f.attrs["seed"]) == seed, "seed")
                    check(f.attrs["scenario_name"] == name, "scenario_name")
                    x, D = f["output"][()], f["demand"][()]
                    P, rr = f["producible"][()], f["fill_ratio"][()]
                    check(np.array_equal(x, np.minimum(P, D)),
                          "output = min(producible, demand)")
                    check(np.all((rr >= 0) & (rr <= 1)), "fill ratio in [0,1]")
                    h = f["health"][()]
                    check(np.all((h >= 0) & (h <= 1)), "health in [0, 1]")
                    check(np.all(f["stock"][()] >= 0), "stock >= 0")
                    sl = f["service_level"][()]
                    check(np.all((sl >= 0) & (sl <= 1 + 1e-12)), "SL range")
        check(nonzero >= 3, f"case {k}: some traced replications lose")

    # labelled in xarray
    ds = xr.open_dataset(os.path.join(tmp, "t0_0_3.h5"), engine="h5netcdf")
    check(set(ds.sizes) == {"day", "node", "group"}, f"dims {set(ds.sizes)}")
    check(ds.output.dims == ("day", "node"), "output dims")
    check(ds.stock.dims == ("day", "group"), "stock dims")
    check(ds.output.attrs.get("units") == "unit", "output units")
    float(ds.output.sel(node=str(ds.node.values[0])).sum())
    ds.close()

    # input errors: exit 2 with a message, no file
    scen = os.path.join(data, "all_threats.json")
    out = os.path.join(tmp, "bad.h5")
    bad = [(["--replication", "-1"], "--replication"),
           (["--replication", "40", "-r", "40"], "[0, 39]"),
           (["--replication", "300"], "[0, 299]"),
           (["--replication", "abc"], "got 'abc'"),
           (["--replication", "1.5"], "--replication"),
           (["--replication", ""], "--replication"),
           ([], "needs --replication"),
           (["--replication", "0", "--strategy", "nope"],
            "no strategy 'nope'"),
           (["--replication", "0", "--bogus"], "unknown option")]
    for args, msg in bad:
        p = trace([scen] + args, out)
        check(p.returncode == 2 and msg in p.stderr,
              f"trace {args}: exit {p.returncode}, {p.stderr!r}")
        check(not os.path.exists(out), f"trace {args}: no output file")
    p = trace([os.path.join(tmp, "missing.json"), "--replication", "0"], out)
    check(p.returncode == 2, "missing scenario: exit 2")

    # a trace whose [day, node] arrays would pass 2 GiB is refused
    net = os.path.join(tmp, "net.json")
    subprocess.run([ripple, "generate", "-n", "2000", "-o", net],
                   check=True, capture_output=True)
    big = os.path.join(tmp, "big.json")
    with open(big, "w") as fh:
        json.dump({"name": "big", "network": "net.json",
                   "horizon_days": 36500, "replications": 1}, fh)
    p = trace([big, "--replication", "0"], out)
    check(p.returncode == 2 and "GiB" in p.stderr,
          f"huge trace refused: {p.returncode} {p.stderr!r}")
    check(not os.path.exists(out), "huge trace: no output file")

suite.done()
