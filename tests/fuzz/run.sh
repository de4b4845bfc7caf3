#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + fuzzer coverage)
# and runs each for SECONDS (default 60) from the seed corpus. A crash or
# a sanitizer report fails the script and leaves the input under
# build-fuzz/crashes/.
# Usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${GRASSROOTS_FUZZ_BUILD_DIR:-build-fuzz}
bash deploy/install-deps.sh
CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGRASSROOTS_FUZZ=ON -DGRASSROOTS_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j2 --target json_transcoder_fuzzer http_request_fuzzer
mkdir -p "$build/crashes"
for target in json_transcoder http_request; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  seeds=tests/fuzz/corpus/${target%%_*}
  echo "fuzz: $target for ${seconds}s"
  "$build/tests/fuzz/${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/crashes/${target}-" -max_len=8192 "$corpus" "$seeds" 2>&1 |
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|Done)' || true
  # libFuzzer's exit status is lost in the pipe; a crash leaves an artifact.
  if ls "$build/crashes/${target}-"* >/dev/null 2>&1; then
    echo "fuzz: $target found a crash: $(ls "$build/crashes/${target}-"*)" >&2
    exit 1
  fi
done
echo "fuzz: no crashes"
