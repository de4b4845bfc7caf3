#!/usr/bin/env bash
# The synthetic city of issue 10, item 1 (tests/evidence/city_plan.h),
# loaded into the whole suite through the gateway's gRPC edge by
# grassroots-evidence-writer city: areas, organisations and members by
# their ImportAreas / ImportOrganisations / ImportMembers streams, cases by
# ImportCases files of 20,000, and what has no bulk path (case setup,
# grids, volunteers, workers, dual registrations) by creates with request
# ids. Then every table's rows are counted in MariaDB against what the plan
# says the city holds, the load is run a second time (every import and
# create answered from its request id; nothing may be added), and the
# figures go into docs/BENCHMARKS.md. The reference, measured in the same
# run: MariaDB copying one import file's worth of the loaded case rows into
# a table like cases in one statement, the storage floor for the case rows.
# Exits 1 when a phase fails or any count differs.
#
# Usage: tests/evidence/city.sh [SCALE] [SEED]   (0.01 and 1; 1 is the
#   city of issue 10: 3,000 communities, 5,000,000 cases)
# Environment: GRASSROOTS_EVIDENCE_BUFFER_POOL (MariaDB's buffer pool, 2G
#   here), GRASSROOTS_CITY_THREADS (concurrent creates, 8),
#   GRASSROOTS_EVIDENCE_KEEP (set: keep the logs and data in the temp dir),
#   GRASSROOTS_CITY_DAY_SECONDS (set: then a city's day for that many
#   seconds on the loaded city, the mix of tests/bench/city_day.sh at its
#   full 500 writes/s and 5,000 reads/s, over all its grids and places).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${GRASSROOTS_BUILD_DIR:-build}
scale=${1:-0.01}
seed=${2:-1}
threads=${GRASSROOTS_CITY_THREADS:-8}
as_of=$(date -u +%F)

bash deploy/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRASSROOTS_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-gateway grassroots-cli \
  grassroots-volunteer grassroots-careers grassroots-dualreg grassroots-evidence-writer >/dev/null
day_seconds=${GRASSROOTS_CITY_DAY_SECONDS:-}
[ -z "$day_seconds" ] || cmake --build "$build" -j2 --target grassroots-bench-city-day >/dev/null

export GRASSROOTS_EVIDENCE_BUFFER_POOL=${GRASSROOTS_EVIDENCE_BUFFER_POOL:-2G}
# The loader is the only client: the per-key rate limit would only slow it.
gateway_flags="--rate-limit-per-second=0"
# shellcheck source=tests/evidence/suite.sh
source tests/evidence/suite.sh
# shellcheck source=tests/bench/metrics.sh
source tests/bench/metrics.sh
for name in "${services[@]}"; do start_service "$name"; done
start_gateway

load() {  # output file
  (writer city --scale="$scale" --seed="$seed" --as-of="$as_of" --threads="$threads") | tee "$1"
}
load "$work/load1.txt" || { echo "the city's load failed" >&2; exit 1; }
figure() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$work/load1.txt" | head -1; }

# table (schema.table), what the plan says it holds once loaded.
checks=(
  "grassroots_orgs.areas $(figure expect_areas)"
  "grassroots_orgs.organisations $(figure expect_organisations)"
  "grassroots_orgs.members $(figure expect_members)"
  "grassroots_grid.grids $(figure expect_grids)"
  "grassroots_grid.cases $(figure expect_cases)"
  "grassroots_volunteer.volunteers $(figure expect_volunteers)"
  "grassroots_careers.workers $(figure expect_workers)"
  "grassroots_dualreg.unit_registrations $(figure expect_unit_registrations)"
  "grassroots_dualreg.member_registrations $(figure expect_member_registrations)"
)
count_rows() {  # output: "table expected counted" lines; returns 1 on a difference
  local check table expected counted differs=0
  for check in "${checks[@]}"; do
    read -r table expected <<<"$check"
    counted=$(sql -e "SELECT COUNT(*) FROM $table")
    echo "$table $expected $counted"
    [ "$counted" = "$expected" ] || differs=1
  done
  return $differs
}
counts_ok=yes
count_rows >"$work/counts1.txt" || counts_ok=no
cat "$work/counts1.txt"

# Every call of a second load is answered from its request id.
rerun_start=$(now)
load "$work/load2.txt" >/dev/null || { echo "the second load failed" >&2; exit 1; }
rerun_seconds=$(since "$rerun_start")
count_rows >"$work/counts2.txt" || counts_ok=no
cmp -s "$work/counts1.txt" "$work/counts2.txt" || counts_ok=no

