#!/usr/bin/env bash
# The operator commands against kube-sim, driven as a user would: a Ready
# Certificate with its TLS Secret, and a failing ACME one with its
# CertificateRequest, Order, invalid Challenge and Event, all made with the
# real kubectl (statuses through the status subresource). Checks `status
# certificate` (the failure's reason in the first lines), `inspect secret`
# (no byte of the private key), `list`/`get`, the exit codes, and the
# kubectl plugin (`kubectl certmill ...` through a kubectl-certmill symlink).
# Usage: certmill_ops_test.sh KUBE_SIM CERTMILL CRD_DIR
set -euo pipefail
sim=$1
certmill=$2
crds=$3
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"
export NO_COLOR=1

# Before the CRDs: not "no such Certificate" but "install the CRDs", exit 3.
code=0; "$certmill" list 2>"$work/err" || code=$?
[[ $code == 3 ]] || fail "list without the CRDs exited $code, want 3"
grep -q "does not serve cert-manager.io/v1: are cert-manager's CRDs installed" "$work/err" ||
  fail "list without the CRDs: $(cat "$work/err")"

k apply -f "$crds" >"$work/out" 2>&1 || fail "kubectl apply of the CRDs: $(cat "$work/out")"

# A Ready Certificate and its Secret.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj /CN=web.example.com -addext "subjectAltName=DNS:web.example.com" \
  -keyout "$work/web.key" -out "$work/web.crt" 2>/dev/null || fail "openssl could not make a certificate"
k create secret tls web-tls --cert="$work/web.crt" --key="$work/web.key" >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: default}
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {name: ca, kind: ClusterIssuer}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: shop, namespace: default}
spec:
  secretName: shop-tls
  dnsNames: [shop.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
YAML
not_after=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
renewal=$(date -u -d '+20 days' +%Y-%m-%dT%H:%M:%SZ)
k patch certificate web --subresource=status --type=merge -p "{\"status\":{\"conditions\":[
  {\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Ready\",\"message\":\"Certificate is up to date and has not expired\"}],
  \"notAfter\":\"$not_after\",\"renewalTime\":\"$renewal\",\"revision\":1}}" >/dev/null

# A failing ACME Certificate: request -> order -> invalid challenge.
reason="Error accepting authorization: acme: authorization error for shop.example.com: 403 urn:ietf:params:acme:error:unauthorized: Invalid response from http://shop.example.com/.well-known/acme-challenge/tok: 404"
k patch certificate shop --subresource=status --type=merge -p '{"status":{"conditions":[
  {"type":"Ready","status":"False","reason":"DoesNotExist","message":"Issuing certificate as Secret does not exist"},
  {"type":"Issuing","status":"False","reason":"Failed","message":"The certificate request has failed to complete and will be retried"}],
  "failedIssuanceAttempts":1}}' >/dev/null
cert_uid=$(k get certificate shop -o jsonpath='{.metadata.uid}')
k apply -f - >/dev/null <<YAML
apiVersion: cert-manager.io/v1
kind: CertificateRequest
metadata:
  name: shop-1
  namespace: default
  annotations: {cert-manager.io/certificate-name: shop, cert-manager.io/certificate-revision: "1"}
  ownerReferences: [{apiVersion: cert-manager.io/v1, kind: Certificate, name: shop, uid: $cert_uid, controller: true}]
spec:
  request: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
YAML
k patch certificaterequest shop-1 --subresource=status --type=merge -p '{"status":{"conditions":[
  {"type":"Approved","status":"True","reason":"cert-manager.io","message":"Certificate request has been approved by cert-manager.io"},
  {"type":"Ready","status":"False","reason":"Failed","message":"Failed to wait for order resource \"shop-1-42\" to become ready: order is in \"invalid\" state"}]}}' >/dev/null
cr_uid=$(k get certificaterequest shop-1 -o jsonpath='{.metadata.uid}')
k apply -f - >/dev/null <<YAML
apiVersion: acme.cert-manager.io/v1
kind: Order
metadata:
  name: shop-1-42
  namespace: default
  ownerReferences: [{apiVersion: cert-manager.io/v1, kind: CertificateRequest, name: shop-1, uid: $cr_uid, controller: true}]
spec:
  request: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
  dnsNames: [shop.example.com]
YAML
k patch order shop-1-42 --subresource=status --type=merge -p '{"status":{"state":"invalid","url":"https://acme.example/order/42"}}' >/dev/null
order_uid=$(k get order shop-1-42 -o jsonpath='{.metadata.uid}')
k apply -f - >/dev/null <<YAML
apiVersion: acme.cert-manager.io/v1
kind: Challenge
metadata:
  name: shop-1-42-7
  namespace: default
  ownerReferences: [{apiVersion: acme.cert-manager.io/v1, kind: Order, name: shop-1-42, uid: $order_uid, controller: true}]
spec:
  url: https://acme.example/chall/7
  authorizationURL: https://acme.example/authz/7
  dnsName: shop.example.com
  type: HTTP-01
  token: tok
  key: tok.thumbprint
  solver: {http01: {ingress: {ingressClassName: nginx}}}
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
YAML
k patch challenge shop-1-42-7 --subresource=status --type=merge \
  -p "{\"status\":{\"state\":\"invalid\",\"processing\":false,\"presented\":false,\"reason\":\"$reason\"}}" >/dev/null
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Event
metadata: {name: shop.1, namespace: default}
involvedObject: {apiVersion: cert-manager.io/v1, kind: Certificate, name: shop, namespace: default, uid: $cert_uid}
reason: Failed
message: The certificate request has failed to complete and will be retried
type: Warning
count: 1
lastTimestamp: "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
source: {component: cert-manager-certificates-issuing}
YAML

