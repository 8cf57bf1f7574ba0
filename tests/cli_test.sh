#!/usr/bin/env bash
# Command-line behaviour: exit codes, error format, no partial output.
# usage: cli_test.sh RIPPLE_BINARY TESTS_DATA_DIR
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
    fi
}
has() { # name, file, pattern
    if grep -qF -- "$3" "$2"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1: '$3' not in output:" >&2
        cat "$2" >&2
    fi
}

"$ripple" --version >"$tmp/o" 2>&1
check version 0 $?
has version "$tmp/o" "ripple "
"$ripple" --help >"$tmp/o" 2>&1
check help 0 $?
has help "$tmp/o" "ripple validate SCENARIO.json"
for c in run stress validate inspect; do
    "$ripple" $c --help >"$tmp/o" 2>&1
    check "$c --help" 0 $?
done
"$ripple" >"$tmp/o" 2>&1
check "no command" 2 $?
"$ripple" frobnicate >"$tmp/o" 2>&1
check "unknown command" 2 $?
has "unknown command" "$tmp/o" "ripple: error: unknown command 'frobnicate'"
"$ripple" run --bogus >"$tmp/o" 2>&1
check "unknown option" 2 $?
"$ripple" run -r zero >"$tmp/o" 2>&1
check "bad -r" 2 $?
has "bad -r" "$tmp/o" "ripple: error: -r: must be an integer"

# validate
"$ripple" validate "$data/golden/chain.json" >"$tmp/o" 2>&1
check "validate ok" 0 $?
has "validate ok" "$tmp/o" "3 nodes, 2 edges, 2 input groups"
has "validate ok" "$tmp/o" "is single-sourced"
"$ripple" validate "$data/bad/syntax.json" >"$tmp/o" 2>&1
check "validate syntax" 2 $?
has "validate syntax" "$tmp/o" "ripple: error: $data/bad/syntax.json:3:3: expected ',' or '}'"
"$ripple" validate "$data/bad/content.json" >"$tmp/o" 2>&1
check "validate content" 2 $?
has "validate content" "$tmp/o" "ripple: error: $data/bad/content.json: network.nodes[1].capacity: must be a number > 0 (got -5)"
has "validate content" "$tmp/o" "network.edges[0].to: unknown node \"M9\""
n=$(grep -c "^ripple: error: " "$tmp/o")
check "all errors listed" 1 $([ "$n" -ge 6 ] && echo 1 || echo 0)
"$ripple" validate "$tmp/missing.json" >"$tmp/o" 2>&1
check "validate missing" 2 $?

# run: results, overrides, quiet
(cd "$tmp" && "$ripple" run "$data/golden/chain.json" -r 4 -s 9 --horizon 50 -j 2 >o 2>e)
check "run ok" 0 $?
has "run ok" "$tmp/o" "wrote results.h5"
[ -f "$tmp/results.h5" ]
check "results.h5 exists" 0 $?
"$ripple" inspect "$tmp/results.h5" >"$tmp/o" 2>&1
check "inspect" 0 $?
has "inspect" "$tmp/o" "50 days x 4 replications, seed 9"
has "inspect" "$tmp/o" "baseline"
"$ripple" run "$data/golden/chain.json" -o "$tmp/q.h5" -q >"$tmp/o" 2>&1
check "quiet" 0 $?
check "quiet prints nothing" 0 "$(wc -c <"$tmp/o" | tr -d ' ')"

# failures leave no output and never clobber a good file
cp "$tmp/results.h5" "$tmp/keep.h5"
"$ripple" run "$data/bad/content.json" -o "$tmp/keep.h5" >"$tmp/o" 2>&1
check "bad run" 2 $?
cmp -s "$tmp/results.h5" "$tmp/keep.h5"
check "good file untouched" 0 $?
"$ripple" run "$data/bad/content.json" -o "$tmp/new.h5" >"$tmp/o" 2>&1
[ ! -e "$tmp/new.h5" ]
check "no partial file" 0 $?
"$ripple" run "$data/golden/chain.json" -o "$tmp/nodir/x.h5" >"$tmp/o" 2>&1
check "unwritable output" 1 $?
has "unwritable output" "$tmp/o" "ripple: error: "
ls "$tmp/nodir" >/dev/null 2>&1
check "no stray directory" 2 $?
leftovers=$(ls "$tmp" | grep -c '\.tmp\.' || true)
check "no temporary files left" 0 "$leftovers"

# inspect errors
"$ripple" inspect "$tmp/none.h5" >"$tmp/o" 2>&1
check "inspect missing" 2 $?
"$ripple" inspect "$data/golden/chain.json" >"$tmp/o" 2>&1
check "inspect not hdf5" 2 $?
has "inspect not hdf5" "$tmp/o" "not an HDF5 file"

# stress
"$ripple" stress "$data/golden/chain.json" -o "$tmp/s.h5" >"$tmp/o" 2>&1
check "stress" 0 $?
has "stress" "$tmp/o" "stress test: 3 nodes tested"

# generate: a network any scenario can name
"$ripple" generate -n 300 -s 2 -o "$tmp/gen.json" >"$tmp/o" 2>&1
check "generate" 0 $?
has "generate" "$tmp/o" "300 nodes"
echo '{"network": "gen.json", "horizon_days": 30, "replications": 3}' >"$tmp/gs.json"
"$ripple" validate "$tmp/gs.json" >"$tmp/o" 2>&1
check "generated network validates" 0 $?
has "generated network validates" "$tmp/o" "300 nodes"
"$ripple" generate -n 5 >"$tmp/o" 2>&1
check "generate too small" 2 $?
"$ripple" run "$tmp/gs.json" --dense -o "$tmp/gd.h5" -q >"$tmp/o" 2>&1
check "run --dense" 0 $?
"$ripple" stress "$data/golden/chain.json" --dense >"$tmp/o" 2>&1
check "--dense is for run" 2 $?
has "--dense is for run" "$tmp/o" "option '--dense' applies to 'run' only"
"$ripple" stress "$data/golden/chain.json" -r 5 >"$tmp/o" 2>&1
check "-r is for run" 2 $?
has "-r is for run (named as the option)" "$tmp/o" "option '-r' applies"

# the tutorial's files stay valid
docs=$(cd "$data/../../docs" && pwd)
"$ripple" validate "$docs/examples/bikes/study.json" >"$tmp/o" 2>&1
check "tutorial study validates" 0 $?
has "tutorial study validates" "$tmp/o" "6 nodes, 5 edges, 4 input groups"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
