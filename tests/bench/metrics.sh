# Reading the servers' own figures, for the benchmark and evidence scripts
# (tests/bench/lib.sh sources it; tests/evidence/city.sh too): no side
# effects when sourced.

# h2load sees only HTTP status; the gRPC status is in the trailers. Count
# non-OK answers on the servers themselves.
grpc_errors() {  # metrics port [metric label] -> "Canceled 12, NotFound 1" (or "none")
  local metric=${2:-grpc_server_handled_total} label=${3:-grpc_code}
  curl -s "http://127.0.0.1:$1/metrics" | grep "^$metric" | grep -v "$label=\"OK\"" |
    grep -v 'grpc.health' | sed "s/.*$label=\"\([A-Za-z]*\)\".* \([0-9.e+]*\)\$/\1 \2/" |
    awk '{n[$1] += $2} END {s = ""; for (c in n) s = s (s == "" ? "" : ", ") c " " n[c]; print (s == "" ? "none" : s)}'
}

# Sums and counts of a server's own histograms, for the time each method
# spent inside it (from the start of the RPC to its status: queueing for
# a worker and a connection included) and the wait for a connection.
histograms() {  # metrics port -> "name{method} sum count" lines
  curl -s "http://127.0.0.1:$1/metrics" |
    grep -E '^(grpc_server_handling_seconds|grassroots_db_pool_acquire_seconds)_(sum|count)' |
    sed -E 's/^([a-z_]+)_(sum|count) ([0-9.e+-]+)$/\1 pool \2 \3/' |
    sed -E 's/^([a-z_]+)_(sum|count)\{([^}]*)\} ([0-9.e+-]+)$/\1 \3 \2 \4/' |
    sed -E 's/ [^ ]*grpc_method="([A-Za-z]+)"[^ ]* / \1 /; s/ [a-z_]+="[^ ]*" / pool /' |
    awk '{key = $1 " " $2; if ($3 == "sum") s[key] = $4; else c[key] = $4}
      END {for (k in c) print k, s[k], c[k]}' | sort
}

# Mean ms per method between two snapshots.
mean_between() {  # before after -> "method mean_ms calls" lines (absent before: 0)
  awk 'NR == FNR {s[$1 " " $2] = $3; c[$1 " " $2] = $4; next}
    {k = $1 " " $2; n = $4 - c[k]
     if (n > 0) printf "%s %.1f %d\n", ($1 ~ /acquire/ ? "connection-wait" : $2), 1000 * ($3 - s[k]) / n, n}' "$1" "$2"
}

# CPU time (user + system) a process has used so far, in seconds (0 once gone).
cpu_seconds() {  # pid
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# CPU seconds of each pid, a line each, for cores_between.
cpu_snapshot() {  # pid...
  local p
  for p in "$@"; do cpu_seconds "$p"; echo; done
}

# Cores each process used between two snapshots over WALL seconds, then
# the load client's (its own CPU seconds, 0 if unknown) and the sum:
# " 0.31 | 0.05 | ... | client | all |", cells of a markdown row.
cores_between() {  # before after wall client_cpu_seconds
  paste <(echo "$1") <(echo "$2") |
    awk -v w="$3" -v c="${4:-0}" '{u = (w > 0 ? ($2 - $1) / w : 0); t += u; printf " %.2f |", u}
      END {k = (w > 0 ? c / w : 0); printf " %.2f | %.2f |", k, t + k}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", 100 * a / b}'; }
