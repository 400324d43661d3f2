#!/usr/bin/env bash
# The real kubectl against kube-sim: apply CRDs; apply, create, get -o yaml, patch,
# server-side apply, describe and delete cert-manager Certificates and Issuers
# as cert-manager's documentation writes them; create a namespace and a TLS
# Secret (protobuf bodies); `get -w` sees ADDED, MODIFIED
# and DELETED; an invalid Certificate is rejected naming the field.
# Usage: kubectl_test.sh KUBE_SIM_BINARY CRD_DIR
set -euo pipefail
sim=$1
crds=$2
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

k apply -f "$crds" >"$work/out" 2>&1 || fail "kubectl apply of the CRDs: $(cat "$work/out")"
k get crd certificates.cert-manager.io >/dev/null || fail "the Certificate CRD is not listed"

# kubectl's typed commands send protobuf for core kinds.
k create namespace sandbox >"$work/out" 2>&1 || fail "create namespace: $(cat "$work/out")"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=ca \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null || fail "openssl could not make a CA"
k create secret tls ca-key-pair --cert="$work/ca.crt" --key="$work/ca.key" >"$work/out" 2>&1 ||
  fail "create secret tls: $(cat "$work/out")"
k get secret ca-key-pair -o jsonpath='{.type}' >"$work/type"
[[ $(cat "$work/type") == kubernetes.io/tls ]] || fail "secret type is $(cat "$work/type")"

cat >"$work/issuer.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca-issuer
  namespace: default
spec:
  ca:
    secretName: ca-key-pair
YAML
cat >"$work/cert.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: example-com
  namespace: default
spec:
  secretName: example-com-tls
  duration: 2160h # 90d
  renewBefore: 360h # 15d
  subject:
    organizations:
      - jetstack
  isCA: false
  privateKey:
    algorithm: RSA
    encoding: PKCS1
    size: 2048
  usages:
    - server auth
    - client auth
  dnsNames:
    - example.com
    - www.example.com
  issuerRef:
    name: ca-issuer
    kind: Issuer
    group: cert-manager.io
YAML

# A watch from the start, in the background, for ADDED/MODIFIED/DELETED.
timeout 60 "$kubectl" get certificates -w --output-watch-events >"$work/watch" 2>&1 &
watch_pid=$!
for _ in $(seq 200); do
  grep -q . "$work/watch" 2>/dev/null && break
  k get certificates >/dev/null 2>&1 && break
  sleep 0.05
done
sleep 0.5

k apply -f "$work/issuer.yaml" >"$work/out" 2>&1 || fail "apply Issuer: $(cat "$work/out")"
# Applying a changed manifest again: kubectl computes a patch from the last
# applied configuration and the live object.
sed 's/secretName: ca-key-pair/secretName: ca-key-pair-2/' "$work/issuer.yaml" >"$work/issuer2.yaml"
k apply -f "$work/issuer2.yaml" >"$work/out" 2>&1 || fail "apply a changed Issuer: $(cat "$work/out")"
[[ $(k get issuer ca-issuer -o jsonpath='{.spec.ca.secretName}') == ca-key-pair-2 ]] ||
  fail "the changed Issuer was not patched: $(k get issuer ca-issuer -o yaml)"
k create -f "$work/cert.yaml" >"$work/out" 2>&1 || fail "create Certificate: $(cat "$work/out")"
k get certificate example-com -o yaml >"$work/yaml" || fail "get -o yaml"
grep -q "secretName: example-com-tls" "$work/yaml" || fail "get -o yaml lacks spec.secretName"
grep -q "uid:" "$work/yaml" || fail "get -o yaml lacks metadata.uid"
k get certificates >"$work/table" || fail "get certificates"
grep -q "^NAME .*READY .*SECRET .*AGE" "$work/table" || fail "printer columns: $(cat "$work/table")"
grep -q "^example-com .*example-com-tls" "$work/table" || fail "row: $(cat "$work/table")"

k patch certificate example-com --type=merge -p '{"spec":{"renewBefore":"720h"}}' >"$work/out" 2>&1 ||
  fail "merge patch: $(cat "$work/out")"
k get certificate example-com -o jsonpath='{.metadata.generation}' >"$work/gen"
[[ $(cat "$work/gen") == 2 ]] || fail "generation after a spec patch is $(cat "$work/gen"), want 2"
k patch certificate example-com --type=json -p '[{"op":"add","path":"/metadata/labels","value":{"team":"web"}}]' \
  >"$work/out" 2>&1 || fail "json patch: $(cat "$work/out")"
