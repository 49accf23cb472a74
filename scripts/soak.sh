#!/usr/bin/env bash
# Soak run (not in CI): the chaos test's scenario for as long as asked, with
# the memory (VmRSS) and open file descriptors of every broker and worker
# sampled all along. At the end, a table per process incarnation: first,
# a quarter in, last and highest figures. Long-lived processes (broker-0,
# worker-1 and worker-3 live until the final rolling restart) must stay flat.
#
#   scripts/soak.sh [minutes] [build dir]      default: 30 minutes, build/
#   SKYNET_CHAOS_SAMPLE_MS=5000 scripts/soak.sh 120
#
# Exit status: the chaos test's (0 when the outcome contract held).
set -euo pipefail

minutes=${1:-30}
build=${2:-"$(cd "$(dirname "$0")/.." && pwd)/build"}
test_binary="$build/bin/chaos_tests"
[[ -x $test_binary ]] || { echo "soak: no $test_binary (build target chaos_tests)" >&2; exit 2; }
[[ $minutes =~ ^[0-9]+$ && $minutes -gt 0 ]] || { echo "soak: minutes must be > 0" >&2; exit 2; }

samples=$(mktemp "${TMPDIR:-/tmp}/skynet-soak-samples.XXXXXX")
output=$(mktemp "${TMPDIR:-/tmp}/skynet-soak-output.XXXXXX")
trap 'rm -f "$samples"' EXIT

# The chaos rounds take the time asked; the rolling restart and the checks
# come after them (a minute or two more).
echo "soak: ${minutes} min of chaos; samples every ${SKYNET_CHAOS_SAMPLE_MS:-2000} ms; output in $output"
status=0
SKYNET_CHAOS_SECONDS=$((minutes * 60)) SKYNET_CHAOS_SAMPLES=$samples \
    "$test_binary" --gtest_color=no 2>&1 | tee "$output" | grep -v '^\[chaos' || status=${PIPESTATUS[0]}

# One row per process incarnation (role and pid), in order of first sample.
# rss_q1 is the first sample a quarter into the incarnation's life: growth
# from there to the end is what matters, not the warm-up before it. A row is
# "flat" when RSS grew at most 10% (and 2 MB) from rss_q1 and the descriptors
# ended where they stood at q1; short-lived incarnations are not judged.
echo
echo "memory (VmRSS, kB) and open file descriptors, sampled over the run:"
awk '
    {
        id = $2 " " $3
        if (!(id in count)) { order[++n] = id }
        k = ++count[id]; t[id, k] = $1; rss[id, k] = $4; fd[id, k] = $5
        if (k == 1 || $4 > max_rss[id]) max_rss[id] = $4
        if (k == 1 || $5 > max_fd[id]) max_fd[id] = $5
        if ($1 > run_end) run_end = $1
    }
    END {
        printf "%-9s %8s %6s %6s %9s %9s %9s %9s %6s %6s %6s  %s\n", "process", "pid", "from_s",
               "to_s", "rss_first", "rss_q1", "rss_last", "rss_max", "fd_1st", "fd_lst",
               "fd_max", "verdict"
        for (i = 1; i <= n; i++) {
            id = order[i]; split(id, part, " "); last = count[id]
            from = t[id, 1]; to = t[id, last]; q = 1
            while (q < last && t[id, q] < from + (to - from) / 4) q++
            growth = rss[id, last] - rss[id, q]
            verdict = "short-lived"
            if (run_end > 0 && to - from >= run_end / 2 && last >= 8) {
                verdict = (growth <= rss[id, q] / 10 || growth <= 2048) && fd[id, last] <= fd[id, q] \
                          ? "flat" : "GROWING"
            }
            printf "%-9s %8s %6d %6d %9d %9d %9d %9d %6d %6d %6d  %s\n", part[1], part[2], from,
                   to, rss[id, 1], rss[id, q], rss[id, last], max_rss[id], fd[id, 1], fd[id, last],
                   max_fd[id], verdict
        }
    }' "$samples"
exit "$status"
