# Shared by the benchmark scripts (source it after setting `build`): a
# private MariaDB in a temp dir, servers on free ports, gRPC framing for
# h2load, h2load runs summarised, medians (and, from metrics.sh, the
# servers' own figures and ratios).

# shellcheck source=tests/bench/metrics.sh
source "$(dirname "${BASH_SOURCE[0]}")/metrics.sh"

work=$(mktemp -d)
pids=()
bench_cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  "$build/common/testing/grassroots_test_mariadb" stop "$work/db" || true
  rm -rf "$work"
}
trap bench_cleanup EXIT

# Starts the private MariaDB and makes the schemas named; sets db_port.
bench_start_db() {  # schema...
  "$build/common/testing/grassroots_test_mariadb" start "$work/db"
  db_port=$(cat "$work/db/port")
  local schema
  for schema in "$@"; do
    mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot \
      -e "CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
  done
  export GRASSROOTS_PRINCIPAL_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
  export GRASSROOTS_PERSONAL_DATA_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
}

# Servers take free ports (port 0) and say which in their "serving" log line.
port_in() {  # log key
  for _ in $(seq 1 300); do
    grep -q '"msg":"serving"' "$1" 2>/dev/null && break
    sleep 0.1
  done
  grep -o "\"$2\":\"[0-9]*\"" "$1" | head -1 | grep -o '[0-9][0-9]*'
}

# Starts services/NAME/grassroots-NAME on free ports against schema NAME of
# the private MariaDB, logging to $work/NAME.log, and waits until it
# serves; sets NAME_pid, NAME_port and NAME_metrics. Extra flags follow.
bench_start_service() {  # name [flag...]
  local name=$1
  shift
  "$build/services/$name/grassroots-$name" --grpc-address=127.0.0.1:0 \
    --metrics-address=127.0.0.1:0 --db-port="$db_port" --db-user=root --db-schema="$name" \
    "$@" 2>"$work/$name.log" &
  pids+=($!)
  printf -v "${name}_pid" '%s' "$!"
  printf -v "${name}_port" '%s' "$(port_in "$work/$name.log" grpc_port)"
  printf -v "${name}_metrics" '%s' "$(port_in "$work/$name.log" metrics_port)"
}

# gRPC framing for h2load: flag byte 0, 4-byte big-endian length, message.
# The message types come from the protos in $bench_protos.
frame() {  # message-type text-proto output
  # shellcheck disable=SC2086
  printf '%s' "$2" | protoc --encode="$1" -I protos -I /usr/include $bench_protos > "$work/msg.bin"
  local n; n=$(stat -c %s "$work/msg.bin")
  printf "\\x00\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))" > "$3"
  cat "$work/msg.bin" >> "$3"
}

# Runs h2load ($h2_connections x $h2_streams, default 16 x 8) for $seconds;
# prints "req_per_s p50_ms p99_ms non_200".
h2() {  # port path body [credential header]
  rm -f "$work/h2.log"  # h2load appends to its log file
  h2load -D "$seconds" -c "${h2_connections:-16}" -m "${h2_streams:-8}" -t 1 --warm-up-time=1 \
    -d "$3" -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "${4:-x-grassroots-principal: $token}" --log-file="$work/h2.log" \
    "http://127.0.0.1:$1$2" > "$work/h2.out"
  local rps; rps=$(grep -o 'finished in [^,]*, [0-9.]* req/s' "$work/h2.out" | awk '{print $4}')
  local lat; lat=$(awk '{print $3}' "$work/h2.log" | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
  local bad; bad=$(awk '$2 != 200' "$work/h2.log" | wc -l)
  echo "$rps $lat $bad"
}

# The operators' client, the first id in its JSON answer, and a place made
# in orgs (at $orgs_port) by it.
cli() { "$build/services/cli/grassroots-cli" "$@"; }
id_of() { grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4; }
area() {  # kind code parent_id -> id
  cli --target=127.0.0.1:$orgs_port call grassroots.orgs.v1.AreaService/CreateArea \
    "{\"area\":{\"kind\":\"$1\",\"code\":\"$2\",\"displayName\":\"$2\",\"parentId\":\"$3\"}}" | id_of
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
