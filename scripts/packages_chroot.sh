#!/usr/bin/env bash
# The install test of the Debian packages, in a Debian 12 (bookworm) chroot
# of its own: apt-get installs the .debs there (apt resolves their Depends
# from the mirror), then it runs skynet-broker --help and sky --help, builds
# examples/tutorial against libskynet-dev with find_package(Skynet), and runs
# a real broker, the greeter service and its client, checking the answer.
#   bash scripts/packages_chroot.sh build/packages/*.deb
# (scripts/packages.sh --chroot runs it.) As root. The debootstrap result is
# kept as build/chroot/bookworm-minbase.tar.gz, so that a rerun is fast; the
# chroot itself is made afresh from it each run. Whatever it mounts or starts
# is unmounted or killed on the way out, however it ends.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
(($# > 0)) || { echo "usage: packages_chroot.sh PACKAGE.deb..." >&2; exit 2; }
debs=()
for deb in "$@"; do
  debs+=("$(realpath "$deb")")
done
[[ $(id -u) -eq 0 ]] || { echo "packages_chroot.sh: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "packages_chroot.sh: needs debootstrap (scripts/deps.sh)" >&2; exit 1; }

work=$root/build/chroot
tarball=$work/bookworm-minbase.tar.gz
target=$work/bookworm
# The mirror the host's apt uses (deb.debian.org unless said otherwise).
mirror=${SKYNET_DEBIAN_MIRROR:-$(grep -hoE '^URIs: *http[^ ]*/debian$' /etc/apt/sources.list.d/*.sources \
  2>/dev/null | head -n 1 | sed 's/^URIs: *//')}
mirror=${mirror:-http://deb.debian.org/debian}
mkdir -p "$work"

# Processes whose root is the chroot (ours: nothing else runs there), then
# the mounts.
cleanup() {
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [[ $(readlink "/proc/$pid/root" 2>/dev/null) == "$target" ]]; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  # Ours, and what a debootstrap that failed half-way left in its target;
  # the deepest first.
  local mount
  for mount in $(awk -v dir="$work/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$mount" 2>/dev/null || umount -l "$mount"
  done
}
trap cleanup EXIT
cleanup  # what a run killed half-way may have left

start=$SECONDS
if [[ ! -f $tarball ]]; then
  echo "== debootstrap --variant=minbase bookworm ($mirror), kept in $tarball"
  rm -rf --one-file-system "$target.new"
  debootstrap --variant=minbase bookworm "$target.new" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
  }
  tar -C "$target.new" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf --one-file-system "$target.new"
fi
echo "== a fresh chroot from $tarball"
# Never remove a tree with the host's /dev or /proc still mounted in it.
if awk -v dir="$work/" 'index($2, dir) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
  echo "packages_chroot.sh: $target still has mounts; not removing it" >&2
  exit 1
fi
rm -rf --one-file-system "$target"
mkdir -p "$target"
tar -C "$target" -xzf "$tarball"
echo "   ready in $((SECONDS - start)) s"

mount -t proc proc "$target/proc"
mount --bind /dev "$target/dev"
mount --bind /dev/pts "$target/dev/pts"
cp /etc/resolv.conf "$target/etc/resolv.conf"
# Nothing started by a package's scripts (none of ours does anyway).
printf '#!/bin/sh\nexit 101\n' >"$target/usr/sbin/policy-rc.d"
chmod 755 "$target/usr/sbin/policy-rc.d"
mkdir -p "$target/tmp/debs" "$target/tmp/tutorial"
cp "${debs[@]}" "$target/tmp/debs/"
cp "$root"/examples/tutorial/*.cpp "$root"/examples/tutorial/*.hpp \
  "$root"/examples/tutorial/CMakeLists.txt "$target/tmp/tutorial/"

in_chroot() {
  chroot "$target" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"
}

start=$SECONDS
echo "== apt-get install the packages (Depends from the mirror), g++, cmake"
in_chroot apt-get update -qq
in_chroot sh -c 'apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb g++ cmake make' \
  >"$work/apt.log" 2>&1 || {
  tail -n 40 "$work/apt.log" >&2
  exit 1
}
echo "   installed in $((SECONDS - start)) s: $(cd "$target/tmp/debs" && echo *.deb)"
in_chroot dpkg-query -W -f '   ${Package} ${Version} ${Status}\n' libskynet0 libskynet-dev skynet
in_chroot getent passwd skynet >/dev/null || { echo "chroot: no skynet user" >&2; exit 1; }

echo "== the binaries run"
in_chroot skynet-broker --help | head -n 1
in_chroot sky --help | head -n 1
in_chroot skyd --help | head -n 1
if compgen -G "$target/tmp/debs/python3-skynet_*.deb" >/dev/null; then
  in_chroot python3 -c 'import skynet; print("   python3: import skynet ok")'
fi

echo "== building examples/tutorial against libskynet-dev (find_package(Skynet))"
start=$SECONDS
in_chroot sh -c 'cmake -S /tmp/tutorial -B /tmp/tutorial/build >/tmp/tutorial-build.log 2>&1 &&
                 cmake --build /tmp/tutorial/build -j 2 >>/tmp/tutorial-build.log 2>&1' || {
  tail -n 40 "$target/tmp/tutorial-build.log" >&2
  exit 1
}
echo "   built in $((SECONDS - start)) s"

echo "== a broker, the greeter service and its client, in the chroot"
port=$((20000 + RANDOM % 12000))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 12000)); done
endpoint=tcp://127.0.0.1:$port
in_chroot skynet-broker --bind "$endpoint" >"$work/broker.log" 2>&1 &
in_chroot /tmp/tutorial/build/greeter-service --broker "$endpoint" >"$work/greeter.log" 2>&1 &
answer=
for _ in $(seq 100); do
  answer=$(in_chroot /tmp/tutorial/build/greeter-client --broker "$endpoint" --name chroot 2>&1) && break
  sleep 0.2
done
echo "   greeter-client: $answer"
if [[ $answer != "hello chroot" ]]; then
  echo "chroot: expected \"hello chroot\"; the broker's and the service's logs:" >&2
  cat "$work/broker.log" "$work/greeter.log" >&2
  exit 1
fi
echo "packages_chroot: the packages install and work in a Debian 12 chroot"
