#!/usr/bin/env bash
# The points ledger's and the love supermarket's write rates (issue 6), each
# against a raw single-row autocommit INSERT of a transfer-shaped row
# measured in the same round, 16 threads or calls in flight each:
#   1. CreateTransfer between distinct volunteer accounts (no two calls in
#      flight share an account)
#   2. CreateTransfer from one hot account (the first community's issuing
#      account, the account every award in a community debits)
#   3. Redeem at each community's good by its own volunteers, and Redeem by
#      one community's volunteers at its one good (one hot stock row and one
#      hot supermarket account)
# Then the totals: every call answered OK is in the ledger once (the rows
# under the run's ids against the client's count), the balances add up, and
# the invariant checker finds nothing.
# Usage: tests/bench/volunteer_ledger.sh [SECONDS]  (default 10). Writes its
# section of docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-volunteer grassroots-cli \
  grassroots-bench-raw-insert grassroots-bench-volunteer-ledger-load grassroots_test_mariadb >/dev/null

# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_start_db volunteer
bench_start_service volunteer
sql() { mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot -N volunteer -e "$1"; }
load() { "$build/tests/bench/grassroots-bench-volunteer-ledger-load" "$@"; }
target=127.0.0.1:$volunteer_port

communities=10 per_community=200
seed_start=$(date +%s)
read -r seed_rate _ < <(load seed "$target" "$communities" "$per_community" 16 "$work/seeded.txt")
seed_seconds=$(( $(date +%s) - seed_start ))
volunteers=$((communities * per_community))

metric() {  # pattern -> the sum of the matching lines of volunteer's /metrics
  curl -s "http://127.0.0.1:$volunteer_metrics/metrics" | { grep -v '^#' | grep -- "$1" || true; } |
    awk '{s += $NF} END {printf "%.6f\n", s}'
}
deadlocks() { sql "SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'" | awk '{print $2}'; }
retried0=$(metric 'grassroots_db_pool_events_total{event="retried"}')
deadlocks0=$(deadlocks)

rounds=${GRASSROOTS_BENCH_ROUNDS:-3}
rows=""; declare -A rates ratios ok errors
for kind in distinct hot redeem_distinct redeem_hot; do ok[$kind]=0; errors[$kind]=0; done
for round in $(seq 1 "$rounds"); do
  read -r raw_rps _ _ < <("$build/tests/bench/grassroots-bench-raw-insert" "$db_port" root volunteer 16 "$seconds" transfers)
  row="| $round | $raw_rps"
  for kind in distinct hot redeem_distinct redeem_hot; do
    case $kind in
      distinct | hot) args=(transfers "$target" "$work/seeded.txt" "$kind") ;;
      *) args=(redeem "$target" "$work/seeded.txt" "${kind#redeem_}") ;;
    esac
    read -r rps p50 p99 failed calls < <(load "${args[@]}" 16 "$seconds")
    [ -n "${calls:-}" ] || { echo "round $round: no $kind call succeeded"; tail -5 "$work/volunteer.log"; exit 1; }
    rates[$kind]+="$rps "; ratios[$kind]+="$(ratio "$rps" "$raw_rps") "
    ok[$kind]=$((ok[$kind] + calls)); errors[$kind]=$((errors[$kind] + failed))
    row+=" | $rps | $p50 | $p99 | $(ratio "$rps" "$raw_rps")%"
  done
  rows+="$row |"$'\n'
done
sql "DROP TABLE IF EXISTS raw_transfers"
retried=$(awk -v a="$(metric 'grassroots_db_pool_events_total{event="retried"}')" -v b="$retried0" 'BEGIN {printf "%.0f", a - b}')
deadlocked=$(( $(deadlocks) - deadlocks0 ))

# Every OK answer is one row under its id; a call that failed on the
# client (a deadline) may still have committed, so it may add one.
count() { sql "SELECT COUNT(*) FROM $1"; }
in_ledger_distinct=$(count "transfers WHERE id LIKE 'bench-%-d-%'")
in_ledger_hot=$(count "transfers WHERE id LIKE 'bench-%-h-%'")
redeemed_distinct=$(count "redemptions WHERE id LIKE 'bench-%-d-%'")
redeemed_hot=$(count "redemptions WHERE id LIKE 'bench-%-h-%'")
redemption_transfers=$(count "transfers WHERE id LIKE 'redemption/bench-%'")
once="yes"
within() {  # in_table ok failed
  [ "$1" -ge "$2" ] && [ "$1" -le $(($2 + $3)) ] || once="NO"
}
within "$in_ledger_distinct" "${ok[distinct]}" "${errors[distinct]}"
within "$in_ledger_hot" "${ok[hot]}" "${errors[hot]}"
within "$redeemed_distinct" "${ok[redeem_distinct]}" "${errors[redeem_distinct]}"
within "$redeemed_hot" "${ok[redeem_hot]}" "${errors[redeem_hot]}"
redeemed=$((redeemed_distinct + redeemed_hot))
[ "$redemption_transfers" -eq "$redeemed" ] || once="NO"
# Volunteers hold their starting points, plus the hot transfers (1 each),
# minus the redemptions (1 each); the distinct transfers move points
# between volunteers. The goods' stock went down by the redemptions.
held=$(sql "SELECT SUM(balance) FROM accounts WHERE kind = 1")
expected_held=$((volunteers * 1000000 + in_ledger_hot - redeemed))
stock=$(sql "SELECT SUM(stock) FROM goods")
expected_stock=$((communities * 1000000 - redeemed))
[ "$held" -eq "$expected_held" ] && [ "$stock" -eq "$expected_stock" ] || once="NO"
cli --target="$target" --roles=volunteer.admin call \
  grassroots.volunteer.v1.LedgerService/CheckInvariants '{}' > "$work/invariants.json"
