#!/usr/bin/env bash
# grid's case benchmarks (issue 5), each figure a ratio to a reference
# measured in the same run:
#   1. closed loop at concurrency 16: grid ReportCase (the case row, its
#      timeline line, its change row = audit trail and outbox, the duplicate
#      search, the idempotency key) vs a raw single-row autocommit INSERT of
#      a case-shaped row over Connector/C++, same MariaDB, same durability
#   2. h2load 16 x 8: GetCase vs the empty handler
#   3. h2load 8 x 1: ListCases by grid (a page of 100) and GetCaseFigures
#      (one street, 30 days, a row per community), p99 with 10,000 cases in
#      the table and again with BIG_CASES (default 5,000,000)
# The cases beyond those the benchmark reports through the API are written
# by SQL (INSERT ... SELECT from MariaDB's sequence engine), spread over
# 30,000 grids, 3,000 communities and 150 streets over a year, and their figure sums (reported,
# closed, open) are written the same way, as the aggregator would have
# summed them; loading them is not what is measured.
# Usage: tests/bench/grid_cases.sh [SECONDS] [BIG_CASES]
# Writes its section of docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-10}
big=${2:-5000000}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-cli grassroots-bench-empty \
  grassroots-bench-raw-insert grassroots-bench-case-load grassroots_test_mariadb >/dev/null
# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_protos="protos/grassroots/grid/v1/case.proto protos/grassroots/grid/v1/case_figures.proto protos/grassroots/bench/v1/bench.proto"

bench_start_db orgs grid
sql() { mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot grid -N -e "$1"; }
bench_start_service orgs
bench_start_service grid --orgs-address=127.0.0.1:$orgs_port
"$build/tests/bench/grassroots-bench-empty" --grpc-address=127.0.0.1:0 \
  --metrics-address=127.0.0.1:0 2>"$work/empty.log" &
pids+=($!)
empty_port=$(port_in "$work/empty.log" grpc_port)
district=$(area DISTRICT bench "")
street=$(area STREET s01 "$district")
community=$(area COMMUNITY c00001 "$street")
g() { cli --target=127.0.0.1:$grid_port --roles=grid.admin "$@"; }
grid=$(g call grassroots.grid.v1.GridService/CreateGrid \
  "{\"grid\":{\"code\":\"g000001\",\"displayName\":\"Bench grid\",\"communityId\":\"$community\"}}" | id_of)
department=$(g call grassroots.grid.v1.CaseSetupService/CreateDepartment \
  '{"department":{"code":"BENCH_SANITATION","name":"Sanitation","areaPath":"bench"}}' | id_of)
g call grassroots.grid.v1.CaseSetupService/CreateCategory \
  "{\"category\":{\"code\":\"BENCH_LITTER\",\"name\":\"Litter\",\"kind\":\"INCIDENT\",\"departmentId\":\"$department\",\"continuousClock\":true,\"deadlines\":{\"registerMinutes\":60,\"dispatchMinutes\":30,\"acceptMinutes\":60,\"handleMinutes\":240,\"verifyMinutes\":120},\"duplicateRadiusMeters\":50,\"duplicateWindowMinutes\":1440}}" >/dev/null
token=$(cli --as=bench --roles=grid.viewer token)
one_case=$(g --roles=grid.reporter call grassroots.grid.v1.CaseService/ReportCase \
  "{\"case\":{\"kind\":\"INCIDENT\",\"source\":\"GRID_WORKER\",\"categoryCode\":\"BENCH_LITTER\",\"gridId\":\"$grid\",\"latitude\":31.5,\"longitude\":121.5,\"description\":\"bench\",\"reporterRef\":\"bench-worker\"}}" | id_of)

frame grassroots.bench.v1.PingRequest 'id: "x"' "$work/ping.bin"
frame grassroots.grid.v1.GetCaseRequest "id: \"$one_case\"" "$work/get.bin"
frame grassroots.grid.v1.ListCasesRequest "grid_id: \"$grid\" page_size: 100" "$work/list.bin"
today=$(date -u +%F)
month_ago=$(date -u -d '-29 days' +%F)
tomorrow=$(date -u -d '+1 day' +%F)
frame grassroots.grid.v1.GetCaseFiguresRequest \
  "area_path: \"bench/s01\" group_by: CHILD_AREA period { start_date: \"$month_ago\" end_date: \"$tomorrow\" }" \
  "$work/figures.bin"

