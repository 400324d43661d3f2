#!/usr/bin/env bash
# cert-manager's Helm chart v1.21 with only the controller image swapped runs
# certmill: the real certmill binary, on kube-sim, given the exact arguments
# the chart renders, starts, becomes ready (/readyz) and issues; the one
# startup log line names the flags it ignores; with common values (Gateway API
# on through the chart's --config file, approval off, extra annotations) each
# is honoured: gateway-shim makes a Gateway's Certificate, and a
# CertificateRequest is not signed until the test approves it as
# `cmctl approve` does, then it is. Bad input (an unknown flag, a malformed
# --config file, an unknown field, a wrong-typed one) exits 2 with one line
# naming it. Every process listens on 127.0.0.1 on a port the kernel picks.
# Usage: cert_manager_chart_test.sh KUBE_SIM CERTMILL DEPLOY_DIR
set -euo pipefail
sim=$1
certmill=$2
deploy=$3
deadline_seconds=60

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (run tools/install-deps)"; exit 1; }
done

# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

certmill_pid=
stop_all() {
  local status=$?
  set +e
  if [[ -n $certmill_pid ]]; then kill "$certmill_pid" 2>/dev/null; wait "$certmill_pid" 2>/dev/null; fi
  (exit "$status")
  cleanup
}
trap stop_all EXIT
fail_with_log() {
  echo "FAIL: $*"
  echo "--- certmill log (last lines)"
  tail -n 30 "$work/certmill.err" 2>/dev/null || true
  exit 1
}

# The chart's arguments, after kubelet expanded $(POD_NAMESPACE) (the release
# namespace, cert-manager). Taken from deploy/charts/cert-manager/templates/
# deployment.yaml with the default values.yaml of v1.21: --v from
# global.logLevel (2), --cluster-resource-namespace=$(POD_NAMESPACE) as
# clusterResourceNamespace is empty, --leader-election-namespace from
# global.leaderElection.namespace (kube-system), --acme-http01-solver-image
# from acmesolver.image at the chart's appVersion, --max-concurrent-challenges
# from maxConcurrentChallenges (60); config, extraArgs, ingressShim,
# featureGates and the rest are empty, so render nothing.
chart_defaults=(
  --v=2
  --cluster-resource-namespace=cert-manager
  --leader-election-namespace=kube-system
  --acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.21.0
  --max-concurrent-challenges=60
)
# The same template with common values:
#   config: {apiVersion: controller.config.cert-manager.io/v1alpha1,
#            kind: ControllerConfiguration, enableGatewayAPI: true}
#   extraArgs: [--controllers=*,-certificaterequests-approver,
#               --extra-certificate-annotations=example.com/team]
# config renders --config (the chart mounts the ConfigMap at
# /var/cert-manager/config) right after --v; extraArgs come after the solver
# image.
cat >"$work/config.yaml" <<'EOF'
apiVersion: controller.config.cert-manager.io/v1alpha1
kind: ControllerConfiguration
enableGatewayAPI: true
EOF
chart_common=(
  --v=2
  "--config=$work/config.yaml"
  --cluster-resource-namespace=cert-manager
  --leader-election-namespace=kube-system
  --acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.21.0
  '--controllers=*,-certificaterequests-approver'
  --extra-certificate-annotations=example.com/team
  --max-concurrent-challenges=60
)
# What the pod has that a loopback test must say: the API server (in a pod,
# its service account) and listeners on ports the kernel picks.
local_args=(
  --kubeconfig "$KUBECONFIG"
  --metrics-listen-address=127.0.0.1:0
  --healthz-listen-address=127.0.0.1:0
  --http01-listen-address=127.0.0.1:0
  --leader-election-retry-period=200ms
)

# Bad input: each exits 2 with one line that names the flag, or the file and
# the field.
expect_refused() {
  local want=$1
  shift
  local code=0
  "$certmill" controller "${local_args[@]}" "$@" >"$work/refused.out" 2>"$work/refused.err" || code=$?
  [[ $code -eq 2 ]] || fail "certmill controller $* exited $code, want 2: $(cat "$work/refused.err")"
  [[ $(wc -l <"$work/refused.err") -eq 1 ]] || fail "not one line for $*: $(cat "$work/refused.err")"
  grep -qF -- "$want" "$work/refused.err" || fail "for $*: want '$want', got: $(cat "$work/refused.err")"
}
expect_refused "unknown flag --max-concurent-challenges for 'certmill controller' (did you mean --max-concurrent-challenges?)" \
  "${chart_defaults[@]}" --max-concurent-challenges=60
