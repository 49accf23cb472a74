#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds with
# AddressSanitizer and UndefinedBehaviorSanitizer and runs every test, then
# builds the threaded parts (broker, worker pool, client engine, cancellation, registry
# threads, the runtime's mailboxes, serve() and child processes) with
# ThreadSanitizer and runs their tests again.
#   bash scripts/test.sh [ctest args...]   (the args go to the ASan run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
echo "== style: public headers alone, clang-format"
bash scripts/check_style.sh
# -O1 -g1: half the compile time of -O2 -g, with the line tables that
# sanitizer reports need.
quick_debug=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")

echo "== building (ASan + UBSan) in build-sanitize/"
bash scripts/build.sh build-sanitize "${quick_debug[@]}" -DSKYNET_SANITIZE=ON
echo "== running the tests (ASan + UBSan)"
(
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp
  cd build-sanitize
  ctest -j "$(nproc)" --output-on-failure --timeout 300 "$@"
)

threaded=(broker_tests worker_tests client_tests registry_tests runtime_tests cancel_tests)
echo "== building the threaded parts (TSan) in build-tsan/"
SKYNET_TARGETS="${threaded[*]}" bash scripts/build.sh build-tsan "${quick_debug[@]}" \
  -DSKYNET_TSAN=ON -DSKYNET_BENCH=OFF
echo "== running their tests (TSan)"
(
  export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp halt_on_error=1"
  # TSan runs the code several times slower: heartbeats of tests stretch.
  export SKYNET_TEST_TIME_SCALE=4
  cd build-tsan
  labels=$(IFS='|'; echo "^(${threaded[*]})\$")
  ctest -j "$(nproc)" --output-on-failure --timeout 300 -L "$labels"
)
