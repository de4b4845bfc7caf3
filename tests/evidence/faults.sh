#!/usr/bin/env bash
# The fault tests of issue 10: the whole suite (a private MariaDB, orgs,
# careers, grid, volunteer, dualreg and the gateway on free loopback ports)
# under a steady write load through the gateway's gRPC edge
# (grassroots-evidence-writer), one fault per scenario:
#   kill-<service>   SIGKILL of orgs, grid, volunteer, careers or dualreg, restarted
#   kill-mariadb     SIGKILL of MariaDB, restarted on the same data dir and port
#   restart-gateway  SIGTERM of the gateway (it drains), started again
#   stop-volunteer   volunteer stopped for a minute while dualreg's orders are
#                    confirmed; its outbox must drain and every member be
#                    credited exactly once
# Each scenario: setup of its own records, load, fault, recovery, load a
# little longer, stop the load (the writes in flight finish), then verify:
# every accepted write read back by id and listed once, dualreg's
# confirmed orders credited exactly once, volunteer's CheckInvariants and
# the consistency queries of orgs and grid (deploy/backup/check-*.sql).
# At the end every scenario's writes are read back again.
# Prints a row per scenario and writes the table into docs/RELIABILITY.md;
# exits 1 when any write is missing or duplicated, any check finds a
# violation, or a write was abandoned or refused.
#
# Usage: tests/evidence/faults.sh [SCENARIO...]   (default: all, in the order above)
# Environment: GRASSROOTS_FAULT_RATE (writes/s per service, 3),
#   GRASSROOTS_FAULT_BEFORE / _AFTER (s of load before the fault and after
#   recovery, 20 / 15), GRASSROOTS_FAULT_DOWN (s a killed process stays
#   down, 2), GRASSROOTS_FAULT_STOP (s volunteer stays stopped, 60),
#   GRASSROOTS_EVIDENCE_KEEP (set: keep the logs and data in the temp dir).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${GRASSROOTS_BUILD_DIR:-build}
rate=${GRASSROOTS_FAULT_RATE:-3}
before=${GRASSROOTS_FAULT_BEFORE:-20}
after=${GRASSROOTS_FAULT_AFTER:-15}
down=${GRASSROOTS_FAULT_DOWN:-2}
stop_seconds=${GRASSROOTS_FAULT_STOP:-60}
all_scenarios=(kill-orgs kill-grid kill-volunteer kill-careers kill-dualreg kill-mariadb
  restart-gateway stop-volunteer)
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=("${all_scenarios[@]}")
for s in "${scenarios[@]}"; do
  case " ${all_scenarios[*]} " in *" $s "*) ;; *) echo "unknown scenario $s (one of: ${all_scenarios[*]})" >&2; exit 2 ;; esac
done

script_start=$(date +%s)
bash deploy/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRASSROOTS_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-gateway grassroots-cli \
  grassroots-volunteer grassroots-careers grassroots-dualreg grassroots-evidence-writer >/dev/null
build_seconds=$(( $(date +%s) - script_start ))

# shellcheck source=tests/evidence/suite.sh
source tests/evidence/suite.sh
for name in "${services[@]}"; do start_service "$name"; done
start_gateway

outbox_pending() {
  curl -s "http://127.0.0.1:${metrics[dualreg]}/metrics" | awk '/^dualreg_outbox_pending / {print $2}'
}

# The faults. Each sets `recovered` (seconds from the fault until the
# processes are back and answering) and `note`.
fault_kill() {  # service
  local t; t=$(now)
  stop "$1" KILL
  sleep "$down"
  start_service "$1"
  recovered=$(since "$t")
  note="SIGKILL, down ${down} s, restarted"
}
fault_mariadb() {
  local t; t=$(now)
  stop mariadb KILL
  sleep "$down"
  start_mariadb
  recovered=$(since "$t")
  note="SIGKILL, down ${down} s, restarted on the same data dir and port"
}
fault_gateway() {
  local t; t=$(now)
  stop gateway TERM
  start_gateway
  recovered=$(since "$t")
  note="SIGTERM (drained), started again"
}
fault_stop_volunteer() {
  local t; t=$(now)
  stop volunteer TERM
  sleep "$stop_seconds"
  local backlog; backlog=$(outbox_pending)
  start_service volunteer
  local back; back=$(now)
  for _ in $(seq 1 1800); do
    [ "$(outbox_pending)" = "0" ] && break
    sleep 0.1
  done
  [ "$(outbox_pending)" = "0" ] || echo "dualreg's outbox did not drain: $(outbox_pending) pending" >&2
  recovered=$(since "$t")
  note="stopped ${stop_seconds} s; outbox backlog ${backlog:-?} drained in $(since "$back") s after the restart"
}

