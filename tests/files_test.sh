#!/usr/bin/env bash
# Output files are created safely (docs/robustness.md): planted links and
# special files as outputs of run, stress and generate are refused and left
# as they were; paths too long or empty are refused; an output that cannot
# be written fails at once, naming it, with the system's reason; two runs
# never share one output's checkpoint; temporaries of dead runs are cleaned.
# usage: files_test.sh RIPPLE_BINARY TESTS_DATA_DIR
set -u
ripple=$1
data=$2
tmp=$(mktemp -d)
trap 'kill $bg 2>/dev/null; rm -rf "$tmp"' EXIT
bg=
pass=0
fail=0
scen=$data/golden/chain.json

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}
check() { # name, expected rc, actual rc
    if [ "$2" = "$3" ]; then ok; else bad "$1: exit $3, expected $2"; fi
}
has() { # name, file, pattern
    if grep -qF -- "$3" "$2"; then
        ok
    else
        bad "$1: '$3' not in output:"
        cat "$2" >&2
    fi
}
ms() { date +%s%3N; }

# the three commands that write a file, each with its output last
cmd_run=(run "$scen" -q -o)
cmd_stress=(stress "$scen" -q -o)
cmd_generate=(generate -n 50 -o)

echo "precious" >"$tmp/victim"
mkdir "$tmp/adir"
mkfifo "$tmp/fifo"
ln -s "$tmp/victim" "$tmp/link_file"
ln -s /dev/null "$tmp/link_null"
ln -s "$tmp/adir" "$tmp/link_dir"
ln -s "$tmp/nothing_here" "$tmp/link_dangling"

for c in run stress generate; do
    declare -n cmd="cmd_$c"
    for target in "$tmp/link_file" "$tmp/link_null" "$tmp/link_dir" \
        "$tmp/link_dangling"; do
        timeout 60 "$ripple" "${cmd[@]}" "$target" >"$tmp/o" 2>"$tmp/e"
        rc=$?
        check "$c -o $(basename "$target")" 2 $rc
        has "$c -o $(basename "$target")" "$tmp/e" \
            "ripple: error: $target: is a symbolic link"
        [ -L "$target" ] && ok || bad "$c: $target is no longer a link"
        [ -s "$tmp/o" ] && bad "$c -o $target: printed on stdout"
    done
    cmp -s "$tmp/victim" <(echo "precious") && ok ||
        bad "$c: the link's target was changed"
    [ ! -e "$tmp/nothing_here" ] && ok ||
        bad "$c: the dangling link's target was created"
    timeout 60 "$ripple" "${cmd[@]}" /dev/null >"$tmp/o" 2>"$tmp/e"
    check "$c -o /dev/null" 2 $?
    has "$c -o /dev/null" "$tmp/e" \
        "ripple: error: /dev/null: exists and is a character device"
    [ -c /dev/null ] && ok || bad "$c: /dev/null is no longer a device"
    timeout 60 "$ripple" "${cmd[@]}" "$tmp/fifo" >"$tmp/o" 2>"$tmp/e"
    check "$c -o FIFO" 2 $?
    has "$c -o FIFO" "$tmp/e" "ripple: error: $tmp/fifo: exists and is a FIFO"
    [ -p "$tmp/fifo" ] && ok || bad "$c: the FIFO was replaced"
    timeout 60 "$ripple" "${cmd[@]}" "$tmp/adir" >"$tmp/o" 2>"$tmp/e"
    check "$c -o DIR" 2 $?
    has "$c -o DIR" "$tmp/e" "ripple: error: $tmp/adir: exists and is a directory"
    has "$c -o DIR: what to do" "$tmp/e" "(name a file inside it: $tmp/adir/NAME)"
    timeout 60 "$ripple" "${cmd[@]}" "$tmp/adir/" >"$tmp/o" 2>"$tmp/e"
    check "$c -o DIR/" 2 $?
    has "$c -o DIR/" "$tmp/e" "$tmp/adir/: names a directory, not a file (name a file inside it: $tmp/adir/NAME)"
    [ -z "$(ls -A "$tmp/adir")" ] && ok || bad "$c: files left in the directory"
    timeout 60 "$ripple" "${cmd[@]}" "" >"$tmp/o" 2>"$tmp/e"
    check "$c -o ''" 2 $?
    has "$c -o ''" "$tmp/e" "ripple: error: the output file name is empty"

    # a path of 4,095 characters: refused cleanly, nothing written
    long="$tmp/$(printf 'a%.0s' $(seq $((4095 - ${#tmp} - 1))))"
    timeout 60 "$ripple" "${cmd[@]}" "$long" >"$tmp/o" 2>"$tmp/e"
    check "$c -o (4,095 characters)" 2 $?
    has "$c -o (4,095 characters)" "$tmp/e" "the output path is too long (4095 characters"

    # unwritable: at once (no simulation), naming the output and why
    for where in "$tmp/missing/x.out" "$tmp/victim/x.out"; do
        t0=$(ms)
        case $c in
        run) timeout 60 "$ripple" run -r 100000000 -q -o "$where" >"$tmp/o" 2>"$tmp/e" ;;
        stress) timeout 60 "$ripple" stress "$data/../../scenarios/willems38.json" -q -o "$where" >"$tmp/o" 2>"$tmp/e" ;;
        generate) timeout 60 "$ripple" generate -n 100000000 -o "$where" >"$tmp/o" 2>"$tmp/e" ;;
        esac
        rc=$?
        t1=$(ms)
        check "$c -o $where" 2 $rc
        has "$c -o $where" "$tmp/e" "ripple: error: $where: cannot create the output in $(dirname "$where"): "
        [ $((t1 - t0)) -lt 1000 ] && ok ||
            bad "$c -o $where: took $((t1 - t0)) ms to fail"
    done
    if [ "$(id -u)" != 0 ]; then # root may write anywhere
        mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
        timeout 60 "$ripple" "${cmd[@]}" "$tmp/ro/x.out" >"$tmp/o" 2>"$tmp/e"
        check "$c -o read-only dir" 2 $?
        has "$c -o read-only dir" "$tmp/e" "Permission denied"
        echo keep >"$tmp/rofile" && chmod 444 "$tmp/rofile"
        timeout 60 "$ripple" "${cmd[@]}" "$tmp/rofile" >"$tmp/o" 2>"$tmp/e"
        check "$c -o read-only file" 2 $?
        has "$c -o read-only file" "$tmp/e" "exists and cannot be replaced"
        chmod 755 "$tmp/ro"
        rm -rf "$tmp/ro" "$tmp/rofile"
    fi
