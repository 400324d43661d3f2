# Sourced by the shell tests that drive kubectl against kube-sim: checks
# kubectl, starts kube-sim (path in $sim) on a free loopback port, points
# KUBECONFIG and HOME at a scratch directory ($work), and stops everything on
# exit. Defines fail (prints kube-sim's last log lines) and k (kubectl with
# deadlines). $watch_pid, when a test sets it, is stopped too.
kubectl=${KUBECTL:-kubectl}
if ! command -v "$kubectl" >/dev/null; then
  echo "FAIL: kubectl not found at '$kubectl' (tools/install-deps installs Debian's kubernetes-client)"
  exit 1
fi
echo "kubectl: $("$kubectl" version --client 2>/dev/null | head -n 1)"

work=$(mktemp -d)
pid=
watch_pid=
cleanup() {
  local status=$?
  if [[ -n $watch_pid ]]; then kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; fi
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- kube-sim log (last lines)"
  tail -n 20 "$work/sim.err" || true
  exit 1
}

"$sim" --listen 127.0.0.1:0 --write-kubeconfig "$work/kubeconfig" >"$work/sim.out" 2>"$work/sim.err" &
pid=$!
for _ in $(seq 200); do
  [[ -s $work/kubeconfig ]] && break
  kill -0 "$pid" 2>/dev/null || fail "kube-sim exited before writing its kubeconfig"
  sleep 0.05
done
[[ -s $work/kubeconfig ]] || fail "kube-sim wrote no kubeconfig within 10s"
export KUBECONFIG=$work/kubeconfig
export HOME=$work  # kubectl's discovery cache, per test run
k() { timeout 60 "$kubectl" --request-timeout=20s "$@"; }
