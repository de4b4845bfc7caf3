#!/usr/bin/env bash
# A city's working day through the gateway at constant offered rates (issue
# 10, mixed load): grid workers report cases, supervisors register them,
# dispatchers dispatch them (writes, 60/20/20), while apps and dashboards
# read cases, grids' case lists, streets' figures and places (reads,
# 60/15/5/20). Open loop (tests/bench/open_loop.h): each call is started
# when it is due whatever the servers do, and its latency counts from then.
# Steps of offered load up to the issue's target, 500 writes/s and 5,000
# reads/s; each figure is a ratio to the load offered in the same step.
# The city: 1 district, 10 streets, 100 communities, 1,000 grids made through
# the APIs (orgs, grid); the cases are the ones the day itself reports.
# Usage: tests/bench/city_day.sh [SECONDS_PER_STEP]
# Writes its section of docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-gateway grassroots-cli \
  grassroots-bench-city-day grassroots_test_mariadb >/dev/null
# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh

bench_start_db orgs grid
bench_start_service orgs
bench_start_service grid --orgs-address=127.0.0.1:$orgs_port
bench_key=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')
printf 'city-day %s grid.admin,orgs.viewer -\n' "$(printf '%s' "$bench_key" | sha256sum | cut -d' ' -f1)" \
  >"$work/api-keys"
# The rate limit is per caller and the whole day comes from one key here.
"$build/services/gateway/grassroots-gateway" --grpc-address=127.0.0.1:0 --metrics-address=127.0.0.1:0 \
  --http-address=127.0.0.1:0 --rate-limit-per-second=0 \
  --routes=grassroots.orgs.v1=127.0.0.1:$orgs_port,grassroots.grid.v1=127.0.0.1:$grid_port \
  --api-keys-file="$work/api-keys" 2>"$work/gateway.log" &
pids+=($!)
gateway_pid=$!
gateway_port=$(port_in "$work/gateway.log" grpc_port)
gateway_metrics=$(port_in "$work/gateway.log" metrics_port)

g() { cli --target=127.0.0.1:$grid_port --roles=grid.admin "$@"; }
seed="$work/seed"
echo "city-day: making the city (10 streets, 100 communities, 1,000 grids)"
district=$(area DISTRICT day "")
echo "area $district" >"$seed"
# A street at a time in parallel (each street's lines in its own file).
makers=()
for s in $(seq -w 1 10); do
  (
    part="$seed.$s"
    street=$(area STREET "s$s" "$district")
    echo "area $street" >"$part"
    echo "street day/s$s" >>"$part"
    for c in $(seq -w 1 10); do
      community=$(area COMMUNITY "c$s$c" "$street")
      echo "area $community" >>"$part"
      for k in $(seq 0 9); do
        g call grassroots.grid.v1.GridService/CreateGrid \
          "{\"grid\":{\"code\":\"g$s$c$k\",\"displayName\":\"Grid $s$c$k\",\"communityId\":\"$community\"}}" |
          id_of | sed 's/^/grid /' >>"$part"
      done
    done
  ) &
  makers+=($!)
done
wait "${makers[@]}"
cat "$seed".* >>"$seed"
department=$(g call grassroots.grid.v1.CaseSetupService/CreateDepartment \
  '{"department":{"code":"DAY_SANITATION","name":"Sanitation","areaPath":"day"}}' | id_of)
g call grassroots.grid.v1.CaseSetupService/CreateCategory \
  "{\"category\":{\"code\":\"DAY_LITTER\",\"name\":\"Litter\",\"kind\":\"INCIDENT\",\"departmentId\":\"$department\",\"continuousClock\":true,\"deadlines\":{\"registerMinutes\":60,\"dispatchMinutes\":30,\"acceptMinutes\":60,\"handleMinutes\":240,\"verifyMinutes\":120},\"duplicateRadiusMeters\":50,\"duplicateWindowMinutes\":1440}}" >/dev/null
echo "category DAY_LITTER" >>"$seed"
echo "city-day: $(grep -c '^grid ' "$seed") grids, $(grep -c '^area ' "$seed") places"