done

# the longest output accepted (4,059 characters) works, checkpoint and all
# (directories of 100 to 200 characters, then a name of 100 to 200)
deep=$tmp
while [ $((4059 - ${#deep} - 1)) -gt 200 ]; do
    left=$((4059 - ${#deep} - 1))
    d=$((left - 101 < 200 ? left - 101 : 200))
    deep="$deep/$(printf 'd%.0s' $(seq $d))"
done
mkdir -p "$deep"
name="$deep/$(printf 'r%.0s' $(seq $((4059 - ${#deep} - 1))))"
[ ${#name} = 4059 ] && ok || bad "test set-up: path of ${#name} characters"
"$ripple" run "$data/all_threats.json" -r 300 -q --stop-after 500 -o "$name" 2>"$tmp/e"
check "longest path: stopped run" 1 $?
[ -f "$name.ckpt" ] && ok || bad "longest path: no checkpoint"
"$ripple" run "$data/all_threats.json" -r 300 -q --resume -o "$name" 2>"$tmp/e"
check "longest path: resumed" 0 $?
[ -f "$name" ] && [ ! -e "$name.ckpt" ] && ok || bad "longest path: files"
"$ripple" run "$scen" -q -o "${name}x" 2>"$tmp/e"
check "one character more" 2 $?
rm -rf "$tmp/dddd"*
# a name whose last part is too long for the file system: refused at once
"$ripple" run "$scen" -q -o "$tmp/$(printf 'n%.0s' $(seq 230))" 2>"$tmp/e"
check "a name too long for its directory" 2 $?
has "a name too long for its directory" "$tmp/e" "File name too long (with the up to 36 characters Ripple adds"

# a run's companions (checkpoint, lock) are not followed either
ln -s "$tmp/victim" "$tmp/c1.h5.ckpt"
"$ripple" run "$scen" -q -o "$tmp/c1.h5" >"$tmp/o" 2>"$tmp/e"
check "checkpoint a link" 2 $?
has "checkpoint a link" "$tmp/e" "ripple: error: $tmp/c1.h5.ckpt: is a symbolic link"
ln -s "$tmp/victim" "$tmp/c2.h5.lock"
"$ripple" run "$scen" -q -o "$tmp/c2.h5" >"$tmp/o" 2>"$tmp/e"
check "lock a link" 2 $?
rm "$tmp/c1.h5.ckpt" "$tmp/c2.h5.lock"
mkfifo "$tmp/c3.h5.ckpt"
timeout 60 "$ripple" run "$scen" -q --resume -o "$tmp/c3.h5" >"$tmp/o" 2>"$tmp/e"
check "checkpoint a FIFO" 2 $?
has "checkpoint a FIFO" "$tmp/e" "ripple: error: $tmp/c3.h5.ckpt: exists and is a FIFO"
cmp -s "$tmp/victim" <(echo "precious") && ok || bad "a companion's target was changed"

# two runs, one output: the second is refused while the first runs
"$ripple" run "$data/all_threats.json" -r 100000 -j 1 -q -o "$tmp/two.h5" 2>"$tmp/e1" &
bg=$!
for _ in $(seq 200); do
    [ -e "$tmp/two.h5.lock" ] && break
    sleep 0.05
done
"$ripple" run "$data/all_threats.json" -r 100000 -j 1 -q --resume -o "$tmp/two.h5" >"$tmp/o" 2>"$tmp/e"
check "second run on one output" 2 $?
has "second run on one output" "$tmp/e" "ripple: error: $tmp/two.h5: another ripple run (pid $bg) is writing this output"
kill -TERM $bg
wait $bg
check "first run, stopped" 1 $?
bg=
[ -f "$tmp/two.h5.ckpt" ] && [ ! -e "$tmp/two.h5.lock" ] && ok ||
    bad "the stopped run left no checkpoint, or its lock"
# a lock file left by a killed run holds nothing
sh -c 'echo $$ >"$0"' "$tmp/q.h5.lock"
"$ripple" run "$scen" -q -o "$tmp/q.h5" 2>"$tmp/e"
check "a dead run's lock file" 0 $?

# temporaries of a dead run: removed when ours; reported otherwise
dead=$(sh -c 'echo $$')
tag=$(/usr/bin/python3 -c '
import socket
h = 2166136261
for b in socket.gethostname().encode():
    h = ((h ^ b) * 16777619) & 0xFFFFFFFF
print("%08x" % h)')
touch "$tmp/st.h5.tmp.$dead.$tag.abcDEF" "$tmp/st.h5.ckpt.tmp.$dead.$tag.x1y2z3"
touch "$tmp/st.h5.tmp.$dead" "$tmp/st.h5.tmp.$$.$tag.live00"
"$ripple" run "$scen" -o "$tmp/st.h5" >"$tmp/o" 2>"$tmp/e"
check "stale temporaries" 0 $?
[ ! -e "$tmp/st.h5.tmp.$dead.$tag.abcDEF" ] &&
    [ ! -e "$tmp/st.h5.ckpt.tmp.$dead.$tag.x1y2z3" ] && ok ||
    bad "a dead run's temporaries are still there"
has "stale temporaries" "$tmp/e" "ripple: removed $tmp/st.h5.tmp.$dead.$tag.abcDEF, left by an earlier run (pid $dead)"
has "stale temporaries" "$tmp/e" "ripple: warning: $tmp/st.h5.tmp.$dead looks like the temporary file of an interrupted run"
[ -e "$tmp/st.h5.tmp.$dead" ] && [ -e "$tmp/st.h5.tmp.$$.$tag.live00" ] && ok ||
    bad "a temporary not known to be dead was removed"
rm -f "$tmp/st.h5.tmp.$dead" "$tmp/st.h5.tmp.$$.$tag.live00"

# a full disk (a file size limit, with SIGXFSZ ignored so that writes fail
# with EFBIG): exit 1 with the reason, nothing left behind, no crash
mkdir "$tmp/full"
(
    ulimit -f 16
    trap '' XFSZ
    "$ripple" run "$data/all_threats.json" -q -o "$tmp/full/r.h5" 2>"$tmp/e1"
    echo $? >"$tmp/rc1"
    "$ripple" run "$data/all_threats.json" -q --stop-after 500 \
        -o "$tmp/full/c.h5" 2>"$tmp/e2"
    echo $? >"$tmp/rc2"
    "$ripple" stress "$data/all_threats.json" -q \
        -o "$tmp/full/s.h5" 2>"$tmp/e3"
    echo $? >"$tmp/rc3"
    "$ripple" generate -n 20000 -o "$tmp/full/g.json" 2>"$tmp/e4"
    echo $? >"$tmp/rc4"
)
for k in 1 2 3 4; do
    check "full disk ($k)" 1 "$(cat "$tmp/rc$k")"
    has "full disk ($k)" "$tmp/e$k" "File too large"
done
[ -z "$(ls -A "$tmp/full")" ] && ok || bad "full disk: left $(ls -A "$tmp/full")"
rm -rf "$tmp/full" "$tmp"/rc? "$tmp"/e?

# nothing else left behind by any of the above
left=$(ls -A "$tmp" | grep -E '\.tmp\.|\.lock$' || true)
[ -z "$left" ] && ok || bad "left behind: $left"
cmp -s "$tmp/victim" <(echo "precious") && ok || bad "the victim was changed"

echo "files: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