violations=$({ grep -o '"rule"' "$work/invariants.json" || true; } | wc -l)
[ "$violations" -eq 0 ] || once="NO"
transfers_total=$(count transfers)
entries_total=$(count entries)

cat > "$work/section.md" <<MD
## volunteer: the ledger's and the supermarket's write rates (issue 6)

Produced by \`tests/bench/volunteer_ledger.sh $seconds\` on $(date -u +%Y-%m-%d) ($(nproc) cores
shared by the load client, volunteer and MariaDB 10.11 with
innodb_flush_log_at_trx_commit=1). $rounds rounds; in each, the raw INSERT and the four
loads run back to back, 16 threads or calls in flight each, ${seconds} s each, closed loop
through the callback client (every call under a new id, so none is a replay).

The city: $communities communities, each with its issuing account and one good (1 point,
1,000,000 in stock); $volunteers volunteers made through CreateVolunteer and given
1,000,000 points each by CreateTransfer, 16 at a time: $seed_rate volunteers/s,
$seed_seconds s.

| figure | median |
|---|---|
| transfers/s between distinct volunteer accounts | $(median ${rates[distinct]}) |
| / raw INSERT of a transfer row per second | $(median ${ratios[distinct]})% |
| transfers/s from one hot account (an issuing account) | $(median ${rates[hot]}) |
| / raw INSERT | $(median ${ratios[hot]})% |
| redemptions/s, each community's volunteers at its good | $(median ${rates[redeem_distinct]}) |
| / raw INSERT | $(median ${ratios[redeem_distinct]})% |
| redemptions/s, one community's volunteers at its one good | $(median ${rates[redeem_hot]}) |
| / raw INSERT | $(median ${ratios[redeem_hot]})% |
| every OK answer in the ledger once, balances and stock add up, checker clean | $once |

A transfer is one transaction: both accounts locked (\`SELECT ... FOR UPDATE\`, in id
order), the id looked up (a replay answers from the first), the debit checked against the
balance, then the transfer row, its two entries (each with the account's next sequence and
balance after) and the two balances written, and its change row (audit trail and feed). A
redemption adds to that the redemption and the volunteer looked up, the supermarket
account ensured, the stock row decremented by a conditional UPDATE (\`stock >= quantity\`) and
the redemption row. The raw
INSERT is one transfer-shaped row per autocommit statement into a copy of \`transfers\`
(\`tests/bench/raw_insert.cc\`), the ceiling any write with one commit has here. On the hot
account every transfer waits for the one before it to commit: its row lock is held to the
commit, so that rate is one commit after another on one row.

| round | raw INSERT/s | distinct/s | p50 ms | p99 ms | / raw | hot/s | p50 ms | p99 ms | / raw | redeem/s | p50 ms | p99 ms | / raw | hot good/s | p50 ms | p99 ms | / raw |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$rows
Calls refused or failed, over all rounds: distinct ${errors[distinct]}, hot ${errors[hot]},
redeem ${errors[redeem_distinct]}, hot good ${errors[redeem_hot]}. Transactions retried
after a deadlock or lock wait timeout (\`grassroots_db_pool_events_total{event="retried"}\`):
$retried; InnoDB deadlocks over the rounds: $deadlocked.

### Totals

Answered OK by the service, against the rows under the run's ids afterwards: distinct
transfers ${ok[distinct]} / $in_ledger_distinct, hot transfers ${ok[hot]} / $in_ledger_hot,
redemptions ${ok[redeem_distinct]} / $redeemed_distinct and ${ok[redeem_hot]} /
$redeemed_hot, with $redemption_transfers redemption transfers. Points held by volunteers
$held (expected $expected_held: the starting points plus the hot transfers minus the
redemptions); items in stock $stock (expected $expected_stock). The ledger holds
$transfers_total transfers and $entries_total entries; the invariant checker (sums to zero,
no balance below zero, stock, credits applied once): $violations violations. Non-OK gRPC
statuses counted by volunteer: $(grpc_errors "$volunteer_metrics").
MD
/usr/bin/python3 tests/bench/splice_section.py volunteer-ledger "$work/section.md"
cat "$work/section.md"
[ "$once" = "yes" ]
