#!/usr/bin/env bash
# The two checks of house style that a machine can make, quick enough to run
# before every build (well under a minute on two cores):
#  1. every public header (*/include/**/*.hpp) compiles on its own, with our
#     warning flags, so that a user may include any of them first;
#  2. clang-format (the root .clang-format) would change nothing in our sources.
#   bash scripts/check_style.sh          (exit status 1 on any finding)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cxx=${CXX:-g++}
jobs=$(nproc)
# Our headers as the libraries' users see them; Debian's as system headers,
# whose warnings are not ours to fix (as CMake does for imported targets).
flags=(-std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
       -Werror)
for dir in */include; do
  flags+=(-I "$dir")
done
for cflag in $(pkg-config --cflags-only-I libzmq libbson-1.0); do
  # /usr/include is searched already; as -isystem it would hide libstdc++'s
  # #include_next of the C headers.
  [[ ${cflag#-I} == /usr/include ]] || flags+=(-isystem "${cflag#-I}")
done

echo "== public headers, each compiled alone"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
running=0
for header in $(git ls-files '*/include/*.hpp'); do
  log="$tmp/$(echo "$header" | tr / _).log"
  # Included from a file of its own, as a user's source would.
  ( printf '#include "%s"\n' "$root/$header" | "$cxx" "${flags[@]}" -x c++ - >"$log" 2>&1 ||
      echo "$header" >>"$tmp/failed" ) &
  running=$((running + 1))
  if (( running >= jobs )); then
    wait -n
    running=$((running - 1))
  fi
done
wait
if [[ -s "$tmp/failed" ]]; then
  for header in $(sort "$tmp/failed"); do
    echo "-- $header does not compile on its own:"
    head -20 "$tmp/$(echo "$header" | tr / _).log"
  done
  failed=1
fi

echo "== clang-format"
if ! git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror >"$tmp/format" 2>&1; then
  grep -o '^[^:]*:[0-9]*:[0-9]*: error' "$tmp/format" | cut -d: -f1 | sort -u | head -40
  echo "clang-format would change the files above: run clang-format -i on them"
  failed=1
fi

if [[ $failed -ne 0 ]]; then
  echo "check_style: FAILED"
  exit 1
fi
echo "check_style: ok"
