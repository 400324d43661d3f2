#!/usr/bin/env bash
# README.md's "Install in a cluster" and "Replace cert-manager" commands run
# as written, against kube-sim: every fenced sh block marked
# `<!-- tested: tests/deploy/readme_commands_test.sh -->` in those two
# sections, in order, each as one bash script (set -euo pipefail) from a
# directory holding a copy of deploy/, as a user runs them from the
# repository root. Before "Replace cert-manager", kube-sim gets what
# cert-manager's Helm chart leaves in a cluster: its namespace, its
# controller Deployment, its leader Lease and Certificates it issued. After
# the blocks, the cluster must show what the steps promise. Blocks that need
# a real cluster (pods, logs) are not marked and not run.
# Usage: readme_commands_test.sh KUBE_SIM_BINARY README DEPLOY_DIR OPERATOR_CRDS
set -euo pipefail
sim=$1
readme=$2
deploy=$3
operator_crds=$4
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

marker='<!-- tested: tests/deploy/readme_commands_test.sh -->'

# Writes the marked blocks of README section $1 to $2/01.sh, 02.sh, ...; prints how many.
extract() {
  local section=$1 out=$2
  mkdir -p "$out"
  awk -v section="## $section" -v marker="$marker" -v out="$out" '
    /^## / { inside = ($0 == section) }
    inside && $0 == marker { armed = 1; next }
    armed && /^```sh$/ { n++; file = sprintf("%s/%02d.sh", out, n); printf "" >file; armed = 0; copying = 1; next }
    armed { armed = 0 }
    copying && /^```$/ { copying = 0; close(file); next }
    copying { print >>file }
    END { print n + 0 }
  ' "$readme"
}

# Runs block file $1 from $work/root; its commands and output go to the
# test's log, and the output also to $work/all.out.
run_block() {
  local block=$1
  echo "--- $(basename "$(dirname "$block")") block $(basename "$block")"
  cat "$block"
  (cd "$work/root" && timeout 120 bash -euo pipefail "$block") >"$work/out" 2>&1 ||
    fail "the README block $block failed: $(cat "$work/out")"
  echo "--- its output"
  cat "$work/out"
  cat "$work/out" >>"$work/all.out"
}

install_blocks=$(extract "Install in a cluster" "$work/blocks/install")
replace_blocks=$(extract "Replace cert-manager" "$work/blocks/replace")
((install_blocks >= 1)) || fail "README.md's \"Install in a cluster\" has no block marked '$marker'"
((replace_blocks >= 4)) ||
  fail "README.md's \"Replace cert-manager\" has $replace_blocks blocks marked '$marker', expected the steps'"

mkdir -p "$work/root"
cp -r "$deploy" "$work/root/deploy"

# A cluster with the Prometheus Operator's CRDs, as "Install in a cluster" says.
k apply -f "$operator_crds" >"$work/out" 2>&1 || fail "the operator's CRDs: $(cat "$work/out")"

for block in "$work"/blocks/install/*.sh; do run_block "$block"; done
k get deployment certmill -n certmill >/dev/null 2>&1 || fail "Install did not create the Deployment"
k get crd certificates.cert-manager.io >/dev/null 2>&1 || fail "Install did not create the CRDs"

# What cert-manager's chart runs: its controller in namespace cert-manager,
# leading through the Lease kube-system/cert-manager-controller, and
# Certificates it issued (revision 1), each with its CertificateRequest.
k apply -f - >"$work/out" 2>&1 <<'YAML' || fail "cert-manager's objects: $(cat "$work/out")"
apiVersion: v1
kind: Namespace
metadata:
  name: cert-manager
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cert-manager
  namespace: cert-manager
  labels:
    app.kubernetes.io/name: cert-manager
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: cert-manager
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: cert-manager
      app.kubernetes.io/component: controller
      app.kubernetes.io/instance: cert-manager
  template:
    metadata:
      labels:
        app.kubernetes.io/name: cert-manager
        app.kubernetes.io/component: controller
        app.kubernetes.io/instance: cert-manager
    spec:
      serviceAccountName: cert-manager
      containers:
        - name: cert-manager-controller
          image: quay.io/jetstack/cert-manager-controller:v1.21.0
          args:
            - --v=2
            - --cluster-resource-namespace=$(POD_NAMESPACE)
            - --leader-election-namespace=kube-system
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: cert-manager-controller
  namespace: kube-system
spec:
  holderIdentity: cert-manager-7fb948f468-8x8xw_5b1d4e2c-3a7e-4f0e-9d1c-2b8f6a9e0c11
  leaseDurationSeconds: 60
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: shop
spec:
  secretName: web-tls
  dnsNames: [web.shop.example.com]
  issuerRef: {name: shop-ca, kind: ClusterIssuer}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: api
  namespace: shop
spec:
  secretName: api-tls
  dnsNames: [api.shop.example.com]
  issuerRef: {name: shop-ca, kind: ClusterIssuer}
YAML
for name in web api; do
  k patch certificate "$name" -n shop --subresource=status --type=merge \
    -p '{"status":{"revision":1,"conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"Certificate is up to date and has not expired"}]}}' \
    >"$work/out" 2>&1 || fail "the Certificate's status: $(cat "$work/out")"
done

scaled_down=false
for block in "$work"/blocks/replace/*.sh; do
  run_block "$block"
  # Once cert-manager's controller is scaled to zero, certmill's must be
  # installed, with cert-manager's namespace as its cluster resource namespace.
  if grep -q 'scale deployment cert-manager --replicas=0' "$block"; then
    scaled_down=true
    [[ $(k get deployment cert-manager -n cert-manager -o jsonpath='{.spec.replicas}') == 0 ]] ||
      fail "cert-manager's controller was not scaled to 0"
    k get deployment certmill -n certmill -o jsonpath='{.spec.template.spec.containers[0].args}' \
      >"$work/args" 2>&1 || fail "certmill's Deployment is missing: $(cat "$work/args")"
    grep -q -- '--cluster-resource-namespace=cert-manager"' "$work/args" ||
      fail "certmill's args do not name cert-manager's namespace: $(cat "$work/args")"
  fi
done
$scaled_down || fail "no Replace block scales cert-manager's controller to 0"

# After the rollback: nothing was re-issued, cert-manager's controller is
# back at one, certmill's is gone, and the CRDs and Certificates remain.
grep -q 'no Certificate re-issued' "$work/all.out" || fail "the revisions were not compared"
grep -q 'no new CertificateRequest' "$work/all.out" || fail "the requests were not counted"
[[ $(sort "$work/root/revisions-before.txt") == "$(printf 'shop/api 1\nshop/web 1')" ]] ||
  fail "step 1 saved '$(cat "$work/root/revisions-before.txt")' as the revisions"
[[ $(k get deployment cert-manager -n cert-manager -o jsonpath='{.spec.replicas}') == 1 ]] ||
  fail "cert-manager's controller was not scaled back to 1"
k get deployment certmill -n certmill >/dev/null 2>&1 && fail "the rollback left certmill's Deployment"
k get crd certificates.cert-manager.io >/dev/null 2>&1 || fail "the rollback removed the CRDs"
[[ $(k get certificates -n shop --no-headers | wc -l) -eq 2 ]] || fail "the rollback lost Certificates"
echo "ok: $install_blocks Install block(s) and $replace_blocks Replace blocks ran against kube-sim"
