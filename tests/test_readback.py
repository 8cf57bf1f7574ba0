"""Open a results file the way a researcher would: h5py and xarray with the
h5netcdf engine.  Every group must come back with labelled dimensions and
coordinate values.  usage: test_readback.py RIPPLE DATA_DIR"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

ripple, data = sys.argv[1], sys.argv[2]
failures = 0
passes = 0


def check(cond, what):
    global failures, passes
    if cond:
        passes += 1
    else:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "r.h5")
    subprocess.run([ripple, "run", os.path.join(data, "golden", "mixed.json"),
                    "-r", "5", "-o", out, "-q"], check=True)
    with h5py.File(out, "r") as f:
        check(f.attrs["filetype"] == "ripple-results", "filetype")
        check(list(f.attrs["format_version"]) == [1, 0], "format_version")
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

print(f"readback: {passes} passed, {failures} failed")
sys.exit(1 if failures else 0)
