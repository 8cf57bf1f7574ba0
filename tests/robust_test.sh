#!/usr/bin/env bash
# Robustness of the command line against hostile or careless input:
# resources decided before work starts, inputs that are not files, values
# out of range however they arrive.  Nothing may crash or hang: every
# command runs under a timeout, and only exit statuses 0, 1 and 2 pass.
# usage: robust_test.sh RIPPLE_BINARY TESTS_DATA_DIR
set -u
ripple=$1
data=$(cd "$2" && pwd)
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

# --- memory decided before work starts --------------------------------
chain="$data/golden/chain.json"
t "$ripple" validate "$chain"
check "validate estimate" 0 $rc
has "validate estimate" "$tmp/o" "memory      about "
has "validate estimate" "$tmp/o" " for a run (1 replication x 60 days x 1 strategy, "
has "validate estimate" "$tmp/o" " for the stress test (60 days, "
has "validate estimate" "$tmp/o" " available ("
t "$ripple" validate "$chain" -r 100000 --horizon 365 -j 3 --lanes 1
has "validate plans a run" "$tmp/o" "for a run (100,000 replications x 365 days x 1 strategy, 3 threads x 1 lane)"
has "validate plans a run" "$tmp/o" "daily service levels 278 MiB"
# a run that cannot fit: refused at once, exit 2, nothing written
t "$ripple" run "$chain" -r 1000000000000 -o "$tmp/big.h5"
check "run too big" 2 $rc
has "run too big" "$tmp/o" "ripple: error: not enough memory: this run needs about"
has "run too big" "$tmp/o" "is available ("
has "run too big" "$tmp/o" "use fewer replications (-r)"
[ ! -e "$tmp/big.h5" ]
check "run too big writes nothing" 0 $?
RIPPLE_MAX_MEMORY=1M t "$ripple" run "$chain" -r 20000 -o "$tmp/big.h5" -q
check "run past RIPPLE_MAX_MEMORY" 2 $rc
has "run past RIPPLE_MAX_MEMORY" "$tmp/o" "(what RIPPLE_MAX_MEMORY leaves)"
t "$ripple" run "$chain" -r 20000 -o "$tmp/fits.h5" -q
check "the same run fits without the limit" 0 $rc
RIPPLE_MAX_MEMORY=1M t "$ripple" stress "$chain" -o "$tmp/st.h5" -q
check "stress past RIPPLE_MAX_MEMORY" 2 $rc
has "stress past RIPPLE_MAX_MEMORY" "$tmp/o" "not enough memory: this stress test needs about"
for v in abc -5G "700 M"; do # a ceiling that cannot be read: an error
    for c in run stress validate; do
        out=(-o "$tmp/bad_limit.h5")
        [ $c = validate ] && out=()
        RIPPLE_MAX_MEMORY=$v t "$ripple" $c "$chain" "${out[@]}"
        check "$c, RIPPLE_MAX_MEMORY=$v" 2 $rc
        has "$c, RIPPLE_MAX_MEMORY=$v" "$tmp/o" "RIPPLE_MAX_MEMORY: \"$v\" is not a size"
    done
done
[ ! -e "$tmp/bad_limit.h5" ]
check "an unreadable RIPPLE_MAX_MEMORY writes nothing" 0 $?
RIPPLE_MAX_MEMORY=1M t "$ripple" validate "$chain"
check "validate warns, still valid" 0 $rc
has "validate warns, still valid" "$tmp/o" "warning: not enough memory: this run needs"
# lanes that do not fit give way to fewer before anything is refused, with
# the same results: a 20,000-node network whose every lead time is a year
# (eight lanes plan 2.3 GiB, four 0.9 GiB, one 0.2 GiB); `--lanes` asked
# for is kept, and refused when it does not fit
t "$ripple" generate -n 20000 -s 3 -o "$tmp/lnet.json"
check "generate the long-lead network" 0 $rc
sed -i 's/"lead_time": *[0-9]*/"lead_time": 365/g' "$tmp/lnet.json"
cat >"$tmp/long.json" <<EOF
{"name": "long", "network": "lnet.json", "horizon_days": 365,
 "replications": 2,
 "threats": [{"type": "scripted", "node": "n15000", "onset": 5,
              "duration": 20, "severity": 1.0}],
 "stress": {"nodes": {"ids": ["n15000", "n15001", "n19999"]}}}
