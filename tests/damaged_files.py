"""Results files and checkpoints are input: damaged copies of good ones are
refused.  From a fresh run this makes two corpora, damaged results files
(fed to `ripple inspect`) and damaged checkpoints (fed to `ripple run
--resume`), and expects of every copy: exit status 2, an error naming the
file on stderr, nothing on stdout, no results file written, no crash (under
ASan a memory error would end the program with another status).

usage: damaged_files.py RIPPLE DATA_DIR  (VERBOSE=1 prints every refusal)"""
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ripple, data = sys.argv[1], sys.argv[2]
failures = []
counts = {"results": 0, "checkpoint": 0}
refused = {"results": 0, "checkpoint": 0}


def expect_refused(corpus, name, cmd, path, out=None, says=None):
    """Run cmd; it must refuse `path` (exit 2, named on stderr, stdout
    empty, `out` not created; the message containing `says` if given)."""
    counts[corpus] += 1
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                           errors="replace")
    except subprocess.TimeoutExpired:
        failures.append(f"{corpus} {name}: no answer in 120 s")
        return
    why = []
    if r.returncode != 2:
        why.append(f"exit {r.returncode}")
    if f"ripple: error: {path}" not in r.stderr:
        why.append("no error naming the file")
    if r.stdout:
        why.append(f"stdout not empty: {r.stdout[:200]!r}")
    if says is not None and says not in r.stderr:
        why.append(f"no message saying {says!r}")
    if "AddressSanitizer" in r.stderr or "runtime error" in r.stderr:
        why.append("sanitizer report")
    if out is not None and os.path.exists(out):
        why.append("a results file was written")
        os.unlink(out)
    if os.environ.get("VERBOSE"):
        print(f"{corpus} {name}:\n    {r.stderr.strip()[:300]}")
    if why:
        failures.append(f"{corpus} {name}: {', '.join(why)}\n"
                        f"    stderr: {r.stderr.strip()[:600]}")
    else:
        refused[corpus] += 1


