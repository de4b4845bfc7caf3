#!/usr/bin/env bash
# careers' annual assessment at scale (issue 7), with orgs' GetArea as the
# reference in the same run:
#   - the yearly assessment of 30,000 workers (300 communities of 100) as
#     one AssessArea call: wall time, and careers' peak memory (VmHWM from
#     /proc) before and after; grid is asked once per community
#   - worker lookup (GetWorker) against GetArea, h2load 8 connections x 1
#     stream, unary gRPC straight to each service
# The 30,000 workers are copies (by SQL) of one worker made through
# CreateWorker: their sealed name and ID number are the template's, which
# only the template's row can open, but no call here opens them (answers
# carry the masked forms). grid holds no cases, so each worker is weighed
# without the case part; the grid calls are still made, one per community.
# Usage: tests/bench/careers_assessments.sh [SECONDS]  (default 10). Writes
# its section of docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-careers \
  grassroots-cli grassroots_test_mariadb >/dev/null

# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_protos="protos/grassroots/orgs/v1/*.proto protos/grassroots/careers/v1/*.proto"
bench_start_db orgsb gridb careersb
serve() {  # name log args...
  local name=$1 log=$2; shift 2
  "$build/services/$name/grassroots-$name" --grpc-address=127.0.0.1:0 \
    --metrics-address=127.0.0.1:0 --db-port="$db_port" --db-user=root "$@" 2>"$log" &
  pids+=($!)
}
serve orgs "$work/orgs.log" --db-schema=orgsb
orgs_port=$(port_in "$work/orgs.log" grpc_port)
# grid's qualification follower is not part of this: its careers address is unserved.
serve grid "$work/grid.log" --db-schema=gridb --orgs-address=127.0.0.1:"$orgs_port" \
  --careers-address=127.0.0.1:1
grid_port=$(port_in "$work/grid.log" grpc_port)
serve careers "$work/careers.log" --db-schema=careersb --grid-address=127.0.0.1:"$grid_port" \
  --grid-deadline-ms=30000
careers_pid=${pids[-1]}
careers_port=$(port_in "$work/careers.log" grpc_port)
sql() { mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot -N careersb -e "$1"; }

# The district: 10 streets of 30 communities in orgs.
/usr/bin/python3 - "$work" <<'PY'
import sys
with open(f"{sys.argv[1]}/areas.csv", "w") as f:
    f.write("kind,code,display_name,parent_path\nDISTRICT,bd,Bench District,\n")
    for s in range(10):
        f.write(f"STREET,s{s:02d},Street {s},bd\n")
        for c in range(30):
            f.write(f"COMMUNITY,c{c:02d},Community {s}-{c},bd/s{s:02d}\n")
PY
cli --target=127.0.0.1:"$orgs_port" import-areas "$work/areas.csv" >/dev/null
district_area=$(cli --target=127.0.0.1:"$orgs_port" call grassroots.orgs.v1.AreaService/ListAreas '{}' |
  grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)

