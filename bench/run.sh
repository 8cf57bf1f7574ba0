#!/usr/bin/env bash
# Ripple's reference benchmarks.  Prints a Markdown table of measured
# figures (nothing is asserted).  usage: bash bench/run.sh [--quick]
#
#   W38   Willems chain 38 (2,025 stages, 16,225 edges), ten scripted part
#         outages over 365 days: the assembly-network workload
#   G100K generated 100,000-node network, five local 20-day outages
#   DEF   the bundled default scenario (100 nodes, every threat type)
#   G1M   generated network of 1,000,000 nodes and ~5,000,000 edges
#   W38-L Willems 38 with the supplier stage's processing time as lead time
#         (most edges 10-day pipelines), ten part outages, half at severity 0.5
#   G100K-H the 100,000-node network with threats everywhere: a node hazard
#         on every node (0.02 a year) and a regional hazard on every region
#         (0.5 a year), random, not scripted
#   W38-H Willems 38 with a random hazard on every site (0.002 a year,
#         15-day mean outages): light by events, wide by spread, so the
#         automatic choice of the dense loop is measured against --dense
#   G1M-H the same threats on the million-node network, 10 replications;
#         load (validate) time and peak memory reported on their own
#
# "rep/s" counts replications per second of simulation (loading and writing
# excluded); "ns/edge-day" is wall time per replication / (edges x days).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
R=${RIPPLE:-$here/build/ripple}  # RIPPLE=path/to/ripple picks another build
PY=/usr/bin/python3
quick=${1:-}
case "$quick" in
"" | --quick) ;;
-h | --help)
    # the comment at the top of this file, without its '#'
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "usage: bash bench/run.sh [--quick]  (--help says what it measures)" >&2
    exit 2
    ;;
esac
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

