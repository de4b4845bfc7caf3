#!/usr/bin/env bash
# Stops exactly the processes deploy/up.sh started (by their recorded pids).
# Data stays in .state/ for the next bring-up; remove it to start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${GRASSROOTS_STATE_DIR:-$(pwd)/.state}
for name in gateway volunteer grid orgs mariadb; do
  pidfile="$state/pids/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { echo "$name ($pid) did not stop; sending SIGKILL" >&2; kill -KILL "$pid"; }
    echo "stopped $name ($pid)"
  fi
  rm -f "$pidfile"
done
