#!/usr/bin/env bash
# A real Prometheus scrapes a real certmill controller (on kube-sim) with the
# shipped alert rules: a Certificate issued for 2h makes CertificateExpiresInADay
# pending, one that references a missing Issuer makes CertificateNotReady
# pending, and that one, whose expiration series is 0, raises no expiry alert
# (the false page of issue #20: 0 - time() < 86400 holds without the > 0 guard).
# A 90-day Certificate raises neither. Every process listens on 127.0.0.1 on a
# port the kernel picks and is stopped on exit.
# Usage: prometheus_scrape_test.sh KUBE_SIM CERTMILL DEPLOY_DIR
set -euo pipefail
sim=$1
certmill=$2
deploy=$3
# Absolute: Prometheus reads rule_files relative to its configuration's
# directory, and a pattern that matches no file loads no rules, silently.
rules=$(realpath "$deploy/prometheus/certmill-alerts.rules.yaml")
deadline_seconds=120

for tool in prometheus curl jq; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (run tools/install-deps)"; exit 1; }
done

# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

# kube_sim.sh's trap stops kube-sim and removes $work; this one stops certmill
# and Prometheus first.
certmill_pid=
prometheus_pid=
stop_all() {
  local status=$?
  set +e
  for p in $prometheus_pid $certmill_pid; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  # kube_sim.sh's cleanup exits with the status it finds in $?.
  (exit "$status")
  cleanup
}
trap stop_all EXIT
fail_with_logs() {
  echo "FAIL: $*"
  echo "--- certmill log (last lines)"
  tail -n 20 "$work/certmill.err" 2>/dev/null || true
  echo "--- prometheus log (last lines)"
  tail -n 20 "$work/prometheus.err" 2>/dev/null || true
  exit 1
}

k apply -f "$deploy/crds" >"$work/out" 2>&1 || fail "applying the CRDs: $(cat "$work/out")"
cat >"$work/objects.yaml" <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: alerts
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned
  namespace: alerts
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: short-lived
  namespace: alerts
spec:
  commonName: short-lived.example.com
  secretName: short-lived-tls
  duration: 2h
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ninety-days
  namespace: alerts
spec:
  commonName: ninety-days.example.com
  secretName: ninety-days-tls
  duration: 2160h
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: never-issued
  namespace: alerts
spec:
  commonName: never-issued.example.com
  secretName: never-issued-tls
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: no-such-issuer
EOF
k apply -f "$work/objects.yaml" >"$work/out" 2>&1 || fail "applying the Issuer and Certificates: $(cat "$work/out")"

# Port 0 everywhere: certmill logs the metrics port it bound. The logs are
# made before the processes start: a background job opens its redirections
# when it runs, and the polls below must not read a file not there yet.
: >"$work/certmill.out"
: >"$work/certmill.err"
: >"$work/prometheus.err"
"$certmill" controller --kubeconfig "$KUBECONFIG" --leader-elect=false \
  --metrics-listen-address 127.0.0.1:0 --healthz-listen-address 127.0.0.1:0 \
  --http01-listen-address 127.0.0.1:0 --log-format json >"$work/certmill.out" 2>"$work/certmill.err" &
certmill_pid=$!
metrics_port=
for _ in $(seq 200); do
  metrics_port=$(cat "$work/certmill.out" "$work/certmill.err" |
    jq -Rr 'fromjson? | select(.msg == "certmill controller started") | .metrics' | sed -n 's/.*://p')
  [[ -n $metrics_port ]] && break
  kill -0 "$certmill_pid" 2>/dev/null || fail_with_logs "certmill exited before it started"
  sleep 0.05
done
[[ -n $metrics_port ]] || fail_with_logs "certmill logged no start with its metrics port within 10s"

cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $rules
scrape_configs:
  - job_name: certmill
    static_configs:
      - targets: ["127.0.0.1:$metrics_port"]
EOF
prometheus --config.file "$work/prometheus.yml" --storage.tsdb.path "$work/tsdb" \
  --web.listen-address 127.0.0.1:0 >"$work/prometheus.out" 2>"$work/prometheus.err" &
