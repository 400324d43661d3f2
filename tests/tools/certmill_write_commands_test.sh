#!/usr/bin/env bash
# The operator commands that write, against kube-sim, read back with the real
# kubectl: `check api` (ready with the CRDs; exit 1 after --wait without
# them, 3 when nothing answers), `renew` (the Issuing condition, the others
# kept, skipped when already Issuing), `approve` / `deny` (the conditions, a
# second decision refused) and `create certificaterequest` (a request whose
# CSR is for the key written with mode 0600 and whose spec is the manifest's).
# Usage: certmill_write_commands_test.sh KUBE_SIM CERTMILL CRD_DIR
set -euo pipefail
sim=$1
certmill=$(realpath "$2")  # absolute: some commands run in $work
crds=$3
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"
export NO_COLOR=1
# A Python expression over the JSON that kubectl prints for one object.
jq_py() { python3 -c "import json,sys; o=json.load(sys.stdin); $1"; }
condition() { # KIND NAME TYPE -> "status reason message"
  k get "$1" "$2" -o json | jq_py "c=[c for c in o['status'].get('conditions',[]) if c['type']=='$3']; print(c[0]['status'], c[0]['reason'], c[0]['message'] if c else '')"
}

# check api: without the CRDs, not ready after retrying for --wait.
start=$(date +%s)
code=0; "$certmill" check api --wait 2s --interval 500ms >"$work/out" 2>"$work/err" || code=$?
[[ $code == 1 ]] || fail "check api without the CRDs exited $code, want 1: $(cat "$work/err")"
(( $(date +%s) - start >= 2 )) || fail "check api --wait 2s gave up before 2s"
grep -q "^Not ready: the API server does not serve cert-manager.io/v1" "$work/err" ||
  fail "check api without the CRDs: $(cat "$work/err")"
(( $(grep -c "^Not ready" "$work/err") >= 2 )) || fail "check api --wait did not retry: $(cat "$work/err")"
sed -E 's#(server: https://127\.0\.0\.1:)[0-9]+#\11#' "$KUBECONFIG" >"$work/closed.kubeconfig"
code=0; timeout 60 "$certmill" check api --kubeconfig "$work/closed.kubeconfig" 2>"$work/err" || code=$?
[[ $code == 3 ]] || fail "check api against a closed port exited $code, want 3: $(cat "$work/err")"

k apply -f "$crds" >"$work/out" 2>&1 || fail "kubectl apply of the CRDs: $(cat "$work/out")"
"$certmill" check api --wait 30s >"$work/out" 2>"$work/err" || fail "check api with the CRDs exited $?: $(cat "$work/err")"
[[ $(cat "$work/out") == "The cert-manager API is ready" ]] || fail "check api printed: $(cat "$work/out")"
[[ $(k get certificates -A -o name | wc -l) == 0 ]] || fail "check api's dry run stored a Certificate"

# renew: by name, the Ready condition kept; one already Issuing skipped.
k apply -f - >/dev/null <<'YAML'
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: default, labels: {tier: front}}
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {name: ca, kind: ClusterIssuer}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: busy, namespace: default}
spec:
  secretName: busy-tls
  dnsNames: [busy.example.com]
  issuerRef: {name: ca, kind: ClusterIssuer}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: cart, namespace: shop, labels: {tier: front}}
spec:
  secretName: cart-tls
  dnsNames: [cart.example.com]
  issuerRef: {name: ca, kind: ClusterIssuer}
YAML
k patch certificate web --subresource=status --type=merge -p '{"status":{"conditions":[
  {"type":"Ready","status":"True","reason":"Ready","message":"Certificate is up to date and has not expired"}]}}' >/dev/null
k patch certificate busy --subresource=status --type=merge -p '{"status":{"conditions":[
  {"type":"Issuing","status":"True","reason":"Expired","message":"Renewing certificate as it has expired"}]}}' >/dev/null
"$certmill" renew web busy >"$work/out" || fail "renew web busy exited $?: $(cat "$work/out")"
[[ $(sed -n 1p "$work/out") == "Manually triggered issuance of Certificate default/web" ]] ||
  fail "renew's line for web: $(cat "$work/out")"
[[ $(sed -n 2p "$work/out") == "Certificate default/busy is already being issued; skipped" ]] ||
  fail "renew's line for busy: $(cat "$work/out")"
