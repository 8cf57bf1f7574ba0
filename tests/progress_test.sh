#!/usr/bin/env bash
# Progress for batch logs: with stderr not a terminal, `ripple run` prints a
# plain line (no \r) every RIPPLE_PROGRESS_SECONDS (default 30) seconds with
# done/total, rate and ETA; --quiet prints nothing.
#   progress_test.sh RIPPLE SCENARIO.json
set -euo pipefail
ripple=$1
scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# a run of a second or more (24 blocks of 256), a line every 0.05 s
RIPPLE_PROGRESS_SECONDS=0.05 "$ripple" run "$scenario" -r 2000 -j 1 \
    -o "$tmp/p.h5" >/dev/null 2>"$tmp/err" || fail "run failed: $(cat "$tmp/err")"
# (counts from 1,000 on are grouped: 2,000 and 6,000)
n=$(grep -c '^ripple: progress: strategy [0-9]*/3, replications [0-9,]*/2,000; [0-9,]* of 6,000 done ([0-9]*%) in [0-9,]* s, [0-9,.]* rep/s, ETA [0-9,]* s$' "$tmp/err" || true)
[ "$n" -ge 1 ] || fail "expected progress lines every 0.05 s, got $n: $(cat "$tmp/err")"
if grep -q $'\r' "$tmp/err"; then fail "carriage return in a log"; fi
echo "ok: $n progress lines"

# within a block: a block of 256 replications can take minutes on a large
# network, so lines come as groups of lanes finish, not only at a block's
# end (-r 256: one block a strategy; a tiny interval: a line at every
# group).  Every line whole (one thread prints), and the results the same
# bits as a quiet run's.
RIPPLE_PROGRESS_SECONDS=0.000000001 "$ripple" run "$scenario" -r 256 -j 2 \
    -o "$tmp/b.h5" >/dev/null 2>"$tmp/err" || fail "run failed: $(cat "$tmp/err")"
line='^ripple: progress: strategy [0-9]/3, replications [0-9]*/256; [0-9]* of 768 done ([0-9]*%) in [0-9,]* s, [0-9,.]* rep/s, ETA [0-9,]* s$'
inside=$(grep "$line" "$tmp/err" | grep -vc 'replications 256/256' || true)
[ "$inside" -ge 1 ] || fail "no progress line within a block: $(cat "$tmp/err")"
others=$(grep -v "$line" "$tmp/err" | grep -vc '^ripple: .*: [0-9,]* nodes, ' || true)
[ "$others" -eq 0 ] || fail "a progress line broken: $(cat "$tmp/err")"
"$ripple" run "$scenario" -r 256 -j 2 -q -o "$tmp/a.h5" ||
    fail "quiet run failed"
if command -v h5diff >/dev/null; then
    d=$(h5diff "$tmp/a.h5" "$tmp/b.h5" |
        grep -v -e '^attribute: <\(command\|created_utc\) of </>>' \
            -e 'differences\? found$' || true)
    [ -z "$d" ] || fail "progress changed the results: $d"
fi
echo "ok: $inside progress lines within blocks, results unchanged"

# the default interval is 30 s: a short run prints no progress line
"$ripple" run "$scenario" -r 300 -j 1 -o "$tmp/p.h5" >/dev/null 2>"$tmp/err"
if grep -q 'progress' "$tmp/err"; then fail "progress before 30 s: $(cat "$tmp/err")"; fi
echo "ok: no line within the default 30 s"

# --quiet stays silent
RIPPLE_PROGRESS_SECONDS=0.2 "$ripple" run "$scenario" -r 2000 -j 1 --quiet \
    -o "$tmp/p.h5" >/dev/null 2>"$tmp/err"
[ ! -s "$tmp/err" ] || fail "--quiet printed: $(cat "$tmp/err")"
echo "ok: --quiet silent"

# a value that is not a positive number: a note, the default interval
RIPPLE_PROGRESS_SECONDS=soon "$ripple" run "$scenario" -r 300 -j 1 \
    -o "$tmp/p.h5" >/dev/null 2>"$tmp/err"
grep -q 'RIPPLE_PROGRESS_SECONDS=soon is not a positive number' "$tmp/err" ||
    fail "no note for a bad RIPPLE_PROGRESS_SECONDS: $(cat "$tmp/err")"
echo "ok: bad RIPPLE_PROGRESS_SECONDS noted"
