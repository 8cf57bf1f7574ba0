"""CSV networks on the command line: `export-network --csv` then a scenario
naming the CSV pair gives the same resolved network (validate's output, a
run's /replication datasets, bit for bit); errors located by file, line and
column; `validate -` reads standard input; `generate -o -` writes standard
output; the bundled CSV study validates and runs.
usage: test_csvnet_cli.py RIPPLE SOURCE_DIR"""
import json
import os
import tempfile

import h5py
import numpy as np

from ripple_test import Suite

suite = Suite("csvnet_cli")  # (DATA_DIR: the source tree here)
ripple, src = suite.ripple, suite.data
check = suite.check
data = os.path.join(src, "tests", "data")


rip = suite.rip


def replication_datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[...]
        f["replication"].visititems(visit)
    return out


def same_datasets(a, b):
    if sorted(a) != sorted(b):
        return False
    for k in a:
        x, y = a[k], b[k]
        if x.dtype != y.dtype or x.shape != y.shape:
            return False
        if x.dtype.kind == "f":
            if not np.array_equal(x.view(np.uint8), y.view(np.uint8)):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


def validate_body(out, label):
    # validate's report, the scenario file's name replaced, up to the
    # memory estimate (which counts the input's size, and what is free)
    lines = []
    for l in out.splitlines():
        if l.startswith("memory"):
            break
        lines.append(l.replace(label, "SCEN"))
    return lines


def round_trip(scen, tmp, tag):
    d = os.path.join(tmp, tag)
    r = rip(["export-network", scen, "--csv", d])
    check(r.returncode == 0, f"{tag}: export exit 0 ({r.stderr})")
    check("nodes.csv" in r.stderr and "edges.csv" in r.stderr,
          f"{tag}: export says what it wrote")
    doc = json.load(open(scen))
    net = doc["network"]
    if isinstance(net, str):
        net = json.load(open(os.path.join(os.path.dirname(scen), net)))
    spec = {"nodes_csv": f"{tag}/nodes.csv", "edges_csv": f"{tag}/edges.csv"}
    if "name" in net:
        spec["name"] = net["name"]
    doc["network"] = spec
    copy = os.path.join(tmp, tag + ".json")
    json.dump(doc, open(copy, "w"))
    a = rip(["validate", scen])
    b = rip(["validate", copy])
    check(a.returncode == 0 and b.returncode == 0,
          f"{tag}: both validate ({b.stderr})")
    check(validate_body(a.stdout, scen) == validate_body(b.stdout, copy),
          f"{tag}: validate reports the same network")
    ra, rb = os.path.join(tmp, tag + "_a.h5"), os.path.join(tmp, tag + "_b.h5")
    for s, o in ((scen, ra), (copy, rb)):
        r = rip(["run", s, "-r", "20", "--register", "none", "--events",
                 "none", "-q", "-o", o])
        check(r.returncode == 0, f"{tag}: run {s} exit 0 ({r.stderr})")
    if os.path.exists(ra) and os.path.exists(rb):
        check(same_datasets(replication_datasets(ra),
                            replication_datasets(rb)),
              f"{tag}: /replication datasets identical")
    # exporting the CSV scenario again writes the same files
    d2 = os.path.join(tmp, tag + "_again")
    r = rip(["export-network", copy, "--csv", d2])
    check(r.returncode == 0, f"{tag}: second export ({r.stderr})")
    for name in ("nodes.csv", "edges.csv"):
        check(open(os.path.join(d, name), "rb").read() ==
              open(os.path.join(d2, name), "rb").read(),
              f"{tag}: {name} the same after a second export")