[[ $(condition certificate web Issuing) == "True ManuallyTriggered Certificate re-issuance manually triggered" ]] ||
  fail "web's Issuing condition: $(condition certificate web Issuing)"
[[ $(condition certificate web Ready) == "True Ready Certificate is up to date and has not expired" ]] ||
  fail "renew lost web's Ready condition: $(condition certificate web Ready)"
[[ $(condition certificate busy Issuing) == "True Expired Renewing certificate as it has expired" ]] ||
  fail "renew rewrote busy's Issuing condition: $(condition certificate busy Issuing)"
# By selector across namespaces: web is Issuing now, cart is renewed.
"$certmill" renew -A -l tier=front >"$work/out" || fail "renew -A -l exited $?: $(cat "$work/out")"
grep -qx "Manually triggered issuance of Certificate shop/cart" "$work/out" || fail "renew -A -l: $(cat "$work/out")"
grep -qx "Certificate default/web is already being issued; skipped" "$work/out" || fail "renew -A -l: $(cat "$work/out")"
[[ $(wc -l <"$work/out") == 2 ]] || fail "renew -A -l renewed what the selector does not select: $(cat "$work/out")"
[[ $(k get certificate cart -n shop -o json | jq_py "print(o['status']['conditions'][0]['reason'])") == ManuallyTriggered ]] ||
  fail "cart was not renewed"
code=0; "$certmill" renew nope 2>"$work/err" || code=$?
[[ $code == 1 ]] || fail "renew of a missing Certificate exited $code, want 1"
for bad in "" "web --all" "--all -l a=b" "-A web"; do
  code=0; "$certmill" renew $bad 2>/dev/null || code=$?
  [[ $code == 2 ]] || fail "renew $bad exited $code, want 2"
done

# create certificaterequest: the key (ECDSA P-384 as the manifest asks, mode
# 0600), a CSR for it with the manifest's names, the spec copied.
cat >"$work/api.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: api, namespace: default, labels: {team: payments}}
spec:
  secretName: api-tls
  commonName: api.example.com
  dnsNames: [api.example.com, api.internal]
  duration: 720h
  usages: [server auth, digital signature]
  privateKey: {algorithm: ECDSA, size: 384}
  issuerRef: {name: ca, kind: ClusterIssuer, group: cert-manager.io}
YAML
(cd "$work" && "$certmill" create certificaterequest api-1 --from-certificate-file api.yaml) >"$work/out" ||
  fail "create certificaterequest exited $?: $(cat "$work/out")"
grep -qx "CertificateRequest api-1 has been created in namespace default" "$work/out" || fail "create printed: $(cat "$work/out")"
grep -qx "Private key written to file api-1.key" "$work/out" || fail "create printed: $(cat "$work/out")"
[[ $(stat -c %a "$work/api-1.key") == 600 ]] || fail "the key file's mode is $(stat -c %a "$work/api-1.key")"
openssl pkey -in "$work/api-1.key" -noout -text 2>/dev/null | grep -q "384 bit" || fail "the key is not P-384"
k get certificaterequest api-1 -o json >"$work/cr.json"
jq_py "import base64; print(base64.b64decode(o['spec']['request']).decode(), end='')" <"$work/cr.json" >"$work/api-1.csr"
openssl req -in "$work/api-1.csr" -noout -verify 2>/dev/null || fail "the request's CSR does not verify"
[[ $(openssl req -in "$work/api-1.csr" -noout -pubkey | openssl pkey -pubin -outform der | sha256sum) == \
   $(openssl pkey -in "$work/api-1.key" -pubout -outform der | sha256sum) ]] || fail "the CSR is not for the written key"
openssl req -in "$work/api-1.csr" -noout -text | grep -q "DNS:api.example.com, DNS:api.internal" ||
  fail "the CSR's SANs: $(openssl req -in "$work/api-1.csr" -noout -text)"
openssl req -in "$work/api-1.csr" -noout -subject | grep -q "CN *= *api.example.com" || fail "the CSR's subject"
jq_py "s=o['spec']; assert s['issuerRef']=={'name':'ca','kind':'ClusterIssuer','group':'cert-manager.io'}, s; \
assert s['duration']=='720h0m0s' or s['duration']=='720h', s; assert s['usages']==['server auth','digital signature'], s; \
assert not s.get('isCA'), s; assert o['metadata']['labels']=={'team':'payments'}, o['metadata']" <"$work/cr.json" ||
  fail "the request's spec: $(cat "$work/cr.json")"