# The first $bench_grid_cases bulk cases are in the benchmark's grid, so
# ListCases reads a full page of 100 at 10,000 cases as it does at $big.
bench_grid_cases=200
grid_path=$(sql "SELECT path FROM grids WHERE id = '$grid'")
# Cases written by SQL, numbered from $1 to $2 - 1: 30,000 grids in 3,000
# communities of 150 streets (20 communities a street; the benchmark's
# street s01 among them), a year of days, four in five closed; then their
# figure sums at every level above the grid.
bulk_cases() {  # from to
  local from=$1 to=$2 step=500000 start
  for ((start = from; start < to; start += step)); do
    local end=$((start + step < to ? start + step : to))
    sql "INSERT INTO cases (id, kind, source, category_code, grid_id, grid_path, latitude, longitude,
        address, description, reporter_ref, details, state, suspended_from, level, urgent,
        department_id, step_due_time, escalation_due_time, suspended_remaining_seconds, overdue,
        rework_count, extension_count, extension_minutes, pending_extension_minutes, resolution,
        satisfaction, duplicate_reports, step_count, version, create_time, update_time, close_time,
        merged_into)
      SELECT CONCAT('cs_bulk', LPAD(seq, 10, '0')), 1, 1, 'BENCH_LITTER',
        IF(seq < $bench_grid_cases, '$grid', CONCAT('gr_bulk', seq % 30000)),
        IF(seq < $bench_grid_cases, '$grid_path',
           CONCAT('bench/s', IF(seq % 150 < 10, LPAD(seq % 150, 2, '0'), seq % 150),
                  '/c', LPAD(seq % 3000, 5, '0'), '/g', LPAD(seq % 30000, 6, '0'))),
        30.2, 120.1, '', 'bulk', 'bulk-worker', '', IF(seq % 5 = 0, 2, 8), 0, 1, 0, '',
        NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3,
        UTC_TIMESTAMP(6) - INTERVAL (seq % 365) DAY - INTERVAL 1 HOUR,
        UTC_TIMESTAMP(6) - INTERVAL (seq % 365) DAY,
        IF(seq % 5 = 0, NULL, UTC_TIMESTAMP(6) - INTERVAL (seq % 365) DAY), ''
      FROM seq_${start}_to_$((end - 1))"
  done
  # The sums, per level: 0 the grid, 1 community, 2 street, 3 district, 4 the city.
  local level keep
  for level in 0 1 2 3 4; do
    keep=$((4 - level))
    local areaexpr="SUBSTRING_INDEX(grid_path, '/', $keep)" parentexpr
    [ "$keep" -eq 0 ] && areaexpr="''"
    if [ "$keep" -le 1 ]; then parentexpr="''"; else parentexpr="SUBSTRING_INDEX(grid_path, '/', $((keep - 1)))"; fi
    sql "INSERT INTO case_figures (dimension, area, subject, day, measure, parent, level, value)
      SELECT 1, $areaexpr, '', day, measure, $parentexpr, $level, n FROM (
        SELECT grid_path, DATE(create_time) AS day, 1 AS measure, COUNT(*) AS n FROM cases
          WHERE id >= CONCAT('cs_bulk', LPAD($from, 10, '0')) AND id < CONCAT('cs_bulk', LPAD($to, 10, '0'))
          GROUP BY grid_path, day
        UNION ALL
        SELECT grid_path, DATE(close_time), 6, COUNT(*) FROM cases
          WHERE id >= CONCAT('cs_bulk', LPAD($from, 10, '0')) AND id < CONCAT('cs_bulk', LPAD($to, 10, '0'))
            AND state = 8 GROUP BY grid_path, DATE(close_time)
        UNION ALL
        SELECT grid_path, '1000-01-01', 20, COUNT(*) FROM cases
          WHERE id >= CONCAT('cs_bulk', LPAD($from, 10, '0')) AND id < CONCAT('cs_bulk', LPAD($to, 10, '0'))
            AND state = 2 GROUP BY grid_path) AS s
      ON DUPLICATE KEY UPDATE value = value + VALUES(value)"
  done
  # The areas' list (an area's children), as migration 0023 makes it.
  sql "INSERT IGNORE INTO case_figure_areas (area, parent)
      SELECT area, MIN(parent) FROM case_figures GROUP BY area"
}

