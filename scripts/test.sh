#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds with
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
echo "== building (ASan + UBSan) in build-sanitize/"
bash scripts/build.sh build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSKYNET_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp
echo "== running the tests"
cd build-sanitize
ctest -j "$(nproc)" --output-on-failure --timeout 300 "$@"