# The reference: MariaDB alone writing case rows with cases' indexes.
reference_rows=$(sql -e "SELECT LEAST(COUNT(*), 20000) FROM grassroots_grid.cases")
sql -e "CREATE TABLE grassroots_grid.raw_cases LIKE grassroots_grid.cases"
columns=$(sql -e "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY ordinal_position) FROM information_schema.columns
  WHERE table_schema = 'grassroots_grid' AND table_name = 'cases' AND extra NOT LIKE '%GENERATED%'")
raw_start=$(now)
sql -e "INSERT INTO grassroots_grid.raw_cases ($columns)
  SELECT $columns FROM grassroots_grid.cases LIMIT $reference_rows"
raw_seconds=$(awk -v a="$raw_start" -v b="$(now)" 'BEGIN {printf "%.3f", b - a}')
raw_rate=$(awk -v n="$reference_rows" -v s="$raw_seconds" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')
sql -e "DROP TABLE grassroots_grid.raw_cases"
cases_rate=$(sed -n 's/^city phase=cases .*per_second=\([0-9]*\).*/\1/p' "$work/load1.txt")
sizes=$(sql -e "SELECT table_schema, ROUND(SUM(data_length + index_length) / 1048576)
  FROM information_schema.tables WHERE table_schema LIKE 'grassroots\_%'
  GROUP BY table_schema ORDER BY table_schema" | awk '{printf "| %s | %s |\n", $1, $2}')
# Where the bytes are: the largest tables, with InnoDB's own row estimate.
largest=$(sql -e "SELECT CONCAT(table_schema, '.', table_name), table_rows,
    ROUND(data_length / 1048576), ROUND(index_length / 1048576),
    ROUND((data_length + index_length) / GREATEST(table_rows, 1))
  FROM information_schema.tables WHERE table_schema LIKE 'grassroots\\_%'
  ORDER BY data_length + index_length DESC LIMIT 8" |
  awk '{printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}')

# A city's day over the loaded city: its grids, places and streets, and a
# category of its own, with five million cases of history under it.
day=""
# ReportCase's shared commits: "sum count" of grid's batch-size histogram.
batch_figures() {
  curl -s "http://127.0.0.1:${metrics[grid]}/metrics" |
    awk '/^grassroots_write_batch_requests_(sum|count)\{write="report_case"/ {v[$1 ~ /_sum/ ? 0 : 1] = $2}
      END {print v[0] + 0, v[1] + 0}'
}
# InnoDB's pages read from disk and page reads asked of its buffer pool.
innodb_reads() {
  sql -e "SHOW GLOBAL STATUS WHERE variable_name IN ('Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_requests')" |
    awk '$1 == "Innodb_buffer_pool_reads" {r = $2} $1 == "Innodb_buffer_pool_read_requests" {q = $2} END {print r, q}'
}
if [ -n "$day_seconds" ]; then
  seed_file="$work/day-seed"
  {
    sql -e "SELECT CONCAT('grid ', id) FROM grassroots_grid.grids"
    sql -e "SELECT CONCAT('area ', id) FROM grassroots_orgs.areas"
    sql -e "SELECT CONCAT('street ', path) FROM grassroots_orgs.areas WHERE kind = 2"
    sql -e "SELECT CONCAT('category ', code) FROM grassroots_grid.case_categories
      WHERE code LIKE '%\\_SANITATION' LIMIT 1"
  } >"$seed_file"
  day_pids=("${pid[gateway]}" "${pid[orgs]}" "${pid[grid]}" "${pid[mariadb]}")
  cpu_before=$(cpu_snapshot "${day_pids[@]}")
  histograms "${metrics[grid]}" >"$work/day-before"
  batches_before=$(batch_figures)
  innodb_before=$(innodb_reads)
  day_start=$(now)
  day_out=$(GRASSROOTS_BENCH_API_KEY=$(cat "$work/api.key") "$build/tests/bench/grassroots-bench-city-day" \
    "$(peer gateway)" "$seed_file" 500 5000 "$day_seconds")
  day_wall=$(since "$day_start")
  cpu_after=$(cpu_snapshot "${day_pids[@]}")
  histograms "${metrics[grid]}" >"$work/day-after"
  read -r batch_sum batch_count <<<"$(paste <(echo "$batches_before") <(batch_figures) | awk '{print $3 - $1, $4 - $2}')"
  read -r page_reads page_requests <<<"$(paste <(echo "$innodb_before") <(innodb_reads) | awk '{print $3 - $1, $4 - $2}')"
  printf '%s\n' "$day_out"
  day_inside=$(mean_between "$work/day-before" "$work/day-after" | awk '{printf "| %s | %s | %s |\n", $1, $3, $2}')
  pool_size=$(curl -s "http://127.0.0.1:${metrics[grid]}/metrics" |
    awk '/^grassroots_db_pool_connections\{state="max"/ {print $2}')
  day_rows=$(printf '%s\n' "$day_out" | grep -v '^#' | awk '{
    printf "| %s | %s | %s | %s | %.0f%% | %s | %s | %s | %s |\n",
      $1, $2, $3, $4, ($3 > 0 ? 100 * $4 / $3 : 0), $5, $6, $7, $8 }')
  day_cores=$(cores_between "$cpu_before" "$cpu_after" "$day_wall" \
    "$(printf '%s\n' "$day_out" | awk '$1 == "#cpu" {print $2}')")
  day_errors=$(printf '%s\n' "$day_out" | sed -n 's/^# /- /p')
  day=$(cat <<MD

### A city's day on this city (issue 10, item 2)

\`GRASSROOTS_CITY_DAY_SECONDS=$day_seconds\`: after the loads above, the mix of
\`tests/bench/city_day.sh\` (ReportCase 60%, RegisterCase 20%, DispatchCase
20% of writes; GetCase 60%, ListCases of a grid 15%, GetCaseFigures of a
street 5%, GetArea 20% of reads) offered open loop through the gateway at
the issue's full 500 writes/s and 5,000 reads/s for ${day_seconds} s, over all
$(grep -c '^grid ' "$seed_file") grids, $(grep -c '^area ' "$seed_file") places and $(grep -c '^street ' "$seed_file") streets of the city
loaded above, category $(sed -n 's/^category //p' "$seed_file"). Latency is counted from when a call was due.

| method | kind | offered/s | done/s | done/offered | p50 ms | p99 ms | errors | shed |
|---|---|---|---|---|---|---|---|---|
$day_rows

Errors the load client saw, by method and code (none if empty):

${day_errors:-none}

Inside grid (its own histograms, warm-up included: from the start of an
RPC to its status, so waiting for one of its workers and for one of its
${pool_size:-?} database connections is included; connection-wait is the
wait for a connection alone):

| method | calls | mean ms inside grid |
|---|---|---|
$day_inside

| figure during the day | value |
|---|---|
| ReportCase batches committed (WriteBatcher) | $batch_count |
| ReportCase requests a commit (mean of grassroots_write_batch_requests) | $(awk -v s="$batch_sum" -v c="$batch_count" 'BEGIN {printf "%.1f", (c > 0 ? s / c : 0)}') |
| InnoDB pages read from disk / page reads asked (buffer pool $GRASSROOTS_EVIDENCE_BUFFER_POOL, schemas $(printf '%s\n' "$sizes" | awk -F'|' '{t += $3} END {print t}') MB) | $page_reads / $page_requests ($(awk -v a="$page_reads" -v b="$page_requests" 'BEGIN {printf "%.2f%%", (b > 0 ? 100 * a / b : 0)}')) |

| cores used (CPU s over ${day_wall} s wall) | gateway | orgs | grid | MariaDB | load client | all |
|---|---|---|---|---|---|---|
| the day |$day_cores
MD
)
fi

phases=$(awk '/^city phase=/ {
  split($2, n, "="); split($3, r, "="); split($4, s, "="); split($5, p, "=");
  printf "| %s | %s | %s | %s |\n", n[2], r[2], s[2], p[2] }' "$work/load1.txt")
count_table=$(awk '{printf "| %s | %s | %s |\n", $1, $2, $3}' "$work/counts1.txt")
total=$(sed -n 's/^city loaded seconds=//p' "$work/load1.txt")
cat >"$work/section.md" <<MD
## The synthetic city (issue 10, item 1)

Produced by \`tests/evidence/city.sh $scale $seed\` on $(date -u +%Y-%m-%d) ($(nproc) cores
shared by the loader, the gateway, five services and MariaDB 10.11 with a
$GRASSROOTS_EVIDENCE_BUFFER_POOL buffer pool and innodb_flush_log_at_trx_commit=1). The
city of \`tests/evidence/city_plan.h\` at scale $scale (1 is 3,000 communities,
30,000 grids, 500,000 members, 5,000,000 cases), as of $as_of, loaded into
empty schemas through the gateway by \`grassroots-evidence-writer city\`:
ImportAreas, ImportOrganisations, ImportMembers (a file a street, 2 at a
time) and ImportCases (files of 20,000 cases, 2 at a time) where the
services have a bulk path; creates with request ids from $threads threads
where they do not. Loaded in $total s.

| phase | records | seconds | records/s |
|---|---|---|---|
$phases

| figure | value |
|---|---|
| ImportCases through the gateway, cases/s | $cases_rate |
| MariaDB copying $reference_rows case rows (INSERT … SELECT into a table like cases), rows/s | $raw_rate |
| city cases/s / MariaDB's copy rows/s | $(awk -v a="$cases_rate" -v b="$raw_rate" 'BEGIN {printf "%.0f%%", (b > 0 ? 100 * a / b : 0)}') |
| second load of the same city (every call answered from its request id), s | $rerun_seconds |
| every table's count as planned, before and after the second load | $counts_ok |

| table | planned | counted |
|---|---|---|
$count_table

| schema | MB on disk (data and indexes) |
|---|---|
$sizes

| largest tables | rows (InnoDB's estimate) | data MB | index MB | bytes a row |
|---|---|---|---|---|
$largest
$day
MD
/usr/bin/python3 tests/bench/splice_section.py city "$work/section.md"
cat "$work/section.md"
[ "$counts_ok" = yes ] || { echo "a table's count differs from the plan (see above)" >&2; exit 1; }
