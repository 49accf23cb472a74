#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts a broker and the
# example services on free loopback ports, sends requests, shows the results
# and the cluster it built, kills a worker to show the bus routing around it,
# and stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
echo "== building (Release) in build/"
SKYNET_TARGETS="skynet-broker echo-service sleeper-service fibonacci-service fibonacci-client" \
  bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release
bin=$root/build/bin
logs=$(mktemp -d /tmp/skynet-demo.XXXXXX)

pids=()
names=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

free_port() {  # a loopback port nobody listens on (bash's /dev/tcp: no python needed)
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "$port"; return; }
  done
}
start() {  # start NAME BINARY ARGS...; the pid is left in $last_pid
  local name=$1; shift
  "$@" >"$logs/$name.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
  names+=("$name")
}

port=$(free_port)
broker=tcp://127.0.0.1:$port
echo "== starting a broker on $broker and the example services (logs in $logs)"
start broker "$bin/skynet-broker" --bind "$broker"
start echo-service "$bin/echo-service" --broker "$broker"
start sleeper-service "$bin/sleeper-service" --broker "$broker"
start fibonacci-service-1 "$bin/fibonacci-service" --broker "$broker"
doomed=$last_pid
start fibonacci-service-2 "$bin/fibonacci-service" --broker "$broker"

# Ready once a call gets through (UNKNOWN_SERVICE, status 12, until then).
for _ in $(seq 100); do
  "$bin/fibonacci-client" --broker "$broker" --n 1 --timeout-ms 2000 >/dev/null 2>&1 && break
  sleep 0.1
done

echo
echo "== the cluster"
printf '%-22s %-8s %s\n' PROCESS PID ENDPOINT
for i in "${!pids[@]}"; do
  printf '%-22s %-8s %s\n' "${names[$i]}" "${pids[$i]}" "$broker"
done

echo
echo "== requests"
for n in 1 5 10 20; do
  "$bin/fibonacci-client" --broker "$broker" --n "$n"
done
echo "-- a budget too short for fib(20), which fans out into ~21,900 nested calls:"
status=0
"$bin/fibonacci-client" --broker "$broker" --n 20 --timeout-ms 5 2>&1 || status=$?
echo "   exit status $status (10 + TIMEOUT 4)"

echo
echo "== killing fibonacci-service-1 (pid $doomed, SIGKILL): the bus routes around it"
kill -KILL "$doomed"
wait "$doomed" 2>/dev/null || true
"$bin/fibonacci-client" --broker "$broker" --n 20

echo
echo "== stopping everything (SIGTERM: workers finish what they hold, then DISCONNECT)"
cleanup
trap - EXIT
echo "== demo finished"
