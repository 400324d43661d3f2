#!/usr/bin/env bash
# Two `certmill controller` processes with leader election on one kube-sim,
# as deploy/overlays/ha runs them: both are Ready (/readyz 200), one leads
# and issues, the standby answers no HTTP-01 challenge (503); when the
# leader stops it releases the Lease, and the standby takes it and issues.
# Usage: standby_test.sh KUBE_SIM_BINARY CERTMILL_BINARY
set -euo pipefail
sim=$1
certmill=$2
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap 'stop_all; cleanup' EXIT

k apply -f - >"$work/out" 2>&1 <<'EOF' || fail "the setup: $(cat "$work/out")"
apiVersion: v1
kind: Namespace
metadata:
  name: apps
EOF
k apply -f "$(dirname "$0")/../../deploy/crds" >"$work/out" 2>&1 || fail "the CRDs: $(cat "$work/out")"
k apply -f - >"$work/out" 2>&1 <<'EOF' || fail "the Issuer: $(cat "$work/out")"
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned
  namespace: apps
spec:
  selfSigned: {}
EOF

# Starts a controller named $1; its log is $work/$1.err.
start() {
  "$certmill" controller --kubeconfig "$KUBECONFIG" --leader-elect=true \
    --leader-election-namespace=kube-system --leader-election-lease-duration=6s \
    --leader-election-renew-deadline=4s --leader-election-retry-period=1s \
    --metrics-listen-address=127.0.0.1:0 --healthz-listen-address=127.0.0.1:0 \
    --http01-listen-address=127.0.0.1:0 2>"$work/$1.err" &
  pids+=($!)
}
# The port a started controller logged for "$2" (healthz or http01).
port_of() {
  local port=
  for _ in $(seq 200); do
    port=$(sed -n "s/.*certmill controller started.* $2=[^ ]*:\([0-9]*\).*/\1/p" "$work/$1.err")
    [[ -n $port ]] && break
    sleep 0.05
  done
  [[ -n $port ]] || fail "$1 logged no $2 address: $(tail -n 5 "$work/$1.err")"
  echo "$port"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2"; }
wait_for_log() {  # controller, pattern, what
  for _ in $(seq 300); do
    grep -q "$2" "$work/$1.err" && return 0
    sleep 0.1
  done
  fail "$3: $(tail -n 5 "$work/$1.err")"
}
certificate() {
  k apply -f - >"$work/out" 2>&1 <<EOF || fail "Certificate $1: $(cat "$work/out")"
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: $1
  namespace: apps
spec:
  secretName: $1-tls
  dnsNames: [$1.apps.example.com]
  issuerRef: {name: selfsigned}
EOF
  k wait -n apps "certificate/$1" --for=condition=Ready --timeout=30s >"$work/out" 2>&1 ||
    fail "Certificate $1 is not Ready: $(cat "$work/out")"
}

start first
wait_for_log first "became the leader" "the first controller did not lead"
start second
first_health=$(port_of first healthz)
second_health=$(port_of second healthz)
second_http01=$(port_of second http01)

# Both Ready; the standby has not led, and serves no challenge.
for _ in $(seq 100); do
  [[ $(status_of "$second_health" /readyz) == 200 ]] && break
  sleep 0.1
done
[[ $(status_of "$second_health" /readyz) == 200 ]] || fail "the standby's /readyz is not 200"
[[ $(status_of "$first_health" /readyz) == 200 ]] || fail "the leader's /readyz is not 200"
grep -q "became the leader" "$work/second.err" && fail "the standby leads beside the leader"
code=$(status_of "$second_http01" /.well-known/acme-challenge/abcdefghijklmnop)
[[ $code == 503 ]] || fail "the standby's HTTP-01 listener answered $code, want 503"
certificate one
grep -q "became the leader" "$work/second.err" && fail "the standby took the Lease while the leader held it"

# The leader stops and releases the Lease; the standby takes over and issues.
kill -TERM "${pids[0]}"
wait "${pids[0]}" || fail "the leader exited non-zero on SIGTERM"
wait_for_log second "became the leader" "the standby did not take the Lease"
certificate two
[[ $(status_of "$second_health" /readyz) == 200 ]] || fail "the new leader's /readyz is not 200"
echo "ok: both Ready, the standby answered 503 to HTTP-01, took the Lease and issued"
