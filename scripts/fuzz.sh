#!/usr/bin/env bash
# Runs every libFuzzer target for a fixed time each (default 60 s):
#   bash scripts/fuzz.sh [SECONDS]
# and prints, per target, the executions, their rate and the result; exits 1
# if any target found something (a crash, a sanitizer report, a hang, memory
# past the limit). Builds with clang in build-fuzz/ (clang is installed if
# missing), with ASan and UBSan and libFuzzer coverage in every library.
#
# A finding leaves its reproducer in build-fuzz/artifacts/<target>/; replay
# it with build-fuzz/bin/fuzz_<target> FILE, and once fixed, add it to
# tests/fuzz/corpus/<target>/ so that the suite replays it forever. What the
# fuzzer learns is kept in build-fuzz/corpus/<target>/ for the next run; the
# seeds in tests/fuzz/ are read, never written.
#
# Set SKYNET_BUILD_LOCK=/path/to/lockfile to serialise the build with others
# sharing the machine (flock); the fuzzing itself takes no lock.
set -euo pipefail
seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: $0 [SECONDS per target]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# name:max_len. Inputs are small decoded things; a long one only slows the
# search. JSON gets room for deep nesting and long strings.
targets=(mdp:4096 envelope:4096 batch:4096 registry_record:4096 sky_params:16384
         zap_request:1024 access_rules:4096)
# libFuzzer's own default for the whole process (ASan's quarantine alone
# keeps 256 MB); one allocation past malloc_limit_mb is a finding at once,
# which is how a decoder that trusts a length field shows.
rss_limit_mb=2048
malloc_limit_mb=512

as_root() {
  if [[ $(id -u) -ne 0 ]]; then sudo "$@"; else "$@"; fi
}

bash scripts/deps.sh
if ! command -v clang++ >/dev/null; then
  echo "== installing clang"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq clang >/dev/null
fi
# libFuzzer's runtime is only a Recommends of clang on Debian: check that a
# fuzzer links, and install the runtime package if not.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' \
  >"$probe/probe.cpp"
if ! clang++ -fsanitize=fuzzer,address "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
  echo "== installing the libFuzzer runtime"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev" >/dev/null
fi

echo "== building fuzz targets in build-fuzz/"
# -O1 -g1, as the test builds: half the compile time of -O2 -g, and the
# line tables that reports need.
build=(bash scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo
       "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DSKYNET_FUZZ=ON
       -DSKYNET_BENCH=OFF)
names=()
for entry in "${targets[@]}"; do names+=("fuzz_${entry%%:*}"); done
if [[ -n ${SKYNET_BUILD_LOCK:-} ]]; then
  build=(flock "$SKYNET_BUILD_LOCK" "${build[@]}")
fi
SKYNET_TARGETS="${names[*]}" CC=clang CXX=clang++ "${build[@]}"

cd build-fuzz
rm -rf artifacts logs
mkdir -p logs
# UBSan reports are findings too, not warnings to scroll past.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Each target fuzzes on one core: as many run at once as there are cores.
fuzz_one() {  # fuzz_one TARGET MAX_LEN: its log, and its exit status in a file
  local target=$1 max_len=$2
  mkdir -p "corpus/$target" "artifacts/$target"
  local options=(-max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb="$rss_limit_mb"
                 -malloc_limit_mb="$malloc_limit_mb" -timeout=10 -print_final_stats=1
                 -artifact_prefix="artifacts/$target/")
  # Tokens of parsers the fuzzer cannot see into (libbson is not instrumented).
  local dict="$root/tests/fuzz/dict/$target.dict"
  if [[ -f $dict ]]; then options+=(-dict="$dict"); fi
  local status=0
  "./bin/fuzz_$target" "${options[@]}" "corpus/$target" "$root/tests/fuzz/corpus/$target" \
    >"logs/$target.log" 2>&1 || status=$?
  echo "$status" >"logs/$target.status"
}
parallel=$(nproc)
for entry in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  fuzz_one "${entry%%:*}" "${entry##*:}" &
done
wait

findings=()
printf '%-16s %12s %10s  %s\n' target executions "exec/s" result
for entry in "${targets[@]}"; do
  target=${entry%%:*}
  log="logs/$target.log"
  status=$(cat "logs/$target.status" 2>/dev/null || echo "no status")
  executions=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
  rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
  result=ok
  if [[ $status != 0 ]]; then
    reproducer=$(find "artifacts/$target" -type f | head -n 1)
    reason=$(grep -m 1 -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-z-]+' "$log" ||
             grep -m 1 -oE 'runtime error: .*' "$log" || echo "exit $status")
    result="FINDING: $reason; reproducer ${reproducer:-none}; log build-fuzz/$log"
    findings+=("$target")
  fi
  printf '%-16s %12s %10s  %s\n' "$target" "${executions:-?}" "${rate:-?}" "$result"
done

if ((${#findings[@]} > 0)); then
  # CI machines do not outlive the run: print what is needed to replay each
  # finding here (the input in hex, and the report's stack).
  for target in "${findings[@]}"; do
    echo "== $target: reproducer, in hex" >&2
    find "artifacts/$target" -type f | head -n 1 | xargs -r od -An -tx1 -v | head -n 64 >&2
    echo "== $target: report" >&2
    grep -A 30 -m 1 -E '==[0-9]+==|runtime error|deadly signal' "logs/$target.log" >&2 || true
  done
  echo "fuzz: findings in ${findings[*]}" >&2
  exit 1
fi
echo "fuzz: no findings (${seconds}s per target)"
