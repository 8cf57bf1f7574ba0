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
has "version names the model" "$tmp/o" "model version 2"
# a checkpoint of a model version 1 engine is refused, and says why
printf 'RPCKPT1\0%0200d' 0 >"$tmp/v1.h5.ckpt"
"$ripple" run "$data/scen_path.json" -r 4 -q --resume -o "$tmp/v1.h5" >"$tmp/o" 2>&1
check "resume a version 1 checkpoint" 2 $?
has "resume a version 1 checkpoint" "$tmp/o" "model version 1"
[ ! -e "$tmp/v1.h5" ]
check "no output from a refused resume" 0 $?
# a checkpoint of another run says what differs
"$ripple" run "$data/all_threats.json" -r 600 -q --stop-after 300 \
    -o "$tmp/ck.h5" >"$tmp/o" 2>&1
check "stopped run" 1 $?
"$ripple" run "$data/all_threats.json" -r 700 -q --resume -o "$tmp/ck.h5" \
    >"$tmp/o" 2>&1
check "resume with other -r" 2 $?
has "resume with other -r" "$tmp/o" "it has 600 replications, this run 700"
"$ripple" run "$data/all_threats.json" -r 600 -s 9 -q --resume \
    -o "$tmp/ck.h5" >"$tmp/o" 2>&1
check "resume with another seed" 2 $?
has "resume with another seed" "$tmp/o" "the scenario, its network, the seed or an option"
# the resumed run's rate counts what it ran: 4 x 600 less the 512 (two
# blocks of 256) done before the stop = 1888
"$ripple" run "$data/all_threats.json" -r 600 --resume -o "$tmp/ck.h5" \
    >"$tmp/o" 2>&1
check "resume" 0 $?
has "resume: what it ran" "$tmp/o" "4 strategies x 600 replications; resumed: 1,888 run now in"
"$ripple" --help >"$tmp/o" 2>&1
check help 0 $?
has help "$tmp/o" "ripple validate SCENARIO.json"
for c in run stress validate inspect; do
    "$ripple" $c --help >"$tmp/o" 2>&1
    check "$c --help" 0 $?
