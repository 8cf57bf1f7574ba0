#!/bin/bash
# The layers the build enforces (docs/architecture.md): the engine's
# sources compile against a directory holding the engine's headers only,
# the models' against one without the application's.  For every header of
# a higher layer, a source of a lower layer that includes it must fail to
# compile because the header is not found; and a header of the layer's own
# must be found (so that the failures mean what they say).
# Usage: layers_test.sh CC LAYER_DIR "MODEL HEADERS" "APP HEADERS"
set -u
CC=$1 DIR=$2 MODEL=$3 APP=$4
fail=0 n=0
probe() { # layer header want(found|missing)
    out=$("$CC" -fsyntax-only -x c -include "ripple/$2.h" -I"$DIR/$1" \
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
