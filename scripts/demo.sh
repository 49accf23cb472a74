#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts a redis-server, a
# broker and skyd (the host daemon) on free loopback ports, deploys the
# example services through skyd (registered in Redis, finding each other
# there), sends requests, shows the results and the cluster it built, kills
# a worker to show the bus routing around it and skyd bringing it back,
# serves the live dashboard (sky dashboard) meanwhile, and stops everything
# it started. SKYNET_DEMO_HOLD_S=120 keeps the cluster and the dashboard up
# that long at the end, to look at the page.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
echo "== building (Release) in build/"
# Configured as scripts/packages.sh wants build/ too (install prefix /usr, no
# `all` before cpack), so that it builds on this without configuring again:
# a second configure of a fresh tree moves libzmq's pkg-config flags and
# rebuilds every object.
SKYNET_TARGETS="skynet-broker skyd echo-service sleeper-service fibonacci-service fibonacci-client sky" \
  bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON
bin=$root/build/bin
logs=$(mktemp -d /tmp/skynet-demo.XXXXXX)

pids=()
cleanup() {
  # Services first, so that they leave the registry while it is still there.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

free_port() {  # a loopback port nobody listens on (bash's /dev/tcp: no python needed)
  local port
  while :; do
    # Below Linux's ephemeral range, so that no outgoing connection holds it.
    port=$((20000 + RANDOM % 12000))
    (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "$port"; return; }
  done
}
start() {  # start NAME BINARY ARGS...; the pid is left in $last_pid
  local name=$1; shift
  "$@" >"$logs/$name.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

redis_port=$(free_port)
redis=redis://127.0.0.1:$redis_port
start redis-server redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no
for _ in $(seq 100); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
# Any free port: the broker registers the one it got, and everyone finds it.
broker='tcp://127.0.0.1:*'
# Every binary reads SKYNET_<OPTION>; a short heartbeat makes a dead worker
# visible within 1.5 s.
export SKYNET_REDIS=$redis SKYNET_REGION=demo SKYNET_HEARTBEAT_MS=500
echo "== registry $redis; region demo (logs in $logs)"
start broker "$bin/skynet-broker" --bind "$broker"
# One skyd per host; this machine is host "demo". It runs what is deployed
# to it, restarts what dies, and keeps each service's output in its log dir.
host=demo
start skyd "$bin/skyd" --host "$host" --state-dir "$logs/skyd/state" --log-dir "$logs/skyd/logs"
for _ in $(seq 100); do
  "$bin/sky" --host "$host" processes >/dev/null 2>&1 && break
  sleep 0.1
done
echo
echo "== deploying the services through skyd (sky deploy; no --broker: they find the brokers of their region in the registry)"
"$bin/sky" --host "$host" deploy "$bin/echo-service"
"$bin/sky" --host "$host" deploy "$bin/sleeper-service"
doomed_id=$("$bin/sky" --host "$host" --service fibonacci deploy --json "$bin/fibonacci-service" |
  grep -o 'svc-[A-Za-z0-9-]*' | head -n 1)
echo "$host: $doomed_id"
"$bin/sky" --host "$host" --service fibonacci deploy "$bin/fibonacci-service" --version 1.1

# The live dashboard of this cluster (the registry above; loopback only).
dashboard_port=$(free_port)
start dashboard "$bin/sky" dashboard --listen "127.0.0.1:$dashboard_port"
for _ in $(seq 100); do
  (echo >/dev/tcp/127.0.0.1/$dashboard_port) 2>/dev/null && break
  sleep 0.1
done
echo
echo "dashboard: http://127.0.0.1:$dashboard_port/"

# Ready once a call gets through (UNKNOWN_SERVICE or UNAVAILABLE until then).
for _ in $(seq 100); do
  "$bin/fibonacci-client" --n 1 --timeout-ms 2000 >/dev/null 2>&1 && break
  sleep 0.1
done

echo
echo "== requests (fibonacci-client finds the broker in the registry too)"
for n in 1 5 10 20; do
  "$bin/fibonacci-client" --n "$n"
done
echo "-- a budget too short for fib(20), which fans out into ~21,900 nested calls:"
status=0
"$bin/fibonacci-client" --n 20 --timeout-ms 5 2>&1 || status=$?
echo "   exit status $status (10 + TIMEOUT 4)"
echo "-- through sky, with JSON in and out:"
"$bin/sky" call fibonacci Index '{"n": 15}'

echo
echo "== the cluster, as the registry sees it (sky topology)"
sleep 2.5  # one stats interval, so that the figures show the requests above
"$bin/sky" topology

echo
echo "== the processes skyd manages (sky processes)"
"$bin/sky" processes
pid_of() {  # the pid sky processes shows for a managed process, if it runs
  "$bin/sky" processes | awk -v id="$1" '$1 == id && $4 == "running" { print $5 }'
}

doomed=$(pid_of "$doomed_id")
echo
echo "== killing fibonacci-service 1.0 ($doomed_id, pid $doomed, SIGKILL): the bus routes around it"
kill -KILL "$doomed"
"$bin/fibonacci-client" --n 20
# skyd sees it die, starts it again under the same instance id after its
# restart delay (1 s, doubling while it keeps failing), and it registers again.
for _ in $(seq 200); do
  back=$(pid_of "$doomed_id")
  if [[ -n $back && $back != "$doomed" ]]; then
    echo "-- skyd restarted it: $doomed_id is pid $back, registered again"
    break
  fi
  sleep 0.1
done
"$bin/sky" --service fibonacci instances
echo "-- its output, kept by skyd (sky logs --tail 3):"
"$bin/sky" logs --tail 3 "$doomed_id"

if [[ ${SKYNET_DEMO_HOLD_S:-0} -gt 0 ]]; then
  echo
  echo "== the cluster stays up ${SKYNET_DEMO_HOLD_S} s: dashboard: http://127.0.0.1:$dashboard_port/"
  sleep "$SKYNET_DEMO_HOLD_S"
fi

echo
echo "== stopping everything (SIGTERM: skyd stops its services, which finish what they hold, then DISCONNECT)"
cleanup
trap - EXIT
echo "== demo finished"