done
# `ripple help run` is `ripple run --help`; --version and --help take no
# other arguments (they exited 0 and hid a mistyped command line)
"$ripple" help run >"$tmp/o" 2>&1
check "help run" 0 $?
has "help run" "$tmp/o" "Monte Carlo of the scenario's threats"
"$ripple" --version extra >"$tmp/o" 2>&1
check "--version extra" 2 $?
has "--version extra" "$tmp/o" "'--version' takes no arguments (got 'extra')"
"$ripple" --help run now >"$tmp/o" 2>&1
check "--help run now" 2 $?
"$ripple" help frobnicate >"$tmp/o" 2>&1
check "help frobnicate" 2 $?
has "help frobnicate" "$tmp/o" "unknown command 'frobnicate'"
"$ripple" >"$tmp/o" 2>&1
check "no command" 2 $?
"$ripple" frobnicate >"$tmp/o" 2>&1
check "unknown command" 2 $?
has "unknown command" "$tmp/o" "ripple: error: unknown command 'frobnicate'"
"$ripple" run --bogus >"$tmp/o" 2>&1
check "unknown option" 2 $?
# a usage error shows that command's synopsis only, and where the rest is
hasnt() { # name, file, pattern
    if grep -qF -- "$3" "$2"; then
        fail=$((fail + 1))
        echo "FAIL: $1: '$3' in output:" >&2
        cat "$2" >&2
    else
        pass=$((pass + 1))
    fi
}
has "unknown option: run's synopsis" "$tmp/o" "usage: ripple run "
has "unknown option: run's synopsis" "$tmp/o" "[--events all|none]"
has "unknown option: see --help" "$tmp/o" "see 'ripple run --help'"
hasnt "unknown option: no other synopsis" "$tmp/o" "ripple stress"
hasnt "unknown option: nothing near it" "$tmp/o" "did you mean"
# a slip or a prefix of an option the command has is named
"$ripple" run --replicatons 5 >"$tmp/o" 2>&1
check "option slip" 2 $?
has "option slip" "$tmp/o" "ripple: error: unknown option '--replicatons'; did you mean '--replications'?"
"$ripple" run --rep 5 >"$tmp/o" 2>&1
has "option prefix" "$tmp/o" "unknown option '--rep'; did you mean '--replications'?"
"$ripple" sweep x.json --fractons 3 >"$tmp/o" 2>&1
check "sweep option slip" 2 $?
has "sweep option slip" "$tmp/o" "unknown option '--fractons' for sweep; did you mean '--fractions'?"
"$ripple" run --re 5 >"$tmp/o" 2>&1
hasnt "ambiguous prefix: no guess" "$tmp/o" "did you mean"
# the guess is an option the command takes: run shares its options table
# with inspect, validate and stress, but takes no --format
"$ripple" run --fromat json >"$tmp/o" 2>&1
check "run --fromat" 2 $?
has "run --fromat: unknown" "$tmp/o" "unknown option '--fromat'"
hasnt "run --fromat: no --format guess" "$tmp/o" "did you mean"
"$ripple" inspect x.h5 --fromat json >"$tmp/o" 2>&1
check "inspect --fromat" 2 $?
has "inspect --fromat: guessed" "$tmp/o" "unknown option '--fromat'; did you mean '--format'?"
"$ripple" run --horizn 5 >"$tmp/o" 2>&1
has "run --horizn: guessed" "$tmp/o" "unknown option '--horizn'; did you mean '--horizon'?"
"$ripple" stress x.json --replicatons 5 >"$tmp/o" 2>&1
hasnt "stress takes no -r: no guess" "$tmp/o" "did you mean"
"$ripple" validate x.json --quite >"$tmp/o" 2>&1
hasnt "validate takes no --quiet: no guess" "$tmp/o" "did you mean"
for args in "stress" "sweep" "trace x.json" "report" "report a.h5 b.h5" \
    "inspect" "validate --format json x.json" "generate --bogus" \
    "export-network x.json" "trace --bogus 1"; do
    c=${args%% *}
    "$ripple" $args >"$tmp/o" 2>&1
    check "$args: usage error" 2 $?
    has "$args: its synopsis" "$tmp/o" "usage: ripple $c "
    has "$args: see --help" "$tmp/o" "see 'ripple $c --help'"
    check "$args: one synopsis" 1 "$(grep -c '^\(usage: \)\? *ripple [a-z-]* ' "$tmp/o" |
        tr -d ' ')"
done
"$ripple" frobnicate >"$tmp/o" 2>&1
has "unknown command: every synopsis" "$tmp/o" "ripple export-network"
"$ripple" run -r zero >"$tmp/o" 2>&1
check "bad -r" 2 $?
has "bad -r" "$tmp/o" "ripple: error: -r: must be an integer"
# a bad option value: the error naming the option, then that command's
# synopsis (as after every usage error), exit status 2; the values that
# are checked once the scenario is read (trace's --replication and
# --strategy, generate's --tiers against -n) too.  ARGS|OPTION per line.
: >"$tmp/empty.h5"
while IFS='|' read -r args opt; do
    c=${args%% *}
    # shellcheck disable=SC2086
    "$ripple" $args >"$tmp/o" 2>&1
    check "$args: bad value" 2 $?
    has "$args: the error" "$tmp/o" "ripple: error: $opt"
    has "$args: its synopsis" "$tmp/o" "usage: ripple $c "
    has "$args: see --help" "$tmp/o" "see 'ripple $c --help'"
    check "$args: one synopsis" 1 "$(grep -c '^\(usage: \)\? *ripple [a-z-]* ' "$tmp/o" |
        tr -d ' ')"
