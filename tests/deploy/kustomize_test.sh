#!/usr/bin/env bash
# `kubectl apply -k deploy/` against kube-sim creates every object the
# kustomization renders (the Prometheus Operator's CRDs applied first, as a
# cluster with the operator has them), and both overlays render what they
# promise. Run with the machine's kubectl and with Debian's kubectl 1.20,
# whose kustomize is v2.0.3.
# Usage: kustomize_test.sh KUBE_SIM_BINARY DEPLOY_DIR OPERATOR_CRDS
set -euo pipefail
sim=$1
deploy=$2
operator_crds=$3
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

k apply -f "$operator_crds" >"$work/out" 2>&1 || fail "the operator's CRDs: $(cat "$work/out")"
k kustomize "$deploy" >"$work/rendered.yaml" 2>"$work/out" || fail "kustomize: $(cat "$work/out")"
objects=$(grep -c '^kind:' "$work/rendered.yaml")
(( objects >= 15 )) || fail "the kustomization renders only $objects objects"

# The CRDs go first, so that a second pass finds the kinds they define, as
# an operator applying twice would.
k apply -k "$deploy" >"$work/out" 2>&1 || k apply -k "$deploy" >"$work/out" 2>&1 ||
  fail "apply -k: $(cat "$work/out")"
k get -f "$work/rendered.yaml" -o name >"$work/names" 2>"$work/out" ||
  fail "not every rendered object exists: $(cat "$work/out")"
[[ $(wc -l <"$work/names") -eq $objects ]] ||
  fail "$(wc -l <"$work/names") objects exist, $objects were rendered: $(cat "$work/names")"
for expected in namespace/certmill serviceaccount/certmill deployment.apps/certmill \
  service/certmill poddisruptionbudget.policy/certmill clusterrole.rbac.authorization.k8s.io/certmill-controller \
  servicemonitor.monitoring.coreos.com/certmill prometheusrule.monitoring.coreos.com/certmill \
  customresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io; do
  grep -qx "$expected" "$work/names" || fail "$expected was not created: $(cat "$work/names")"
done
grep -q '"\*"\|- \*$' "$work/rendered.yaml" && fail "the manifests grant '*'"

# A second apply changes nothing it should not, and succeeds.
k apply -k "$deploy" >"$work/out" 2>&1 || fail "apply -k again: $(cat "$work/out")"

k kustomize "$deploy/overlays/ha" >"$work/ha.yaml" 2>"$work/out" || fail "ha overlay: $(cat "$work/out")"
grep -q 'replicas: 2' "$work/ha.yaml" || fail "the ha overlay does not run two replicas"
# The overlays' bases list the same files as deploy/kustomization.yaml.
[[ $(grep -c '^kind:' "$work/ha.yaml") -eq $objects ]] ||
  fail "the ha overlay renders $(grep -c '^kind:' "$work/ha.yaml") objects, deploy/ $objects"
k kustomize "$deploy/overlays/namespaced" >"$work/ns.yaml" 2>"$work/out" ||
  fail "namespaced overlay: $(cat "$work/out")"
grep -q -- '--namespace=' "$work/ns.yaml" || fail "the namespaced overlay does not pass --namespace"
[[ $(grep -c '^kind:' "$work/ns.yaml") -eq $objects ]] ||
  fail "the namespaced overlay renders $(grep -c '^kind:' "$work/ns.yaml") objects, deploy/ $objects"
echo "ok: $objects objects"
