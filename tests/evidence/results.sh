#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md and docs/RELIABILITY.md (issue 10, item 5):
# runs every benchmark, the fault scenarios and the fuzzers one after
# another, each rewriting its own section of the two documents with the
# command that produced it and its ratio to a reference measured in the
# same run. A script that fails is named at the end and makes this one fail;
# the others still run, so one failure does not hide the rest's figures.
# Run it on a machine nobody else is using: the figures are ratios, but two
# runs at once still disturb each other.
#   SHORT=1 tests/evidence/results.sh   shorter runs (minutes, not hours), for
#                                       checking the pipeline itself; the two
#                                       documents are put back afterwards and
#                                       the short versions left in the logs
# Usage: tests/evidence/results.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
logs=${GRASSROOTS_RESULTS_LOGS:-build/results}
mkdir -p "$logs"
if [ "${SHORT:-0}" = 1 ]; then
  seconds=3 big_cases=20000 import_lines=2000 operations=20000 step_seconds=5 fuzz_seconds=10
  city_scale=0.01
else
  seconds=10 big_cases=5000000 import_lines=20000 operations=1000000 step_seconds=20 fuzz_seconds=60
  city_scale=1
fi
# city.sh then runs a city's day on the city it loaded.
export GRASSROOTS_CITY_DAY_SECONDS=$step_seconds
runs=(
  "tests/bench/run.sh $seconds"
  "tests/bench/orgs_scale.sh $seconds"
  "tests/bench/grid_cases.sh $seconds $big_cases"
  "tests/bench/case_import.sh $import_lines"
  "tests/bench/volunteer_workload.sh $operations"
  "tests/bench/volunteer_ledger.sh $seconds"
  "tests/bench/careers_assessments.sh $seconds"
  "tests/bench/dualreg_orders.sh $seconds"
  "tests/bench/city_day.sh $step_seconds"
  "tests/evidence/city.sh $city_scale"
  "tests/evidence/faults.sh"
  "tests/fuzz/run.sh $fuzz_seconds"
)
failed=()
summary=()
if [ "${SHORT:-0}" = 1 ]; then
  cp docs/BENCHMARKS.md "$logs/BENCHMARKS.md.before"
  cp docs/RELIABILITY.md "$logs/RELIABILITY.md.before"
  restore() {
    cp docs/BENCHMARKS.md "$logs/BENCHMARKS.short.md"
    cp docs/RELIABILITY.md "$logs/RELIABILITY.short.md"
    cp "$logs/BENCHMARKS.md.before" docs/BENCHMARKS.md
    cp "$logs/RELIABILITY.md.before" docs/RELIABILITY.md
    echo "results: SHORT run: docs/ left as they were; the short figures are in $logs/*.short.md"
  }
  trap restore EXIT
fi
for run in "${runs[@]}"; do
  name=$(basename "${run%% *}" .sh)
  [ "$name" = run ] && name=$(basename "$(dirname "${run%% *}")")-run
  echo "results: $run (log $logs/$name.log)"
  start=$(date +%s)
  # shellcheck disable=SC2086  # the arguments are meant to split
  if bash $run >"$logs/$name.log" 2>&1; then
    outcome=ok
  else
    outcome="FAILED (exit $?)"
    failed+=("$run")
  fi
  summary+=("$(printf '%-45s %6d s  %s' "$run" $(($(date +%s) - start)) "$outcome")")
  echo "results:   ${summary[-1]}"
done
echo
echo "results: each command, its time and outcome"
printf '  %s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "results: ${#failed[@]} failed (their logs are in $logs): ${failed[*]}" >&2
  exit 1
fi
echo "results: docs/BENCHMARKS.md and docs/RELIABILITY.md regenerated"