hazards() { # network.json out.json name: threats everywhere (random)
    $PY - "$@" <<'PYEOF'
import json, os, sys
net, out, name = sys.argv[1:4]
with open(os.path.join(os.path.dirname(out), net)) as f:
    regions = sorted({n["region"] for n in json.load(f)["nodes"] if n.get("region")})
th = [{"type": "node_hazard", "name": "site hazard", "nodes": "all",
       "rate_per_year": 0.02,
       "duration": {"dist": "exponential", "mean": 20},
       "severity": {"dist": "uniform", "min": 0.5, "max": 1.0}},
      {"type": "regional", "name": "regional hazard", "regions": regions,
       "rate_per_year": 0.5,
       "duration": {"dist": "lognormal", "mean": 7, "sd": 4},
       "severity": {"dist": "uniform", "min": 0.2, "max": 0.6}}]
json.dump({"name": name, "network": net, "horizon_days": 365, "seed": 11,
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
            sed -n 's/.*(\([0-9.,]*\) replications\/s).*/\1/p' | tr -d , >>"$tmp/rates"
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
w1r=$(reps_per_s "$W38" 1 1) # a single replication: one lane
numpy_rate() { # scenario -> "rep/s peak-MiB" of bench/numpy_model.py
    $PY "$here/bench/numpy_model.py" "$1" --reps 1 >/dev/null
    for k in $(seq $runs); do
        /usr/bin/time -f "%M" -o "$tmp/mem" \
            $PY "$here/bench/numpy_model.py" "$1" --reps 3 | awk '{print $3}'
    done >"$tmp/np"
    echo "$(median <"$tmp/np" | awk '{ printf "%.2f", 1 / $1 }') $(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/mem")"
}
npr=$(numpy_rate "$W38")

# W38-L: the same chain with supplier lead times and mixed severities
$PY "$here/scenarios/tools/import_willems.py" "$here/data/willems/willems_38.csv" \
    -o "$tmp/w38l.json" --lead-time supplier --scenario "$tmp/w38l_s.json" \
    --outages 10 --seed 1 --half-severity
W38L=$tmp/w38l_s.json
l1=$(reps_per_s "$W38L" $n 1)
l1d=$(reps_per_s "$W38L" $n 1 --dense)
l2=$(reps_per_s "$W38L" $n 2)
l2d=$(reps_per_s "$W38L" $n 2 --dense)
l1r=$(reps_per_s "$W38L" 1 1)
nplr=$(numpy_rate "$W38L")

# W38-H: the bundled chain, a random hazard on every site
cat >"$tmp/w38h.json" <<EOF
{"name": "w38-hazards", "network": "$here/scenarios/networks/willems_38.json",
 "horizon_days": 365, "seed": 5,
 "threats": [{"type": "node_hazard", "name": "site hazard", "nodes": "all",
              "rate_per_year": 0.002,
              "duration": {"dist": "exponential", "mean": 15}}]}
EOF
k1=$(reps_per_s "$tmp/w38h.json" $n 1)
k1d=$(reps_per_s "$tmp/w38h.json" $n 1 --dense)

"$R" generate -n 100000 -s 3 -o "$tmp/g100k.json" 2>/dev/null
local_outages g100k.json 60000 100000 5 "$tmp/g100k_s.json" g100k-local
GE=$("$R" validate "$tmp/g100k_s.json" | sed -n 's/.* \([0-9,]*\) edges.*/\1/p' | tr -d ,)
g1=$(reps_per_s "$tmp/g100k_s.json" 64 1)
g1d=$(reps_per_s "$tmp/g100k_s.json" 8 1 --dense)

# G100K-H: the same network, threats everywhere (NumPy: scripted only)
hazards g100k.json "$tmp/g100k_h.json" g100k-hazards
h1=$(reps_per_s "$tmp/g100k_h.json" 8 1)
h1d=$(reps_per_s "$tmp/g100k_h.json" 8 1 --dense)
# two threads: 16 replications, a group of eight lanes on each thread, as
# on one thread (with -r 8 each thread would get a group of four: the
# driver halves groups while a block has fewer of them than threads)
h2=$(reps_per_s "$tmp/g100k_h.json" 16 2)
h2d=$(reps_per_s "$tmp/g100k_h.json" 16 2 --dense)
h1r=$(reps_per_s "$tmp/g100k_h.json" 1 1)
# lanes where eight copies of the state are large: the same network with
# every lead time 60 days (180 MB of state a lane) and two local outages,
# 120 days; 1, 4 and 8 lanes against the lanes a run picks from the
# memory (they change the time, never the results)
$PY - "$tmp/g100k.json" "$tmp/g100k_l60.json" "$tmp/l60_s.json" <<'PYEOF'
import json, os, sys
src, net, out = sys.argv[1:4]
d = json.load(open(src))
for e in d["edges"]:
    e["lead_time"] = 60
json.dump(d, open(net, "w"))
json.dump({"name": "g100k-l60", "network": os.path.basename(net),
           "horizon_days": 120, "seed": 2,
           "threats": [{"type": "scripted", "node": "n70000", "onset": 10,
                        "duration": 20, "severity": 1.0},
                       {"type": "scripted", "node": "n80000", "onset": 40,
                        "duration": 20, "severity": 0.5}]}, open(out, "w"))
PYEOF
ll1=$(reps_per_s "$tmp/l60_s.json" 8 1 --lanes 1)
ll4=$(reps_per_s "$tmp/l60_s.json" 8 1 --lanes 4)
ll8=$(reps_per_s "$tmp/l60_s.json" 8 1 --lanes 8)
lla=$(reps_per_s "$tmp/l60_s.json" 8 1)
llk=$("$R" validate "$tmp/l60_s.json" -j 1 | sed -n 's/^memory.* x \([0-9]*\) lanes\{0,1\}).*/\1/p')
# loading alone: ripple validate of the G100K-H scenario (best of three)
load_time() { # scenario -> "seconds cpu-seconds peak-MiB" (fastest of $runs)
    for k in $(seq $runs); do
        /usr/bin/time -f "%e %U %S %M" -o "$tmp/lt" "$R" validate "$1" >/dev/null 2>&1
        cat "$tmp/lt"
    done | sort -g | head -1 | awk '{ printf "%s %.2f %.0f", $1, $2 + $3, $4 / 1024 }'
}
hv=$(load_time "$tmp/g100k_h.json")

DEF=$here/scenarios/default.json
DE=220
d1=$(reps_per_s "$DEF" 4000 1)
d1d=$(reps_per_s "$DEF" 4000 1 --dense)
d2=$(reps_per_s "$DEF" 4000 2)

NA="n/a n/a"
echo "| workload | configuration | rep/s | ns/edge-day | vs NumPy | peak MiB |"
echo "|---|---|---:|---:|---:|---:|"
for row in "W38|NumPy, vectorised over edges (bench/numpy_model.py)|$npr|$WE" \
           "W38|ripple, 1 thread, dense (--dense)|$w1d|$WE" \
           "W38|ripple, 1 thread, one replication at a time (--lanes 1)|$w1l|$WE" \
           "W38|ripple, 1 thread, SSE2 only (RIPPLE_SIMD=generic)|$w1g|$WE" \
           "W38|ripple, 1 thread|$w1|$WE" \
           "W38|ripple, 2 threads|$w2|$WE" \
           "W38|ripple, 1 thread, a single replication (-r 1)|$w1r|$WE" \
           "G100K|ripple, 1 thread, dense (--dense)|$g1d|$GE" \
           "G100K|ripple, 1 thread|$g1|$GE" \
           "DEF|ripple, 1 thread, dense (--dense)|$d1d|$DE" \
           "DEF|ripple, 1 thread|$d1|$DE" \
           "DEF|ripple, 2 threads|$d2|$DE" \
           "W38-L|NumPy, vectorised over edges (bench/numpy_model.py)|$nplr|$WE" \
           "W38-L|ripple, 1 thread, dense (--dense)|$l1d|$WE" \
           "W38-L|ripple, 1 thread|$l1|$WE" \
           "W38-L|ripple, 2 threads, dense (--dense)|$l2d|$WE" \
           "W38-L|ripple, 2 threads|$l2|$WE" \
           "W38-L|ripple, 1 thread, a single replication (-r 1)|$l1r|$WE" \
           "W38-H|ripple, 1 thread, dense (--dense)|$k1d|$WE" \
           "W38-H|ripple, 1 thread|$k1|$WE" \
           "G100K-H|NumPy: cannot run (random threats; it takes scripted events only)|$NA|$GE" \
           "G100K-H|ripple, 1 thread, dense (--dense)|$h1d|$GE" \
           "G100K-H|ripple, 1 thread|$h1|$GE" \
           "G100K-H|ripple, 2 threads, dense (--dense)|$h2d|$GE" \
           "G100K-H|ripple, 2 threads|$h2|$GE" \
           "G100K-H|ripple, 1 thread, a single replication (-r 1)|$h1r|$GE"; do
    IFS='|' read -r wl cfg rm e <<<"$row"
    read -r r mem <<<"$rm"
    vs=""
    base=""
    [ "$wl" = W38 ] && base=${npr% *}
    [ "$wl" = W38-L ] && base=${nplr% *}
    [ -n "$base" ] && vs=$(awk -v a="$r" -v b="$base" 'BEGIN { printf "%.0fx", a / b }')
    nsd=n/a
    [ "$r" != n/a ] && nsd=$(ns_per_edge_day "$r" "$e" 365)
    echo "| $wl | $cfg | $r | $nsd | $vs | $mem |"
done
echo
awk -v a="${w1% *}" -v b="${w1d% *}" -v c="${g1% *}" -v d="${g1d% *}" \
    -v e="${w2% *}" -v f="${d2% *}" -v g="${d1% *}" \
    'BEGIN { printf "skipping on/off: W38 %.1fx, G100K %.1fx; 1 -> 2 threads: W38 %.2fx, DEF %.2fx\n", a/b, c/d, e/a, f/g }'
awk -v a="${l1% *}" -v b="${l1d% *}" -v c="${h1% *}" -v d="${h1d% *}" \
    -v e="${l2% *}" -v f="${h2% *}" -v g="${k1% *}" -v h="${k1d% *}" \
    'BEGIN { printf "skipping on/off: W38-L %.2fx, W38-H %.2fx, G100K-H %.2fx; 1 -> 2 threads: W38-L %.2fx, G100K-H %.2fx\n", a/b, g/h, c/d, e/a, f/c }'
# the same chain with 10-day pipelines against one-day inputs, per
# edge-day (one thread; the machine's speed cancels out): the issue's
# "long pipelines as cheap as one-day inputs" is 1.00 here
awk -v a="${w1% *}" -v b="${l1% *}" -v c="${w1d% *}" -v d="${l1d% *}" \
    'BEGIN { printf "W38-L against W38, time per edge-day (1 thread): %.2fx, dense %.2fx\n", a/b, c/d }'
# a run of one replication against one of eight (time; rep/s of the
# eight-lane rows, which run -r 64 or -r 8 in groups of eight)
awk -v a="${w1r% *}" -v b="${w1% *}" -v c="${l1r% *}" -v d="${l1% *}" \
    -v e="${h1r% *}" -v f="${h1% *}" \
    'BEGIN { printf "-r 1 against -r 8 (time, 1 thread): W38 %.2f, W38-L %.2f, G100K-H %.2f\n", b/(8*a), d/(8*c), f/(8*e) }'
rate_mem() { echo "${1% *} rep/s (${1#* } MiB)"; } # "rep/s MiB" -> text
echo "lanes, G100K with 60-day lead times, 120 days, 1 thread: 1 lane $(rate_mem "$ll1"), 4 lanes $(rate_mem "$ll4"), 8 lanes $(rate_mem "$ll8"); chosen from the memory: ${llk:-?} lanes, $(rate_mem "$lla")"
read -r hvw hvc hvm <<<"$hv"
echo "loading, ripple validate of G100K-H (best of $runs): ${hvw} s wall, ${hvc} s CPU (user + sys), peak ${hvm} MiB"

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
         "$(sed -n 's/.* in \([0-9.,]*\) s (\([0-9.,e+]*\) replications\/s).*/\1 s simulating (\2 rep\/s)/p' "$tmp/g1m.txt" | tr -d ,)," \
         "${t1m} s wall in all, peak ${m1m} KB"

    # G1M-H: threats everywhere on the million-node network, 10
    # replications, each configuration run once (a run takes minutes);
    # loading (ripple validate) timed and measured on its own
    hazards g1m.json "$tmp/g1m_h.json" g1m-hazards
    G1E=$(sed -n 's/.*nodes, \([0-9,]*\) edges.*/\1/p' "$tmp/gen.txt" | tr -d ,)
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/lt" "$R" validate "$tmp/g1m_h.json" >/dev/null 2>&1 || true
    read -r lts ltu ltsy ltm <"$tmp/lt"
    echo "G1M-H loading (ripple validate): ${lts} s wall, $(awk -v u="$ltu" -v s="$ltsy" 'BEGIN { printf "%.1f", u + s }') s CPU (user + sys), peak $((ltm / 1024)) MiB"
    # the memory estimate of a run of 100 replications on 2 threads (the
    # risk register and the event log on, as ripple run plans it)
    echo "G1M-H memory estimate, 100 replications, 2 threads: $("$R" validate "$tmp/g1m_h.json" -r 100 -j 2 2>/dev/null |
        sed -n 's/^memory *about \([^ ]* [^ ]*\) for a run.*/\1/p')"
    echo
    echo "| workload | configuration | rep/s | ns/edge-day | peak MiB | wall s |"
    echo "|---|---|---:|---:|---:|---:|"
    for cfg in "1|" "1|--dense" "2|" "2|--dense"; do
        IFS='|' read -r j fl <<<"$cfg"
        # shellcheck disable=SC2086
        /usr/bin/time -f "%e %M" -o "$tmp/t" "$R" run "$tmp/g1m_h.json" -r 10 -j "$j" $fl \
            --register none --events none -o "$tmp/g1m_h.h5" >"$tmp/g.txt" 2>&1
        read -r ws wm <"$tmp/t"
        rr=$(sed -n 's/.*(\([0-9.,e+-]*\) replications\/s).*/\1/p' "$tmp/g.txt" | tr -d ,)
        echo "| G1M-H | ripple, $j thread$([ "$j" = 1 ] || echo s)${fl:+, dense ($fl)} | $rr |" \
             "$(ns_per_edge_day "$rr" "$G1E" 365) | $((wm / 1024)) | $ws |"
    done
fi