with tempfile.TemporaryDirectory() as tmp:
    # round trips: an inline network, a network file, the bundled default
    round_trip(os.path.join(data, "all_threats.json"), tmp, "inline")
    round_trip(os.path.join(src, "scenarios", "pharma.json"), tmp, "pharma")
    round_trip(os.path.join(src, "scenarios", "default.json"), tmp, "default")

    # errors in CSV terms: file, line of the record, column, the message
    os.mkdir(os.path.join(tmp, "bad"))
    with open(os.path.join(tmp, "bad", "sites.csv"), "w") as f:
        f.write("\ufeffid;kind;capacity;demand\r\nS;supplier;\"12,5\";\r\n"
                "C;customer;;10\r\n")
    with open(os.path.join(tmp, "bad", "lanes.csv"), "w") as f:
        f.write("from,to,colour\nS,C,red\n")
    bad = os.path.join(tmp, "bad.json")
    json.dump({"network": {"nodes_csv": "bad/sites.csv",
                           "edges_csv": "bad/lanes.csv"}}, open(bad, "w"))
    r = rip(["validate", bad])
    check(r.returncode == 2, "bad CSV: exit 2")
    want = (f"ripple: error: {tmp}/bad/lanes.csv:1: unknown column "
            "\"colour\" (allowed: from, to, input,")
    check(want in r.stderr, f"unknown column named: {r.stderr}")
    with open(os.path.join(tmp, "bad", "lanes.csv"), "w") as f:
        f.write("from,to\nS,C\n")
    r = rip(["validate", bad])
    want = (f"ripple: error: {tmp}/bad/sites.csv:2: capacity: must be a "
            "number > 0 (got \"12,5\")")
    check(r.returncode == 2 and want in r.stderr,
          f"decimal comma located: {r.stderr}")
    check(r.stdout == "", "bad CSV: nothing on stdout")
    # not a regular file
    json.dump({"network": {"nodes_csv": "bad"}}, open(bad, "w"))
    r = rip(["validate", bad])
    check(r.returncode == 2 and "bad" in r.stderr, "a directory is refused")
    # export: usage errors
    r = rip(["export-network", bad])
    check(r.returncode == 2 and "--csv" in r.stderr, "export needs --csv")
    r = rip(["export-network", "--csv", tmp])
    check(r.returncode == 2, "export needs a scenario")
    open(os.path.join(tmp, "file"), "w").close()
    r = rip(["export-network", os.path.join(data, "scen_path.json"),
             "--csv", os.path.join(tmp, "file")])
    check(r.returncode == 2 and "not a directory" in r.stderr,
          "export into a file is refused")

    # validate -: the scenario from standard input; a network path is
    # relative to the current directory
    text = open(os.path.join(data, "scen_path.json")).read()
    r = rip(["validate", "-"], input=text, cwd=data)
    check(r.returncode == 0 and "by-path" in r.stdout,
          f"validate - with a network path: {r.stderr}")
    r = rip(["validate", "-"], input=text, cwd=tmp)
    check(r.returncode == 2 and "net_ok.json" in r.stderr,
          "validate -: the path is relative to the current directory")
    r = rip(["validate", "-"],
            input=open(os.path.join(data, "all_threats.json")).read(),
            cwd=tmp)
    check(r.returncode == 0 and "all-threats" in r.stdout,
          f"validate - with an inline network: {r.stderr}")
    r = rip(["validate", "-"], input="{\"network\": 5", cwd=tmp)
    check(r.returncode == 2 and "<stdin>:1:" in r.stderr,
          f"validate -: syntax errors name <stdin>: {r.stderr}")

    # generate -o -: the network on standard output, as without -o
    a = rip(["generate", "-n", "40", "-o", "-"])
    b = rip(["generate", "-n", "40"])
    check(a.returncode == 0 and a.stdout == b.stdout,
          "generate -o - writes what generate writes to stdout")
    check(not os.path.exists("-"), "generate -o - writes no file '-'")
    try:
        check(len(json.loads(a.stdout)["nodes"]) == 40,
              "generate -o -: 40 nodes")
    except ValueError:
        check(False, "generate -o -: JSON on stdout")

    # the bundled CSV study validates and runs
    food = os.path.join(src, "scenarios", "food", "study.json")
    r = rip(["validate", food])
    check(r.returncode == 0, f"food study validates: {r.stderr}")
    out = os.path.join(tmp, "f.h5")
    r = rip(["run", food, "-r", "200", "-q", "-o", out])
    check(r.returncode == 0 and os.path.exists(out),
          f"food study runs: {r.stderr}")
    if os.path.exists(out):
        with h5py.File(out, "r") as f:
            names = [s.decode() if isinstance(s, bytes) else s
                     for s in f["summary/strategy"][...]]
            check(len(names) == 4, f"food study: 4 strategies ({names})")
            lv = f["replication/lost_value"][...]
            check(np.all(np.isfinite(lv)) and lv.max() > 0,
                  "food study: finite losses, some positive")

suite.done()
