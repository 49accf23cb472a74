#!/usr/bin/env bash
# The Debian packages: a Release build in build/ (the demo's directory, so
# that after the demo this is incremental), cpack -G DEB into build/packages/,
# and lintian on each .deb, its output printed; any lintian error (E:) fails.
#   bash scripts/packages.sh            # packages + lintian
#   bash scripts/packages.sh --chroot   # and install them in a Debian 12
#                                       # chroot and run them there
#                                       # (scripts/packages_chroot.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
chroot_test=false
if [[ ${1:-} == --chroot ]]; then
  chroot_test=true
fi
bash scripts/deps.sh

echo "== building the packages' files (Release) in build/"
start=$SECONDS
# Prefix /usr: the paths inside the packages. CMAKE_SKIP_INSTALL_ALL_DEPENDENCY:
# cpack installs what skynet_package_files built, without building `all`
# (the tests and the benchmark) first. The demo configures build/ so: then
# it is not configured again (that would rebuild every object, see demo.sh).
reuse=0
if [[ -f build/CMakeCache.txt ]] &&
  grep -qx 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt &&
  grep -qx 'CMAKE_INSTALL_PREFIX:PATH=/usr' build/CMakeCache.txt &&
  grep -qE '^CMAKE_SKIP_INSTALL_ALL_DEPENDENCY:[A-Z]+=ON$' build/CMakeCache.txt; then
  reuse=1
fi
SKYNET_REUSE_CONFIGURE=$reuse SKYNET_TARGETS="skynet_package_files" bash scripts/build.sh build \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON
echo "   built in $((SECONDS - start)) s"

echo "== cpack -G DEB into build/packages/"
start=$SECONDS
rm -rf build/packages
(cd build && cpack -G DEB >packages.log 2>&1) || {
  cat build/packages.log >&2
  exit 1
}
mapfile -t debs < <(ls build/packages/*.deb)
for deb in "${debs[@]}"; do
  echo "-- $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
done
echo "   packed in $((SECONDS - start)) s"

echo "== lintian"
start=$SECONDS
errors=0
for deb in "${debs[@]}"; do
  echo "-- lintian $(basename "$deb")"
  out=$(lintian --tag-display-limit 0 "$deb" 2>&1) || true
  if [[ -n $out ]]; then
    echo "$out"
  else
    echo "   (nothing to report)"
  fi
  if grep -q '^E: ' <<<"$out"; then
    errors=$((errors + 1))
  fi
done
echo "   lintian took $((SECONDS - start)) s"
if ((errors > 0)); then
  echo "packages: lintian reported errors (E:) on $errors package(s)" >&2
  exit 1
fi
echo "packages: ${#debs[@]} packages in build/packages/, no lintian error"

if $chroot_test; then
  bash scripts/packages_chroot.sh "${debs[@]}"
fi