rows=""
failed=0
serial=0
figure() {  # key file: the value of key=value in the file's "load" or "verify" line
  { grep -o "\b$1=[0-9.]*" "$2" || true; } | head -1 | cut -d= -f2
}
count() { local v; v=$(figure "$@"); echo "${v:-0}"; }  # the same, 0 when absent
consistency() {  # rows the consistency queries of orgs and grid return
  local n=0 name
  for name in orgs grid; do
    n=$((n + $(sql "grassroots_$name" < "deploy/backup/check-$name.sql" | tee -a "$work/consistency.log" | wc -l)))
  done
  echo "$n"
}

run_scenario() {  # name
  local name=$1 state="$work/$1.state" log="$work/$1.log"
  serial=$((serial + 1))
  (writer setup --tag="$name" --serial="$serial" --state="$state" >/dev/null)
  (writer load --state="$state" --log="$log" --rate="$rate" --clients=2 \
    >"$work/$name.load" 2>"$work/$name.load.err") &
  local load_pid=$!
  pid[load]=$load_pid
  sleep "$before"
  case $name in
    kill-mariadb) fault_mariadb ;;
    restart-gateway) fault_gateway ;;
    stop-volunteer) fault_stop_volunteer ;;
    kill-*) fault_kill "${name#kill-}" ;;
  esac
  sleep "$after"
  kill -TERM "$load_pid"
  local load_rc=0 verify_rc=0
  wait "$load_pid" || load_rc=$?
  unset "pid[load]"
  (writer verify --state="$state" --log="$log") >"$work/$name.verify" 2>"$work/$name.verify.err" || verify_rc=$?
  local rows_found; rows_found=$(consistency)
  local accepted missing duplicates violations retries settled abandoned refused gap
  accepted=$(figure accepted "$work/$name.verify")
  missing=$(figure missing "$work/$name.verify")
  duplicates=$(figure duplicates "$work/$name.verify")
  violations=$(( $(count violations "$work/$name.verify") + rows_found ))
  retries=$(figure retries "$work/$name.load")
  settled=$(figure settled_by_read "$work/$name.load")
  abandoned=$(figure abandoned "$work/$name.load")
  refused=$(figure refused "$work/$name.load")
  case $name in
    kill-mariadb|restart-gateway)
      gap=$(grep -o 'gap_[a-z]*=[0-9.]*' "$work/$name.load" | cut -d= -f2 | sort -n | tail -1) ;;
    stop-volunteer) gap=$(figure gap_volunteer "$work/$name.load") ;;
    *) gap=$(figure "gap_${name#kill-}" "$work/$name.load") ;;
  esac
  echo "== $name: $note"
  cat "$work/$name.load" "$work/$name.verify"
  [ -s "$work/$name.load.err" ] && sed 's/^/   load: /' "$work/$name.load.err" | head -20
  [ -s "$work/$name.verify.err" ] && sed 's/^/   verify: /' "$work/$name.verify.err" | head -20
  if [ "$load_rc" -ne 0 ] || [ "$verify_rc" -ne 0 ] || [ "$rows_found" -ne 0 ] || [ -z "$accepted" ]; then
    failed=1
  fi
  rows+="| $name | $note | ${accepted:-?} | ${missing:-?} | ${duplicates:-?} | $violations | ${retries:-?} / ${settled:-?} | ${abandoned:-?} / ${refused:-?} | $recovered | ${gap:-?} |"$'\n'
}

for s in "${scenarios[@]}"; do run_scenario "$s"; done