# status certificate: a Ready one exits 0, a failing one 1 with its reason up front.
"$certmill" status certificate web >"$work/web.status" || fail "status of a Ready Certificate exited $?: $(cat "$work/web.status")"
head -n 1 "$work/web.status" | grep -q "^Certificate default/web is Ready, valid until $not_after" ||
  fail "Ready verdict: $(head -n 3 "$work/web.status")"
grep -q "Private key:  ECDSA P-256" "$work/web.status" || fail "status shows no key type: $(cat "$work/web.status")"
code=0; "$certmill" status certificate shop >"$work/shop.status" || code=$?
[[ $code == 1 ]] || fail "status of a failing Certificate exited $code, want 1"
head -n 1 "$work/shop.status" | grep -q "^Certificate default/shop is not Ready: DoesNotExist" ||
  fail "failing verdict: $(head -n 3 "$work/shop.status")"
head -n 3 "$work/shop.status" | grep -qF "is invalid: $reason" || fail "the Challenge's reason is not in the first lines: $(head -n 5 "$work/shop.status")"
for want in "CertificateRequest: shop-1" "Order:          shop-1-42" "Approved: True" \
  "Warning   Failed" "Exists:       no"; do
  grep -qF "$want" "$work/shop.status" || fail "status lacks \"$want\": $(cat "$work/shop.status")"
done
"$certmill" status certificate shop -o json >"$work/shop.json" || true
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"]["ready"] is False; assert d["challenges"][0]["status"]["state"]=="invalid"' \
  "$work/shop.json" || fail "status -o json: $(cat "$work/shop.json")"
code=0; "$certmill" status certificate nope 2>"$work/err" || code=$?
[[ $code == 1 ]] || fail "status of a missing Certificate exited $code, want 1"

# inspect secret: the certificate's fields, none of the private key.
"$certmill" inspect secret web-tls >"$work/inspect" || fail "inspect exited $?: $(cat "$work/inspect")"
for want in "Subject:              CN=web.example.com" "DNS Names:            web.example.com" \
  "Private key (tls.key): ECDSA P-256" "SHA-256 Fingerprint:" "Chain (tls.crt):"; do
  grep -qF "$want" "$work/inspect" || fail "inspect lacks \"$want\": $(cat "$work/inspect")"
done
while read -r line; do
  if [[ $line != -----* ]] && grep -qF "${line:0:12}" "$work/inspect"; then
    fail "inspect printed part of the private key's PEM body"
  fi
done <"$work/web.key"
if grep -q "PRIVATE KEY" "$work/inspect"; then fail "inspect printed a PEM private key header"; fi

# list / get: the fleet, unissued first, -A and -o json.
"$certmill" list >"$work/list" || fail "list exited $?"
[[ $(head -n 1 "$work/list") == NAME* ]] || fail "list header: $(cat "$work/list")"
[[ $(sed -n 2p "$work/list") == shop* && $(sed -n 3p "$work/list") == web* ]] || fail "list order: $(cat "$work/list")"
"$certmill" get -A >"$work/list" || fail "get -A exited $?"
grep -q "^NAMESPACE   NAME" "$work/list" || fail "list -A has no NAMESPACE column: $(cat "$work/list")"
"$certmill" list -o json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["kind"]=="List" and len(d["items"])==2' ||
  fail "list -o json"
"$certmill" list -o yaml | grep -q "^kind: List$" || fail "list -o yaml"

# Exit codes: usage 2, configuration or API 3.
code=0; "$certmill" status secret x 2>/dev/null || code=$?
[[ $code == 2 ]] || fail "status of an unknown kind exited $code, want 2"
code=0; "$certmill" list -o xml 2>/dev/null || code=$?
[[ $code == 2 ]] || fail "list -o xml exited $code, want 2"
code=0; "$certmill" list --kubeconfig "$work/none" 2>/dev/null || code=$?
[[ $code == 3 ]] || fail "list with a missing kubeconfig exited $code, want 3"
code=0; "$certmill" list --context nowhere 2>/dev/null || code=$?
[[ $code == 3 ]] || fail "list with an unknown context exited $code, want 3"
# A server that does not answer: port 1 on loopback refuses the connection.
sed -E 's#(server: https://127\.0\.0\.1:)[0-9]+#\11#' "$KUBECONFIG" >"$work/closed.kubeconfig"
code=0; timeout 60 "$certmill" status certificate web --kubeconfig "$work/closed.kubeconfig" 2>"$work/err" || code=$?
[[ $code == 3 ]] || fail "status against a closed port exited $code, want 3: $(cat "$work/err")"

# The kubectl plugin: a kubectl-certmill symlink on PATH.
mkdir "$work/bin"
ln -s "$(realpath "$certmill")" "$work/bin/kubectl-certmill"
code=0; PATH="$work/bin:$PATH" timeout 60 "$kubectl" certmill status certificate shop >"$work/plugin" 2>&1 || code=$?
[[ $code == 1 ]] || fail "kubectl certmill status exited $code, want 1: $(cat "$work/plugin")"
head -n 3 "$work/plugin" | grep -qF "$reason" || fail "kubectl certmill status: $(head -n 5 "$work/plugin")"
PATH="$work/bin:$PATH" timeout 60 "$kubectl" certmill --help | grep -q "^Usage: kubectl certmill <command>" ||
  fail "the plugin's help does not name it"
echo "PASS"