done <<EOF2
run $data/all_threats.json -r zero|-r: must be an integer
run $data/all_threats.json -j 0|-j: must be an integer
run $data/all_threats.json --horizon -5|--horizon: must be an integer
run $data/all_threats.json -s seven|-s: must be an integer
run $data/all_threats.json --lanes 3|--lanes: must be 1, 4 or 8
run $data/all_threats.json --stop-after 0|--stop-after: must be an integer
run $data/all_threats.json --register all|--register: marginal, shapley or none
run $data/all_threats.json --events some|--events: all or none
stress $data/all_threats.json -j many|-j: must be an integer
validate $data/all_threats.json -r 0|-r: must be an integer
validate $data/all_threats.json --horizon 1.5|--horizon: must be an integer
validate $data/all_threats.json -j x|-j: must be an integer
validate $data/all_threats.json --lanes 2|--lanes: must be 1, 4 or 8
inspect $tmp/empty.h5 --format xml|--format: text, json or csv
inspect $tmp/empty.h5 -o $tmp/empty.h5|$tmp/empty.h5: is the results file itself
report $tmp/empty.h5 -o $tmp/empty.h5|$tmp/empty.h5: is the results file itself
trace $data/all_threats.json --replication 1 -r 0|-r: must be an integer
trace $data/all_threats.json --replication 1 -s -1|-s: must be an integer
trace $data/all_threats.json --replication 1 --horizon x|--horizon: must be an integer
trace $data/all_threats.json --replication 9 -r 4|--replication: must be an integer in [0, 3]
trace $data/all_threats.json --replication 1 --strategy nosuch|--strategy: the scenario has no strategy 'nosuch'
sweep $data/all_threats.json -r 0|-r: must be an integer
sweep $data/all_threats.json -j 0|-j: must be an integer
sweep $data/all_threats.json --fractions 1|--fractions: must be an integer
sweep $data/all_threats.json --orders bogus|--orders: each must be random
sweep $data/all_threats.json --fail-probability 2|--fail-probability: must be a number in [0, 1]
generate -n 5|-n: must be an integer
generate --tiers 1|--tiers: must be an integer
generate -n 10 --tiers 50|--tiers: must be at most
generate --degree many|--degree: must be a number in [1, 100]
generate --degree 0x5|--degree: must be a number in [1, 100]
generate --degree nan|--degree: must be a number in [1, 100]
sweep $data/all_threats.json --fail-probability 0x.8|--fail-probability: must be a number in [0, 1]
sweep $data/all_threats.json --fail-probability inf|--fail-probability: must be a number in [0, 1]
generate --regions 0|--regions: must be an integer
generate -s x|-s: must be an integer
EOF2

# numbers are plain decimals: no leading space (strtod and strtoll skip
# it), and a value too small for a double is a number, not out of range
"$ripple" run "$data/golden/chain.json" -r ' 5' -q -o "$tmp/sp.h5" >"$tmp/o" 2>&1
check "-r ' 5'" 2 $?
has "-r ' 5'" "$tmp/o" "-r: must be an integer"
"$ripple" sweep "$data/golden/chain.json" -r 2 --fractions 2 --fail-probability ' 0.5' \
    -q -o "$tmp/sp.h5" >"$tmp/o" 2>&1
check "--fail-probability ' 0.5'" 2 $?
"$ripple" sweep "$data/golden/chain.json" -r 2 --fractions 2 --fail-probability 1e-320 \
    -q -o "$tmp/sp.h5" >"$tmp/o" 2>&1
check "--fail-probability 1e-320 is a number" 0 $?

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

# validate's guard rails: nodes that can never produce, demand without a
# unit value (one line), selector values that are typos of case
"$ripple" validate "$data/guard_standby.json" >"$tmp/o" 2>&1
check "never produces" 0 $?
has "never produces" "$tmp/o" 'warning: node "R" can never produce: its capacity is 0 (no baseline output and no explicit capacity)'
has "never produces" "$tmp/o" 'warning: node "X" can never produce: its input "raw" comes only from nodes that can never produce ("R")'
has "never produces" "$tmp/o" 'warning: strategy "second standby": node "Y" can never produce'
has "no unit_value" "$tmp/o" 'warning: 2 nodes with demand have no unit_value ("C", "C2"); their lost units are valued at 1 each'
check "no unit_value: one line" 1 "$(grep -c 'no unit_value' "$tmp/o")"
"$ripple" validate "$data/guard_case.json" >"$tmp/o" 2>&1
check "selector case" 2 $?
has "selector case" "$tmp/o" "ripple: error: $data/guard_case.json: threats[2].candidates.kinds: \"supplier\" matches no node; did you mean \"Supplier\"?"
has "selector case" "$tmp/o" "ripple: error: $data/guard_case.json: threats[3].regions[0]: no node is in region \"tw\"; did you mean \"TW\"?"
has "selector case" "$tmp/o" "ripple: error: $data/guard_case.json: strategies[0].actions[0].nodes.tags: \"tier2\" matches no node; did you mean \"Tier2\"?"
check "selector case: 3 errors" 3 "$(grep -c '^ripple: error: ' "$tmp/o")"
"$ripple" run "$data/guard_case.json" -o "$tmp/case.h5" -q >"$tmp/o" 2>&1
check "selector case: run refuses" 2 $?
has "selector case: run refuses" "$tmp/o" 'did you mean "Supplier"?'
[ ! -e "$tmp/case.h5" ]
check "selector case: no file" 0 $?