EOF
RIPPLE_MAX_MEMORY=700M t "$ripple" run "$tmp/long.json" -j 1 -o "$tmp/lfit.h5"
check "lanes give way to fit the memory" 0 $rc
has "lanes give way to fit the memory" "$tmp/o" "lanes a thread would not fit the memory; running 1"
t "$ripple" run "$tmp/long.json" -j 1 --lanes 1 -o "$tmp/l1.h5" -q
check "the same run in one lane" 0 $rc
# (all but the first section: the file's name and time)
"$ripple" inspect "$tmp/lfit.h5" --format csv | tail -n +4 >"$tmp/lfit.csv"
"$ripple" inspect "$tmp/l1.h5" --format csv | tail -n +4 >"$tmp/l1.csv"
[ -s "$tmp/l1.csv" ] && cmp -s "$tmp/lfit.csv" "$tmp/l1.csv"
check "lanes that gave way: the same results as one lane" 0 $?
RIPPLE_MAX_MEMORY=700M t "$ripple" validate "$tmp/long.json" -j 1
check "validate plans the lanes that fit" 0 $rc
has "validate plans the lanes that fit" "$tmp/o" "a run takes 1 (lanes change the time"
lacks "validate plans the lanes that fit" "$tmp/o" "warning: not enough memory: this run"
RIPPLE_MAX_MEMORY=700M t "$ripple" run "$tmp/long.json" -j 1 --lanes 8 -o "$tmp/l8.h5"
check "--lanes 8 asked for is refused when it does not fit" 2 $rc
has "--lanes 8 asked for is refused" "$tmp/o" "not enough memory: this run needs about"
RIPPLE_MAX_MEMORY=700M t "$ripple" stress "$tmp/long.json" -j 1 -o "$tmp/lst.h5"
check "stress: lanes give way to fit the memory" 0 $rc
has "stress: lanes give way to fit the memory" "$tmp/o" "lanes a thread would not fit the memory; running 1"

# a century of events ten a day on every node: events per thread counted
cat >"$tmp/century.json" <<EOF
{"horizon_days": 36500, "replications": 16, "network": "$chain",
 "threats": [{"type": "node_hazard", "nodes": "all", "rate_per_year": 3650,
              "duration": 1}]}
EOF
sed -i 's|"network": "[^"]*"|"network": {"nodes": [{"id": "S"}, {"id": "C", "demand": 1}], "edges": [{"from": "S", "to": "C"}]}|' "$tmp/century.json"
t "$ripple" validate "$tmp/century.json" -j 2
check "century validates" 0 $rc
has "century: events counted" "$tmp/o" "event buffers"

# --- threads capped wherever they come from ------------------------------
OMP_NUM_THREADS=100000 t "$ripple" run "$chain" -o "$tmp/omp.h5"
check "OMP_NUM_THREADS=100000" 0 $rc
has "OMP_NUM_THREADS=100000" "$tmp/o" "ripple: note: OMP_NUM_THREADS asks for 100,000 threads; using"
t "$ripple" run "$chain" -j 4096 -o "$tmp/j.h5"
check "-j 4096" 0 $rc
has "-j 4096" "$tmp/o" "ripple: note: -j asks for 4,096 threads; using"
t "$ripple" run "$chain" -j 4096 -q -o "$tmp/j.h5"
check "-j 4096 quiet" 0 "$(wc -c <"$tmp/o" | tr -d ' ')"

# --- 4,000 empty strategies validate fast and lean -----------------------
# (on the 2,025-node Willems chain they took 22 s and 4 GB, a copy of the
# network each; now 0.3 s and 30 MB, 60 MB under ASan).  Checked by peak
# memory (GNU time, which scripts/dev.sh installs), not by the clock.
net38=$(cd "$data/../../scenarios" && pwd)/$(sed -n 's/.*"network": "\([^"]*\)".*/\1/p' "$data/../../scenarios/willems38.json")
{
    printf '{"network": "%s", "strategies": [' "$net38"
    for i in $(seq 1 4000); do
        [ "$i" -gt 1 ] && printf ','
        printf '{"name": "s%d"}' "$i"
    done
    printf ']}\n'
} >"$tmp/many.json"
t /usr/bin/time -f "peak %M KB" -o "$tmp/rss" "$ripple" validate "$tmp/many.json"
check "4,000 empty strategies" 0 $rc
rss=$(sed -n 's/^peak \([0-9]*\) KB$/\1/p' "$tmp/rss" 2>/dev/null)
check "4,000 empty strategies in under 1 GiB (peak ${rss:-?} KB)" 1 \
    $([ -n "$rss" ] && [ "$rss" -lt 1048576 ] && echo 1 || echo 0)
