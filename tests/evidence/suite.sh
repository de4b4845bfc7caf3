#!/usr/bin/env bash
# The whole suite on one machine for the evidence scripts (faults.sh,
# city.sh), sourced after they have built it: a private MariaDB and every
# service of deploy/services.txt on free loopback ports under a temp dir,
# the gateway in front with an API key holding every service's admin role
# for the whole city. Defines start_mariadb, start_service NAME,
# start_gateway, stop NAME SIGNAL, sql, cli, peer NAME and writer MODE ...;
# the caller starts what it needs. Everything started is stopped at exit.
# Reads: build (the build dir), gateway_flags (more flags for the gateway),
# GRASSROOTS_EVIDENCE_BUFFER_POOL (MariaDB's InnoDB buffer pool, 128M),
# GRASSROOTS_EVIDENCE_KEEP (set: keep the logs and data in the temp dir).
work=$(mktemp -d)
declare -A pid grpc metrics
cleanup() {
  local name
  for name in "${!pid[@]}"; do kill -TERM "${pid[$name]}" 2>/dev/null || true; done
  for name in "${!pid[@]}"; do wait "${pid[$name]}" 2>/dev/null || true; done
  if [ -n "${GRASSROOTS_EVIDENCE_KEEP:-}" ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
cli() { "$build/services/cli/grassroots-cli" "$@"; }

# MariaDB on its own data dir, root over loopback without a password.
db_port=$(free_port)
mariadb-install-db --no-defaults --datadir="$work/db" --user=root \
  --auth-root-authentication-method=normal --skip-test-db >"$work/mariadb-install.log" 2>&1
start_mariadb() {
  mariadbd --no-defaults --datadir="$work/db" --user=root --socket="$work/mariadb.sock" \
    --port="$db_port" --bind-address=127.0.0.1 --pid-file="$work/mariadb.pid" \
    --log-error="$work/mariadb.log" --skip-name-resolve --max-connections=1000 \
    --innodb-buffer-pool-size="${GRASSROOTS_EVIDENCE_BUFFER_POOL:-128M}" --innodb-log-file-size=64M </dev/null >/dev/null 2>&1 &
  pid[mariadb]=$!
  for _ in $(seq 1 600); do
    mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "MariaDB did not start; see $work/mariadb.log" >&2
  return 1
}
sql() { mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot -N -B "$@"; }
start_mariadb

GRASSROOTS_PRINCIPAL_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
export GRASSROOTS_PRINCIPAL_KEY
# The services and whom each calls, from deploy/services.txt; each called
# service's address is its --<name>-address flag.
services=(); declare -A calls data_key
while read -r name _ _ _ called; do
  services+=("$name")
  calls[$name]=$called
done < <(grep -v '^#' deploy/services.txt | grep .)
for name in "${services[@]}" gateway; do
  grpc[$name]=$(free_port)
  metrics[$name]=$(free_port)
  data_key[$name]=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
done
for name in "${services[@]}"; do
  sql -e "CREATE DATABASE grassroots_$name CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
done
peer() { echo "127.0.0.1:${grpc[$1]}"; }
peer_flags() {  # name: --<called>-address=... for each service it calls
  local called
  [ "${calls[$1]}" = "-" ] && return 0
  for called in ${calls[$1]//,/ }; do printf -- '--%s-address=%s ' "$called" "$(peer "$called")"; done
}

wait_healthy() {  # name
  for _ in $(seq 1 600); do
    cli --target="$(peer "$1")" health >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$1 did not become healthy; see $work/$1.log" >&2
  return 1
}
start_service() {  # name
  local name=$1
  # shellcheck disable=SC2046  # the peer flags are words of their own
  GRASSROOTS_PERSONAL_DATA_KEY=${data_key[$name]} "$build/services/$name/grassroots-$name" \
    --grpc-address="$(peer "$name")" --metrics-address="127.0.0.1:${metrics[$name]}" \
    --db-port="$db_port" --db-user=root --db-schema="grassroots_$name" --log-level=warn \
    $(peer_flags "$name") </dev/null >>"$work/$name.log" 2>&1 &
  pid[$name]=$!
  wait_healthy "$name"
}

api_key=$(head -c 32 /dev/urandom | base64 | tr -d '\n/+=')
printf '%s' "$api_key" > "$work/api.key"
printf 'evidence %s %s -\n' "$(printf '%s' "$api_key" | sha256sum | cut -d' ' -f1)" \
  "$(printf '%s.admin\n' "${services[@]}" | paste -sd,)" > "$work/api-keys"
routes() {
  local name list=()
  for name in "${services[@]}"; do list+=("grassroots.$name.v1=$(peer "$name")"); done
  (IFS=,; echo "${list[*]}")
}
start_gateway() {
  "$build/services/gateway/grassroots-gateway" --grpc-address="$(peer gateway)" \
    --http-address=127.0.0.1:0 --metrics-address="127.0.0.1:${metrics[gateway]}" \
    --routes="$(routes)" \
    --api-keys-file="$work/api-keys" --log-level=warn ${gateway_flags:-} </dev/null >>"$work/gateway.log" 2>&1 &
  pid[gateway]=$!
  wait_healthy gateway
}

stop() {  # name signal: the signal, then wait for the process to end
  kill "-$2" "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null || true
  unset "pid[$1]"
}

# exec: a writer started in the background is the process $! names, so
# SIGTERM reaches it (and it lets its writes in flight finish).
writer() { exec "$build/tests/evidence/grassroots-evidence-writer" "$1" \
  --target="$(peer gateway)" --api-key-file="$work/api.key" "${@:2}"; }
