#!/usr/bin/env bash
# Robustness of the command line against hostile or careless input:
# resources decided before work starts, inputs that are not files, values
# out of range however they arrive.  Nothing may crash or hang: every
# command runs under a timeout, and only exit statuses 0, 1 and 2 pass.
# usage: robust_test.sh RIPPLE_BINARY TESTS_DATA_DIR
set -u
ripple=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # name, expected rc, actual rc
    if [ "$2" = "$3" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1: exit $3, expected $2" >&2
        [ -f "$tmp/o" ] && head -5 "$tmp/o" >&2
    fi
}
has() { # name, file, pattern
    if grep -qF -- "$3" "$2"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1: '$3' not in output:" >&2
        head -20 "$2" >&2
    fi
}
lacks() { # name, file, pattern
    if grep -qF -- "$3" "$2"; then
        fail=$((fail + 1))
        echo "FAIL: $1: '$3' in output:" >&2
        head -20 "$2" >&2
    else
        pass=$((pass + 1))
    fi
}
# run with a timeout; the exit status is in $rc
t() {
    timeout -k 5 120 "$@" >"$tmp/o" 2>&1
    rc=$?
}

# --- generate: tiers beyond the nodes were a heap overflow ---------------
t "$ripple" generate -n 10 --tiers 13
check "generate tiers > nodes" 2 $rc
has "generate tiers > nodes" "$tmp/o" "--tiers: must be at most 9 for 10 nodes"
t "$ripple" generate -n 10 --tiers 9 -o "$tmp/g.json"
check "generate most tiers" 0 $rc
echo '{"network": "g.json", "horizon_days": 30, "replications": 8}' \
    >"$tmp/gs.json"
t "$ripple" run "$tmp/gs.json" -q -o "$tmp/g.h5"
check "run generated most tiers" 0 $rc

# --- inputs that are not regular files are refused unread --------------
mkfifo "$tmp/fifo"
for cmd in validate run stress; do
    t "$ripple" $cmd "$tmp/fifo" -o "$tmp/x.h5"
    [ $cmd = validate ] && t "$ripple" $cmd "$tmp/fifo"
    check "$cmd fifo" 2 $rc
    has "$cmd fifo" "$tmp/o" "$tmp/fifo: is a FIFO (named pipe), not a regular file"
done
echo '{"network": "fifo"}' >"$tmp/netfifo.json"
t "$ripple" validate "$tmp/netfifo.json"
check "network fifo" 2 $rc
has "network fifo" "$tmp/o" "$tmp/fifo: is a FIFO"
t "$ripple" validate "$tmp"
check "directory" 2 $rc
has "directory" "$tmp/o" "$tmp: is a directory, not a file"
echo '{"network": "/dev/zero"}' >"$tmp/zero.json"
t "$ripple" validate "$tmp/zero.json"
check "network /dev/zero" 2 $rc
has "network /dev/zero" "$tmp/o" "/dev/zero: is a device, not a regular file"
truncate -s 1025M "$tmp/huge.json"
t "$ripple" validate "$tmp/huge.json"
check "input over 1 GiB" 2 $rc
has "input over 1 GiB" "$tmp/o" "huge.json: is 1.0 GiB; input files are limited to 1.0 GiB (1073741824 bytes)"
rm -f "$tmp/huge.json"

echo "robust_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
