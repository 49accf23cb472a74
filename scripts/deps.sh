#!/usr/bin/env bash
# Installs the Debian 12 packages Skynet needs, only those that are missing,
# so that running the README commands a second time costs nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libzmq3-dev cppzmq-dev libbson-dev libhiredis-dev
  libboost-program-options-dev libspdlog-dev libfmt-dev
  libgtest-dev nlohmann-json3-dev libedit-dev libsystemd-dev
  prometheus-cpp-dev libcpp-httplib-dev
  redis-server clang-format
  python3 python3-zmq python3-bson python3-redis  # the Python client and worker, and their tests
  iproute2
  chromium chromium-driver  # the dashboard's browser test (headless, through WebDriver)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "== installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
