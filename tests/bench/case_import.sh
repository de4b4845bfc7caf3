#!/usr/bin/env bash
# grid's ImportCases (issue 10's bulk path for a city's cases): a file of
# LINES cases (default 20,000) of a realistic state mix over 100 grids,
# streamed through grassroots-cli, against the same number of case-shaped
# rows written by multi-row INSERTs (250 a statement, one transaction, from
# the mariadb client) into raw_cases, same MariaDB, same durability. The
# import writes four rows per case (the case, its timeline line, its ticket,
# its change row) and checks every line first; the reference writes one.
# Usage: tests/bench/case_import.sh [LINES] [ROUNDS]
# Writes its section of docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=${1:-20000}
rounds=${2:-3}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-cli \
  grassroots_test_mariadb >/dev/null
# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh

bench_start_db orgs grid
sql() { mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot grid -N -e "$1"; }
bench_start_service orgs
bench_start_service grid --orgs-address=127.0.0.1:$orgs_port
db_pid=$(cat "$work/db/mysqld.pid")
g() { cli --target=127.0.0.1:$grid_port --roles=grid.admin "$@"; }

# A street of 10 communities with 10 grids each, a department, a category.
district=$(area DISTRICT bench "")
street=$(area STREET s01 "$district")
for c in $(seq -w 1 10); do
  community=$(area COMMUNITY "c$c" "$street")
  for n in $(seq -w 1 10); do
    g call grassroots.grid.v1.GridService/CreateGrid \
      "{\"grid\":{\"code\":\"g$n\",\"displayName\":\"Grid $c-$n\",\"communityId\":\"$community\"}}" >/dev/null
  done
done
department=$(g call grassroots.grid.v1.CaseSetupService/CreateDepartment \
  '{"department":{"code":"BENCH_SANITATION","name":"Sanitation","areaPath":"bench"}}' | id_of)
g call grassroots.grid.v1.CaseSetupService/CreateCategory \
  "{\"category\":{\"code\":\"BENCH_LITTER\",\"name\":\"Litter\",\"kind\":\"INCIDENT\",\"departmentId\":\"$department\",\"continuousClock\":true,\"deadlines\":{\"registerMinutes\":60,\"dispatchMinutes\":30,\"acceptMinutes\":60,\"handleMinutes\":240,\"verifyMinutes\":120}}}" >/dev/null
sql "CREATE TABLE raw_cases LIKE cases"

# Round r's import file and its reference SQL: four in five closed or
# evaluated, the rest spread over the open states, created over a year.
/usr/bin/python3 - "$work" "$lines" "$rounds" <<'PY'
import datetime, random, sys
work, lines, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
header = ("external_system,external_ticket_id,grid_path,kind,source,category_code,latitude,"
          "longitude,address,description,reporter_ref,state,level,department_code,rework_count,"
          "resolution,satisfaction,create_time,close_time\n")
rng = random.Random(20261203)
states = ["EVALUATED"] * 40 + ["CLOSED"] * 35 + ["REJECTED"] * 5 + ["REPORTED"] * 4 + \
         ["REGISTERED"] * 4 + ["DISPATCHED"] * 4 + ["HANDLING"] * 5 + ["HANDLED"] * 2 + ["VERIFIED"]
for r in range(1, rounds + 1):
    with open(f"{work}/cases{r}.csv", "w") as f, open(f"{work}/raw{r}.sql", "w") as s:
        f.write(header)
        s.write("START TRANSACTION;\n")
        values = []
        for i in range(lines):
            state = rng.choice(states)
            grid = f"bench/s01/c{rng.randint(1, 10):02d}/g{rng.randint(1, 10):02d}"
            created = now - datetime.timedelta(minutes=rng.randint(60, 365 * 24 * 60))
            closed = ""
            if state in ("EVALUATED", "CLOSED", "REJECTED"):
                closed = min(now, created + datetime.timedelta(minutes=rng.randint(30, 7 * 24 * 60)))
            dept = "BENCH_SANITATION" if state not in ("REPORTED", "REGISTERED", "REJECTED") else ""
            resolution, satisfaction = ("", 0)
            if state == "EVALUATED":
                resolution, satisfaction = rng.choice(["FIXED"] * 8 + ["PARTLY_FIXED", "NOT_FIXED"]), rng.randint(1, 5)
            rework = 1 if rng.random() < 0.08 else 0
            iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else ""
            ticket = f"R{r}-{i:07d}"
            f.write(f"12345,{ticket},{grid},INCIDENT,RESIDENT,BENCH_LITTER,"
                    f"{30 + rng.random():.6f},{120 + rng.random():.6f},Block {i % 97},"
                    f"rubbish by the bus stop,resident-{i % 5000},{state},,{dept},{rework},"
                    f"{resolution},{satisfaction},{iso(created)},{iso(closed)}\n")
            values.append(
                f"('cs_raw{r}_{i:07d}',1,1,'BENCH_LITTER','gr_x','{grid}',30.2,120.1,'Block {i % 97}',"
                f"'rubbish by the bus stop','resident-{i % 5000}','',8,0,1,0,'',NULL,NULL,0,0,"
                f"{rework},0,0,0,0,{satisfaction},0,1,1,'{created:%Y-%m-%d %H:%M:%S}',"
                f"UTC_TIMESTAMP(6),{repr(closed.strftime('%Y-%m-%d %H:%M:%S')) if closed else 'NULL'},'')")
            if len(values) == 250 or i == lines - 1:
                s.write("INSERT INTO raw_cases (id, kind, source, category_code, grid_id, grid_path, "
                        "latitude, longitude, address, description, reporter_ref, details, state, "
                        "suspended_from, level, urgent, department_id, step_due_time, "
                        "escalation_due_time, suspended_remaining_seconds, overdue, rework_count, "
                        "extension_count, extension_minutes, pending_extension_minutes, resolution, "
                        "satisfaction, duplicate_reports, step_count, version, create_time, "
                        "update_time, close_time, merged_into) VALUES " + ",".join(values) + ";\n")
                values = []
        s.write("COMMIT;\n")
