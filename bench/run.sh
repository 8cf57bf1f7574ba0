#!/usr/bin/env bash
# Ripple's reference benchmarks.  Prints a Markdown table of measured
# figures (nothing is asserted).  usage: bash bench/run.sh [--quick]
#
#   W38   Willems chain 38 (2,025 stages, 16,225 edges), ten scripted part
#         outages over 365 days: the assembly-network workload
#   G100K generated 100,000-node network, five local 20-day outages
#   DEF   the bundled default scenario (100 nodes, every threat type)
#   G1M   generated network of 1,000,000 nodes and ~5,000,000 edges
#
# "rep/s" counts replications per second of simulation (loading and writing
# excluded); "ns/edge-day" is wall time per replication / (edges x days).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
R=$here/build/ripple
PY=/usr/bin/python3
quick=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$R" ] || { echo "build first: bash scripts/dev.sh build" >&2; exit 2; }

local_outages() { # network.json first-id last-id seed out.json name
    $PY - "$@" <<'PYEOF'
import json, random, sys
net, lo, hi, seed, out, name = sys.argv[1:7]
rng = random.Random(int(seed))
ids = ["n%d" % i for i in range(int(lo), int(hi))]
th = [{"type": "scripted", "node": rng.choice(ids), "onset": 30 + 60 * k,
       "duration": 20, "severity": 1.0} for k in range(5)]
json.dump({"name": name, "network": net, "horizon_days": 365,
           "threats": th}, open(out, "w"))
PYEOF
}

# Each figure is the median of $runs runs after one warm-up run that is not
# counted (this machine is shared, the first run after another program is
# often slower, and one run in five or so comes out 20% slow); peak memory
# is the largest seen.
runs=3
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
reps_per_s() { # scenario reps threads [flags...] -> "rep/s peak-MiB"
    local sc=$1 r=$2 j=$3 k
    shift 3
    : >"$tmp/rates"
    : >"$tmp/mems"
    # the daily engine alone: no risk register, no event log (their cost
    # is measured separately below); a later --register overrides
    set -- --register none --events none "$@"
    "$R" run "$sc" -r "$r" -j "$j" -o "$tmp/out.h5" "$@" >/dev/null 2>&1
    for k in $(seq $runs); do
        /usr/bin/time -f "%M" -o "$tmp/mem" \
            "$R" run "$sc" -r "$r" -j "$j" -o "$tmp/out.h5" "$@" 2>/dev/null |
            sed -n 's/.*(\([0-9.]*\) replications\/s).*/\1/p' >>"$tmp/rates"
        cat "$tmp/mem" >>"$tmp/mems"
    done
    echo "$(median <"$tmp/rates") $(sort -g "$tmp/mems" | tail -1 |
        awk '{ printf "%.0f", $1 / 1024 }')"
}
ns_per_edge_day() { # rep/s edges days
    awk -v r="$1" -v e="$2" -v d="$3" 'BEGIN { printf "%.2f", 1e9 / (r * e * d) }'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "ripple: $("$R" --version)"
echo

W38=$here/scenarios/willems38.json
WE=16225
n=64
w1=$(reps_per_s "$W38" $n 1)
w1d=$(reps_per_s "$W38" $n 1 --dense)
w1g=$(RIPPLE_SIMD=generic reps_per_s "$W38" $n 1)
w1l=$(reps_per_s "$W38" $n 1 --lanes 1)
w2=$(reps_per_s "$W38" $n 2)
$PY "$here/bench/numpy_model.py" "$W38" --reps 1 >/dev/null
for k in $(seq $runs); do
    /usr/bin/time -f "%M" -o "$tmp/mem" \
        $PY "$here/bench/numpy_model.py" "$W38" --reps 3 | awk '{print $3}'
done >"$tmp/np"
np=$(median <"$tmp/np")
npr="$(awk -v s="$np" 'BEGIN { printf "%.2f", 1 / s }') $(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/mem")"

"$R" generate -n 100000 -s 3 -o "$tmp/g100k.json" 2>/dev/null
local_outages g100k.json 60000 100000 5 "$tmp/g100k_s.json" g100k-local
GE=$("$R" validate "$tmp/g100k_s.json" | sed -n 's/.* \([0-9]*\) edges.*/\1/p')
g1=$(reps_per_s "$tmp/g100k_s.json" 64 1)
g1d=$(reps_per_s "$tmp/g100k_s.json" 8 1 --dense)

DEF=$here/scenarios/default.json
DE=220
d1=$(reps_per_s "$DEF" 4000 1)
d1d=$(reps_per_s "$DEF" 4000 1 --dense)
d2=$(reps_per_s "$DEF" 4000 2)