# run: results, overrides, quiet
(cd "$tmp" && "$ripple" run "$data/golden/chain.json" -r 4 -s 9 --horizon 50 -j 2 >o 2>e)
check "run ok" 0 $?
has "run ok" "$tmp/o" "wrote results.h5"
# a scenario whose threats are all scripted: every replication the same
has "scripted only" "$tmp/e" "ripple: note: every threat is scripted (none is drawn at random), so the 4 replications simulate the same events"
"$ripple" run "$data/all_threats.json" -r 4 --horizon 30 -o "$tmp/rand.h5" >"$tmp/o" 2>&1
check "run of random threats" 0 $?
hasnt "random threats: no such note" "$tmp/o" "every threat is scripted"
"$ripple" run "$data/golden/chain.json" -r 1 -o "$tmp/one1.h5" >"$tmp/o" 2>&1
hasnt "one replication: no such note" "$tmp/o" "every threat is scripted"
"$ripple" validate "$data/golden/chain.json" -r 5 >"$tmp/o" 2>&1
has "validate: scripted only" "$tmp/o" "every threat is scripted (none is drawn at random): the 5 replications are all the same"
"$ripple" validate "$data/all_threats.json" >"$tmp/o" 2>&1
hasnt "validate: random threats" "$tmp/o" "every threat is scripted"
[ -f "$tmp/results.h5" ]
check "results.h5 exists" 0 $?
"$ripple" inspect "$tmp/results.h5" >"$tmp/o" 2>&1
check "inspect" 0 $?
has "inspect" "$tmp/o" "50 days x 4 replications, seed 9"
has "inspect" "$tmp/o" "baseline"
# the node ranking says what criticality is and shows what it ranks by
has "inspect criticality" "$tmp/o" "most critical nodes (baseline), ranked by P x crit"
has "inspect criticality" "$tmp/o" "  criticality   mean lost value of those replications (the whole network's"
has "inspect criticality" "$tmp/o" "loss in 50 days, in unit_value's currency, whatever else was hit too)"
has "inspect criticality" "$tmp/o" "  node                     P(disrupted)  criticality     P x crit  P(impacted)"
# the decision layer: the register with its matrix; machine formats
has "inspect register" "$tmp/o" "risk register (baseline): what each threat costs, ranked by marginal"
has "inspect matrix" "$tmp/o" "likelihood x consequence (baseline)"
has "inspect worst" "$tmp/o" "worst replications (baseline): the 3 with the highest lost value, and their events (lost value in unit_value's currency)"
"$ripple" inspect "$tmp/results.h5" --format json >"$tmp/o" 2>&1
check "inspect --format json" 0 $?
has "inspect --format json" "$tmp/o" '"risk_register": ['
"$ripple" inspect "$tmp/results.h5" --format csv >"$tmp/o" 2>&1
check "inspect --format csv" 0 $?
has "inspect --format csv" "$tmp/o" "# matrix"
"$ripple" inspect "$tmp/results.h5" --format xml >"$tmp/o" 2>&1
check "inspect --format xml" 2 $?
has "inspect --format xml" "$tmp/o" "ripple: error: --format: text, json or csv (got 'xml')"
"$ripple" run "$data/golden/chain.json" -r 4 --format json -o "$tmp/f.h5" >"$tmp/o" 2>&1
check "--format is for inspect" 2 $?
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
check "unwritable output" 2 $?
has "unwritable output" "$tmp/o" "ripple: error: $tmp/nodir/x.h5: cannot create the output in $tmp/nodir: No such file or directory"
ls "$tmp/nodir" >/dev/null 2>&1
check "no stray directory" 2 $?
leftovers=$(ls "$tmp" | grep -c '\.tmp\.' || true)
check "no temporary files left" 0 "$leftovers"
# -o naming one of the command's own inputs (the scenario, its network
# file, its CSV files, sweep's --dependencies file) is refused before any
# work: the output, renamed over that name, replaced the input
mkdir "$tmp/own"
cp "$data/scen_path.json" "$data/net_ok.json" "$tmp/own/"
printf 'id,kind,demand\nS,supplier,\nC,customer,10\n' >"$tmp/own/n.csv"
printf 'from,to\nS,C\n' >"$tmp/own/e.csv"
printf '{"name": "c", "network": {"nodes_csv": "n.csv", "edges_csv": "e.csv"}, "horizon_days": 5, "replications": 1}' >"$tmp/own/c.json"
printf 'a,b\n' >"$tmp/own/dep.csv"
cp -r "$tmp/own" "$tmp/own.orig"
while IFS='|' read -r args out what; do
    # shellcheck disable=SC2086
    "$ripple" $args -o "$tmp/own/$out" >"$tmp/o" 2>&1
    check "$args -o $out: refused" 2 $?
    has "$args -o $out: says so" "$tmp/o" "ripple: error: $tmp/own/$out: is $what"
    diff -r "$tmp/own" "$tmp/own.orig" >/dev/null
    check "$args -o $out: inputs intact, nothing left" 0 $?