PY

now_s() { date +%s.%N; }
rows=""; ratios=(); import_rates=()
for round in $(seq 1 "$rounds"); do
  start=$(now_s)
  mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot grid < "$work/raw$round.sql"
  raw_s=$(awk -v a="$(now_s)" -v b="$start" 'BEGIN {printf "%.2f", a - b}')
  grid_cpu=$(cpu_seconds "$grid_pid"); db_cpu=$(cpu_seconds "$db_pid")
  start=$(now_s)
  answer=$(g --request-id="bench-import-$round" import grassroots.grid.v1.CaseService/ImportCases \
    "$work/cases$round.csv")
  import_s=$(awk -v a="$(now_s)" -v b="$start" 'BEGIN {printf "%.2f", a - b}')
  grid_cpu=$(awk -v a="$(cpu_seconds "$grid_pid")" -v b="$grid_cpu" 'BEGIN {printf "%.2f", a - b}')
  db_cpu=$(awk -v a="$(cpu_seconds "$db_pid")" -v b="$db_cpu" 'BEGIN {printf "%.2f", a - b}')
  created=$(echo "$answer" | awk '/^created/ {print $2}')
  [ "$created" = "$lines" ] || { echo "round $round: import answered $answer" >&2; exit 1; }
  raw_rate=$(awk -v n="$lines" -v s="$raw_s" 'BEGIN {printf "%.0f", n / s}')
  import_rate=$(awk -v n="$lines" -v s="$import_s" 'BEGIN {printf "%.0f", n / s}')
  r=$(ratio "$import_rate" "$raw_rate"); ratios+=("$r"); import_rates+=("$import_rate")
  rows+="| $round | $raw_s | $raw_rate | $import_s | $import_rate | $r% | $grid_cpu | $db_cpu |"$'\n'
done
imported=$(sql "SELECT COUNT(*) FROM cases")
steps=$(sql "SELECT COUNT(*) FROM case_steps WHERE action = 'Import'")
expected=$((lines * rounds))
[ "$imported" = "$expected" ] && [ "$steps" = "$expected" ] || {
  echo "expected $expected cases and Import steps, found $imported and $steps" >&2; exit 1; }
# A retry of the first import answers its result and adds nothing.
g --request-id=bench-import-1 import grassroots.grid.v1.CaseService/ImportCases "$work/cases1.csv" >/dev/null
[ "$(sql "SELECT COUNT(*) FROM cases")" = "$expected" ] || { echo "the retry added cases" >&2; exit 1; }

cat > "$work/section.md" <<MD
## grid: importing cases (issues 5 and 10)

Produced by \`tests/bench/case_import.sh $lines $rounds\` on $(date -u +%Y-%m-%d) ($(nproc)
cores shared by the client, grid and MariaDB 10.11 with
innodb_flush_log_at_trx_commit=1). Each round imports a new file of $lines
cases (a state mix of 40% evaluated, 35% closed, 5% rejected, 20% open
over six states; 100 grids; created over a year) with
\`grassroots-cli import grassroots.grid.v1.CaseService/ImportCases\`,
timed from the first byte sent to the answer: the file streamed, every line
parsed and checked, then one transaction writing each case, its \`Import\`
timeline line, its ticket and its change row in 250-row INSERTs. The
reference, run just before it, writes the same number of case-shaped rows
into \`raw_cases\` (a copy of \`cases\` with its indexes) by 250-row INSERTs
in one transaction from the \`mariadb\` client: one row per case, no checks.

| figure | median | target |
|---|---|---|
| ImportCases, cases/s | $(median "${import_rates[@]}") | at least 10,000 |
| ImportCases cases/s / raw multi-row INSERT rows/s | $(median "${ratios[@]}")% | |

| round | raw INSERT s | rows/s | ImportCases s | cases/s | ratio | grid CPU s | MariaDB CPU s |
|---|---|---|---|---|---|---|---|
$rows
The CPU columns are what grid and MariaDB used during the import (grid's
includes its figure aggregator summing the new change rows as they
commit): which of the two the import waits on.

Afterwards: $imported cases and $steps \`Import\` timeline lines
($expected expected); a retry of round 1's import under its request id
answered the first result and added nothing.
MD
/usr/bin/python3 tests/bench/splice_section.py case-import "$work/section.md"
cat "$work/section.md"
