#!/usr/bin/env bash
# Benchmarks, each figure a ratio to a reference measured in the same run:
#   1. h2load (16 connections x 8 streams), unary gRPC:
#      empty handler linked with common/ (framework limit) vs orgs GetArea
#   2. the gateway: GetArea through it (gRPC, and JSON over HTTP/1.1) against
#      GetArea direct and through nginx grpc_pass, same backend, same round
#   3. closed loop at concurrency 16:
#      raw single-row autocommit INSERT over Connector/C++ (database write
#      limit) vs orgs CreateArea (with its change row, idempotency key and
#      parent check), same MariaDB, same durability settings
# Usage: tests/bench/run.sh [SECONDS]   (default 10). Writes its section of
# docs/BENCHMARKS.md (tests/bench/orgs_scale.sh writes another).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-10}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-gateway grassroots-cli grassroots-bench-empty \
  grassroots-bench-raw-insert grassroots-bench-create-load grassroots_test_mariadb >/dev/null

# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_protos="protos/grassroots/orgs/v1/area.proto protos/grassroots/bench/v1/bench.proto"
bench_start_db bench

"$build/services/orgs/grassroots-orgs" --grpc-address=127.0.0.1:0 --metrics-address=127.0.0.1:0 \
  --db-port="$db_port" --db-user=root --db-schema=bench 2>"$work/orgs.log" &
pids+=($!)
"$build/tests/bench/grassroots-bench-empty" --grpc-address=127.0.0.1:0 \
  --metrics-address=127.0.0.1:0 2>"$work/empty.log" &
pids+=($!)
orgs_port=$(port_in "$work/orgs.log" grpc_port)
bench_key=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')
printf 'bench %s orgs.admin -\n' "$(printf '%s' "$bench_key" | sha256sum | cut -d' ' -f1)" > "$work/api-keys"
# The rate limit is off: this measures forwarding, not refusing.
"$build/services/gateway/grassroots-gateway" --grpc-address=127.0.0.1:0 --metrics-address=127.0.0.1:0 \
  --http-address=127.0.0.1:0 --rate-limit-per-second=0 \
  --routes=grassroots.orgs.v1=127.0.0.1:$orgs_port --api-keys-file="$work/api-keys" 2>"$work/gateway.log" &
pids+=($!)
gateway_port=$(port_in "$work/gateway.log" grpc_port)
http_port=$(port_in "$work/gateway.log" http_port)