# Waits until the aggregator has counted every change in the log.
figures_caught_up() {
  local pending
  for _ in $(seq 1 1500); do
    pending=$(curl -s "http://127.0.0.1:$grid_metrics/metrics" | awk '/^grid_case_figures_pending_changes/ {print $2}')
    [ "${pending:-1}" = "0" ] && return
    sleep 0.2
  done
}

# The reads at one table size: "list_p50 list_p99 figures_p50 figures_p99 bad".
reads() {
  local l_rps l_p50 l_p99 l_bad f_rps f_p50 f_p99 f_bad
  read -r l_rps l_p50 l_p99 l_bad < <(h2_connections=8 h2_streams=1 h2 "$grid_port" /grassroots.grid.v1.CaseService/ListCases "$work/list.bin")
  read -r f_rps f_p50 f_p99 f_bad < <(h2_connections=8 h2_streams=1 h2 "$grid_port" /grassroots.grid.v1.CaseFiguresService/GetCaseFigures "$work/figures.bin")
  echo "$l_p50 $l_p99 $f_p50 $f_p99 $((l_bad + f_bad))"
}

reported=$(sql "SELECT COUNT(*) FROM cases")

# Scale: 10,000 cases in all first (the reads below), then the write rounds
# (which add their own cases), then $big.
rounds=${GRASSROOTS_BENCH_ROUNDS:-3}
small=10000
[ "$reported" -lt "$small" ] && bulk_cases 0 $((small - reported))
# The aggregator has counted every reported case before the reads.
figures_caught_up
# The reads measure the tables at rest, not InnoDB still writing out a bulk
# load (a year of cases does not arrive in two minutes): before each scale
# the dirty pages are flushed and purge catches up (up to 3 minutes); the
# seconds it took are reported.
settle() {
  local start; start=$(date +%s)
  sql "SET GLOBAL innodb_max_dirty_pages_pct = 0"
  for _ in $(seq 1 180); do
    local dirty history
    dirty=$(sql "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{print $2}')
    history=$(sql "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'")
    [ "${dirty:-1}" -lt 100 ] && [ "${history:-1}" -lt 1000 ] && break
    sleep 1
  done
  sql "SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT"
  echo $(( $(date +%s) - start ))
}
small_settle=$(settle)
bad_http=0
scale_rows=""
small_p99s=(); small_fp99s=(); big_p99s=(); big_fp99s=()
for round in $(seq 1 "$rounds"); do
  read -r lp50 lp99 fp50 fp99 bad < <(reads)
  small_p99s+=("$lp99"); small_fp99s+=("$fp99"); bad_http=$((bad_http + bad))
  scale_rows+="| $round | $(sql 'SELECT COUNT(*) FROM cases') | $lp50 | $lp99 | $fp50 | $fp99 |"$'\n'
done
small_total=$(sql "SELECT COUNT(*) FROM cases")

write_rows=""; read_rows=""; write_ratios=(); read_ratios=()
for round in $(seq 1 "$rounds"); do
  read -r raw_rps raw_p50 raw_p99 < <("$build/tests/bench/grassroots-bench-raw-insert" "$db_port" root grid 16 "$seconds" cases)
  read -r case_rps case_p50 case_p99 case_errors < <("$build/tests/bench/grassroots-bench-case-load" \
    "127.0.0.1:$grid_port" "$grid" BENCH_LITTER 16 "$seconds" $((round * 200000 + 1)))
  w=$(ratio "$case_rps" "$raw_rps"); write_ratios+=("$w")
  write_rows+="| $round | $raw_rps | $raw_p50 | $raw_p99 | $case_rps | $case_p50 | $case_p99 | $w% | $case_errors |"$'\n'
  read -r empty_rps empty_p50 empty_p99 empty_bad < <(h2 "$empty_port" /grassroots.bench.v1.BenchService/Ping "$work/ping.bin")
  read -r get_rps get_p50 get_p99 get_bad < <(h2 "$grid_port" /grassroots.grid.v1.CaseService/GetCase "$work/get.bin")
  r=$(ratio "$get_rps" "$empty_rps"); read_ratios+=("$r")
  read_rows+="| $round | $empty_rps | $empty_p50 | $empty_p99 | $get_rps | $get_p50 | $get_p99 | $r% |"$'\n'
  bad_http=$((bad_http + empty_bad + get_bad))
done
sql "TRUNCATE TABLE raw_cases"
load_start=$(date +%s)
bulk_cases $((small - reported > 0 ? small - reported : 0)) "$big"
load_seconds=$(( $(date +%s) - load_start ))
sql "ANALYZE TABLE cases, case_figures, case_figure_areas" >/dev/null
total=$(sql "SELECT COUNT(*) FROM cases")
figure_rows=$(sql "SELECT COUNT(*) FROM case_figures")
big_settle=$(settle)
for round in $(seq 1 "$rounds"); do
  read -r lp50 lp99 fp50 fp99 bad < <(reads)
  big_p99s+=("$lp99"); big_fp99s+=("$fp99"); bad_http=$((bad_http + bad))
  scale_rows+="| $round | $total | $lp50 | $lp99 | $fp50 | $fp99 |"$'\n'
done
list_ratio=$(ratio "$(median "${big_p99s[@]}")" "$(median "${small_p99s[@]}")")
figures_ratio=$(ratio "$(median "${big_fp99s[@]}")" "$(median "${small_fp99s[@]}")")
errors=$(grpc_errors "$grid_metrics")

cat > "$work/section.md" <<MD
## grid: cases (issue 5)

Produced by \`tests/bench/grid_cases.sh $seconds $big\` on $(date -u +%Y-%m-%d) ($(nproc)
cores shared by the load client, the servers and MariaDB 10.11 with
innodb_flush_log_at_trx_commit=1). $rounds rounds; in each, the two sides of
a ratio run back to back.

| figure | median | target (issue 5) |
|---|---|---|
| grid ReportCase / raw INSERT of a case row, per second | $(median "${write_ratios[@]}")% | at least 40% |
| grid GetCase / empty handler, requests/s | $(median "${read_ratios[@]}")% | at least 50% |
| ListCases by grid (page of 100): p99 at $total cases / p99 at $small_total | $list_ratio% | at most 150% |
| GetCaseFigures (a street's communities, 30 days): p99 at $total cases / p99 at $small_total | $figures_ratio% | at most 150% |

### Writes: ReportCase against a raw INSERT

Closed loop, 16 calls in flight, ${seconds} s, each report at its own point
(110 m apart, none repeating another or an earlier round's). ReportCase
writes the case row, its first timeline line and its change row (the audit
trail and the outbox) in one transaction, after reading its category and
grid and the category's duplicate search (50 m, 24 h), under an
idempotency key. Concurrent reports share transactions (a WriteBatcher
over CaseStore::ReportMany: one statement per step for the whole batch),
and each is answered after its commit. The reference inserts one row of
the same shape (\`raw_cases\`, a copy of \`cases\` with its indexes) per
autocommit statement. The live figures are summed from the change log
afterwards, not in the write.

| round | raw INSERT/s | p50 ms | p99 ms | ReportCase/s | p50 ms | p99 ms | ratio | errors |
|---|---|---|---|---|---|---|---|---|
$write_rows
### Reads: GetCase against the empty handler

h2load, 16 connections x 8 streams, ${seconds} s after 1 s warm-up. GetCase
verifies the principal, checks the caller's scope and answers the case
from grid's case cache on gRPC's thread (the case was read once before;
a miss reads the row by primary key on the worker pool).

| round | empty req/s | p50 ms | p99 ms | GetCase req/s | p50 ms | p99 ms | ratio |
|---|---|---|---|---|---|---|---|
$read_rows
### Scale: $small_total against $total cases

h2load, 8 connections x 1 stream, ${seconds} s each. Loading the bulk cases
by SQL took $load_seconds s; the figures table then held $figure_rows rows.
Before each table size's reads MariaDB flushed its dirty pages and purge
caught up ($small_settle s at $small_total, $big_settle s at $total), so the reads
see the tables at rest, not the bulk load still being written out.
ListCases reads a page of 100 of one grid's cases newest first from the
(grid_id, id) index; GetCaseFigures lists one street's communities
(case_figure_areas) and adds up each one's rows for the 30 days and its
stocks, ranges of the primary key (dimension, area, subject, day).

| round | cases | ListCases p50 ms | p99 ms | GetCaseFigures p50 ms | p99 ms |
|---|---|---|---|---|---|
$scale_rows
Non-200 HTTP answers: $bad_http. Non-OK gRPC answers counted by grid: $errors.
MD
/usr/bin/python3 tests/bench/splice_section.py grid-cases "$work/section.md"
cat "$work/section.md"