has "4,000 empty strategies" "$tmp/o" "4,001 strategies (baseline included)"

# --- each error once; a strategy's errors named ---------------------------
cat >"$tmp/once.json" <<'EOF'
{"network": {"nodes": [{"id": "S", "capacity": 100}, {"id": "T", "capacity": 50},
                       {"id": "U"}, {"id": "C", "demand": 80}],
             "edges": [{"from": "S", "to": "C", "input": "x"},
                       {"from": "U", "to": "C", "input": "y"}]},
 "strategies": [
   {"name": "p1", "actions": [{"set": "protection", "nodes": "all", "value": 0.1}]},
   {"name": "p2", "actions": [{"set": "protection", "nodes": "all", "value": 0.2}]},
   {"name": "p3", "actions": [{"set": "protection", "nodes": "all", "value": 0.3}]}]}
EOF
t "$ripple" run "$tmp/once.json" -r 16 -q -o "$tmp/once.h5"
check "valid before the strategies" 0 $rc
sed -i 's/"capacity": 100/"capacity": 60/' "$tmp/once.json"
for cmd in validate run; do
    t "$ripple" $cmd "$tmp/once.json" -o "$tmp/once.h5"
    [ $cmd = validate ] && t "$ripple" $cmd "$tmp/once.json"
    check "$cmd: network error" 2 $rc
    check "$cmd: network error printed once" 1 "$(grep -c 'capacity: 60 is below the baseline output' "$tmp/o")"
done
sed -i 's/"capacity": 60/"capacity": 100/' "$tmp/once.json"
sed -i 's/{"name": "p2", "actions": \[[^]]*\]}/{"name": "more", "actions": [{"add_edge": {"from": "T", "to": "C", "input": "y", "share": 0.5, "ratio": 3}}]}/' "$tmp/once.json"
sed -i 's/{"name": "p3", "actions": \[[^]]*\]}/{"name": "shift", "actions": [{"add_edge": {"from": "T", "to": "C", "input": "x", "share": 0.9}}]}/' "$tmp/once.json"
t "$ripple" validate "$tmp/once.json"
check "strategy errors" 2 $rc
has "added edge located" "$tmp/o" "once.json: strategies[1].actions[0].add_edge.ratio: 3 differs from the ratio 1"
has "strategy named" "$tmp/o" "nodes[1].capacity: 50 is below the baseline output 72 of \"T\" (with the actions of strategy \"shift\")"

# --- ids with escapes and line breaks are refused, and never echoed raw --
printf '{"network": {"nodes": [{"id": "A\\u001b[2J\\nB", "demand": 1}], "edges": [{"from": "\\u001b]0;pwned\\u0007", "to": "C"}]}}' >"$tmp/ansi.json"
t "$ripple" validate "$tmp/ansi.json"
check "ANSI in ids" 2 $rc
has "ANSI in ids" "$tmp/o" "network.nodes[0].id: holds a control character (U+001B)"
check "no raw escape in messages" 0 "$(tr -d -c '\033\007' <"$tmp/o" | wc -c | tr -d ' ')"
t "$ripple" run $'--\033[31mbogus' -o "$tmp/x.h5"
check "escaped unknown option" 2 $rc
has "escaped unknown option" "$tmp/o" "unknown option '--\\x1b[31mbogus'"
check "no raw escape in usage errors" 0 "$(tr -d -c '\033' <"$tmp/o" | wc -c | tr -d ' ')"

# --- every numeric option of every command over hostile values ----------
# valid: values the option takes (exit 0, or 1 for --stop-after, which
# stops the run on purpose); anything else: exit 2 with a message.  An
# option the command does not take is refused whatever its value: two
# values suffice there.
"$ripple" run "$chain" -o "$tmp/r.h5" -q
opts="-r -s -j --horizon --lanes --stop-after --replication -n --tiers
      --degree --regions --fractions --fail-probability"