printf 'apiVersion: controller.config.cert-manager.io/v1alpha1\nkind: [\n' >"$work/malformed.yaml"
expect_refused "certmill: --config $work/malformed.yaml: not YAML: invalid YAML at line 3" \
  "--config=$work/malformed.yaml"
printf 'apiVersion: controller.config.cert-manager.io/v1alpha1\nkind: ControllerConfiguration\nenableGatewayApi: true\n' >"$work/unknown.yaml"
expect_refused "certmill: --config $work/unknown.yaml: unknown field \"enableGatewayApi\"" \
  --config "$work/unknown.yaml"
printf 'apiVersion: controller.config.cert-manager.io/v1alpha1\nkind: ControllerConfiguration\nmaxConcurrentChallenges: "sixty"\n' >"$work/typed.yaml"
expect_refused "certmill: --config $work/typed.yaml: field \"maxConcurrentChallenges\" must be a whole number, not \"sixty\"" \
  "--config=$work/typed.yaml"
echo "bad input: 4 cases refused with exit 2 and one line"

k apply -f "$deploy/crds" >"$work/out" 2>&1 || fail "applying the CRDs: $(cat "$work/out")"
cat >"$work/objects.yaml" <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: cert-manager
---
apiVersion: v1
kind: Namespace
metadata:
  name: apps
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned
  namespace: apps
spec:
  selfSigned: {}
EOF
k apply -f "$work/objects.yaml" >"$work/out" 2>&1 || fail "applying the objects: $(cat "$work/out")"

# Starts certmill with the given arguments and no command, as the image's
# ENTRYPOINT (/certmill) with the chart's args in place of its CMD
# (controller); waits for /readyz, and sets $healthz to its address.
start_certmill() {
  "$certmill" "${local_args[@]}" "$@" 2>"$work/certmill.err" &
  certmill_pid=$!
  local port=
  for _ in $(seq $((deadline_seconds * 10))); do
    port=$(sed -n 's/.*certmill controller started.* healthz=[^ ]*:\([0-9]*\).*/\1/p' "$work/certmill.err")
    [[ -n $port ]] && break
    kill -0 "$certmill_pid" 2>/dev/null || fail_with_log "certmill exited before it started"
    sleep 0.1
  done
  [[ -n $port ]] || fail_with_log "certmill did not log its start within ${deadline_seconds}s"
  healthz=127.0.0.1:$port
  for _ in $(seq $((deadline_seconds * 10))); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$healthz/readyz") == 200 ]] && return 0
    kill -0 "$certmill_pid" 2>/dev/null || fail_with_log "certmill exited before it was ready"
    sleep 0.1
  done
  fail_with_log "/readyz did not answer 200 within ${deadline_seconds}s"
}
stop_certmill() {
  kill -TERM "$certmill_pid"
  local code=0
  wait "$certmill_pid" || code=$?
  certmill_pid=
  [[ $code -eq 0 ]] || fail_with_log "certmill exited $code after SIGTERM, want 0"
}
# The one startup line about ignored flags.
ignored_line() {
  local lines
  lines=$(grep -c 'cert-manager flags accepted but ignored' "$work/certmill.err" || true)
  [[ $lines -eq 1 ]] || fail_with_log "want one ignored-flags line, found $lines"
  grep 'cert-manager flags accepted but ignored' "$work/certmill.err"
}
certificate() {  # name, then extra spec lines
  cat <<EOF
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: $1
  namespace: apps
spec:
  secretName: $1-tls
  dnsNames: [$1.example.com]
  issuerRef: {name: selfsigned}
EOF
}
# Prints the Certificate's Ready status once it is True, or fails.
wait_ready() {
  for _ in $(seq $((deadline_seconds * 5))); do
    ready=$(k get certificate "$1" -n apps -o json |
      jq -r '.status.conditions // [] | map(select(.type=="Ready"))[0].status // ""')
    [[ $ready == True ]] && return 0
    sleep 0.2
  done
  fail_with_log "Certificate $1 was not Ready within ${deadline_seconds}s (Ready=$ready)"
}

# 1. The chart's defaults.
start_certmill "${chart_defaults[@]}"
line=$(ignored_line)
grep -qF -- '--acme-http01-solver-image (certmill answers HTTP-01 itself: no solver pods)' <<<"$line" ||
  fail_with_log "the ignored-flags line does not name --acme-http01-solver-image: $line"
