#!/usr/bin/env bash
# Shows each process deploy/up.sh started (its pid file in .state/pids/):
# whether it runs, its health and the TCP ports it listens on, each port
# named by what answers on it (gRPC health, the JSON edge's /readyz, a
# /metrics endpoint). Exits 1 when any process is down or unhealthy.
set -uo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.." || exit 1
state=${GRASSROOTS_STATE_DIR:-$(pwd)/.state}
build=${GRASSROOTS_BUILD_DIR:-build}
cli="$build/services/cli/grassroots-cli"

listening_ports() {  # pid
  ss -Htlnp | awk -v pid="pid=$1," 'index($0, pid) { n = split($4, a, ":"); print a[n] }' | sort -un
}

# The gateway's /readyz status code (it waits up to a second for backends
# that closed idle connections to be reconnected).
readyz() {  # port
  curl -s --max-time 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz"
}

# Prints "<port> (<what answers there>)".
describe_port() {  # port
  local port=$1 out
  if curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$port/metrics"; then
    echo "$port (metrics)"
  elif out=$(readyz "$port") && [ "$out" != 000 ]; then
    echo "$port (http readyz $out)"
  elif out=$("$cli" --target="127.0.0.1:$port" health 2>/dev/null); then
    echo "$port (grpc $out)"
  else
    echo "$port (grpc ${out:-no answer})"
  fi
}

pidfiles=("$state"/pids/*.pid)
if [ ${#pidfiles[@]} -eq 0 ]; then
  echo "nothing started: no pid files in $state/pids (bash deploy/up.sh starts the suite)"
  exit 1
fi
status=0
printf '%-11s %-8s %-9s %s\n' process pid state "health and ports"
for pidfile in "${pidfiles[@]}"; do
  name=$(basename "$pidfile" .pid)
  pid=$(cat "$pidfile")
  if ! kill -0 "$pid" 2>/dev/null; then
    printf '%-11s %-8s %-9s %s\n' "$name" "$pid" down "-"
    status=1
    continue
  fi
  healthy=1
  mapfile -t ports < <(listening_ports "$pid")
  case $name in
    mariadb)
      mariadb-admin --no-defaults --socket="$state/mariadb.sock" -uroot ping >/dev/null 2>&1 || healthy=0
      details="ping $([ $healthy = 1 ] && echo alive || echo failed); ${ports[*]/%/ (sql)}"
      ;;
    prometheus)
      curl -sf --max-time 2 -o /dev/null http://127.0.0.1:9090/-/ready || healthy=0
      details="$([ $healthy = 1 ] && echo ready || echo "not ready"); ${ports[*]/%/ (http)}"
      ;;
    *)
      details=""
      for port in "${ports[@]}"; do details+="${details:+, }$(describe_port "$port")"; done
      grep -qE 'NOT_SERVING|no answer|readyz [^2]' <<<"$details" && healthy=0
      ;;
  esac
  [ ${#ports[@]} -gt 0 ] || { healthy=0; details+=" no listening port"; }
  printf '%-11s %-8s %-9s %s\n' "$name" "$pid" "$([ $healthy = 1 ] && echo up || echo unhealthy)" "$details"
  [ $healthy = 1 ] || status=1
done
exit $status
