#!/usr/bin/env bash
# Installs every build, test and run dependency from Debian packages.
# Idempotent: does nothing (and touches no network) when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libmysqlcppconn-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev libboost-dev rapidjson-dev
  mariadb-server mariadb-client grpc-proto nghttp2-client
  python3-grpcio python3-protobuf curl clang-format clang-tidy
  prometheus python3-yaml
)
# `install-deps.sh bench` adds what only the benchmarks use.
if [ "${1:-}" = bench ]; then packages+=(nginx wrk); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's mariadb-server and prometheus packages may start system servers;
# our harness never uses them (up.sh runs its own under .state/).
if command -v systemctl >/dev/null 2>&1; then "${sudo_cmd[@]}" systemctl disable --now mariadb nginx prometheus >/dev/null 2>&1 || true; fi
# Likewise nginx: the benchmark runs its own with its own configuration.
if [ -f /run/nginx.pid ] && [ "${1:-}" = bench ]; then "${sudo_cmd[@]}" nginx -s stop 2>/dev/null || true; fi
