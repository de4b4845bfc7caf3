#!/usr/bin/env bash
# clang-tidy over the project's own sources with the checks in .clang-tidy.
# Usage: deploy/lint.sh [FILE...]  (default: every .cc file git tracks)
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
build=${GRASSROOTS_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2   # generated headers must exist
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(git ls-files '*.cc')
printf '%s\n' "${files[@]}" | xargs -P2 -n4 clang-tidy -p "$build" --quiet
echo "clang-tidy: ${#files[@]} files clean"