k get certificate example-com -o jsonpath='{.metadata.generation}' >"$work/gen"
[[ $(cat "$work/gen") == 2 ]] || fail "a label change bumped generation to $(cat "$work/gen")"
# kubectl-patch now owns spec.renewBefore: applying another value conflicts,
# and --force-conflicts takes the field over.
if k apply --server-side -f "$work/cert.yaml" >"$work/out" 2>&1; then
  fail "server-side apply over another manager's field did not conflict"
fi
grep -q 'conflict with "kubectl-patch": .spec.renewBefore' "$work/out" ||
  fail "conflict message: $(cat "$work/out")"
k apply --server-side --force-conflicts -f "$work/cert.yaml" >"$work/out" 2>&1 ||
  fail "server-side apply --force-conflicts: $(cat "$work/out")"
k get certificate example-com -o jsonpath='{.spec.renewBefore}' >"$work/rb"
[[ $(cat "$work/rb") == 360h ]] || fail "renewBefore after a forced apply is $(cat "$work/rb")"
uid=$(k get certificate example-com -o jsonpath='{.metadata.uid}')
cat >"$work/event.yaml" <<YAML
apiVersion: v1
kind: Event
metadata:
  name: example-com.issuing
  namespace: default
involvedObject:
  apiVersion: cert-manager.io/v1
  kind: Certificate
  name: example-com
  namespace: default
  uid: $uid
reason: Issuing
message: Issuing certificate as Secret does not exist
type: Normal
source:
  component: cert-manager-certificates-trigger
count: 1
YAML
k apply -f "$work/event.yaml" >"$work/out" 2>&1 || fail "apply Event: $(cat "$work/out")"
k describe certificate example-com >"$work/describe" 2>&1 || fail "describe: $(cat "$work/describe")"
grep -q "Normal *Issuing .*Issuing certificate as Secret does not exist" "$work/describe" ||
  fail "describe does not list the Event: $(cat "$work/describe")"
grep -q "^Name: *example-com" "$work/describe" || fail "describe output: $(cat "$work/describe")"
grep -q "Secret Name: *example-com-tls" "$work/describe" || fail "describe lacks the spec"
k describe issuer ca-issuer >/dev/null 2>&1 || fail "describe issuer"
k get iss ca-issuer >"$work/out" 2>&1 || fail "get iss (the Issuer's short name): $(cat "$work/out")"

# A rule the CRD carries as CEL: the server refuses in cert-manager's words.
cat >"$work/short.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: short
  namespace: default
spec:
  secretName: short-tls
  duration: 30m
  dnsNames:
    - short.example.com
  issuerRef:
    name: ca-issuer
YAML
if k apply --validate=false -f "$work/short.yaml" >"$work/out" 2>&1; then
  fail "a Certificate of 30 minutes was accepted"
fi
grep -q "certificate duration must be greater than 1h0m0s" "$work/out" ||
  fail "the refusal does not say why: $(cat "$work/out")"

# Neither secretName nor issuerRef: rejected, naming the fields.
cat >"$work/bad.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: bad
  namespace: default
spec:
  dnsNames:
    - bad.example.com
YAML
# kubectl up to 1.26 validates against OpenAPI v2 before it sends, and names
# the fields its own way; the server's rejection is seen with --validate=false.
if k apply -f "$work/bad.yaml" >"$work/out" 2>&1; then
  fail "an invalid Certificate was accepted"
fi
grep -Eq 'spec.secretName|missing required field "secretName"' "$work/out" ||
  fail "rejection does not name spec.secretName: $(cat "$work/out")"
grep -Eq 'spec.issuerRef|missing required field "issuerRef"' "$work/out" ||
  fail "rejection does not name spec.issuerRef: $(cat "$work/out")"
if k apply --validate=false -f "$work/bad.yaml" >"$work/out" 2>&1; then
  fail "the server accepted an invalid Certificate"
fi
grep -q "spec.secretName" "$work/out" || fail "the server's rejection does not name spec.secretName: $(cat "$work/out")"
grep -q "spec.issuerRef" "$work/out" || fail "the server's rejection does not name spec.issuerRef: $(cat "$work/out")"

k delete certificate example-com >"$work/out" 2>&1 || fail "delete: $(cat "$work/out")"
k delete issuer ca-issuer >"$work/out" 2>&1 || fail "delete issuer: $(cat "$work/out")"
k get certificate example-com >/dev/null 2>&1 && fail "the Certificate is still there after delete"

for _ in $(seq 200); do
  grep -q "^DELETED" "$work/watch" && break
  sleep 0.05
done
for event in ADDED MODIFIED DELETED; do
  grep -q "^$event .*example-com" "$work/watch" || fail "get -w did not show $event: $(cat "$work/watch")"
done
echo "kubectl against kube-sim: all checks passed"