echo "| workload | configuration | rep/s | ns/edge-day | vs NumPy | peak MiB |"
echo "|---|---|---:|---:|---:|---:|"
for row in "W38|NumPy, vectorised over edges (bench/numpy_model.py)|$npr|$WE" \
           "W38|ripple, 1 thread, dense (--dense)|$w1d|$WE" \
           "W38|ripple, 1 thread, one replication at a time (--lanes 1)|$w1l|$WE" \
           "W38|ripple, 1 thread, SSE2 only (RIPPLE_SIMD=generic)|$w1g|$WE" \
           "W38|ripple, 1 thread|$w1|$WE" \
           "W38|ripple, 2 threads|$w2|$WE" \
           "G100K|ripple, 1 thread, dense (--dense)|$g1d|$GE" \
           "G100K|ripple, 1 thread|$g1|$GE" \
           "DEF|ripple, 1 thread, dense (--dense)|$d1d|$DE" \
           "DEF|ripple, 1 thread|$d1|$DE" \
           "DEF|ripple, 2 threads|$d2|$DE"; do
    IFS='|' read -r wl cfg rm e <<<"$row"
    read -r r mem <<<"$rm"
    vs=""
    [ "$wl" = W38 ] && vs=$(awk -v a="$r" -v b="${npr% *}" 'BEGIN { printf "%.0fx", a / b }')
    echo "| $wl | $cfg | $r | $(ns_per_edge_day "$r" "$e" 365) | $vs | $mem |"
done
echo
awk -v a="${w1% *}" -v b="${w1d% *}" -v c="${g1% *}" -v d="${g1d% *}" \
    -v e="${w2% *}" -v f="${d2% *}" -v g="${d1% *}" \
    'BEGIN { printf "skipping on/off: W38 %.1fx, G100K %.1fx; 1 -> 2 threads: W38 %.2fx, DEF %.2fx\n", a/b, c/d, e/a, f/g }'

# the risk register's cost on the default scenario (9 threats, about 6
# active a replication), as ratios to the plain run, 1,000 replications
rn=$(reps_per_s "$DEF" 1000 1)
rm_=$(reps_per_s "$DEF" 1000 1 --register marginal)
rs=$(reps_per_s "$DEF" 1000 1 --register shapley)
awk -v n="${rn% *}" -v m="${rm_% *}" -v s="${rs% *}" \
    'BEGIN { printf "risk register, DEF, 1 thread, 1,000 replications: none %.1f rep/s, marginal %.1f rep/s (%.1fx the time), shapley %.2f rep/s (%.1fx)\n", n, m, n/m, s, n/s }'
# the event log of 100,000 replications of the default scenario
/usr/bin/time -f "%e %M" -o "$tmp/ev" "$R" run "$DEF" -r 100000 -j 2 -q \
    --register none -o "$tmp/ev.h5"
read -r evs evm <"$tmp/ev"
/usr/bin/time -f "%e" -o "$tmp/nev" "$R" run "$DEF" -r 100000 -j 2 -q \
    --register none --events none -o "$tmp/nev.h5"
echo "event log, DEF, 100,000 replications, 2 threads: $(ls -l "$tmp/ev.h5" | awk '{printf "%.1f MB", $5/1e6}') file" \
     "($(ls -l "$tmp/nev.h5" | awk '{printf "%.1f MB", $5/1e6}') without), ${evs} s wall ($(cat "$tmp/nev") s without), peak ${evm} KB"

# stress test of the whole Willems 38 chain
/usr/bin/time -f "%e %M" -o "$tmp/st" "$R" stress "$W38" -o "$tmp/s.h5" -q
read -r sts stm <"$tmp/st"
echo "stress test, Willems 38 (2,025 sites, TTR 30 days): ${sts} s wall, peak ${stm} KB"

if [ "$quick" != --quick ]; then
    "$R" generate -n 1000000 --degree 9 -s 4 -o "$tmp/g1m.json" 2>"$tmp/gen.txt"
    local_outages g1m.json 600000 1000000 6 "$tmp/g1m_s.json" g1m
    /usr/bin/time -f "%e %M" -o "$tmp/t1m" "$R" run "$tmp/g1m_s.json" -r 100 -j 2 --register none --events none \
        -o "$tmp/g1m.h5" > "$tmp/g1m.txt" 2>&1
    read -r t1m m1m <"$tmp/t1m"
    echo "G1M: $(cat "$tmp/gen.txt" | sed 's/ripple: wrote [^:]*: //'); 100 replications, 2 threads:" \
         "$(sed -n 's/.* in \([0-9.]*\) s (\([0-9.e+]*\) replications\/s).*/\1 s simulating (\2 rep\/s)/p' "$tmp/g1m.txt")," \
         "${t1m} s wall in all, peak ${m1m} KB"
fi