# The name taken: exit 3, and the key of the request that has it kept.
sum=$(sha256sum <"$work/api-1.key")
code=0; (cd "$work" && "$certmill" create certificaterequest api-1 --from-certificate-file api.yaml) >/dev/null 2>"$work/err" || code=$?
[[ $code == 3 ]] || fail "a second create of api-1 exited $code, want 3: $(cat "$work/err")"
[[ $(sha256sum <"$work/api-1.key") == "$sum" ]] || fail "a second create of api-1 overwrote its key file"
code=0; "$certmill" create certificaterequest api-2 --from-certificate-file "$work/api.yaml" -n shop 2>"$work/err" || code=$?
[[ $code == 2 ]] || fail "create with -n other than the manifest's exited $code, want 2"
code=0; "$certmill" create certificaterequest api-2 --from-certificate-file "$work/none.yaml" 2>"$work/err" || code=$?
[[ $code == 2 ]] || fail "create from a missing file exited $code, want 2"

# approve / deny: the conditions as cmctl sets them; a second decision refused.
"$certmill" approve api-1 >"$work/out" || fail "approve exited $?"
[[ $(cat "$work/out") == "Approved CertificateRequest default/api-1" ]] || fail "approve printed: $(cat "$work/out")"
[[ $(condition certificaterequest api-1 Approved) == 'True KubectlCertManager manually approved by "certmill"' ]] ||
  fail "the Approved condition: $(condition certificaterequest api-1 Approved)"
for verb in approve deny; do
  code=0; "$certmill" $verb api-1 2>"$work/err" || code=$?
  [[ $code == 1 ]] || fail "$verb of an approved request exited $code, want 1"
  grep -q "CertificateRequest default/api-1 is already approved" "$work/err" || fail "$verb again: $(cat "$work/err")"
done
(cd "$work" && "$certmill" create cr api-3 --from-certificate-file api.yaml --output-key-file k3.pem) >/dev/null ||
  fail "create cr api-3"
[[ -s $work/k3.pem ]] || fail "--output-key-file was not written"
"$certmill" deny api-3 --reason Policy --message "not for production" >"$work/out" || fail "deny exited $?"
[[ $(cat "$work/out") == "Denied CertificateRequest default/api-3" ]] || fail "deny printed: $(cat "$work/out")"
[[ $(condition certificaterequest api-3 Denied) == "True Policy not for production" ]] ||
  fail "the Denied condition: $(condition certificaterequest api-3 Denied)"
code=0; "$certmill" approve api-3 2>"$work/err" || code=$?
[[ $code == 1 ]] && grep -q "is already denied" "$work/err" || fail "approve of a denied request exited $code: $(cat "$work/err")"
code=0; "$certmill" approve nope 2>/dev/null || code=$?
[[ $code == 1 ]] || fail "approve of a missing request exited $code, want 1"

# --fetch-certificate: a denied request ends the wait with its reason (exit
# 1); one never signed times out (exit 1). No controller runs here.
(cd "$work" && timeout 60 "$certmill" create certificaterequest api-4 --from-certificate-file api.yaml \
  --fetch-certificate --timeout 30s) >"$work/out" 2>"$work/err" &
fetch_pid=$!
for _ in $(seq 100); do k get certificaterequest api-4 >/dev/null 2>&1 && break; sleep 0.1; done
"$certmill" deny api-4 >/dev/null || fail "deny api-4"
code=0; wait "$fetch_pid" || code=$?
[[ $code == 1 ]] || fail "--fetch-certificate of a denied request exited $code, want 1: $(cat "$work/err")"
grep -q "was denied (KubectlCertManager): manually denied by \"certmill\"" "$work/err" || fail "fetch of a denied request: $(cat "$work/err")"
code=0; (cd "$work" && "$certmill" create certificaterequest api-5 --from-certificate-file api.yaml \
  --fetch-certificate --timeout 2s) >/dev/null 2>"$work/err" || code=$?
[[ $code == 1 ]] && grep -q "not signed within 2s" "$work/err" || fail "--fetch-certificate timeout exited $code: $(cat "$work/err")"
[[ ! -e $work/api-5.crt ]] || fail "a certificate file was written for an unsigned request"
echo "PASS"
