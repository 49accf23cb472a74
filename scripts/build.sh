#!/usr/bin/env bash
# Configures and builds into a build directory: scripts/build.sh DIR [cmake args...]
# [targets via SKYNET_TARGETS="a b"]. Shared by the demo and the test script.
set -euo pipefail
dir=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$dir" "$@" >/dev/null
targets=()
for t in ${SKYNET_TARGETS:-}; do
  targets+=(--target "$t")
done
cmake --build "$dir" -j "$(nproc)" "${targets[@]}" 2>&1 | grep -E "error|warning|Error" || true
# grep hides progress lines; the build's own status decides success.
cmake --build "$dir" -j "$(nproc)" "${targets[@]}" >/dev/null
