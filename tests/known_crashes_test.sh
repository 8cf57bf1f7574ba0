#!/usr/bin/env bash
# Files on which the HDF5 library itself reads past its buffers (found by
# fuzzing; tests/fuzz/known_crashes): inspect and report must still end
# with exit 2, a message naming the file, nothing on stdout and no page.
# (Not run in sanitizer builds: there the library's overread is reported
# by AddressSanitizer before it can crash.)
# usage: known_crashes_test.sh RIPPLE_BINARY CRASH_DIR
set -u
ripple=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for f in "$dir"/*.h5; do
    for cmd in "inspect" "inspect --format json" "report -o $tmp/page.html"; do
        # shellcheck disable=SC2086
        "$ripple" $cmd "$f" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/page.html" ] &&
            grep -qF "$f: damaged" "$tmp/err"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL: ripple $cmd $f: exit $rc" >&2
            cat "$tmp/err" >&2
        fi
    done
done
echo "known_crashes: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
