#!/usr/bin/env bash
# `certmill budgets` against kube-sim, with objects made by the real kubectl
# as the controller leaves them: two ACME Issuers (Let's Encrypt's production
# directory, and another CA whose certmill.io/rate-limits annotation says
# 2 new orders per hour), Orders labelled with their account and stamped
# with when they were placed (statuses through the status subresource), and
# a 429's closing on an account key Secret. Checks the table's rows (used,
# next free, closed until), -o json, -n, and the exit codes.
# Usage: certmill_budgets_test.sh KUBE_SIM CERTMILL CRD_DIR
set -euo pipefail
sim=$1
certmill=$2
crds=$3
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"
export NO_COLOR=1

# Before the CRDs: "install the CRDs", exit 3.
code=0; "$certmill" budgets 2>"$work/err" || code=$?
[[ $code == 3 ]] || fail "budgets without the CRDs exited $code, want 3"
grep -q "does not serve cert-manager.io/v1: are cert-manager's CRDs installed" "$work/err" ||
  fail "budgets without the CRDs: $(cat "$work/err")"

k apply -f "$crds" >"$work/out" 2>&1 || fail "kubectl apply of the CRDs: $(cat "$work/out")"

code=0; "$certmill" budgets >"$work/out" 2>"$work/err" || code=$?
[[ $code == 0 ]] || fail "budgets with no Issuers exited $code: $(cat "$work/err")"
grep -q "No ACME Issuers found in namespace default" "$work/err" || fail "no Issuers: $(cat "$work/err")"

closed_until=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
k apply -f - >/dev/null <<YAML
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: le, namespace: default}
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    privateKeySecretRef: {name: le-key}
    solvers: [{http01: {ingress: {}}}]
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: small
  namespace: default
  annotations: {certmill.io/rate-limits: "new-orders-per-account=2/1h"}
spec:
  acme:
    server: https://ca.example/acme/directory
    privateKeySecretRef: {name: small-key}
    solvers: [{http01: {ingress: {}}}]
---
apiVersion: v1
kind: Secret
metadata:
  name: le-key
  namespace: default
  annotations: {certmill.io/rate-limit-closings: "certificates-per-domain $closed_until example.org"}
type: Opaque
data: {tls.key: LS0tLS0K}
YAML

# The accounts' labels, as -o json tells them.
"$certmill" budgets -o json >"$work/json" || fail "budgets -o json exited $?"
label() { jq -r --arg i "$1" '.accounts[] | select(.issuers[0] == $i) | .accountLabel' "$work/json"; }
le=$(label default/le)
small=$(label default/small)
[[ ${#le} == 16 && ${#small} == 16 && $le != "$small" ]] || fail "account labels: $(cat "$work/json")"

# order NAME LABEL PLACED-MINUTES-AGO DNS-NAME [STATE]
order() {
  local placed
  placed=$(date -u -d "-$3 minutes" +%Y-%m-%dT%H:%M:%SZ)
  k apply -f - >/dev/null <<YAML
apiVersion: acme.cert-manager.io/v1
kind: Order
metadata:
  name: $1
  namespace: default
  labels: {certmill.io/acme-account: "$2"}
  annotations: {certmill.io/order-placed-at: "$placed"}
spec:
  request: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K
  issuerRef: {name: issuer, kind: Issuer}
  dnsNames: [$4]
YAML
  k patch order "$1" --subresource=status --type=merge \
    -p "{\"status\":{\"state\":\"${5:-valid}\",\"url\":\"https://ca.example/order/$1\"}}" >/dev/null
}
order small-1 "$small" 10 a.example.net
order small-2 "$small" 10 b.example.net
order le-1 "$le" 30 www.example.com
order le-2 "$le" 20 www.example.com
order other "0123456789abcdef" 5 www.example.com  # another account's: not counted
# An Order whose newOrder never got an answer (no URL) is not counted either.
k apply -f - >/dev/null <<YAML
apiVersion: acme.cert-manager.io/v1
kind: Order
metadata:
  name: unanswered
  namespace: default
  labels: {certmill.io/acme-account: "$le"}
spec:
  request: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K
  issuerRef: {name: le, kind: Issuer}
  dnsNames: [www.example.com]
YAML

"$certmill" budgets >"$work/table" 2>"$work/err" || fail "budgets exited $?: $(cat "$work/err")"
row() { grep -E "$1" "$work/table" >/dev/null || fail "no row /$1/ in:
$(cat "$work/table")"; }
row "^ACCOUNT +LIMIT +USED +NEXT FREE +CLOSED UNTIL$"
row "^default/le \(acme-v02.api.letsencrypt.org\) +new orders per account +[0-9]/300 in 3h +now +-$"
# Two certificates for one set: 5 per 7 days, the next when a token is back.
row "^ +certificates per exact set www.example.com +[2-4]/5 in 7d +now +-$"
row "^ +certificates per domain example.com +[2-4]/50 in 7d +now +-$"
# The 429's closing: the domain is shut until the CA's time.
row "^ +certificates per domain example.org +50/50 in 7d +in 1[12][0-9]m +in 1[12][0-9]m$"
# Two orders 10 minutes ago of 2 per hour: the next in about 20 minutes.
row "^default/small \(ca.example\) +new orders per account +2/2 in 60m +in (19|20)m +-$"
row "^ +certificates per domain \(any\) +not known +now +-$"

"$certmill" budgets -o json >"$work/json" || fail "budgets -o json exited $?"
jq -e '.accounts | length == 2' "$work/json" >/dev/null || fail "-o json accounts: $(cat "$work/json")"
jq -e '.accounts[] | select(.issuers[0] == "default/le") | .orders == 2' "$work/json" >/dev/null ||
  fail "-o json counts other accounts' or unanswered Orders: $(cat "$work/json")"
jq -e --arg t "$closed_until" '.accounts[] | select(.issuers[0] == "default/le") | .limits[1].keys[]
  | select(.key == "example.org") | .closedUntil == $t' "$work/json" >/dev/null ||
  fail "-o json closing: $(cat "$work/json")"

# Another namespace has no Issuers; a bad -o is a usage error.
k create namespace other >/dev/null
"$certmill" budgets -n other >"$work/out" 2>"$work/err" || fail "budgets -n other exited $?"
grep -q "No ACME Issuers found in namespace other" "$work/err" || fail "-n other: $(cat "$work/err")"
code=0; "$certmill" budgets -o yaml 2>"$work/err" || code=$?
[[ $code == 2 ]] || fail "budgets -o yaml exited $code, want 2"
echo "PASS"
