#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + fuzzer coverage)
# and runs each for SECONDS (default 60) from the seed corpus. A crash or
# a sanitizer report fails the script and leaves the input under
# build-fuzz/crashes/. Writes the runs' figures (inputs tried, new coverage,
# corpus size, crashes) into docs/RELIABILITY.md (section "fuzz").
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
rows=$(mktemp)
section=$(mktemp)
trap 'rm -f "$rows" "$section"' EXIT
crashed=0
for target in json_transcoder http_request; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  seeds=tests/fuzz/corpus/${target%%_*}
  echo "fuzz: $target for ${seconds}s"
  log="$build/$target.log"
  "$build/tests/fuzz/${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/crashes/${target}-" -max_len=8192 "$corpus" "$seeds" >"$log" 2>&1 || true
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|Done)' "$log" || true
  fuzz_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  crashes=$(find "$build/crashes" -name "${target}-*" | wc -l)
  # libFuzzer's exit status says little here; a crash leaves an artifact.
  if [ "$crashes" -gt 0 ]; then
    crashed=1
    echo "fuzz: $target found a crash: $(ls "$build/crashes/${target}-"*)" >&2
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "$seconds" "$(fuzz_stat number_of_executed_units)" \
    "$(fuzz_stat new_units_added)" "$(find "$corpus" -type f | wc -l)" "$crashes" >>"$rows"
done
{
  echo "## Fuzzing the parsers"
  echo
  echo "\`bash tests/fuzz/run.sh $seconds\` on $(date -u +%Y-%m-%d) (clang, libFuzzer with ASan and UBSan, 2 shared"
  echo "cores). \`json_transcoder\` feeds arbitrary bytes to the gateway's JSON edge (the strict"
  echo "RFC 8259 check, then proto3 JSON into orgs' area requests and a sample message"
  echo "holding every JSON shape, and back);"
  echo "\`http_request\` feeds them to the HTTP/1.1 request path (Boost.Beast's parser, the"
  echo "Connect route, headers and body limits). The corpus is kept between runs"
  echo "(\`$build/corpus/\`), so a run starts from every input earlier runs found."
  echo
  echo "| target | seconds | inputs tried | new coverage units | corpus | crashes |"
  echo "|---|---|---|---|---|---|"
  cat "$rows"
} >"$section"
/usr/bin/python3 tests/bench/splice_section.py fuzz "$section" docs/RELIABILITY.md
if [ "$crashed" -ne 0 ]; then exit 1; fi
echo "fuzz: no crashes"