# nginx (Debian's) in front of the same orgs: grpc_pass with keep-alive
# connections to the upstream, as issue 3 specifies.
nginx_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream orgs { server 127.0.0.1:$orgs_port; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$nginx_port http2;
    keepalive_requests 1000000;
    location / { grpc_pass grpc://orgs; }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
empty_port=$(port_in "$work/empty.log" grpc_port)
orgs_metrics=$(port_in "$work/orgs.log" metrics_port)
empty_metrics=$(port_in "$work/empty.log" metrics_port)
gateway_metrics=$(port_in "$work/gateway.log" metrics_port)

district=$(cli --target=127.0.0.1:$orgs_port call grassroots.orgs.v1.AreaService/CreateArea \
  '{"area":{"kind":"DISTRICT","code":"bench","displayName":"Bench"}}' | id_of)
street=$(cli --target=127.0.0.1:$orgs_port call grassroots.orgs.v1.AreaService/CreateArea \
  "{\"area\":{\"kind\":\"STREET\",\"code\":\"s\",\"displayName\":\"S\",\"parentId\":\"$district\"}}" | id_of)
token=$(cli --as=bench token)

frame grassroots.bench.v1.PingRequest 'id: "x"' "$work/ping.bin"
frame grassroots.orgs.v1.GetAreaRequest "id: \"$street\"" "$work/get.bin"
printf '{"id":"%s"}' "$street" > "$work/get.json"

# The same for JSON over HTTP/1.1 (Connect): 128 keep-alive connections, one
# request each at a time, the same 128 calls in flight as 16 x 8 streams.
h1json() {  # port path body header
  rm -f "$work/h1.log"  # h2load appends to its log file
  h2load --h1 -D "$seconds" -c 128 -m 1 -t 1 --warm-up-time=1 -d "$3" \
    -H 'content-type: application/json' -H "$4" --log-file="$work/h1.log" \
    "http://127.0.0.1:$1$2" > "$work/h1.out"
  local rps; rps=$(grep -o 'finished in [^,]*, [0-9.]* req/s' "$work/h1.out" | awk '{print $4}')
  local lat; lat=$(awk '{print $3}' "$work/h1.log" | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
  local bad; bad=$(awk '$2 != 200' "$work/h1.log" | wc -l)
  echo "$rps $lat $bad"
}
# Three rounds, each pair measured back to back, so a noisy neighbour hits
# both sides of a ratio alike; the summary takes the median round.
rounds=${GRASSROOTS_BENCH_ROUNDS:-3}
read_rows=""; write_rows=""; gateway_rows=""; read_ratios=(); write_ratios=(); gateway_ratios=()
nginx_rows=""; json_rows=""; nginx_ratios=(); json_ratios=()
for round in $(seq 1 "$rounds"); do
  read -r empty_rps empty_p50 empty_p99 empty_bad < <(h2 "$empty_port" /grassroots.bench.v1.BenchService/Ping "$work/ping.bin")
  read -r get_rps get_p50 get_p99 get_bad < <(h2 "$orgs_port" /grassroots.orgs.v1.AreaService/GetArea "$work/get.bin")
  read -r gw_rps gw_p50 gw_p99 gw_bad < <(h2 "$gateway_port" /grassroots.orgs.v1.AreaService/GetArea "$work/get.bin" "x-api-key: $bench_key")
  read -r ng_rps ng_p50 ng_p99 ng_bad < <(h2 "$nginx_port" /grassroots.orgs.v1.AreaService/GetArea "$work/get.bin")
  read -r js_rps js_p50 js_p99 js_bad < <(h1json "$http_port" /grassroots.orgs.v1.AreaService/GetArea "$work/get.json" "x-api-key: $bench_key")
  n=$(ratio "$gw_rps" "$ng_rps"); nginx_ratios+=("$n")
  nginx_rows+="| $round | $ng_rps | $ng_p50 | $ng_p99 | $gw_rps | $gw_p50 | $gw_p99 | $n% |"$'\n'
  j=$(ratio "$js_rps" "$get_rps"); json_ratios+=("$j")
  json_rows+="| $round | $get_rps | $get_p50 | $get_p99 | $js_rps | $js_p50 | $js_p99 | $j% |"$'\n'
  bad_http=$((${bad_http:-0} + ng_bad + js_bad))
  read -r raw_rps raw_p50 raw_p99 < <("$build/tests/bench/grassroots-bench-raw-insert" "$db_port" root bench 16 "$seconds")
  read -r create_rps create_p50 create_p99 create_errors < <("$build/tests/bench/grassroots-bench-create-load" \
    "127.0.0.1:$orgs_port" "$street" 16 "$seconds")
  r=$(ratio "$get_rps" "$empty_rps"); read_ratios+=("$r")
  g=$(ratio "$gw_rps" "$get_rps"); gateway_ratios+=("$g")
  gateway_rows+="| $round | $get_rps | $get_p50 | $get_p99 | $gw_rps | $gw_p50 | $gw_p99 | $g% |"$'\n'
  w=$(ratio "$create_rps" "$raw_rps"); write_ratios+=("$w")
  read_rows+="| $round | $empty_rps | $empty_p50 | $empty_p99 | $get_rps | $get_p50 | $get_p99 | $r% |"$'\n'
  write_rows+="| $round | $raw_rps | $raw_p50 | $raw_p99 | $create_rps | $create_p50 | $create_p99 | $w% | $create_errors |"$'\n'
  bad_http=$((${bad_http:-0} + empty_bad + get_bad + gw_bad))
done

cat > "$work/section.md" <<MD
Figures are ratios measured in one run against a reference on the same
machine (shared and noisy: lone absolute numbers mean little). Produced by
\`tests/bench/run.sh $seconds\` on $(date -u +%Y-%m-%d) ($(nproc) cores; the load
client, the servers and MariaDB share them). MariaDB 10.11 with default
durability (innodb_flush_log_at_trx_commit=1) for every write figure.
$rounds rounds; in each, the two sides of a ratio run back to back.

| figure | median ratio | target (issue 2) |
|---|---|---|
| orgs GetArea / empty handler, requests/s | $(median "${read_ratios[@]}")% | at least 50% |
| orgs CreateArea / raw INSERT, per second | $(median "${write_ratios[@]}")% | at least 50% |
| GetArea through the gateway / GetArea direct | $(median "${gateway_ratios[@]}")% | at least 50% (issue 3) |
| GetArea through the gateway / through nginx grpc_pass | $(median "${nginx_ratios[@]}")% | at least 150%, p99 no worse (issue 3) |
| GetArea as JSON through the gateway / gRPC direct | $(median "${json_ratios[@]}")% | at least 60% (issue 3) |

## Reads: orgs GetArea against an empty handler

h2load, 16 connections x 8 streams, ${seconds} s after 1 s warm-up, unary gRPC. The
empty handler is built by the same ServiceHost (metrics interceptor, principal
verification) and answers on gRPC's thread. GetArea verifies the principal,
checks the caller's scope and answers from the in-memory area cache (kept
current from the change feed), also on gRPC's thread; ids the cache has not
seen go to MariaDB on the worker pool.

| round | empty req/s | p50 ms | p99 ms | GetArea req/s | p50 ms | p99 ms | ratio |
|---|---|---|---|---|---|---|---|
$read_rows
Non-200 HTTP answers over all rounds: $bad_http. Non-OK gRPC statuses counted
by the servers themselves, by code: empty: $(grpc_errors "$empty_metrics");
orgs: $(grpc_errors "$orgs_metrics"); gateway (both edges): $(grpc_errors "$gateway_metrics" grassroots_gateway_requests_total code).
h2load sees only HTTP status and ends each timed run with up to 128 calls in
flight; those cut-off calls are what these counts hold (never more than 128
per run and method), reported by gRPC as UNIMPLEMENTED on the unary servers
and as CANCELLED or INVALID_ARGUMENT ("no request message") on the gateway.

## The gateway: GetArea through it against GetArea direct

Same h2load settings. Through the gateway each call is authenticated by API
key (SHA-256 lookup), checked against the roles its proto declares, given a
signed principal (reused per caller for a minute), and forwarded as bytes
over one of four HTTP/2 channels to orgs; the access log line is written
(to a file) and the RED metrics recorded. The rate limit is off.

| round | direct req/s | p50 ms | p99 ms | via gateway req/s | p50 ms | p99 ms | ratio |
|---|---|---|---|---|---|---|---|
$gateway_rows
### Against nginx grpc_pass

nginx $(nginx -v 2>&1 | sed 's|.*/||'), \`worker_processes auto\`, keep-alive
connections to orgs, access log off, passing the caller's principal header
through (so it does less than the gateway: no authentication, no roles).

| round | nginx req/s | p50 ms | p99 ms | gateway req/s | p50 ms | p99 ms | gateway/nginx |
|---|---|---|---|---|---|---|---|
$nginx_rows
### JSON (Connect) through the gateway against gRPC direct

h2load --h1, 128 keep-alive HTTP/1.1 connections with one request each in
flight (the same 128 calls in flight as the gRPC runs), body
\`{"id":"..."}\`, answered as proto3 JSON.

| round | gRPC direct req/s | p50 ms | p99 ms | JSON via gateway req/s | p50 ms | p99 ms | ratio |
|---|---|---|---|---|---|---|---|
$json_rows
## Writes: orgs CreateArea against raw INSERTs

Closed loop, 16 in flight. Raw: 16 threads, one Connector/C++ session each,
one prepared single-row autocommit INSERT into a copy of the areas table.
CreateArea: grassroots-bench-create-load, gRPC callback client, unique codes,
each call with a request_id. Per call the service checks the parent (shared
lock) and writes the area row and its change_log row (audit + outbox +
idempotency key) in one transaction; concurrent calls share transactions
(a WriteBatcher over AreaStore::CreateMany), and each is answered after its commit.

| round | raw/s | p50 ms | p99 ms | CreateArea/s | p50 ms | p99 ms | ratio | errors |
|---|---|---|---|---|---|---|---|---|
$write_rows
MD
/usr/bin/python3 tests/bench/splice_section.py framework "$work/section.md"
cat docs/BENCHMARKS.md
