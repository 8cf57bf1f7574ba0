#!/usr/bin/env bash
# Ripple developer entry point: installs what is missing (Debian 12, as
# root), builds, and then either runs the bundled scenario or the tests.
#
#   bash scripts/dev.sh demo    # set up, build, run the default scenario
#   bash scripts/dev.sh test    # set up, build, run every test (also ASan,
#                               # and the MPI build with 1, 2, 3 ranks)
#   bash scripts/dev.sh build   # set up and build only
#
# Every command installs the build with `cmake --install build` (ripple in
# /usr/local/bin), so the documented `ripple ...` commands work as written.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

packages=(build-essential cmake pkg-config libgsl-dev libhdf5-dev hdf5-tools
          libcjson-dev libcmocka-dev libssl-dev libigraph-dev libcsv-dev
          python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf
          python3-pandas python3-matplotlib)

mpi_packages=(libopenmpi-dev openmpi-bin)
# the test of `ripple report` opens its pages in a headless browser; the
# robust test measures peak memory with GNU time
test_packages=(chromium time)

install_missing() { # [extra packages...]
    local missing=()
    for p in "${packages[@]}" "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
                grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "dev.sh: installing ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# Builds for the test suite treat warnings as errors (RIPPLE_WERROR); the
# demo's build does not, so that a newer compiler's new warning does not
# stop a user.  The options are given every time: CMake's cache would keep
# a previous command's.
build() { # build DIR [cmake args...]
    local dir=$1
    shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)" >/dev/null
}

# ripple on PATH: `cmake --install` into the default prefix (/usr/local/bin)
install_ripple() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo cmake --install build >/dev/null
    echo "dev.sh: installed $(command -v ripple || echo /usr/local/bin/ripple)" >&2
}

cmd=${1:-demo}
case "$cmd" in
demo)
    install_missing
    build build -DRIPPLE_WERROR=OFF
    install_ripple
    ripple run -o results.h5
    ;;
build)
    install_missing
    build build -DRIPPLE_WERROR=OFF
    install_ripple
    ;;
test)
    install_missing "${mpi_packages[@]}" "${test_packages[@]}"
    # the Release binary users get (-O3 -DNDEBUG), every test
    build build -DRIPPLE_WERROR=ON
    install_ripple
    (cd build && ctest --output-on-failure -j "$(nproc)")
    echo "dev.sh: the MPI build, 1, 2 and 3 ranks" >&2
    build build-mpi -DRIPPLE_MPI=ON -DRIPPLE_WERROR=ON
    (cd build-mpi && ctest --output-on-failure -L mpi)
    # Debug, so every assert() is checked too; the tests labelled slow (the
    # docs run at length and check nothing the sanitizers add to) skipped
    echo "dev.sh: again under AddressSanitizer and UBSan, with asserts" >&2
    build build-asan -DRIPPLE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
        -DRIPPLE_ASSERTS=ON -DRIPPLE_WERROR=ON
    # (-LE of a label no test carries would skip nothing, silently)
    (cd build-asan && ctest -N -L slow | grep -q "Total Tests: [1-9]") || {
        echo "dev.sh: no test is labelled slow" >&2
        exit 1
    }
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 \
        ctest --output-on-failure -j "$(nproc)" -LE slow)
    ;;
*)
    echo "usage: bash scripts/dev.sh demo|test|build" >&2
    exit 2
    ;;
esac
