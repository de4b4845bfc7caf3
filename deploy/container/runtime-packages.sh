#!/usr/bin/env bash
# Prints the Debian packages that hold the shared libraries the given
# binaries load: what the final container stage installs, and nothing more.
# usage: runtime-packages.sh BINARY...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: runtime-packages.sh BINARY..." >&2; exit 2; }
mapfile -t libraries < <(ldd "$@" | awk '/=> \// { print $3 }' | sort -u)
# usrmerge: a library found under /lib may be registered under /usr/lib, or
# under the name its link points to. One dpkg query for all (each costs a
# read of the whole package database).
candidates=()
for library in "${libraries[@]}"; do
  candidates+=("$library" "/usr$library" "$(readlink -f "$library")")
done
declare -A owner
while IFS= read -r line; do
  owner[${line#*: }]=${line%%: *}
done < <(dpkg-query -S "${candidates[@]}" 2>/dev/null || true)
for library in "${libraries[@]}"; do
  found=""
  for candidate in "$library" "/usr$library" "$(readlink -f "$library")"; do
    [ -n "${owner[$candidate]:-}" ] && { found=${owner[$candidate]%%:*}; break; }
  done
  [ -n "$found" ] || { echo "runtime-packages: no package holds $library" >&2; exit 1; }
  echo "$found"
done | sort -u
