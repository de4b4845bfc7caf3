#!/usr/bin/env bash
# The volunteer service's randomised workload at benchmark size (issue 6):
# 16 concurrent clients, 1,000,000 operations (sign-ups, check-ins and
# confirmations, transfers, redemptions, cancellations, reversals, replays
# of old ids) against a real MariaDB, the invariant checker every 10,000
# operations while they write; zero violations or it fails naming the seed.
# Not part of ctest (the suite runs 10,000, checked every 1,000). Writes its section of
# docs/BENCHMARKS.md.
# Usage: tests/bench/volunteer_workload.sh [OPERATIONS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
operations=${1:-1000000}
seed=${2:-20261202}
build=${GRASSROOTS_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target volunteer_integration_tests grassroots_test_mariadb >/dev/null

work=$(mktemp -d)
cleanup() {
  "$build/common/testing/grassroots_test_mariadb" stop "$work/db" || true
  rm -rf "$work"
}
trap cleanup EXIT
"$build/common/testing/grassroots_test_mariadb" start "$work/db"

start=$(date +%s)
GRASSROOTS_TEST_MARIADB_DIR="$work/db" GRASSROOTS_WORKLOAD_OPERATIONS="$operations" \
  GRASSROOTS_WORKLOAD_CHECK_EVERY=10000 GRASSROOTS_WORKLOAD_SEED="$seed" \
  "$build/tests/integration/volunteer_integration_tests" --gtest_filter='*Workload*' | tee "$work/run.log"
end=$(date +%s)
elapsed=$((end - start))
echo "volunteer workload: $operations operations in $elapsed s (seed $seed)"
summary=$(grep -E "^seed $seed:" "$work/run.log" | tail -1)
checks=$((operations / 10000))
cat >"$work/section.md" <<SECTION
## volunteer: the randomised workload (issue 6)

\`tests/bench/volunteer_workload.sh [OPERATIONS] [SEED]\` runs the suite's
randomised workload (16 concurrent clients: sign-ups, check-ins and
confirmations, transfers, redemptions, cancellations, reversals, replays of
old ids) at benchmark size against a private MariaDB, with the invariant
checker every 10,000 operations while the clients write; any violation, or
a refusal the rules do not allow, fails naming the seed. The default is
1,000,000 operations.

Recorded by \`tests/bench/volunteer_workload.sh $operations $seed\` on $(date -u +%Y-%m-%d)
(the clients, the service and MariaDB on the same 2 shared cores):
$operations operations, $checks invariant checks while writing, zero
violations, $elapsed s for the whole test, checker included (about
$((operations / (elapsed > 0 ? elapsed : 1))) operations/s). The workload's own line: "$summary".

The ledger's transfers per second (distinct accounts and one hot account)
and redemptions per second, against the raw INSERT rate, are in the next
section (\`tests/bench/volunteer_ledger.sh\`).
SECTION
/usr/bin/python3 tests/bench/splice_section.py volunteer-workload "$work/section.md"
