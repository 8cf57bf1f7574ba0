#!/usr/bin/env bash
# MPI runs: the same datasets for 1, 2 and 3 ranks (every threat type, four
# strategies).  usage: mpi_test.sh RIPPLE DATA_DIR
set -u
ripple=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mpi="mpirun --allow-run-as-root --oversubscribe"
fail=0
# every dataset of a results file (bytes, or a list of strings) and its
# ranks attribute, for the comparisons below
cat >"$tmp/h5ds.py" <<'PYEOF'
import h5py
def ds(p):
    out = {}
    with h5py.File(p) as f:
        f.visititems(lambda n, o: out.__setitem__(
            n, list(o[()]) if o.dtype == object else o[()].tobytes())
            if isinstance(o, h5py.Dataset) else None)
        out["_ranks"] = int(f.attrs["ranks"])
    return out
PYEOF
for n in 1 2 3; do
    if ! $mpi -np $n "$ripple" run "$data/all_threats.json" -o "$tmp/r$n.h5" \
        -q -j 1 >"$tmp/o$n" 2>&1; then
        echo "FAIL: -np $n exited non-zero" >&2
        cat "$tmp/o$n" >&2
        fail=1
    fi
done
# the run's header names the ranks; --version says the build has MPI
$mpi -np 2 "$ripple" run "$data/all_threats.json" -o "$tmp/h.h5" -r 16 \
    -j 1 >"$tmp/oh" 2>&1
grep -q "1 thread a rank, 2 ranks" "$tmp/oh" ||
    { echo "FAIL: the header does not name 2 ranks" >&2; cat "$tmp/oh" >&2; fail=1; }
"$ripple" --version | grep -q ", MPI)" ||
    { echo "FAIL: --version does not say MPI" >&2; fail=1; }
/usr/bin/python3 - "$tmp" <<'PYEOF' || fail=1
import sys
tmp = sys.argv[1]
sys.path.insert(0, tmp)
from h5ds import ds
ref = ds(tmp + "/r1.h5")
bad = 0
for n in (2, 3):
    d = ds(f"{tmp}/r{n}.h5")
    diff = [k for k in ref if k != "_ranks" and ref[k] != d.get(k)]
    if diff or d["_ranks"] != n:
        print(f"FAIL: -np {n} differs in {diff} (ranks attr {d['_ranks']})",
              file=sys.stderr)
        bad = 1
sys.exit(bad)
PYEOF
# the stress test shares its nodes out in blocks of 8: same /stress for 1
# and 3 ranks (the bundled scenario: 100 nodes, 13 blocks)
for n in 1 3; do
    $mpi -np $n "$ripple" stress "$data/../../scenarios/default.json" \
        -o "$tmp/s$n.h5" -q -j 1 || { echo "FAIL: stress -np $n" >&2; fail=1; }
done
/usr/bin/python3 - "$tmp" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
tmp = sys.argv[1]
a, b = h5py.File(tmp + "/s1.h5"), h5py.File(tmp + "/s3.h5")
bad = [k for k in a["stress"] if a["stress"][k].dtype != object and
       a["stress"][k][()].tobytes() != b["stress"][k][()].tobytes()]
if bad or int(b.attrs["ranks"]) != 3:
    print("FAIL: stress differs in", bad, file=sys.stderr)
    sys.exit(1)
PYEOF
# progress under MPI at the interval, as in one process: rank 0 prints
# lines while it simulates its own blocks (an estimate from its share,
# marked "~"), not only once a block when it gathers them; 768
# replications on 2 ranks: blocks 0 and 2 on rank 0, 1 on rank 1, and a
# tiny interval, so a line at every group of lanes.  The results the same
# bits as the quiet 2-rank run's above.
RIPPLE_PROGRESS_SECONDS=0.000000001 $mpi -np 2 "$ripple" run \
    "$data/all_threats.json" -o "$tmp/p2.h5" -r 768 -j 1 >"$tmp/op" 2>"$tmp/ep"
rc=$?
$mpi -np 2 "$ripple" run "$data/all_threats.json" -o "$tmp/q2.h5" -r 768 \
    -j 1 -q >/dev/null 2>&1 || { echo "FAIL: quiet -np 2 -r 768" >&2; fail=1; }
est='^ripple: progress: strategy [1-4]/4, replications ~[0-9]*/768 (estimated: rank 0.s share x 2 ranks); '
n_est=$(grep -c "$est" "$tmp/ep")
n_all=$(grep -c '^ripple: progress: ' "$tmp/ep")
if [ $rc -ne 0 ] || [ "$n_est" -lt 2 ] || [ "$n_all" -lt 4 ]; then
    echo "FAIL: -np 2 progress: exit $rc, $n_all lines, $n_est estimated" >&2
    cat "$tmp/ep" >&2
    fail=1
fi
# each strategy ends on an exact line, and no line goes backwards
/usr/bin/python3 - "$tmp/ep" <<'PYEOF' || fail=1
import re, sys
last = {}
ends = set()
for ln in open(sys.argv[1]):
    m = re.match(r"ripple: progress: strategy (\d+)/4, replications (~?)(\d+)/768", ln)
    if not m:
        continue
    s, done = int(m.group(1)), int(m.group(3))
    if done < last.get(s, 0):
        print("FAIL: progress went back:", ln.strip(), file=sys.stderr)
        sys.exit(1)
    last[s] = done
    if done == 768 and not m.group(2):
        ends.add(s)
if ends != {1, 2, 3, 4}:
    print("FAIL: strategies without an exact last line:", ends, file=sys.stderr)
    sys.exit(1)
PYEOF
/usr/bin/python3 - "$tmp" <<'PYEOF' || fail=1
import sys
tmp = sys.argv[1]
sys.path.insert(0, tmp)
from h5ds import ds
a, b = ds(tmp + "/p2.h5"), ds(tmp + "/q2.h5")
diff = [k for k in a if a[k] != b.get(k)]
if diff:
    print("FAIL: progress changed the MPI results:", diff, file=sys.stderr)
    sys.exit(1)
PYEOF
# a single-process feature is refused under MPI, by rank 0 only
out=$($mpi -np 2 "$ripple" run "$data/all_threats.json" -o "$tmp/x.h5" \
      --resume 2>&1)
rc=$?
[ $rc -ne 0 ] || { echo "FAIL: --resume under 2 ranks accepted" >&2; fail=1; }
[ "$(grep -c 'ripple: error' <<<"$out")" = 1 ] ||
    { echo "FAIL: the error is not printed once" >&2; fail=1; }
# a usage error (here a bad option value) is said once, by rank 0: the
# error and the command's synopsis, not one copy a rank; --help once too
out=$($mpi -np 2 "$ripple" run "$data/all_threats.json" -r zero 2>&1)
rc=$?
if [ $rc -eq 0 ] || [ "$(grep -c '^ripple: error: -r' <<<"$out")" != 1 ] ||
    [ "$(grep -c '^usage: ripple run ' <<<"$out")" != 1 ]; then
    echo "FAIL: a usage error under 2 ranks not said once: $out" >&2
    fail=1
fi
[ "$($mpi -np 2 "$ripple" run --help 2>&1 | grep -c '^ripple run ')" = 1 ] ||
    { echo "FAIL: run --help under 2 ranks not printed once" >&2; fail=1; }
if [ $fail -eq 0 ]; then
    echo "mpi: 7 passed, 0 failed"
else
    echo "mpi: 0 passed, 1 failed"
fi
exit $fail