tmp = tempfile.mkdtemp()
try:
    scen = os.path.join(data, "all_threats.json")
    good = os.path.join(tmp, "good.h5")
    subprocess.run([ripple, "run", scen, "-r", "40", "-o", good, "-q"],
                   check=True)
    sgood = os.path.join(tmp, "sgood.h5")
    subprocess.run([ripple, "stress", os.path.join(data, "golden",
                                                   "chain.json"),
                    "-o", sgood, "-q"], check=True)
    for f in (good, sgood):
        r = subprocess.run([ripple, "inspect", f], capture_output=True)
        if r.returncode != 0:
            failures.append(f"the good file {f} is not accepted: {r.stderr}")

    # ---- damaged results files ----
    n = [0]

    def variant(name, change, base=None, says=None):
        """A copy of the good file changed by change(h5py.File)."""
        n[0] += 1
        p = os.path.join(tmp, f"d{n[0]:03d}.h5")
        shutil.copy(base or good, p)
        with h5py.File(p, "r+") as f:
            change(f)
        expect_refused("results", name, [ripple, "inspect", p], p,
                       says=says)

    def replace(f, path, values, **kw):
        del f[path]
        f.create_dataset(path, data=values, **kw)

    def shorten(path, axis=0):
        def ch(f):
            v = f[path][()]
            replace(f, path, np.delete(v, -1, axis=axis))
        return ch

    def lengthen(path, axis=0):
        def ch(f):
            v = f[path][()]
            replace(f, path, np.concatenate([v, np.take(v, [0], axis=axis)],
                                            axis=axis))
        return ch

    def retype(path, conv):
        def ch(f):
            replace(f, path, conv(f[path][()]))
        return ch

    def retype_kw(path, **kw):
        def ch(f):
            replace(f, path, f[path][()], **kw)
        return ch

    strs = h5py.string_dtype()
    for p in ["/summary/lost_value", "/node/criticality", "/comparison/roi",
              "/strategies/cost_per_year", "/replication/events",
              "/timeseries/service_level_quantiles", "/network/node_demand",
              "/network/edge_from", "/strategy", "/network/node", "/stat",
              "/day", "/replication/replication"]:
        variant(f"{p} shortened", shorten(p))
    variant("/node/p_disrupted shortened along node",
            shorten("/node/p_disrupted", axis=1))
    variant("/timeseries/service_level_quantiles shortened along quantile",
            shorten("/timeseries/service_level_quantiles", axis=2))
    for p in ["/summary/fill_rate", "/comparison/prob_better", "/strategy",
              "/network/node", "/node/p_impacted", "/quantile"]:
        variant(f"{p} lengthened", lengthen(p))
    variant("/summary/fill_rate as strings",
            retype("/summary/fill_rate",
                   lambda v: np.array([[str(x) for x in row] for row in v],
                                      dtype=object).astype(strs)))
    variant("/strategy as integers",
            retype("/strategy", lambda v: np.arange(len(v))))
    variant("/network/node as floats",
            retype("/network/node", lambda v: np.zeros(len(v))))
    variant("/replication/events as floats",
            retype("/replication/events", lambda v: v.astype(np.float64)))
    variant("/summary/lost_value as integers",
            retype("/summary/lost_value", lambda v: v.astype(np.int64)))
    variant("/node/node as fixed-length strings",
            retype("/node/node", lambda v: np.array(v, dtype="S16")))
    variant("/comparison/roi as a compound",
            retype("/comparison/roi",
                   lambda v: np.array([(x, x) for x in v],
                                      dtype=[("a", "f8"), ("b", "f8")])))
    variant("/summary/lost_value flattened (rank 1)",
            retype("/summary/lost_value", lambda v: v.ravel()))
    variant("/comparison/roi as rank 2",
            retype("/comparison/roi", lambda v: v.reshape(-1, 1)))
    variant("/summary/days_below_target as a scalar",
            retype("/summary/days_below_target", lambda v: v[0, 0]))
    variant("/timeseries/service_level_mean as rank 3",
            retype("/timeseries/service_level_mean",
                   lambda v: v.reshape(v.shape + (1,))))
    for g in ["/network", "/strategies", "/replication", "/summary", "/node",
              "/timeseries", "/comparison"]:
        variant(f"group {g} removed", lambda f, g=g: f.__delitem__(g))
    variant("dataset /comparison/roi removed",
            lambda f: f.__delitem__("/comparison/roi"))
    variant("dataset /node/p_disrupted removed",
            lambda f: f.__delitem__("/node/p_disrupted"))
    variant("/summary replaced by a dataset",
            lambda f: (f.__delitem__("/summary"),
                       f.create_dataset("/summary", data=[1.0])))
    variant("/summary/lost_value replaced by a group",
            lambda f: (f.__delitem__("/summary/lost_value"),
                       f.create_group("/summary/lost_value")))
    for a in ["format_version", "run_kind", "replications", "horizon_days",
              "seed", "scenario_name", "command", "threads",
              "network_sha256"]:
        variant(f"attribute {a} removed",
                lambda f, a=a: f.attrs.__delitem__(a))
    variant("filetype removed", lambda f: f.attrs.__delitem__("filetype"))
    variant("filetype wrong", lambda f: f.attrs.__setitem__(
        "filetype", "something-else"))
    variant("filetype an array of strings (reader's stack)",
            lambda f: f.attrs.create("filetype", ["ripple-results"] * 64,
                                     dtype=strs))
    variant("replications a string",
            lambda f: f.attrs.create("replications", "40", dtype=strs))
    variant("replications wrong",
            lambda f: f.attrs.create("replications", 41, dtype="i8"))
    variant("horizon_days a float",
            lambda f: f.attrs.create("horizon_days", 200.0, dtype="f8"))
    variant("seed an array", lambda f: f.attrs.create(
        "seed", [1, 2, 3], dtype="u8"))
    variant("format_version 3.0", lambda f: f.attrs.create(
        "format_version", [3, 0], dtype="i4"))
    variant("format_version a scalar", lambda f: f.attrs.create(
        "format_version", 1, dtype="i4"))
    variant("run_kind unknown", lambda f: f.attrs.create(
        "run_kind", "banana", dtype=strs))
    variant("run_kind an integer", lambda f: f.attrs.create(
        "run_kind", 3, dtype="i4"))
    variant("command fixed-length", lambda f: f.attrs.create(
        "command", np.bytes_(b"ripple run"), dtype="S10"))
    variant("actions_json removed", lambda f: f["/strategies"].attrs.
            __delitem__("actions_json"))
    variant("/stat names out of order",
            retype("/stat", lambda v: np.array(v[::-1], dtype=object)
                   .astype(strs)))
    # huge declared dimensions, stored in a few kilobytes
    variant("3e8 strategies declared",
            lambda f: (f.__delitem__("/strategy"),
                       f.create_dataset("/strategy", shape=(300000000,),
                                        dtype=strs, chunks=(1024,))))
    variant("3e8 x 15 summary declared",
            lambda f: (f.__delitem__("/summary/lost_value"),
                       f.create_dataset("/summary/lost_value",
                                        shape=(300000000, 15), dtype="f8",
                                        chunks=(4096, 15),
                                        compression="gzip")))
    variant("1e9 days declared",
            lambda f: (f.__delitem__("/day"),
                       f.create_dataset("/day", shape=(1000000000,),
                                        dtype="i8", chunks=(65536,))))
    variant("1e12 replications declared",
            lambda f: (f.__delitem__("/replication/replication"),
                       f.create_dataset("/replication/replication",
                                        shape=(10**12,), dtype="i8",
                                        chunks=(65536,))))
    variant("/node/node as deflated strings",
            retype_kw("/node/node", compression="gzip"))
    variant("/summary/lost_value only partly written",
            lambda f: (f.__delitem__("/summary/lost_value"),
                       f.create_dataset("/summary/lost_value",
                                        shape=f["/summary/fill_rate"].shape,
                                        dtype="f8", chunks=(1, 15))))
    # data that lives elsewhere
    variant("/summary/lost_value a soft link",
            lambda f: (f.__delitem__("/summary/lost_value"),
                       f.__setitem__("/summary/lost_value",
                                     h5py.SoftLink("/summary/fill_rate"))))
    variant("/summary/lost_value an external link",
            lambda f: (f.__delitem__("/summary/lost_value"),
                       f.__setitem__("/summary/lost_value",
                                     h5py.ExternalLink(good,
                                                       "/summary/lost_value"))
                       ))
    with open(os.path.join(tmp, "elsewhere.bin"), "wb") as e:
        e.write(b"\0" * 4096)
    variant("/comparison/roi stored in an external file",
            lambda f: (f.__delitem__("/comparison/roi"),
                       f.create_dataset("/comparison/roi", shape=(4,),
                                        dtype="f8", external=[(
                                            os.path.join(tmp,
                                                         "elsewhere.bin"),
                                            0, 32)])))
    # the decision layer: optional groups, checked when present
    for p in ["/risk_register/marginal_mean", "/risk_register/shapley",
              "/events/onset", "/events/replication", "/threat",
              "/comparison/net_benefit_mean", "/comparison/prob_best"]:
        variant(f"{p} shortened", shorten(p))
    variant("/risk_register/marginal_mean shortened along threat",
            shorten("/risk_register/marginal_mean", axis=1))
    variant("/risk_register/likelihood_class lengthened along threat",
            lengthen("/risk_register/likelihood_class", axis=1))
    variant("/events/onset as floats",
            retype("/events/onset", lambda v: v.astype(np.float64)))
    variant("/events/severity as strings",
            retype("/events/severity",
                   lambda v: np.array([str(x) for x in v],
                                      dtype=object).astype(strs)))
    variant("/risk_register/consequence_class as floats",
            retype("/risk_register/consequence_class",
                   lambda v: v.astype(np.float64)))
    variant("/risk_register/interaction as rank 2",
            retype("/risk_register/interaction",
                   lambda v: v.reshape(-1, 1)))
    variant("/threat as integers",
            retype("/threat", lambda v: np.arange(len(v))))

    def poke(path, value, at=0):
        def ch(f):  # in place: the attributes stay
            v = f[path][()]
            v.flat[at] = value
            f[path][...] = v
        return ch
    def shared_strings(f):
        """Every node name points at one 900 kB string of the file's heap:
        a small file whose strings would take megabytes to hold."""
        f.create_dataset("/zz_big", data=["x" * 900000], chunks=(1,),
                         dtype=strs)
        _, big = f["/zz_big"].id.read_direct_chunk((0,))
        d = f["/network/node"]
        mask, raw = d.id.read_direct_chunk((0,))
        d.id.write_direct_chunk((0,), big * (len(raw) // len(big)), mask)
        del f["/zz_big"]  # (the string stays in the heap)
    variant("/network/node names sharing one big string", shared_strings,
            says="more string bytes than the file holds")
    variant("/events/threat out of range", poke("/events/threat", 99))
    variant("/events/strategy negative", poke("/events/strategy", -1))
    variant("/events/replication beyond the run",
            poke("/events/replication", 40))
    variant("/events/target beyond the nodes", poke("/events/target", 10**6))
    variant("/events/target_kind 7", poke("/events/target_kind", 7))
    variant("/risk_register/likelihood_class 9",
            poke("/risk_register/likelihood_class", 9))
    variant("/risk_register/consequence_class 0",
            poke("/risk_register/consequence_class", 0))
    variant("/threat removed (the register names it)",
            lambda f: f.__delitem__("/threat"))
    variant("dataset /risk_register/marginal_mean removed",
            lambda f: f.__delitem__("/risk_register/marginal_mean"))
    variant("dataset /events/duration removed",
            lambda f: f.__delitem__("/events/duration"))
    variant("dataset /comparison/prob_best removed (net benefit kept)",
            lambda f: f.__delitem__("/comparison/prob_best"))
    variant("/risk_register replaced by a dataset",
            lambda f: (f.__delitem__("/risk_register"),
                       f.create_dataset("/risk_register", data=[1.0])))
    variant("bands_events_per_year removed",
            lambda f: f["/risk_register/likelihood_class"].attrs.
            __delitem__("bands_events_per_year"))
    variant("bands_share_of_annual_demand_value of 3 values",
            lambda f: f["/risk_register/consequence_class"].attrs.create(
                "bands_share_of_annual_demand_value", [0.1, 0.2, 0.3],
                dtype="f8"))
    variant("/events/onset a soft link",
            lambda f: (f.__delitem__("/events/onset"),
                       f.__setitem__("/events/onset",
                                     h5py.SoftLink("/events/duration"))))
    # stress files
    variant("/stress/rei shortened", shorten("/stress/rei"), sgood)
    variant("/stress/node removed",
            lambda f: f.__delitem__("/stress/node"), sgood)
    variant("/stress removed", lambda f: f.__delitem__("/stress"), sgood)
    variant("/stress/ttr_days as strings",
            retype("/stress/ttr_days",
                   lambda v: np.array([str(x) for x in v],
                                      dtype=object).astype(strs)), sgood)
    variant("/stress/exposed as floats",
            retype("/stress/exposed", lambda v: v.astype("f8")), sgood)
    # truncated at many offsets
    size = os.path.getsize(good)
    for cut in sorted({0, 1, 8, 100, 512, 1024, 2048, 4096, 8192,
                       size // 8, size // 4, size // 2, 3 * size // 4,
                       size - 4096, size - 100, size - 1}):
        n[0] += 1
        p = os.path.join(tmp, f"d{n[0]:03d}.h5")
        with open(good, "rb") as src, open(p, "wb") as dst:
            dst.write(src.read(cut))
        expect_refused("results", f"truncated to {cut} of {size} bytes",
                       [ripple, "inspect", p], p)

    # the global heap (where variable-length strings live), damaged in
    # place: HDF5 1.10 decodes a collection object by object, and loops
    # forever on a free-space object of size 0 (one changed byte: `ripple
    # inspect` and `report` hung) and reads past its buffer on an object
    # larger than the collection; Ripple walks the collections first
    def heap_objects(blob):
        """(offset of the first collection, [(offset, index, size)])."""
        at = blob.index(b"GCOL\1\0\0\0")
        end = at + struct.unpack_from("<Q", blob, at + 8)[0]
        p, objs = at + 16, []
        while end - p >= 16:
            idx, sz = struct.unpack_from("<H", blob, p)[0], \
                struct.unpack_from("<Q", blob, p + 8)[0]
            objs.append((p, idx, sz))
            p += 16 + (sz + 7) // 8 * 8 if idx else sz
        return at, objs

    swgood = os.path.join(tmp, "swgood.h5")
    subprocess.run([ripple, "sweep", scen, "-r", "2", "-o", swgood, "-q"],
                   check=True)

    def heap_variant(name, change, base=None):
        n[0] += 1
        p = os.path.join(tmp, f"d{n[0]:03d}.h5")
        blob = bytearray(open(base or good, "rb").read())
        change(blob, *heap_objects(blob))
        open(p, "wb").write(blob)
        says = f"{p}: damaged: the global heap"
        expect_refused("results", name, [ripple, "inspect", p], p, says=says)
        expect_refused("results", name + " (report)",
                       [ripple, "report", p, "-o", p + ".html"], p,
                       out=p + ".html", says=says)

    def free_space_zero(blob, at, objs):
        off = objs[len(objs) // 2][0]  # index and size set to 0
        struct.pack_into("<H", blob, off, 0)
        struct.pack_into("<Q", blob, off + 8, 0)

    def object_too_large(blob, at, objs):
        off = [o for o, idx, _ in objs if idx > 0][0]
        struct.pack_into("<Q", blob, off + 8, 1 << 20)

    def collection_past_end(blob, at, objs):
        struct.pack_into("<Q", blob, at + 8, len(blob))

    heap_variant("heap: a free-space object of size 0", free_space_zero)
    heap_variant("heap: an object larger than its collection",
                 object_too_large)
    heap_variant("heap: a collection past the end of the file",
                 collection_past_end)
    heap_variant("sweep file heap: a free-space object of size 0",
                 free_space_zero, swgood)

    # ---- damaged checkpoints ----
    out = os.path.join(tmp, "c.h5")
    ck = out + ".ckpt"
    r = subprocess.run([ripple, "run", scen, "-o", out, "-q",
                        "--stop-after", "700"], capture_output=True)
    if r.returncode != 1 or not os.path.exists(ck):
        failures.append(f"no checkpoint from a stopped run: {r.stderr}")
        raise SystemExit
    goodck = open(ck, "rb").read()
    os.unlink(ck)
    HEAD = 352
    (S, N, T, strat, R, nxt, nchunks) = struct.unpack_from("<iiiiqqQ",
                                                           goodck, 80)
    sizes = list(struct.unpack_from("<24Q", goodck, 120))

    def resume(name, blob, fix=False):
        """Feed blob as the checkpoint; fix=True recomputes the checksum
        (damage a checksum cannot see: only the contents checks can)."""
        b = bytearray(blob)
        if fix:
            b[320:352] = b"\0" * 32
            b[320:352] = hashlib.sha256(bytes(b)).digest()
        with open(ck, "wb") as f:
            f.write(b)
        expect_refused("checkpoint", name,
                       [ripple, "run", scen, "-o", out, "-q", "--resume"],
                       ck, out)
        if os.path.exists(ck):
            os.unlink(ck)

    def edit(blob, fmt, off, value):
        b = bytearray(blob)
        struct.pack_into(fmt, b, off, value)
        return b

    size = len(goodck)
    offsets = [0, 3, 7, 8, 12, 16, 50, 80, 84, 88, 92, 96, 104, 112, 120,
               200, 312, 320, 351, HEAD, HEAD + 1, HEAD + 100, size // 3,
               size // 2, 2 * size // 3, size - 8, size - 1]
    for off in offsets:
        for bit in (0x01, 0x80):
            b = bytearray(goodck)
            b[off] ^= bit
            resume(f"bit {bit:#x} flipped at byte {off}", b)
    for cut in [0, 1, 7, 8, 100, HEAD - 1, HEAD, HEAD + 1, size // 2,
                size - 8, size - 1]:
        resume(f"truncated to {cut} of {size} bytes", goodck[:cut])
    resume("one byte added", goodck + b"\0")
    resume("4 KiB added", goodck + b"\0" * 4096)
    resume("next lowered", edit(goodck, "<q", 104, nxt - 1))
    resume("next raised", edit(goodck, "<q", 104, nxt + 1))
    resume("next negative", edit(goodck, "<q", 104, -1))
    resume("next beyond R", edit(goodck, "<q", 104, R + 1000))
    resume("strategy out of range", edit(goodck, "<i", 92, S + 3))
    for i, (fmt, off, v) in enumerate([("<i", 80, S + 1), ("<i", 84, N + 1),
                                       ("<i", 88, T - 1), ("<q", 96, R * 2),
                                       ("<Q", 112, nchunks + 1),
                                       ("<Q", 120, sizes[0] + 8),
                                       ("<Q", 312, size + 8)]):
        resume(f"size field at {off} changed, checksum recomputed",
               edit(goodck, fmt, off, v), fix=True)
    # a consistent file with a lowered progress marker: the sums would be
    # counted twice; only the contents checks can see it
    sl_bytes = T * 8
    low = bytearray(goodck[:size - 256 * sl_bytes])
    struct.pack_into("<q", low, 104, nxt - 256)
    struct.pack_into("<Q", low, 120 + 15 * 8, (nxt - 256) * sl_bytes)
    struct.pack_into("<Q", low, 312, len(low))
    resume("next lowered by a block, sizes and checksum consistent", low,
           fix=True)
    up = bytearray(goodck + b"\0" * ((R - nxt) * sl_bytes))
    struct.pack_into("<q", up, 104, R)
    struct.pack_into("<Q", up, 120 + 15 * 8, R * sl_bytes)
    struct.pack_into("<Q", up, 312, len(up))
    resume("next raised to the end, sizes and checksum consistent", up,
           fix=True)
    prev = bytearray(goodck)
    struct.pack_into("<i", prev, 92, strat - 1)
    resume("strategy lowered, checksum consistent", prev, fix=True)
    resume("an earlier format (no checksum)", b"RPCKPT2\0" + goodck[8:])
    resume("not a checkpoint", b"hello world\n" * 100)
    resume("empty", b"")
    # the good one is accepted (and the corpus left nothing behind)
    with open(ck, "wb") as f:
        f.write(goodck)
    r = subprocess.run([ripple, "run", scen, "-o", out, "-q", "--resume"],
                       capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out):
        failures.append(f"the good checkpoint is refused: {r.stderr}")
finally:
    shutil.rmtree(tmp)

for f in failures:
    print("FAIL:", f, file=sys.stderr)
for c in ("results", "checkpoint"):
    print(f"damaged {c} files: {refused[c]} of {counts[c]} refused")
sys.exit(1 if failures or counts["results"] < 40 or
         counts["checkpoint"] < 40 else 0)
