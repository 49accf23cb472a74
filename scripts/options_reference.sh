#!/usr/bin/env bash
# docs/options.md, the reference of every binary's options, made from each
# binary's own --help, so that it cannot say anything the binaries do not.
#   bash scripts/options_reference.sh BIN_DIR            # print it
#   bash scripts/options_reference.sh --write BIN_DIR    # write docs/options.md
#   bash scripts/options_reference.sh --check BIN_DIR    # fail if docs/options.md differs
# BIN_DIR holds the built binaries (build/bin). ctest runs --check.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=print
if [[ ${1:-} == --write || ${1:-} == --check ]]; then
  mode=${1#--}
  shift
fi
bin=${1:?usage: options_reference.sh [--write|--check] BIN_DIR}
doc=$root/docs/options.md

binaries=(skynet-broker skyd sky fibonacci-service echo-service)

reference() {
  cat <<'HEAD'
# Options of the Skynet binaries

Generated from each binary's `--help` by `scripts/options_reference.sh`: do
not edit it by hand. After changing an option, regenerate it from a build:

    bash scripts/options_reference.sh --write build/bin

(a ctest test, `options_reference`, fails while it differs from the binaries).

Every option of the binaries built on Skynet's option parser (all but `sky`)
can be given three ways, the first that sets it winning: on the command line
(`--region eu`), as an environment variable `SKYNET_<NAME>` (`SKYNET_REGION=eu`,
dashes as underscores), or in the INI file named by `--config`
(`region = eu`, one per line, `#` starts a comment). The systemd units read
`/etc/skynet/*.conf` that way (docs/operations.md).
HEAD
  for name in "${binaries[@]}"; do
    printf '\n## %s\n\n```text\n' "$name"
    # Trailing blanks trimmed: Boost pads wrapped lines.
    env -u COLUMNS "$bin/$name" --help | sed -e 's/[[:space:]]*$//'
    printf '```\n'
  done
}

case $mode in
  print) reference ;;
  write) reference >"$doc" ;;
  check)
    if ! diff -u "$doc" <(reference); then
      echo "docs/options.md differs from the binaries' --help (above: - the file, + the binaries)." >&2
      echo "Regenerate it: bash scripts/options_reference.sh --write build/bin" >&2
      exit 1
    fi
    echo "docs/options.md matches the binaries' --help"
    ;;
esac
