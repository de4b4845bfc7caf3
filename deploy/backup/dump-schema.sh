#!/usr/bin/env bash
# A consistent logical backup of one service's schema on stdout: one
# transaction's snapshot (InnoDB, so the service keeps running), binary
# columns (the personal data ciphers) in hex, no CREATE DATABASE or USE, so
# restore-schema.sh can load it under any name. The service's own user may
# run it (its rights on its schema suffice).
# usage: dump-schema.sh SCHEMA [mariadb client options...] > FILE.sql
#   e.g. MYSQL_PWD=... dump-schema.sh grassroots_grid -h db -u grid | gzip > grid.sql.gz
set -euo pipefail
schema=${1:?usage: dump-schema.sh SCHEMA [client options...]}
shift
exec mariadb-dump "$@" --single-transaction --quick --hex-blob --routines --triggers --events \
  --no-tablespaces --default-character-set=utf8mb4 "$schema"