done <<EOF3
run $tmp/own/scen_path.json -q|scen_path.json|the scenario ($tmp/own/scen_path.json)
run $tmp/own/scen_path.json -q|net_ok.json|its network file ($tmp/own/net_ok.json)
stress $tmp/own/scen_path.json -q|scen_path.json|the scenario
trace $tmp/own/scen_path.json --replication 0 -q|net_ok.json|its network file
sweep $tmp/own/scen_path.json -r 2 -q|scen_path.json|the scenario
run $tmp/own/c.json -q|n.csv|its nodes CSV file
stress $tmp/own/c.json -q|e.csv|its edges CSV file
sweep $tmp/own/c.json -r 2 --dependencies $tmp/own/dep.csv -q|dep.csv|the --dependencies file
EOF3
# run also writes OUT.ckpt and OUT.lock (truncated to its pid, both
# removed at the end): a scenario under either name was lost, exit 0
for sfx in ckpt lock; do
    cp "$data/scen_path.json" "$tmp/own/r.h5.$sfx"
    "$ripple" run "$tmp/own/r.h5.$sfx" -q -r 600 --stop-after 256 \
        -o "$tmp/own/r.h5" >"$tmp/o" 2>&1
    check "run -o r.h5 with scenario r.h5.$sfx: refused" 2 $?
    has "run -o r.h5 with scenario r.h5.$sfx: says so" "$tmp/o" "r.h5.$sfx: is the scenario"
    cmp -s "$data/scen_path.json" "$tmp/own/r.h5.$sfx"
    check "scenario r.h5.$sfx intact" 0 $?
    [ ! -e "$tmp/own/r.h5" ]
    check "scenario r.h5.$sfx: no output" 0 $?
    rm -f "$tmp/own/r.h5.$sfx"
done

# report and inspect read the file in a child process: killing the
# command (a timeout, a scheduler) ends the child too, so no page appears
# after the command has failed (the child used to finish and write it)
"$ripple" generate -n 20000 -o "$tmp/g20k.json" >/dev/null 2>&1
printf '{"name": "big", "network": "g20k.json", "horizon_days": 3, "replications": 1}' >"$tmp/g20k_s.json"
"$ripple" run "$tmp/g20k_s.json" -j 1 -q -o "$tmp/g20k.h5"
check "a large results file" 0 $?
"$ripple" report "$tmp/g20k.h5" -q -o "$tmp/g20k.html" &
parent=$!
child=""
for _ in $(seq 200); do
    child=$(ps -o pid= --ppid "$parent" 2>/dev/null | tr -d ' ')
    [ -n "$child" ] && break
    sleep 0.01
