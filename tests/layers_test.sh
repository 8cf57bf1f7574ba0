#!/bin/bash
# The layers the build enforces (docs/architecture.md): the engine's
# sources compile against engine/include only, the models' against
# engine/include and models/include, never app/include.  For every header of
# a higher layer, a source of a lower layer that includes it must fail to
# compile because the header is not found; and a header of the layer's own
# must be found (so that the failures mean what they say).
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
echo "layers: $n probes"
exit $fail