prometheus_pid=$!
api=
for _ in $(seq 200); do
  port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/prometheus.err" | head -n 1)
  if [[ -n $port && $port != 0 ]]; then
    api=http://127.0.0.1:$port/api/v1
    break
  fi
  kill -0 "$prometheus_pid" 2>/dev/null || fail_with_logs "prometheus exited before it listened"
  sleep 0.05
done
[[ -n $api ]] || fail_with_logs "prometheus logged no listening port within 10s"

get() { curl --silent --show-error --fail --max-time 5 "$api/$1"; }
query() { curl --silent --show-error --fail --max-time 5 --data-urlencode "query=$1" "$api/query"; }
# alert NAME CERTIFICATE prints that alert's state, or nothing when there is none.
alert() {
  jq -r --arg a "$1" --arg n "$2" \
    '.data.alerts[] | select(.labels.alertname == $a and .labels.name == $n) | .state' "$work/alerts.json"
}

target_up=false
end=$((SECONDS + deadline_seconds))
while ((SECONDS < end)); do
  sleep 1
  get targets >"$work/targets.json" 2>"$work/out" || continue
  get alerts >"$work/alerts.json" 2>"$work/out" || continue
  [[ $(jq -r '.data.activeTargets[] | select(.labels.job == "certmill") | .health' "$work/targets.json") == up ]] || continue
  target_up=true
  get rules >"$work/rules.json" 2>"$work/out" || continue
  [[ $(jq '[.data.groups[].rules[]] | length' "$work/rules.json") -gt 0 ]] ||
    fail_with_logs "Prometheus loaded no rules from $rules"
  [[ $(alert CertificateExpiresInADay short-lived) =~ ^(pending|firing)$ ]] || continue
  [[ $(alert CertificateNotReady never-issued) =~ ^(pending|firing)$ ]] || continue
  break
done
$target_up || fail_with_logs "the certmill target was not up within ${deadline_seconds}s: $(cat "$work/targets.json" "$work/out" 2>/dev/null)"
state=$(alert CertificateExpiresInADay short-lived)
[[ $state =~ ^(pending|firing)$ ]] ||
  fail_with_logs "CertificateExpiresInADay is '$state' for short-lived within ${deadline_seconds}s: $(cat "$work/alerts.json")"
state=$(alert CertificateNotReady never-issued)
[[ $state =~ ^(pending|firing)$ ]] ||
  fail_with_logs "CertificateNotReady is '$state' for never-issued within ${deadline_seconds}s: $(cat "$work/alerts.json")"

# The never-issued Certificate's expiration series is scraped, and is 0, so
# the unguarded comparison would hold for it: only the guard keeps it quiet.
query 'certmanager_certificate_expiration_timestamp_seconds{name="never-issued"}' >"$work/q.json" ||
  fail_with_logs "querying the expiration series failed"
[[ $(jq -r '.data.result[0].value[1]' "$work/q.json") == 0 ]] ||
  fail_with_logs "never-issued's expiration series is not 0: $(cat "$work/q.json")"
query 'certmanager_certificate_expiration_timestamp_seconds{name="never-issued"} - time() < 86400' >"$work/q.json" ||
  fail_with_logs "querying the unguarded expression failed"
[[ $(jq '.data.result | length' "$work/q.json") == 1 ]] ||
  fail_with_logs "the unguarded expression does not hold for never-issued: $(cat "$work/q.json")"

# Several more evaluations, each checked: no expiry alert for never-issued or
# ninety-days, and ninety-days is Ready.
for _ in 1 2 3; do
  sleep 1
  get alerts >"$work/alerts.json" || fail_with_logs "reading /api/v1/alerts failed"
  for a in CertificateExpiresInADay CertificateExpiresInAWeek CertificateRenewalOverdue; do
    for c in never-issued ninety-days; do
      [[ -z $(alert "$a" "$c") ]] || fail_with_logs "$a is $(alert "$a" "$c") for $c: $(cat "$work/alerts.json")"
    done
  done
  [[ -z $(alert CertificateNotReady ninety-days) ]] || fail_with_logs "CertificateNotReady for ninety-days: $(cat "$work/alerts.json")"
  [[ -z $(alert CertificateExpiresInAWeek short-lived) ]] || fail_with_logs "CertificateExpiresInAWeek for short-lived: $(cat "$work/alerts.json")"
done
echo "ok: $(jq '.data.alerts | length' "$work/alerts.json") alerts active, none an expiry for never-issued"
