#!/usr/bin/env bash
# The volunteer service's randomised workload at benchmark size (issue 6):
# 16 concurrent clients, 1,000,000 operations (sign-ups, check-ins and
# confirmations, transfers, redemptions, cancellations, reversals, replays
# of old ids) against a real MariaDB, the invariant checker every 10,000
# operations while they write; zero violations or it fails naming the seed.
# Not part of ctest (the suite runs 3,000).
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
  "$build/tests/integration/volunteer_integration_tests" --gtest_filter='*Workload*'
end=$(date +%s)
echo "volunteer workload: $operations operations in $((end - start)) s (seed $seed)"