done
# still reading when the parent is killed: not a zombie (one that has
# finished lets the parent write the page at once, which a loaded machine
# can let happen before the kill)
state=""
[ -n "$child" ] && state=$(awk '{print $3}' "/proc/$child/stat" 2>/dev/null)
kill -9 "$parent"
wait "$parent" 2>/dev/null
if [ -n "$child" ] && [ -n "$state" ] && [ "$state" != Z ]; then
    for _ in $(seq 100); do
        kill -0 "$child" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$child" 2>/dev/null
    check "killed report: its child ends too" 1 $?
    [ ! -e "$tmp/g20k.html" ]
    check "killed report: no page" 0 $?
    kill -9 "$child" 2>/dev/null
else
    echo "note: report's child had ended before the kill; not checked" >&2
fi

# inspect errors
"$ripple" inspect "$tmp/none.h5" >"$tmp/o" 2>&1
check "inspect missing" 2 $?
"$ripple" inspect "$data/golden/chain.json" >"$tmp/o" 2>&1
check "inspect not hdf5" 2 $?
has "inspect not hdf5" "$tmp/o" "not an HDF5 file"
# a scenario given by mistake: the message says what makes a results file
has "inspect of a scenario" "$tmp/o" "$data/golden/chain.json: not an HDF5 file but JSON (a scenario or a network?): ripple run simulates a scenario and writes the .h5 file this command reads"
printf 'day,value\n1,2\n' >"$tmp/notes.csv"
"$ripple" report "$tmp/notes.csv" -o "$tmp/notes.html" >"$tmp/o" 2>&1
check "report not hdf5" 2 $?
has "report not hdf5" "$tmp/o" "$tmp/notes.csv: not an HDF5 file (give the .h5 file a ripple command wrote, such as ripple run's -o)"
[ ! -e "$tmp/notes.html" ]
check "report not hdf5: no page" 0 $?

# stress
"$ripple" stress "$data/golden/chain.json" -o "$tmp/s.h5" >"$tmp/o" 2>&1
check "stress" 0 $?
has "stress" "$tmp/o" "stress test: 3 nodes tested"
# its columns explained, money in the scenario's currency (none named here)
has "stress legend" "$tmp/o" "  TTR      time to recover: days the node is down"
has "stress legend" "$tmp/o" "  TTS      time to survive: the longest outage (days)"
has "stress legend" "$tmp/o" "  impact   value of final demand lost in 60 days, in unit_value's currency"
has "stress legend" "$tmp/o" "  REI      impact over the largest impact"
sed 's/"horizon_days"/"currency": "EUR", "horizon_days"/' \
    "$data/golden/chain.json" >"$tmp/eur.json"
"$ripple" stress "$tmp/eur.json" -o "$tmp/s.h5" >"$tmp/o" 2>&1
has "stress in EUR" "$tmp/o" "lost in 60 days, in EUR"
"$ripple" validate "$tmp/eur.json" >"$tmp/o" 2>&1
has "validate in EUR" "$tmp/o" "/day, in EUR); total output"
"$ripple" trace "$tmp/eur.json" --replication 0 -r 1 -o "$tmp/t.h5" >"$tmp/o" 2>&1
has "trace in EUR" "$tmp/o" "units of final demand lost (value "
has "trace in EUR" "$tmp/o" ", in EUR)"
# counts of one in the singular
"$ripple" run "$tmp/eur.json" -r 1 -j 1 -o "$tmp/one.h5" >"$tmp/o" 2>&1
has "singular" "$tmp/o" "1 threat, 1 strategy, 1 replication x 60 days, 1 thread"
has "singular" "$tmp/o" "1 strategy x 1 replication in"
has "run summary in EUR" "$tmp/o" "valued at the customers' unit_value, in EUR"
has "lost value legend" "$tmp/o" "  p95, CVaR95 the lost value's 95% quantile"
has "lost value legend" "$tmp/o" "  fill rate   share of the final demand delivered; days<tgt: days"
"$ripple" inspect "$tmp/one.h5" >"$tmp/o" 2>&1
has "singular" "$tmp/o" "x 1 replication, seed 1, 1 thread, 1 rank"

