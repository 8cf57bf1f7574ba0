#!/bin/bash
# The layers the build enforces (docs/architecture.md): the engine's
# sources compile against engine/include only, the models' against
# engine/include and models/include, never app/include.  For every header of
# a higher layer, a source of a lower layer that includes it must fail to
# compile because the header is not found; and a header of the layer's own
# must be found (so that the failures mean what they say).  And the
# engine knows nothing about supply chains: no engine source or header
# (ENGINE_INCLUDE/.. and ENGINE_INCLUDE/ripple) uses the supply chain's
# words (VOCAB below): the model names its outputs and bounds its own
# quantities (docs/architecture.md).
# Usage: layers_test.sh CC ENGINE_INCLUDE MODELS_INCLUDE "MODEL HEADERS"
#        "APP HEADERS"
set -u
CC=$1 ENGINE=$2 MODELS=$3 MODEL=$4 APP=$5
fail=0 n=0
probe() { # layer header want(found|missing)
    if [ "$1" = engine ]; then inc=(-I"$ENGINE"); else
        inc=(-I"$ENGINE" -I"$MODELS"); fi
    out=$("$CC" -fsyntax-only -x c -include "ripple/$2.h" "${inc[@]}" \
        /dev/null 2>&1)
    rc=$?
    n=$((n + 1))
    if [ "$3" = missing ]; then
        if [ $rc -eq 0 ] || ! grep -Eq "$2\.h.*(No such file|not found)" \
            <<<"$out"; then
            echo "FAIL: a $1 source can include ripple/$2.h: $out"
            fail=1
        fi
    elif [ $rc -ne 0 ]; then
        echo "FAIL: a $1 source cannot include ripple/$2.h: $out"
        fail=1
    fi
}
probe engine mc found
probe engine metric found
probe models run found
probe models mc found
for h in $MODEL $APP; do probe engine "$h" missing; done
for h in $APP; do probe models "$h" missing; done
# Words of the supply chain, none of them legitimate in the engine (the
# case is ignored): its series, loss, input hash and bounds, its parts and
# its threats.  Generic words a comment may use as an example (network,
# node, demand) are not in the list.
VOCAB='service[_ ]?level|service_target|lost[_ ]?value|network_sha256'
VOCAB+='|lead[_ ]?time|supplier|supply|buyer|inventor(y|ies)|threat'
VOCAB+='|hazard|disrupt|stress|risk[_ ]register|criticality'
src=$(dirname "$ENGINE")
files=("$src"/*.c "$ENGINE"/ripple/*.h)
if [ ! -e "${files[0]}" ] || [ ! -e "${files[-1]}" ]; then
    echo "FAIL: no engine sources or headers under $src"
    fail=1
else
    words=$(grep -HniE "$VOCAB" "${files[@]}")
    n=$((n + 1))
    if [ -n "$words" ]; then
        echo "FAIL: the engine uses the supply chain's words:"
        echo "$words"
        fail=1
    fi
fi
echo "layers: $n probes (the last: the engine's words, ${#files[@]} files)"
exit $fail