# Where the machine's cores go in each step: the servers, MariaDB and the
# load client itself all run on the same cores.
cpu_pids=("$gateway_pid" "$orgs_pid" "$grid_pid" "$(cat "$work/db/mysqld.pid")")
cores=""
pool_size=$(curl -s "http://127.0.0.1:$grid_metrics/metrics" | grep '^grassroots_db_pool_connections{state="max"' | awk '{print $2}')
rows=""
verdict=""
inside=""
block=0
for step in 20 50 100; do
  w=$((500 * step / 100)); r=$((5000 * step / 100))
  echo "city-day: offering $w writes/s and $r reads/s for ${seconds}s"
  histograms "$grid_metrics" >"$work/before"
  cpu_before=$(cpu_snapshot "${cpu_pids[@]}")
  started=$(date +%s.%N)
  out=$(GRASSROOTS_BENCH_API_KEY=$bench_key "$build/tests/bench/grassroots-bench-city-day" \
    127.0.0.1:$gateway_port "$seed" "$w" "$r" "$seconds" "$block")
  wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
  cpu_after=$(cpu_snapshot "${cpu_pids[@]}")
  client_cpu=$(printf '%s\n' "$out" | awk '$1 == "#cpu" {print $2}')
  cores+="| $step% |$(cores_between "$cpu_before" "$cpu_after" "$wall" "$client_cpu")"$'\n'
  block=$((block + 1))
  histograms "$grid_metrics" >"$work/after"
  while read -r method mean calls; do
    inside+="| $step% | $method | $calls | $mean |"$'\n'
  done < <(mean_between "$work/before" "$work/after")
  printf '%s\n' "$out" | grep '^# ' || true
  while read -r name kind offered ok p50 p99 errors shed idle; do
    rows+="| $step% | $name | $kind | $offered | $ok | $(ratio "$ok" "$offered")% | $p50 | $p99 | $errors | $shed | $idle |"$'\n'
  done < <(printf '%s\n' "$out" | grep -v '^#')
  sums=$(printf '%s\n' "$out" | grep -v '^#' | awk '
    $2 == "write" {wo += $3; wk += $4; if ($6 > wp) wp = $6}
    $2 == "read" {ro += $3; rk += $4; if ($6 > rp) rp = $6}
    END {printf "%.0f %.0f %.2f %.0f %.0f %.2f", wo, wk, wp, ro, rk, rp}')
  read -r wo wk wp ro rk rp <<<"$sums"
  verdict+="| $step% | $wo | $wk ($(ratio "$wk" "$wo")%) | $wp | $ro | $rk ($(ratio "$rk" "$ro")%) | $rp |"$'\n'
done
load=$(cut -d' ' -f1-3 /proc/loadavg)

cat >"$work/section.md" <<EOF
## A city's day through the gateway (open loop, issue 10)

\`bash tests/bench/city_day.sh $seconds\` on $(date -u +%F), $(nproc) cores (load average
after the run: $load). One orgs, one grid and the gateway, over one private
MariaDB; the city is 1 district, 10 streets, 100 communities and
$(grep -c '^grid ' "$seed") grids made through the APIs. Writes (through the
gateway's gRPC edge, one API key): ReportCase 60%, RegisterCase 20% and
DispatchCase 20% of cases reported earlier in the day. Reads: GetCase 60%,
ListCases of a grid (a page of 20) 15%, GetCaseFigures of a street by
community over 30 days 5%, GetArea 20%. Each step offers its share of the
issue's target (500 writes/s, 5,000 reads/s) for ${seconds}s after a 3 s
warm-up; every call starts when it is due (open loop, 4 HTTP/2
connections, at most 4,000 in flight, beyond which a due call is shed and
counted), and its latency is counted from when it was due, so a server
that falls behind shows as latency, not as a quietly lower rate. A step
with no case waiting (idle) sent nothing.

| step | writes offered/s | writes done/s (of offered) | worst write p99 ms | reads offered/s | reads done/s (of offered) | worst read p99 ms |
|---|---|---|---|---|---|---|
$verdict
Target (issue 10): all of 500 writes/s and 5,000 reads/s done with p99
under 100 ms. Where a step falls short, the table of time inside grid below
says where the time went: a mean inside grid far above its connection wait
is time queued for one of grid's workers (as many as its connections, by
design) behind database work; the gateway then refuses calls beyond its
in-flight cap per backend as UNAVAILABLE ("at its limit of calls").

| step | method | kind | offered/s | done/s | done/offered | p50 ms | p99 ms | errors | shed | idle |
|---|---|---|---|---|---|---|---|---|---|---|
$rows
Inside grid in each step (its own histograms: from the start of an RPC to
its status, so waiting for one of its workers and for one of its
${pool_size:-?} database connections is included; connection-wait is the wait
for a connection alone):

| step | method | calls | mean ms inside grid |
|---|---|---|---|
$inside
Cores in use in each step (CPU seconds each process used during the step,
warm-up included, over the step's wall time; the machine has $(nproc)):

| step | gateway | orgs | grid | MariaDB | load client | all |
|---|---|---|---|---|---|---|
$cores
Non-OK answers counted by the servers: gateway $(grpc_errors "$gateway_metrics" grassroots_gateway_requests_total code);
grid $(grpc_errors "$grid_metrics"); orgs $(grpc_errors "$orgs_metrics").
EOF
cat "$work/section.md"
/usr/bin/python3 tests/bench/splice_section.py city-day "$work/section.md"