certificate plain | k apply -f - >"$work/out" 2>&1 || fail "creating a Certificate: $(cat "$work/out")"
wait_ready plain
# certmill's approver approved it, as cert-manager's does.
approved_by=$(k get certificaterequest plain-1 -n apps -o json |
  jq -r '.status.conditions | map(select(.type=="Approved" and .status=="True"))[0].reason // ""')
[[ $approved_by == cert-manager.io ]] || fail_with_log "plain-1 approved by '$approved_by', want cert-manager.io"
stop_certmill
echo "chart defaults: ready, ignored flags named, a Certificate issued and self-approved"

# 2. Common values.
start_certmill "${chart_common[@]}"
line=$(ignored_line)
grep -qF -- '--acme-http01-solver-image (' <<<"$line" ||
  fail_with_log "the ignored-flags line does not name --acme-http01-solver-image: $line"
for honoured in --controllers --extra-certificate-annotations; do
  grep -qF -- "$honoured" <<<"$line" && fail_with_log "$honoured is honoured, yet named ignored: $line"
done

# Gateway API on (from the --config file): gateway-shim makes the Gateway's
# Certificate, with the annotation --extra-certificate-annotations names.
cat >"$work/gateway.yaml" <<'EOF'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: apps
  annotations:
    cert-manager.io/issuer: selfsigned
    example.com/team: payments
    example.com/other: not-copied
spec:
  gatewayClassName: example
  listeners:
  - name: https
    hostname: edge.example.com
    port: 443
    protocol: HTTPS
    tls:
      mode: Terminate
      certificateRefs:
      - name: edge-tls
EOF
k apply -f "$work/gateway.yaml" >"$work/out" 2>&1 || fail "creating the Gateway: $(cat "$work/out")"
for _ in $(seq $((deadline_seconds * 5))); do
  k get certificate edge-tls -n apps >/dev/null 2>&1 && break
  sleep 0.2
done
k get certificate edge-tls -n apps -o json >"$work/crt.json" 2>/dev/null ||
  fail_with_log "gateway-shim made no Certificate for the Gateway within ${deadline_seconds}s"
[[ $(jq -c '.metadata.annotations // {} | with_entries(select(.key | startswith("example.com/")))' \
  "$work/crt.json") == '{"example.com/team":"payments"}' ]] ||
  fail_with_log "edge-tls's annotations are not the extra one: $(jq -c .metadata.annotations "$work/crt.json")"

# Approval off: the request waits, unsigned, until another approver approves it.
certificate gated | k apply -f - >"$work/out" 2>&1 || fail "creating a Certificate: $(cat "$work/out")"
for _ in $(seq $((deadline_seconds * 5))); do
  k get certificaterequest gated-1 -n apps >/dev/null 2>&1 && break
  sleep 0.2
done
k get certificaterequest gated-1 -n apps -o json >"$work/cr.json" 2>/dev/null ||
  fail_with_log "no CertificateRequest gated-1 within ${deadline_seconds}s"
sleep 3  # time in which an approving, signing controller would have signed it
k get certificaterequest gated-1 -n apps -o json >"$work/cr.json"
[[ $(jq -r '.status.certificate // ""' "$work/cr.json") == "" ]] ||
  fail_with_log "gated-1 was signed before anyone approved it"
[[ $(jq '[.status.conditions // [] | .[] | select(.type=="Approved")] | length' "$work/cr.json") -eq 0 ]] ||
  fail_with_log "certmill approved gated-1 itself: $(jq -c .status "$work/cr.json")"
# What `cmctl approve` writes: Approved=True on the status subresource.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
k patch certificaterequest gated-1 -n apps --subresource=status --type=merge -p \
  "{\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\",\"reason\":\"KubectlCertManager\",\"message\":\"manually approved by cmctl\",\"lastTransitionTime\":\"$now\"}]}}" \
  >"$work/out" 2>&1 || fail "approving gated-1: $(cat "$work/out")"
wait_ready gated
k get certificaterequest gated-1 -n apps -o json >"$work/cr.json"
[[ -n $(jq -r '.status.certificate // ""' "$work/cr.json") ]] || fail_with_log "gated-1 has no certificate"
[[ $(jq -r '.status.conditions | map(select(.type=="Approved"))[0].reason' "$work/cr.json") == KubectlCertManager ]] ||
  fail_with_log "the approval was not kept: $(jq -c .status.conditions "$work/cr.json")"
stop_certmill
echo "chart common values: Gateway API on, the extra annotation copied, a request signed only once approved"
echo "cert-manager chart: all checks passed"
