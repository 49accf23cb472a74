#!/usr/bin/env bash
# Configures and builds into a build directory: scripts/build.sh DIR [cmake args...]
# [targets via SKYNET_TARGETS="a b"]. Shared by the demo, the test script and
# the fuzz script.
#
# These builds are unity builds (CMake joins up to 16 sources of a target into
# one translation unit) with Ninja: on two cores most of the time of a build
# went to compiling the same headers and template instances again in every
# file, and unity builds take about half as long. So names in anonymous
# namespaces must differ between the sources of a target. Developers' own
# builds may leave unity off, and then they get quick one-file rebuilds.
set -euo pipefail
dir=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
# A directory configured by an older version of this script, with Makefiles,
# cannot switch generator: configure it afresh (the objects are rebuilt).
if [[ -f $dir/CMakeCache.txt ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
  rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
fi
# SKYNET_REUSE_CONFIGURE=1: a directory configured already is built as it is
# (scripts/packages.sh after the demo).
if [[ ${SKYNET_REUSE_CONFIGURE:-0} != 1 || ! -f $dir/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
    "$@" >/dev/null
fi
targets=()
for t in ${SKYNET_TARGETS:-}; do
  targets+=("$t")
done
# Only errors and warnings reach the log; Ninja's own status decides success.
status=0
cmake --build "$dir" -j "$(nproc)" ${targets[@]+--target "${targets[@]}"} >"$dir/build.log" 2>&1 || status=$?
grep -E "error|warning|Error|FAILED" "$dir/build.log" || true
if ((status != 0)); then
  echo "== the build failed; the end of $dir/build.log:" >&2
  tail -n 60 "$dir/build.log" >&2
fi
exit "$status"
