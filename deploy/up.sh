#!/usr/bin/env bash
# Brings the suite up on this machine: installs and builds if needed, starts a
# private MariaDB under .state/, creates one schema and one user per service
# (rights on its own schema only), starts the services, loads the demo data
# and prints the endpoints. deploy/down.sh stops exactly what this started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state=${GRASSROOTS_STATE_DIR:-$root/.state}
build=${GRASSROOTS_BUILD_DIR:-build}
mkdir -p "$state/logs" "$state/pids"

bash deploy/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-grid grassroots-gateway grassroots-cli \
  grassroots-volunteer grassroots-careers grassroots-dualreg

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Secrets are generated once per state directory and never committed.
[ -f "$state/principal.key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/principal.key"
export GRASSROOTS_PRINCIPAL_KEY=$(cat "$state/principal.key")
# The HS256 secret the gateway checks app tokens with (issuer grassroots-dev,
# audience grassroots); `grassroots-cli jwt` mints tokens with it.
# The master key for members' personal data at rest (orgs). Losing it loses
# those fields: back it up with the database.
[ -f "$state/personal-data.key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/personal-data.key"
export GRASSROOTS_PERSONAL_DATA_KEY=$(cat "$state/personal-data.key")
# grid keeps residents' personal data under a master key of its own.
[ -f "$state/grid-personal-data.key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/grid-personal-data.key"
# volunteer keeps volunteers' names under a master key of its own.
[ -f "$state/volunteer-personal-data.key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/volunteer-personal-data.key"
# careers keeps workers' names and ID numbers under a master key of its own.
[ -f "$state/careers-personal-data.key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/careers-personal-data.key"
[ -f "$state/jwt.secret" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/jwt.secret"

db_port=${GRASSROOTS_DB_PORT:-13306}
if ! running "$state/pids/mariadb.pid"; then
  if [ ! -d "$state/mariadb/mysql" ]; then
    mkdir -p "$state/mariadb"
    mariadb-install-db --no-defaults --datadir="$state/mariadb" --user=root \
      --auth-root-authentication-method=socket --skip-test-db >"$state/logs/mariadb-install.log" 2>&1
  fi
  setsid mariadbd --no-defaults --datadir="$state/mariadb" --user=root \
    --socket="$state/mariadb.sock" --port="$db_port" --bind-address=127.0.0.1 \
    --pid-file="$state/mariadb.server.pid" --log-error="$state/logs/mariadb.log" \
    --skip-name-resolve </dev/null >/dev/null 2>&1 &
  echo $! > "$state/pids/mariadb.pid"
  for _ in $(seq 1 100); do
    mariadb --no-defaults --socket="$state/mariadb.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
sql() { mariadb --no-defaults --socket="$state/mariadb.sock" -uroot -e "$1"; }

start_service() {  # name grpc_port metrics_port
  local name=$1 grpc=$2 metrics=$3
  [ -f "$state/db-$name.password" ] || head -c 24 /dev/urandom | base64 | tr -d '\n/+=' > "$state/db-$name.password"
  local password; password=$(cat "$state/db-$name.password")
  sql "CREATE DATABASE IF NOT EXISTS grassroots_$name CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
       CREATE USER IF NOT EXISTS '$name'@'127.0.0.1' IDENTIFIED BY '$password';
       ALTER USER '$name'@'127.0.0.1' IDENTIFIED BY '$password';
       GRANT ALL PRIVILEGES ON grassroots_$name.* TO '$name'@'127.0.0.1';"
  if ! running "$state/pids/$name.pid"; then
    GRASSROOTS_DB_PASSWORD=$password setsid "$build/services/$name/grassroots-$name" \
      --grpc-address=127.0.0.1:$grpc --metrics-address=127.0.0.1:$metrics \
      --db-port="$db_port" --db-user="$name" --db-schema="grassroots_$name" \
      </dev/null >>"$state/logs/$name.log" 2>&1 &
    echo $! > "$state/pids/$name.pid"
  fi
  for _ in $(seq 1 100); do
    "$build/services/cli/grassroots-cli" --target=127.0.0.1:$grpc health >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$name did not become healthy; see $state/logs/$name.log" >&2
  return 1
}

start_service orgs 7101 9101
# careers before grid, whose qualification follower reads careers' feed
# (--careers-address, default 127.0.0.1:7104); grid does not wait for it.
# careers asks grid for assessments' case performance (--grid-address,
# default 127.0.0.1:7102) only when an assessment is recorded, so it does
# not wait for grid either: the two call each other without a start order.
GRASSROOTS_PERSONAL_DATA_KEY=$(cat "$state/careers-personal-data.key") start_service careers 7104 9104
# grid asks orgs for the jurisdiction tree (--orgs-address, default 127.0.0.1:7101).
GRASSROOTS_PERSONAL_DATA_KEY=$(cat "$state/grid-personal-data.key") start_service grid 7102 9102
GRASSROOTS_PERSONAL_DATA_KEY=$(cat "$state/volunteer-personal-data.key") start_service volunteer 7103 9103
# dualreg checks registrations in orgs and credits volunteer through its
# outbox (--orgs-address, --volunteer-address: the defaults above).
start_service dualreg 7105 9105

# The gateway with one city-wide operator key. Only its SHA-256 is in the
# keys file; the secret is printed once below and kept in .state/.
if [ ! -f "$state/operator.key" ]; then
  head -c 32 /dev/urandom | base64 | tr -d '\n/+=' > "$state/operator.key"
fi
printf '# key id, sha256 of the secret, roles, scope (- for the whole city)\noperator %s orgs.admin,grid.admin,volunteer.admin,careers.admin,dualreg.admin -\n' \
  "$(printf '%s' "$(cat "$state/operator.key")" | sha256sum | cut -d' ' -f1)" > "$state/api-keys"
if ! running "$state/pids/gateway.pid"; then
  GRASSROOTS_JWT_HS256_SECRET=$(cat "$state/jwt.secret") \
    setsid "$build/services/gateway/grassroots-gateway" --grpc-address=127.0.0.1:7100 \
    --http-address=127.0.0.1:8100 --metrics-address=127.0.0.1:9100 \
    --routes=grassroots.orgs.v1=127.0.0.1:7101,grassroots.grid.v1=127.0.0.1:7102,grassroots.volunteer.v1=127.0.0.1:7103,grassroots.careers.v1=127.0.0.1:7104,grassroots.dualreg.v1=127.0.0.1:7105 --api-keys-file="$state/api-keys" \
    --jwt-issuer=grassroots-dev --jwt-audience=grassroots \
    </dev/null >>"$state/logs/gateway.log" 2>&1 &
  echo $! > "$state/pids/gateway.pid"
fi
for _ in $(seq 1 100); do
  "$build/services/cli/grassroots-cli" --target=127.0.0.1:7100 health >/dev/null 2>&1 && break
  sleep 0.2
done

# Prometheus scraping every service and the gateway (deploy/prometheus/), on
# loopback, its data under .state/prometheus.
if ! running "$state/pids/prometheus.pid"; then
  setsid prometheus --config.file=deploy/prometheus/prometheus.yml \
    --storage.tsdb.path="$state/prometheus" --web.listen-address=127.0.0.1:9090 \
    </dev/null >>"$state/logs/prometheus.log" 2>&1 &
  echo $! > "$state/pids/prometheus.pid"
fi
for _ in $(seq 1 100); do
  curl -sf http://127.0.0.1:9090/-/ready >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf http://127.0.0.1:9090/-/ready >/dev/null || { echo "prometheus did not become ready; see $state/logs/prometheus.log" >&2; exit 1; }

cli="$build/services/cli/grassroots-cli"
if ! "$cli" --target=127.0.0.1:7101 call grassroots.orgs.v1.AreaService/ListAreas '{}' | grep -q '"d01"'; then
  "$cli" --target=127.0.0.1:7101 import-areas deploy/demo/areas.csv
fi
# Seeded once: a second run would only replay the idempotent creates.
if ! "$cli" --target=127.0.0.1:7101 call grassroots.orgs.v1.OrganisationService/ListOrganisations '{}' | grep -q '"d01"'; then
  /usr/bin/python3 deploy/demo/seed_orgs.py "$cli" 127.0.0.1:7101
  # Over the tree: organisational life, regional party building, linkage,
  # evaluations and the admission list, and a decision in progress. Each
  # script is idempotent by request ids.
  for seed in seed_life seed_regional seed_linkage seed_decisions; do
    /usr/bin/python3 "deploy/demo/$seed.py" "$cli" 127.0.0.1:7101
  done
fi
# grid's demo data, over the demo communities; seeded once like orgs'.
# A demo seeded before visits existed gets them on the next run (the seed
# replays its creates).
if ! "$cli" --target=127.0.0.1:7102 call grassroots.grid.v1.GridService/ListGrids '{}' | grep -q '"g01"' ||
  ! "$cli" --target=127.0.0.1:7102 call grassroots.grid.v1.VisitService/ListOverdueVisits '{"pageSize":1}' | grep -q '"overdue"'; then
  /usr/bin/python3 deploy/demo/seed_grid.py "$cli" 127.0.0.1:7102 127.0.0.1:7101
fi
# grid's demo cases, each step by its role; seeded once like the rest.
if ! "$cli" --target=127.0.0.1:7102 --roles=grid.admin call grassroots.grid.v1.CaseService/ListCases '{"pageSize":1}' | grep -q '"cases"'; then
  /usr/bin/python3 deploy/demo/seed_cases.py "$cli" 127.0.0.1:7102
fi
# volunteer's demo data, over the first demo communities; seeded once.
if ! "$cli" --target=127.0.0.1:7103 call grassroots.volunteer.v1.VolunteerService/ListVolunteers '{}' | grep -q '"id"'; then
  /usr/bin/python3 deploy/demo/seed_volunteer.py "$cli" 127.0.0.1:7103 127.0.0.1:7101
fi
# careers' demo workers, over the first demo communities; seeded once.
if ! "$cli" --target=127.0.0.1:7104 --roles=careers.admin call grassroots.careers.v1.WorkerService/ListWorkers '{}' | grep -q '"id"'; then
  /usr/bin/python3 deploy/demo/seed_careers.py "$cli" 127.0.0.1:7104 127.0.0.1:7101
fi
# dualreg's demo registrations, posts, orders round the three lists (credited
# in volunteer), a pairing, evaluations and an employer report; seeded until
# both communities' six orders are confirmed (a run cut short is replayed).
if ! "$cli" --target=127.0.0.1:7105 --roles=dualreg.viewer call grassroots.dualreg.v1.OrderService/GetServiceFigures '{"path":"d01"}' |
  grep -q '"confirmedOrders":"\([6-9]\|[1-9][0-9][0-9]*\)"'; then
  /usr/bin/python3 deploy/demo/seed_dualreg.py "$cli" 127.0.0.1:7105 127.0.0.1:7101 127.0.0.1:7103
fi

cat <<MSG
Grassroots is up.
  gateway   gRPC 127.0.0.1:7100   JSON http://127.0.0.1:8100   metrics http://127.0.0.1:9100/metrics
            (x-api-key: \$(cat $state/operator.key))
  orgs      gRPC 127.0.0.1:7101   metrics http://127.0.0.1:9101/metrics
  grid      gRPC 127.0.0.1:7102   metrics http://127.0.0.1:9102/metrics
  volunteer gRPC 127.0.0.1:7103   metrics http://127.0.0.1:9103/metrics
  careers   gRPC 127.0.0.1:7104   metrics http://127.0.0.1:9104/metrics
  dualreg   gRPC 127.0.0.1:7105   metrics http://127.0.0.1:9105/metrics
  MariaDB   127.0.0.1:$db_port (socket $state/mariadb.sock)
  Prometheus http://127.0.0.1:9090 (alerts http://127.0.0.1:9090/alerts)
  status    bash deploy/status.sh
  logs      $state/logs/
The coverage engine's findings in the demo district:
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.orgs.v1.OrganisationService/ListFormationWorkItems '{}'
The demo grids and their key households through the gateway:
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.grid.v1.GridService/ListGrids '{}'
The key households and key persons not visited in time:
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.grid.v1.VisitService/ListOverdueVisits '{}'
The points ledger's invariants (sum zero, no balance below zero, stock and credits exact):
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.volunteer.v1.LedgerService/CheckInvariants '{}'
Dual registration's headline figures for the district (members, orders, households served):
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.dualreg.v1.OrderService/GetServiceFigures '{"path":"d01"}'
Under- and over-staffed communities per street:
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.careers.v1.StaffingService/GetStaffingReport '{"path":"d01"}'
List the demo areas through the gateway:
  $cli --target=127.0.0.1:7100 --api-key=\$(cat $state/operator.key) call grassroots.orgs.v1.AreaService/ListAreas '{"subtree":true}'
The same as JSON (Connect protocol):
  curl -s http://127.0.0.1:8100/grassroots.orgs.v1.AreaService/ListAreas -H 'content-type: application/json' \\
    -H "x-api-key: \$(cat $state/operator.key)" -d '{"subtree":true}'
Stop everything: bash deploy/down.sh
MSG
