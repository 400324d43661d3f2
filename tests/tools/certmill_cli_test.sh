#!/usr/bin/env bash
# The certmill binaries as a user meets them: help on every command, clear
# errors for bad flags, a demo that finishes, a controller that stops cleanly
# on SIGTERM, releasing the leader Lease it held on a real kube-sim, and a
# shipped controller that carries none of the demo's test harness.
# Usage: certmill_cli_test.sh path/to/certmill path/to/kube-sim path/to/certmill-demo
set -u
certmill=$1
kube_sim=$2
demo=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$certmill" --help >"$out/help" || fail "certmill --help exited non-zero"
for c in controller status inspect list get renew approve deny create check budgets version; do
  grep -q "^  $c " "$out/help" || fail "certmill --help does not list $c"
  "$certmill" "$c" --help >"$out/$c.help" || fail "certmill $c --help exited non-zero"
  grep -q "Usage: certmill $c" "$out/$c.help" || fail "certmill $c --help has no usage line"
done

"$certmill" frobnicate 2>"$out/err"; code=$?
[ "$code" -eq 2 ] || fail "unknown command exited $code, want 2"
grep -q "unknown command \"frobnicate\"; run 'certmill --help'" "$out/err" || fail "unknown command message: $(cat "$out/err")"

"$certmill" controller --shard=2 2>"$out/err"; code=$?
[ "$code" -eq 2 ] || fail "unknown flag exited $code, want 2"
grep -q "did you mean --shards?" "$out/err" || fail "no suggestion for --shard: $(cat "$out/err")"

# POD_IP (the downward API) must be an IP: the HTTP-01 EndpointSlices name it.
POD_IP=certmill-0 "$certmill" controller 2>"$out/err"; code=$?
[ "$code" -eq 2 ] || fail "controller with a POD_IP that is no IP exited $code, want 2"
grep -q 'POD_IP "certmill-0" must be the pod' "$out/err" || fail "POD_IP message: $(cat "$out/err")"

"$certmill" version | grep -q "^certmill " || fail "version prints no version"

# One flag per cloud DNS-01 provider moves its API (tests point them at dns-api-sim).
for flag in route53-api-url cloudflare-api-url clouddns-api-url azuredns-api-url digitalocean-api-url; do
  grep -q -- "--$flag" "$out/controller.help" || fail "certmill controller --help does not list --$flag"
done

grep -q "^  demo " "$out/help" && fail "certmill --help still lists the demo, which is its own program now"
"$demo" --help >"$out/demo.help" || fail "certmill-demo --help exited non-zero"
grep -q "Usage: certmill-demo" "$out/demo.help" || fail "certmill-demo --help has no usage line"
"$demo" --certificates=x 2>"$out/err"; code=$?
[ "$code" -eq 2 ] || fail "certmill-demo with a bad flag value exited $code, want 2"
grep -q "^certmill-demo: " "$out/err" || fail "certmill-demo's error does not name it: $(cat "$out/err")"

# The fleet and kube-sim code is the demo's alone (the count sees it there).
command -v nm >/dev/null || fail "nm not found (Debian package binutils, which clang-19 depends on)"
harness() { nm -C --defined-only "$1" 2>/dev/null | grep -c "certmill::fleet::"; }
[ "$(harness "$demo")" -gt 0 ] || fail "found no fleet code in certmill-demo: the check below sees nothing"
[ "$(harness "$certmill")" -eq 0 ] || fail "the shipped certmill links the demo's fleet code"

"$demo" --certificates 200 --ingresses 3 --shards 2 --exit-when-ready >"$out/demo" 2>"$out/demo.err" || fail "demo exited non-zero: $(cat "$out/demo.err")"
grep -q "certificates *204 Ready" "$out/demo" || fail "demo did not make all 204 Ready: $(cat "$out/demo")"
grep -q "API writes" "$out/demo" || fail "demo summary has no API writes: $(cat "$out/demo")"
# Each progress display ends on its final count, however fast the run.
[[ $(grep '^  created ' "$out/demo" | tail -n 1) == *" 203 / 203 "* ]] ||
  fail "the demo's progress did not end on 203 created: $(cat "$out/demo")"
[[ $(grep '^  ready ' "$out/demo" | tail -n 1) == *" 204 / 204 "* ]] ||
  fail "the demo's progress did not end on 204 Ready: $(cat "$out/demo")"

# No configuration anywhere: a clear error, not a crash.
env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$out" "$certmill" controller 2>"$out/err"; code=$?
[ "$code" -eq 1 ] || fail "controller without a kubeconfig exited $code, want 1"
grep -q "no kubeconfig found: pass --kubeconfig" "$out/err" || fail "no-kubeconfig message: $(cat "$out/err")"

"$kube_sim" --listen 127.0.0.1:0 --write-kubeconfig "$out/kubeconfig" >"$out/sim.out" 2>"$out/sim.err" &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do [ -s "$out/kubeconfig" ] && break; sleep 0.1; done
[ -s "$out/kubeconfig" ] || fail "kube-sim did not start: $(cat "$out/sim.err")"

"$certmill" controller --kubeconfig "$out/kubeconfig" --shards 2 --log-format=json --kube-api-qps 5 \
  --leader-election-retry-period 100ms 2>"$out/ctl" &
pid=$!
for _ in $(seq 100); do grep -q '"msg":"became leader"' "$out/ctl" && break; sleep 0.1; done
grep -q '"msg":"certmill controller started"' "$out/ctl" || fail "controller did not log its start: $(cat "$out/ctl")"
grep -q '"msg":"became leader","lease":"kube-system/cert-manager-controller"' "$out/ctl" || fail "controller did not take the Lease: $(cat "$out/ctl")"
kill -TERM "$pid"
wait "$pid"; code=$?
[ "$code" -eq 0 ] || fail "controller exited $code after SIGTERM, want 0"
grep -q '"msg":"stopped leading"' "$out/ctl" || fail "controller did not give up the Lease: $(cat "$out/ctl")"
grep -q '"msg":"stopped"' "$out/ctl" || fail "controller did not log a clean stop: $(cat "$out/ctl")"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "certmill CLI: all checks passed"