# inspect says what is not in a file, and what a file is
"$ripple" run "$data/golden/chain.json" -r 2 --register none --events none \
    -o "$tmp/bare.h5" -q >"$tmp/o" 2>&1
"$ripple" inspect "$tmp/bare.h5" >"$tmp/o" 2>&1
has "inspect: no register" "$tmp/o" "risk register: not in this file (a run writes it unless given --register none)"
has "inspect: no event log" "$tmp/o" "worst replications: not in this file"
"$ripple" stress "$data/golden/chain.json" -o "$tmp/s2.h5" -q >"$tmp/o" 2>&1
"$ripple" inspect "$tmp/s2.h5" >"$tmp/o" 2>&1
has "inspect: a stress test has no replications" "$tmp/o" "stress test over 60 days (deterministic, no replications)"
"$ripple" trace "$data/golden/chain.json" --replication 0 -r 1 -o "$tmp/t2.h5" >"$tmp/o" 2>&1
"$ripple" inspect "$tmp/t2.h5" >"$tmp/o" 2>&1
check "inspect of a trace file" 2 $?
has "inspect of a trace file" "$tmp/o" "a trace file (filetype \"ripple-trace\"), not a results file of run or stress"

# two unnamed threats of one type: validate warns once
/usr/bin/python3 - "$data/golden/chain.json" "$tmp/twins.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["threats"] = [{"type": "scripted", "node": "S", "onset": 5, "duration": 3},
                {"type": "scripted", "node": "M", "onset": 20, "duration": 3}]
json.dump(s, open(sys.argv[2], "w"))
PYEOF
"$ripple" validate "$tmp/twins.json" >"$tmp/o" 2>&1
check "same-name threats validate" 0 $?
has "same-name threats warned" "$tmp/o" 'warning: 2 threats are named "scripted"'

# export-network DIR/ names DIR/nodes.csv (no double slash)
"$ripple" export-network "$data/golden/chain.json" --csv "$tmp/exp/" >"$tmp/o" 2>&1
check "export-network" 0 $?
has "export-network DIR/" "$tmp/o" "wrote $tmp/exp/nodes.csv ("
# export-network into the folder of its own CSV network: the tables
# (here with semicolons) were replaced by the export's form, exit 0
mkdir "$tmp/expown"
printf 'id;kind;demand\nS;supplier;\nC;customer;10\n' >"$tmp/expown/nodes.csv"
printf 'from;to\nS;C\n' >"$tmp/expown/edges.csv"
printf '{"name": "c", "network": {"nodes_csv": "nodes.csv", "edges_csv": "edges.csv"}, "horizon_days": 5, "replications": 1}' >"$tmp/expown/c.json"
cp -r "$tmp/expown" "$tmp/expown.orig"
"$ripple" export-network "$tmp/expown/c.json" --csv "$tmp/expown" >"$tmp/o" 2>&1
check "export-network over its own CSV network: refused" 2 $?
has "export-network over its own CSV network: says so" "$tmp/o" "nodes.csv: is its nodes CSV file"
has "export-network over its own CSV network: names --csv" "$tmp/o" "give another --csv DIR"
diff -r "$tmp/expown" "$tmp/expown.orig" >/dev/null
check "export-network over its own CSV network: inputs intact" 0 $?
# a refused edges.csv (a FIFO) left the new nodes.csv behind
mkdir "$tmp/expfifo"
mkfifo "$tmp/expfifo/edges.csv"
"$ripple" export-network "$data/golden/chain.json" --csv "$tmp/expfifo" >"$tmp/o" 2>&1
check "export-network, edges.csv a FIFO: refused" 2 $?
[ ! -e "$tmp/expfifo/nodes.csv" ]
check "export-network, edges.csv a FIFO: no nodes.csv" 0 $?

# report of a FIFO: refused at once (it waited for a writer for ever)
mkfifo "$tmp/fifo.h5"
timeout 20 "$ripple" report "$tmp/fifo.h5" -o "$tmp/fifo.html" >"$tmp/o" 2>&1
check "report of a FIFO: refused, no hang" 2 $?
has "report of a FIFO: says so" "$tmp/o" "fifo.h5: not a regular file"
[ ! -e "$tmp/fifo.html" ]
check "report of a FIFO: no page" 0 $?