# the commands the sweep knows how to call (their arguments below)
known="run stress validate inspect report generate trace export-network sweep"
# 0, -1, 1, huge (as a float and past 64-bit integers), not a number
values=(0 -1 1 1e30 99999999999999999999 abc nan "" 1.5)
takes() { # command option -> 0 if the command takes the option
    case "$1 $2" in
    "run -r" | "run -s" | "run -j" | "run --horizon" | "run --lanes" | \
        "run --stop-after" | "stress -j" | "validate -r" | "validate -j" | \
        "validate --horizon" | "validate --lanes" | "generate -n" | \
        "generate --tiers" | "generate --degree" | "generate --regions" | \
        "generate -s" | "trace -r" | "trace -s" | "trace --horizon" | \
        "trace --replication" | "sweep -r" | "sweep -s" | "sweep -j" | \
        "sweep --fractions" | "sweep --fail-probability") return 0 ;;
    esac
    return 1
}
valid() { # option value -> 0 if the value is in the option's range
    case "$1 $2" in
    "-s 0" | "-s 1" | "-r 1" | "-j 1" | "--horizon 1" | "--lanes 1" | \
        "--replication 0" | "--stop-after 1" | "--degree 1" | \
        "--degree 1.5" | "--regions 1" | "--fail-probability 0" | \
        "--fail-probability 1") return 0 ;;
    esac
    return 1
}
# The sweep covers every command of `ripple --help` and every numeric
# option (N, SEED, DAYS, K, D, R, S, Q, 1|8) of each command's --help: a
# command or option added later fails here until it is swept.
commands=$("$ripple" --help 2>&1 | sed -n 's/^.*ripple \([a-z][a-z-]*\) .*$/\1/p')
for cmd in $commands; do
    case " $known " in
    *" $cmd "*) pass=$((pass + 1)) ;;
    *) fail=$((fail + 1))
       echo "FAIL: command $cmd is not in the option sweep" >&2 ;;
    esac
done
for cmd in $commands; do
    "$ripple" $cmd --help 2>&1 |
        sed -n 's/^ *\(-[a-z], \)\{0,1\}\(--[a-z-]*\) \(N\|SEED\|DAYS\|K\|D\|R\|S\|Q\|1|8\) .*$/\1\2/p' |
        sed 's/^\(-[a-z]\), .*$/\1/' >"$tmp/numopts"
    while read -r opt; do
        if takes $cmd "$opt" && case " $(echo $opts) " in *" $opt "*) true ;; *) false ;; esac; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL: $cmd $opt (numeric, in its --help) is not swept" >&2
        fi
    done <"$tmp/numopts"
done
swept=0
for cmd in $commands; do
    for opt in $opts; do
        if takes $cmd "$opt"; then vs=("${values[@]}"); else vs=(1 abc); fi
        for v in "${vs[@]}"; do
            case $cmd in
            run | stress | sweep) args=("$chain" -o "$tmp/sw.h5" -q) ;;
            validate) args=("$chain") ;;
            inspect) args=("$tmp/r.h5") ;;
            report) args=("$tmp/r.h5" -o "$tmp/sw.html" -q) ;;
            export-network) args=("$chain" --csv "$tmp/sw-csv") ;;
            generate) args=(-o "$tmp/sw.json") ;;
            trace) args=("$chain" -o "$tmp/tr.h5" -q)
                # (the replication is required: given unless swept)
                [ "$opt" != --replication ] && args+=(--replication 0) ;;
            *) args=() ;;
            esac
            t "$ripple" $cmd "${args[@]}" "$opt" "$v"
            name="$cmd $opt '$v'"
            swept=$((swept + 1))
            if [ $rc -ge 3 ]; then
                fail=$((fail + 1))
                echo "FAIL: $name: exit $rc (crash or hang)" >&2
                head -3 "$tmp/o" >&2
            elif takes $cmd "$opt" && valid "$opt" "$v"; then
                # --stop-after 1 stops a run of more than one replication
                [ "$opt" = --stop-after ] && [ $rc = 1 ] && rc=0
                check "$name" 0 $rc
            else
                check "$name" 2 $rc
                has "$name" "$tmp/o" "ripple: error: "
            fi
        done
    done
    # an option without its value
    t "$ripple" $cmd "${args[@]}" -j
    check "$cmd -j without a value" 2 $rc
done
echo "robust_test: swept $swept option values"
# long options only in full: a prefix (getopt_long would take "--rep" for
# "--replications", and "--replication" too) is an unknown option
for cmdline in "run $chain -o $tmp/ab.h5 -q --rep 5" \
    "run $chain -o $tmp/ab.h5 -q --replication=5" \
    "trace $chain -o $tmp/ab.h5 -q --replication 0 --str baseline" \
    "report $tmp/r.h5 -o $tmp/ab.html --qu" "inspect $tmp/r.h5 --form json" \
    "generate -n 20 --ti 3" "export-network $chain --cs $tmp/ab"; do
    t "$ripple" $cmdline
    check "$cmdline (an abbreviated option)" 2 $rc
    has "$cmdline (an abbreviated option)" "$tmp/o" "unknown option '--"
done

echo "robust_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