# Every scenario's writes once more, after all the faults that followed it.
final_missing=0; final_duplicates=0; final_violations=0; final_accepted=0
for s in "${scenarios[@]}"; do
  rc=0
  (writer verify --state="$work/$s.state" --log="$work/$s.log" --credit-wait-seconds=30) \
    >"$work/$s.final" 2>&1 || rc=$?
  [ "$rc" -ne 0 ] && { failed=1; echo "== $s re-read at the end:"; cat "$work/$s.final"; }
  [ -z "$(figure accepted "$work/$s.final")" ] && failed=1
  final_accepted=$((final_accepted + $(count accepted "$work/$s.final")))
  final_missing=$((final_missing + $(count missing "$work/$s.final")))
  final_duplicates=$((final_duplicates + $(count duplicates "$work/$s.final")))
  final_violations=$((final_violations + $(count violations "$work/$s.final")))
done
final_rows=$(consistency)
final_violations=$((final_violations + final_rows))
[ "$final_rows" -ne 0 ] && failed=1

# The checks can fail: the first scenario's records damaged behind the
# services' backs (an accepted area deleted, a case copied under a new id,
# a member's balance raised by a point), its verify must report each.
first=${scenarios[0]}
area=$(awk -F'\t' '$1 == "area" {print $3; exit}' "$work/$first.log")
case_id=$(awk -F'\t' '$1 == "case" {print $3; exit}' "$work/$first.log")
member=$(awk -F'\t' '$1 == "confirmed" {print $4; exit}' "$work/$first.log")
case_columns=$(sql -e "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = 'grassroots_grid' AND TABLE_NAME = 'cases' AND COLUMN_NAME <> 'id'
    AND EXTRA NOT LIKE '%GENERATED%'")
sql grassroots_orgs -e "DELETE FROM areas WHERE id = '$area'"
sql grassroots_grid -e "INSERT INTO cases (id, $case_columns) SELECT CONCAT(id, 'd'), $case_columns FROM cases WHERE id = '$case_id'"
sql grassroots_volunteer -e "UPDATE accounts SET balance = balance + 1 WHERE id = 'volunteer/$member'"
(writer verify --state="$work/$first.state" --log="$work/$first.log" --credit-wait-seconds=0) \
  >"$work/damage.verify" 2>&1 || true
damage_missing=$(count missing "$work/damage.verify")
damage_duplicates=$(count duplicates "$work/damage.verify")
damage_violations=$(count violations "$work/damage.verify")
echo "== damage to $first: an area deleted, a case copied, a member's balance raised"
cat "$work/damage.verify"
if [ "$damage_missing" -eq 0 ] || [ "$damage_duplicates" -eq 0 ] || [ "$damage_violations" -eq 0 ]; then
  echo "the checks did not report the damage" >&2
  failed=1
fi
elapsed=$(( $(date +%s) - script_start ))

cat > "$work/section.md" <<MD
Produced by \`bash tests/evidence/faults.sh${1:+ $*}\` on $(date -u +%Y-%m-%d) ($(nproc) cores shared
by the load, the six servers and MariaDB 10.11 with its defaults, so
innodb_flush_log_at_trx_commit=1): $rate writes/s per service from 2 clients
each (orgs CreateArea, grid ReportCase, volunteer CreateTransfer, careers
CreateWorker, dualreg's order round of five calls), ${before} s of load
before each fault and ${after} s after the recovery. The whole run took
${elapsed} s, of which ${build_seconds} s building.

| scenario | fault | accepted writes | missing | duplicates | invariant violations | calls retried / steps settled by a read | abandoned / refused | back in (s) | longest without an accepted write (s) |
|---|---|---|---|---|---|---|---|---|---|
${rows}| every scenario, read again after the last fault | | $final_accepted | $final_missing | $final_duplicates | $final_violations | | | | |

"Back in" is from the fault until the processes are up again and healthy
(for stop-volunteer: until dualreg's outbox is empty again); the last
column is the client's view, the longest time the affected service (after
MariaDB or the gateway: any service) accepted no write.

The checks can fail: after the table, the records of $first were damaged
behind the services' backs (an accepted area deleted, a case copied under a new
id, a member's balance raised by a point) and its verify reported missing
$damage_missing, duplicates $damage_duplicates, violations $damage_violations.
MD
cat "$work/section.md"
/usr/bin/python3 tests/bench/splice_section.py faults "$work/section.md" docs/RELIABILITY.md
[ $((final_missing + final_duplicates + final_violations)) -ne 0 ] && failed=1
exit "$failed"