# a NUL in a CSV header cell: the message showed the name cut at the NUL
# ("unknown column \"kind\"", a known column)
mkdir "$tmp/nulhdr"
printf 'id,kind\000,demand\nC,customer,5\n' >"$tmp/nulhdr/n.csv"
printf '{"name": "c", "network": {"nodes_csv": "n.csv"}, "replications": 1}' >"$tmp/nulhdr/c.json"
"$ripple" validate "$tmp/nulhdr/c.json" >"$tmp/o" 2>&1
check "CSV header with a NUL" 2 $?
has "CSV header with a NUL: shown escaped" "$tmp/o" 'n.csv:1: unknown column "kind\x00"'

# sweep --orders with an empty name in the list (was skipped silently)
for ord in 'random,' ',degree' 'random,,flow'; do
    "$ripple" sweep "$data/golden/chain.json" --orders "$ord" -r 2 \
        -o "$tmp/ord.h5" >"$tmp/o" 2>&1
    check "sweep --orders '$ord'" 2 $?
    has "sweep --orders '$ord': says so" "$tmp/o" "--orders: an empty name in the list"
done
[ ! -e "$tmp/ord.h5" ]
check "sweep --orders with an empty name: no file" 0 $?

# generate: a network any scenario can name
"$ripple" generate -n 300 -s 2 -o "$tmp/gen.json" >"$tmp/o" 2>&1
check "generate" 0 $?
has "generate" "$tmp/o" "300 nodes"
echo '{"network": "gen.json", "horizon_days": 30, "replications": 3}' >"$tmp/gs.json"
"$ripple" validate "$tmp/gs.json" >"$tmp/o" 2>&1
check "generated network validates" 0 $?
has "generated network validates" "$tmp/o" "300 nodes"
# single-sourced inputs in summary: the output does not grow with the
# network (a line per input would be hundreds here)
"$ripple" generate -n 3000 -s 3 -o "$tmp/gen3k.json" >"$tmp/o" 2>&1
echo '{"network": "gen3k.json"}' >"$tmp/g3s.json"
"$ripple" validate "$tmp/g3s.json" >"$tmp/o" 2>&1
check "generated 3000 validates" 0 $?
has "counts grouped" "$tmp/o" ": 3,000 nodes, "
has "single-sourced summary" "$tmp/o" "inputs are single-sourced (one supplier, no standby)"
has "single-sourced summary" "$tmp/o" "  by supplier kind: "
has "single-sourced summary" "$tmp/o" "  largest baseline flows among them (units/day):"
n=$(wc -l <"$tmp/o")
check "validate output stays short ($n lines)" 1 $([ "$n" -le 25 ] && echo 1 || echo 0)
check "no line per single-sourced input" 0 "$(grep -c 'is single-sourced (from' "$tmp/o")"
# counts from 1,000 on are grouped where a reader reads them, plain where
# a script does (JSON, CSV)
"$ripple" generate -n 3000 -s 3 -o "$tmp/gen3k.json" >"$tmp/o" 2>&1
has "generate: counts grouped" "$tmp/o" ": 3,000 nodes, "
"$ripple" run "$data/all_threats.json" -r 1200 -o "$tmp/r1200.h5" \
    >"$tmp/o" 2>"$tmp/e"
check "run -r 1200" 0 $?
has "run: first line grouped" "$tmp/e" "4 strategies, 1,200 replications x 200 days"
has "run: wrote line grouped" "$tmp/o" "4 strategies x 1,200 replications in "
has "run: summary grouped" "$tmp/o" "share of 1,000 bootstrap resamples"
"$ripple" inspect "$tmp/r1200.h5" --format json >"$tmp/o" 2>&1
has "inspect json: plain digits" "$tmp/o" '"replications": 1200,'
"$ripple" inspect "$tmp/r1200.h5" --format csv >"$tmp/o" 2>&1
has "inspect csv: plain digits" "$tmp/o" ',200,1200,42'
hasnt "inspect csv: no grouping" "$tmp/o" '1,200'
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