# One worker through the API, then 29,999 copies of its row, 100 a community.
template=$(cli --target=127.0.0.1:"$careers_port" --roles=careers.admin call \
  grassroots.careers.v1.WorkerService/CreateWorker \
  '{"worker":{"communityPath":"bd/s00/c00","name":"王秀英","idNumber":"110101199003071233","post":"POST_FULL_TIME_STAFF","grade":3,"entryChannel":"ENTRY_EXTERNAL_RECRUITMENT","hireDate":"2020-03-01"}}' |
  grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
sql "INSERT INTO workers SELECT CONCAT('wb', LPAD(s.seq, 5, '0')),
  CONCAT('bd/s', LPAD(s.seq DIV 3000, 2, '0'), '/c', LPAD(s.seq DIV 100 MOD 30, 2, '0')),
  w.name_cipher, w.name_masked, w.id_number_cipher, w.id_number_masked, SHA2(s.seq, 256), w.post,
  w.grade, w.entry_channel, w.degree, w.rung, w.hire_date, w.rung_date, w.leave_date, w.status,
  w.seconded_to, w.passed_post_training, w.version, w.create_time, w.update_time,
  w.work_weekdays, w.work_start_minute, w.work_end_minute, w.work_utc_offset_minutes
  FROM seq_1_to_29999 s JOIN workers w ON w.id = '$template'"
workers=$(sql "SELECT COUNT(*) FROM workers WHERE status = 1")
year=$(date -u +%Y)

# The batch: one AssessArea with every worker's scores, as protobuf bytes.
token=$(cli --as=bench --roles=careers.admin token)
sql "SELECT id FROM workers ORDER BY id" > "$work/ids.txt"
/usr/bin/python3 - "$work" "$year" <<'PY'
import sys
work, year = sys.argv[1], sys.argv[2]
ids = open(f"{work}/ids.txt").read().split()
with open(f"{work}/area.txt", "w") as f:
    f.write(f'path: "bd" year: {year}\n')
    for i, w in enumerate(ids):
        f.write(f'scores {{ worker_id: "{w}" self_review_score: {40 + (i * 37) % 61} '
                f'field_visit_score: {45 + (i * 53) % 56} survey_score: {50 + (i * 71) % 51} }}\n')
PY
# shellcheck disable=SC2086
protoc --encode=grassroots.careers.v1.AssessAreaRequest -I protos -I /usr/include $bench_protos \
  < "$work/area.txt" > "$work/area.bin"
hwm() { awk '/VmHWM/ {print $2}' "/proc/$careers_pid/status"; }
hwm_before=$(hwm)
/usr/bin/python3 - "$careers_port" "$token" "$work" <<'PY'
import sys, time
import grpc
port, token, work = sys.argv[1:]
channel = grpc.insecure_channel(f"127.0.0.1:{port}",
                                options=[("grpc.max_receive_message_length", 64 << 20)])
call = channel.unary_unary("/grassroots.careers.v1.AssessmentService/AssessArea")
body = open(f"{work}/area.bin", "rb").read()
start = time.monotonic()
answer = call(body, metadata=[("x-grassroots-principal", token)], timeout=900)
open(f"{work}/batch_seconds", "w").write(f"{time.monotonic() - start:.1f}")
open(f"{work}/summary.bin", "wb").write(answer)
PY
hwm_after=$(hwm)
batch_seconds=$(cat "$work/batch_seconds")
# shellcheck disable=SC2086
protoc --decode=grassroots.careers.v1.AssessAreaSummary -I protos -I /usr/include $bench_protos \
  < "$work/summary.bin" | grep -v '^missing_scores:' > "$work/summary.txt"
# proto3 leaves zeros out of the text form.
field() { awk -v k="$1:" '$1 == k {v = $2} END {print v + 0}' "$work/summary.txt"; }
assessed=$(field assessed)
[ "$assessed" = "$workers" ] || { echo "assessed ${assessed:-0} of $workers"; cat "$work/summary.txt"; exit 1; }
stored=$(sql "SELECT COUNT(*) FROM assessments WHERE year = $year")
feed=$(sql "SELECT COUNT(*) FROM change_log WHERE resource_id LIKE 'assessment/%'")
body_kb=$(( $(stat -c %s "$work/area.bin") / 1024 ))

# Lookups: GetWorker against GetArea, each straight to its service.
frame grassroots.orgs.v1.GetAreaRequest "id: \"$district_area\"" "$work/get_area.bin"
frame grassroots.careers.v1.GetWorkerRequest "id: \"wb15000\"" "$work/get_worker.bin"
lookup_h2() { h2_connections=8 h2_streams=1 h2 "$@"; }
rounds=${GRASSROOTS_BENCH_ROUNDS:-3}
rows=""; ratios=(); bad=0
for round in $(seq 1 "$rounds"); do
  read -r a_rps a_p50 a_p99 a_bad < <(lookup_h2 "$orgs_port" /grassroots.orgs.v1.AreaService/GetArea "$work/get_area.bin")
  read -r w_rps w_p50 w_p99 w_bad < <(lookup_h2 "$careers_port" /grassroots.careers.v1.WorkerService/GetWorker "$work/get_worker.bin")
  ratios+=("$(ratio "$w_rps" "$a_rps")")
  rows+="| $round | orgs GetArea | $a_rps | $a_p50 | $a_p99 | 100% |"$'\n'
  rows+="| $round | careers GetWorker (one of 30,000) | $w_rps | $w_p50 | $w_p99 | ${ratios[-1]}% |"$'\n'
  bad=$((bad + a_bad + w_bad))
done
careers_metrics=$(grep -o '"metrics_port":"[0-9]*"' "$work/careers.log" | head -1 | grep -o '[0-9][0-9]*')
orgs_metrics=$(grep -o '"metrics_port":"[0-9]*"' "$work/orgs.log" | head -1 | grep -o '[0-9][0-9]*')

cat > "$work/section.md" <<MD
## careers: annual assessments and worker lookup (issue 7)

Produced by \`tests/bench/careers_assessments.sh $seconds\` on $(date -u +%Y-%m-%d) ($(nproc) cores
shared by the client, orgs, grid, careers and MariaDB). $workers active workers in 300
communities of 100 (one made through CreateWorker, the rest copies of its row by SQL).

**Yearly assessment as one batch.** One \`AssessArea\` call for the district and $year with
every worker's three scores (a ${body_kb} KiB request): $assessed assessed in **${batch_seconds} s**
wall time, $(field grid_calls) calls to grid (one per community; grid held no cases, so the
case part's weight went to the other parts), $stored rows stored with their inputs and
$feed change-feed rows (audit and outbox). Results: $(field excellent) excellent,
$(field competent) competent, $(field basically_competent) basically competent,
$(field incompetent) incompetent. careers' peak resident memory (VmHWM): $((hwm_before / 1024)) MiB
before the call, **$((hwm_after / 1024)) MiB** after it.

**Worker lookup against GetArea.** h2load, 8 connections x 1 stream, ${seconds} s after
1 s warm-up, unary gRPC straight to each service, the two in the same round; median
ratio GetWorker ÷ GetArea **$(median "${ratios[@]}")%** (GetArea answers from orgs' area
cache; GetWorker reads the worker's row by primary key from MariaDB).

| round | call | req/s | p50 ms | p99 ms | ratio |
|---|---|---|---|---|---|
$rows
Non-200 HTTP answers: ${bad}. Non-OK gRPC statuses counted by careers: $(grpc_errors "$careers_metrics"),
by orgs: $(grpc_errors "$orgs_metrics") (calls h2load cuts off at the end of a timed run
count as Cancelled).
MD
/usr/bin/python3 tests/bench/splice_section.py careers-assessments "$work/section.md"
cat "$work/section.md"
