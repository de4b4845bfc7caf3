#!/usr/bin/env bash
# Run once by the MariaDB image on an empty data directory: a schema and a
# user per service, each user with rights on its own schema only.
set -euo pipefail
for service in orgs careers grid volunteer dualreg; do
  variable="${service^^}_DB_PASSWORD"
  password=${!variable:?$variable is not set}
  mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS grassroots_$service CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS '$service'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON grassroots_$service.* TO '$service'@'%';
SQL
done
