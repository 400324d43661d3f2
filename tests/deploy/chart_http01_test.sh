#!/usr/bin/env bash
# deploy/chart/: what cert-manager's Helm chart needs beside it for certmill's
# HTTP-01 routes. The chart's controller ServiceAccount, with
# http01-rbac.yaml applied, may do the EndpointSlice calls certmill makes
# and nothing more (checked with its own token), and values-http01.yaml
# gives the pod POD_IP from the downward API.
# Usage: chart_http01_test.sh KUBE_SIM_BINARY DEPLOY_DIR
set -euo pipefail
sim=$1
deploy=$2
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

k create namespace cert-manager >"$work/out" 2>&1 || fail "namespace: $(cat "$work/out")"
k create namespace shop >"$work/out" 2>&1 || fail "namespace: $(cat "$work/out")"
k -n cert-manager create serviceaccount cert-manager >"$work/out" 2>&1 ||
  fail "service account: $(cat "$work/out")"
token=$(k -n cert-manager create token cert-manager) || fail "no token for cert-manager/cert-manager"
can_i() { k auth can-i --token="$token" "$@" 2>/dev/null || true; }

# Before the extra RBAC the token may not create EndpointSlices: the check sees a "no".
[[ $(can_i create endpointslices.discovery.k8s.io -n shop) == no ]] ||
  fail "the bare ServiceAccount may already create EndpointSlices"
k apply -f "$deploy/chart/http01-rbac.yaml" >"$work/out" 2>&1 || fail "apply: $(cat "$work/out")"
for verb in get create update delete; do
  [[ $(can_i "$verb" endpointslices.discovery.k8s.io -n shop) == yes ]] ||
    fail "the chart's ServiceAccount cannot $verb EndpointSlices"
done
[[ $(can_i list endpointslices.discovery.k8s.io -A) == yes ]] ||
  fail "the chart's ServiceAccount cannot list EndpointSlices across namespaces"
for denied in "watch endpointslices.discovery.k8s.io -A" "create services -n shop" \
  "get secrets -n shop" "create endpoints -n shop"; do
  # shellcheck disable=SC2086
  [[ $(can_i $denied) == no ]] || fail "http01-rbac.yaml grants more than it needs: $denied"
done

values=$deploy/chart/values-http01.yaml
grep -q '^extraEnv:' "$values" || fail "values-http01.yaml sets no extraEnv"
grep -A4 'name: POD_IP' "$values" | grep -q 'fieldPath: status.podIP' ||
  fail "values-http01.yaml does not take POD_IP from status.podIP"
echo "ok: EndpointSlice calls allowed, nothing more; POD_IP from the downward API"
