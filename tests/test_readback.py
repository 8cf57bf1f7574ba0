"""Open a results file the way a researcher would: h5py and xarray with the
h5netcdf engine.  Every group must come back with labelled dimensions and
coordinate values.  usage: test_readback.py RIPPLE DATA_DIR"""
import json
import os
import re
import subprocess
import tempfile

import h5py
import numpy as np
import xarray as xr

from ripple_test import Suite

suite = Suite("readback")
ripple, data = suite.ripple, suite.data
check = suite.check


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "r.h5")
    subprocess.run([ripple, "run", os.path.join(data, "golden", "mixed.json"),
                    "-r", "5", "-o", out, "-q"], check=True)
    with h5py.File(out, "r") as f:
        check(f.attrs["filetype"] == "ripple-results", "filetype")
        check(list(f.attrs["format_version"]) == [2, 0], "format_version")
        check(int(f.attrs["model_version"]) == 2, "model_version")
        # every dataset says what it is and in which units
        undoc = []
        f.visititems(lambda n, o: undoc.append(n) if isinstance(
            o, h5py.Dataset) and ("long_name" not in o.attrs or
                                  "units" not in o.attrs) else None)
        check(undoc == [], f"datasets without long_name/units: {undoc}")
        check("currency" in f.attrs, "currency attribute")
        for g in ["network", "strategies", "replication", "summary", "node",
                  "timeseries", "comparison"]:
            check(g in f, "group " + g)
    dims = {
        "replication": {"strategy", "replication"},
        "summary": {"strategy", "stat"},
        "node": {"strategy", "node"},
        "timeseries": {"strategy", "day", "quantile"},
        "comparison": {"strategy"},
        "network": {"node", "edge"},
        "strategies": {"strategy"},
    }
    for g, want in dims.items():
        ds = xr.open_dataset(out, engine="h5netcdf", group=g)
        check(set(ds.sizes) == want, f"{g}: dims {set(ds.sizes)} != {want}")
        check(want <= set(ds.coords), f"{g}: coordinates {set(ds.coords)}")
        ds.close()
    s = xr.open_dataset(out, engine="h5netcdf", group="summary")
    lv = float(s.lost_value.sel(strategy="baseline", stat="mean"))
    check(abs(lv - 3744.3358923164624) < 1e-6 * 3744, "summary lost_value")
    n = xr.open_dataset(out, engine="h5netcdf", group="node")
    check(float(n.p_disrupted.sel(strategy="baseline", node="Fab")) == 1.0,
          "node selection by id")
    t = xr.open_dataset(out, engine="h5netcdf", group="timeseries")
    q = t.service_level_quantiles.sel(strategy="baseline", quantile=0.5)
    check(abs(float(q.sel(day=52)) - 0.27176460147896697) < 1e-9,
          "median service level on day 52")
    r = xr.open_dataset(out, engine="h5netcdf", group="replication")
    check(r.lost_value.shape == (1, 5), "replication shape")
    check(np.all(r.events.values == 2), "events per replication")

    # The README's "Reading the results in Python" snippet, as written (the
    # file name aside): every print must show numbers, not the shape of a
    # lazily loaded selection.  The plots need matplotlib; without it their
    # lines are left out.
    readme = os.path.join(data, "..", "..", "README.md")
    with open(readme) as fh:
        text = fh.read()
    section = text[text.index("## Reading the results in Python"):]
    snippet = section[section.index("```python\n") + 10:]
    snippet = snippet[:snippet.index("```")]
    check('f = "results.h5"' in snippet, "README snippet names results.h5")
    snippet = snippet.replace('f = "results.h5"', f"f = {out!r}")
    try:
        import matplotlib
        matplotlib.use("Agg")
    except ImportError:
        snippet = "\n".join(line for line in snippet.splitlines()
                             if ".plot" not in line)
    printed = []
    exec(compile(snippet, "README.md", "exec"),
         {"print": lambda *a: printed.append(" ".join(map(str, a)))})
    check(len(printed) == 2, f"README snippet prints twice ({len(printed)})")
    number = re.compile(r"[-+]?\d+(\.\d*)?(e[-+]?\d+)?$")
    for p in printed:
        values = [w for line in p.splitlines()[1:-1]
                  for w in line.split()[-1:] if number.match(w)]
        check("values with dtype" not in p and len(values) >= 1,
              f"README snippet prints numbers:\n{p}")
    check("mean" in printed[0] and "cvar95" in printed[0],
          "README snippet: summary labelled by stat")
    check("Fab" in printed[1], "README snippet: nodes ranked by id")

    # Same scenario and seed: bit-identical datasets for 1, 2 and 7 threads
    # (every threat type and four strategies, so sampling, flow and
    # reductions are all exercised).
    def datasets(path):
        out = {}
        with h5py.File(path, "r") as f:
            def grab(name, obj):
                if isinstance(obj, h5py.Dataset):
                    v = obj[()]
                    out[name] = (list(v) if v.dtype == object
                                 else (v.dtype.str, v.shape, v.tobytes()))
            f.visititems(grab)
            attrs = {k: f.attrs[k] for k in f.attrs
                     if k not in ("threads", "ranks", "created_utc",
                                  "command")}
        return out, attrs
    runs = []
    for j in (1, 2, 7):
        p = os.path.join(tmp, f"j{j}.h5")
        subprocess.run([ripple, "run", os.path.join(data, "all_threats.json"),
                        "-j", str(j), "-o", p, "-q"], check=True)
        runs.append(datasets(p))
    ref, ref_attrs = runs[0]
    check(len(ref) > 60, f"dataset count {len(ref)}")
    for (d, a), j in zip(runs[1:], (2, 7)):
        diff = [k for k in ref if ref[k] != d.get(k)]
        check(not diff, f"-j {j} differs from -j 1 in {diff}")
        check(all(str(a[k]) == str(ref_attrs[k]) for k in ref_attrs),
              f"-j {j}: attributes differ")
    with h5py.File(os.path.join(tmp, "j1.h5"), "r") as f:
        ev = f["replication/events"][()]
        check(ev.shape == (4, 300) and ev.min() >= 1, "events recorded")
        # common random numbers: a stock change leaves every event as it
        # was (an added link may change contagion paths and attack scores,
        # and hardening turns some attacks into failures)
        check((ev[1] == ev[0]).all(), "more stock: same events as baseline")
        check((ev[2] <= ev[0]).all(), "harden: never more events")

    # /timeseries/p_below_target: the share of replications below the
    # service target each day.  Summed over days it counts the days below
    # target of every replication; against the quantile band, the q level
    # (nearest rank k = ceil(q R)) lies below the target exactly when at
    # least k replications do.
    with h5py.File(os.path.join(tmp, "j1.h5"), "r") as f:
        p = f["timeseries/p_below_target"]
        check(p.attrs["units"] == "1" and "long_name" in p.attrs,
              "p_below_target: long_name and units")
        p = p[()]
        below = f["replication/days_below_target"][()]
        S, R = below.shape
        T = f["timeseries/day"].shape[0]
        check(p.shape == (S, T), f"p_below_target shape {p.shape}")
        check(np.all((p >= 0) & (p <= 1)), "p_below_target in [0, 1]")
        check(np.array_equal(np.rint(p * R).sum(axis=1), below.sum(axis=1)),
              "p_below_target x R summed over days = days below target")
        check(np.allclose(np.rint(p * R), p * R, rtol=0, atol=1e-9),
              "p_below_target is a count over R")
        target = json.loads(f.attrs["scenario_json"]).get(
            "model", {}).get("service_target", 0.99)
        qs = f["timeseries/service_level_quantiles"][()]
        for k, q in enumerate(f["timeseries/quantile"][()]):
            rank = int(np.ceil(q * R - 1e-9))
            check(np.array_equal(qs[:, :, k] < target,
                                 np.rint(p * R) >= rank),
                  f"p_below_target agrees with the {q} quantile")
        mean = f["timeseries/service_level_mean"][()]
        check(np.all(mean[p == 0] >= target) and np.all(mean[p == 1] < target),
              "p_below_target agrees with service_level_mean")
        check(0 < p.max() and p.min() == 0, "p_below_target varies")

    # Interrupted and resumed: the same datasets as the uninterrupted run.
    scen = os.path.join(data, "all_threats.json")
    out = os.path.join(tmp, "res.h5")
    r = subprocess.run([ripple, "run", scen, "-o", out, "-q",
                        "--stop-after", "700"])
    check(r.returncode == 1, f"stopped run exits 1 (got {r.returncode})")
    check(not os.path.exists(out), "no output file after a stop")
    check(os.path.exists(out + ".ckpt"), "checkpoint left after a stop")
    r = subprocess.run([ripple, "run", scen, "-o", out, "-q", "-s", "5",
                        "--resume"], capture_output=True, text=True)
    check(r.returncode == 2 and "another run" in r.stderr,
          "resume refuses a different seed")
    r = subprocess.run([ripple, "run", scen, "-o", out, "-q", "--resume"])
    check(r.returncode == 0, "resume completes")
    check(not os.path.exists(out + ".ckpt"), "checkpoint removed at the end")
    d, a = datasets(out)
    diff = [k for k in ref if ref[k] != d.get(k)]
    check(not diff, f"resumed run differs in {diff}")
    r = subprocess.run([ripple, "run", scen, "-o", out, "-q", "--resume"],
                       capture_output=True, text=True)
    check(r.returncode == 2 and "no checkpoint" in r.stderr,
          "resume without a checkpoint is an input error")

suite.done()
