#!/usr/bin/env bash
# Creates the Secrets the manifests reference, with fresh random values, in
# NAMESPACE (grassroots-dev or grassroots); an existing Secret is left as it
# is. Prints the operator API key once: it is stored only as its SHA-256.
# usage: k8s/create-secrets.sh NAMESPACE [SERVICE...]   (services: orgs careers grid volunteer dualreg)
set -euo pipefail
namespace=${1:?usage: create-secrets.sh NAMESPACE [SERVICE...]}
shift
services=("$@")
[ $# -gt 0 ] || services=(orgs careers grid volunteer dualreg)
random() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }
exists() { kubectl -n "$namespace" get secret "$1" >/dev/null 2>&1; }
create() {  # name key=value...
  local secret=$1
  shift
  if exists "$secret"; then echo "kept $secret"; return; fi
  local args=()
  for pair in "$@"; do args+=("--from-literal=$pair"); done
  kubectl -n "$namespace" create secret generic "$secret" "${args[@]}" >/dev/null
  echo "created $secret"
}

create grassroots-principal-key "key=$(random)"
create gateway-jwt "hs256-secret=$(random)"
for service in "${services[@]}"; do
  create "$service-db" "password=$(random)" "root-password=$(random)"
  # Only for services that keep personal data (their deployment names the key).
  if grep -q "$service-personal-data-key" "$(dirname "$0")/base/$service/deployment.yaml"; then
    create "$service-personal-data-key" "key=$(random)"
  fi
done
if ! exists gateway-api-keys; then
  operator=$(random)
  roles=$(printf '%s.admin,' "${services[@]}")
  printf 'operator %s %s -\n' "$(printf '%s' "$operator" | sha256sum | cut -d' ' -f1)" "${roles%,}" |
    kubectl -n "$namespace" create secret generic gateway-api-keys --from-file=api-keys=/dev/stdin >/dev/null
  echo "created gateway-api-keys; the operator key (shown once): $operator"
fi
