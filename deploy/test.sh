#!/usr/bin/env bash
# The test command: installs what it needs, builds, runs every test with
# ctest (private MariaDB started by the test fixture; nothing else touched).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
build=${GRASSROOTS_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${GRASSROOTS_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2 "$@"
