#!/usr/bin/env bash
# Prints a compose env file with fresh random secrets, and writes the
# gateway's API keys file (one operator key, city-wide) beside STATE_DIR.
# usage: make-env.sh [STATE_DIR] > STATE_DIR/compose.env   (default .state)
set -euo pipefail
state=$(realpath -m "${1:-.state}")
mkdir -p "$state"
random() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }
operator=$(random)
printf '%s' "$operator" > "$state/compose-operator.key"
printf 'operator %s orgs.admin,grid.admin,volunteer.admin,careers.admin,dualreg.admin -\n' "$(printf '%s' "$operator" | sha256sum | cut -d' ' -f1)" \
  > "$state/compose-api-keys"
chmod 644 "$state/compose-api-keys"  # read by the gateway's unprivileged user
cat <<ENV
MARIADB_ROOT_PASSWORD=$(random)
ORGS_DB_PASSWORD=$(random)
GRID_DB_PASSWORD=$(random)
VOLUNTEER_DB_PASSWORD=$(random)
CAREERS_DB_PASSWORD=$(random)
DUALREG_DB_PASSWORD=$(random)
GRASSROOTS_PRINCIPAL_KEY=$(random)
ORGS_PERSONAL_DATA_KEY=$(random)
GRID_PERSONAL_DATA_KEY=$(random)
VOLUNTEER_PERSONAL_DATA_KEY=$(random)
CAREERS_PERSONAL_DATA_KEY=$(random)
GRASSROOTS_JWT_HS256_SECRET=$(random)
GRASSROOTS_API_KEYS_FILE=$state/compose-api-keys
ENV
echo "operator API key in $state/compose-operator.key" >&2
