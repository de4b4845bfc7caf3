#!/usr/bin/env bash
# Loads a dump-schema.sh backup from stdin into SCHEMA, which must be new or
# empty: a restore never merges into live data. Point the service at SCHEMA
# (--db-schema) with the personal-data key it had when the backup was made.
# usage: restore-schema.sh SCHEMA [mariadb client options...] < FILE.sql
set -euo pipefail
schema=${1:?usage: restore-schema.sh SCHEMA [client options...]}
shift
[[ $schema =~ ^[A-Za-z0-9_]+$ ]] || { echo "restore-schema.sh: bad schema name $schema" >&2; exit 2; }
mariadb "$@" -e "CREATE DATABASE IF NOT EXISTS \`$schema\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
tables=$(mariadb "$@" -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$schema'")
if [ "$tables" != 0 ]; then
  echo "restore-schema.sh: $schema already has $tables tables; restore into a new schema" >&2
  exit 1
fi
mariadb "$@" --default-character-set=utf8mb4 "$schema"
