#!/usr/bin/env bash
# Runs every libFuzzer target for a fixed time (default 60 s each):
#   bash scripts/fuzz.sh [SECONDS]
# Builds with clang (installed if missing). New inputs go to a scratch corpus;
# a crash leaves its reproducer in build-fuzz/ and fails the script. Add
# reproducers worth keeping to tests/fuzz/corpus/<target>/ so that the suite
# replays them forever.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
if ! command -v clang++ >/dev/null; then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq clang >/dev/null
fi
targets=(mdp envelope)
SKYNET_TARGETS="${targets[*]/#/fuzz_}" CC=clang CXX=clang++ \
  bash scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSKYNET_FUZZ=ON \
  -DSKYNET_BENCH=OFF
cd build-fuzz
for target in "${targets[@]}"; do
  scratch=$(mktemp -d)
  echo "== fuzzing $target for ${seconds}s"
  "./bin/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
    "$scratch" "$root/tests/fuzz/corpus/$target" 2>&1 | grep -E "^(stat::number_of_executed_units|Done|==|SUMMARY)" || true
  # libFuzzer exits non-zero on a finding; PIPESTATUS keeps that.
  status=${PIPESTATUS[0]}
  rm -rf "$scratch"
  if [[ $status -ne 0 ]]; then
    echo "fuzz: $target found a crash (exit $status); reproducer in build-fuzz/" >&2
    exit 1
  fi
done
echo "fuzz: no findings"
