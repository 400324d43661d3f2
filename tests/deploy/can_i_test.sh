#!/usr/bin/env bash
# deploy/'s RBAC is what the controller needs, no more: after `kubectl apply
# -k deploy/`, a token of the certmill ServiceAccount (`kubectl create
# token`) may do every call the code makes (`kubectl auth can-i` says yes to
# each line of $needed), every rule it holds is one of those calls (`kubectl
# auth can-i --list` shows nothing else), things it must never do are denied,
# and kube-sim enforces it on real requests, also through impersonation
# (`--as`). kubectl's protobuf TokenRequest is read whole.
# Usage: can_i_test.sh KUBE_SIM_BINARY DEPLOY_DIR OPERATOR_CRDS
set -euo pipefail
sim=$1
deploy=$2
operator_crds=$3
# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

sa=system:serviceaccount:certmill:certmill
# Every call the controller makes, from the code (all go through
# k8s/client.hpp): SCOPE VERB RESOURCE[/SUBRESOURCE] [NAME]. SCOPE "all" is
# across namespaces (the informers, cluster-scoped kinds), "ns" any one
# namespace, "kube-system" the leader-election namespace only.
needed=$(
  cat <<'EOF'
all list certificates.cert-manager.io
all watch certificates.cert-manager.io
ns get certificates.cert-manager.io
ns create certificates.cert-manager.io
ns update certificates.cert-manager.io
ns delete certificates.cert-manager.io
ns update certificates.cert-manager.io/status
ns patch certificates.cert-manager.io/status
ns update certificates.cert-manager.io/finalizers
all list certificaterequests.cert-manager.io
all watch certificaterequests.cert-manager.io
ns get certificaterequests.cert-manager.io
ns create certificaterequests.cert-manager.io
ns delete certificaterequests.cert-manager.io
ns update certificaterequests.cert-manager.io/status
ns patch certificaterequests.cert-manager.io/status
ns update certificaterequests.cert-manager.io/finalizers
all list issuers.cert-manager.io
all watch issuers.cert-manager.io
ns get issuers.cert-manager.io
ns update issuers.cert-manager.io/status
all list clusterissuers.cert-manager.io
all watch clusterissuers.cert-manager.io
all get clusterissuers.cert-manager.io
all update clusterissuers.cert-manager.io/status
ns get orders.acme.cert-manager.io
ns list orders.acme.cert-manager.io
ns create orders.acme.cert-manager.io
ns update orders.acme.cert-manager.io/status
ns update orders.acme.cert-manager.io/finalizers
ns get challenges.acme.cert-manager.io
ns list challenges.acme.cert-manager.io
ns create challenges.acme.cert-manager.io
ns delete challenges.acme.cert-manager.io
ns update challenges.acme.cert-manager.io/status
ns update challenges.acme.cert-manager.io/finalizers
all list secrets
all watch secrets
ns get secrets
ns create secrets
ns patch secrets
ns delete secrets
ns create events
ns patch events
all list ingresses.networking.k8s.io
all watch ingresses.networking.k8s.io
ns get ingresses.networking.k8s.io
ns create ingresses.networking.k8s.io
ns update ingresses.networking.k8s.io
ns delete ingresses.networking.k8s.io
ns update ingresses.networking.k8s.io/finalizers
all list gateways.gateway.networking.k8s.io
all watch gateways.gateway.networking.k8s.io
ns update gateways.gateway.networking.k8s.io/finalizers
ns create httproutes.gateway.networking.k8s.io
ns delete httproutes.gateway.networking.k8s.io
ns create services
all list endpointslices.discovery.k8s.io
ns get endpointslices.discovery.k8s.io
ns create endpointslices.discovery.k8s.io
ns update endpointslices.discovery.k8s.io
ns delete endpointslices.discovery.k8s.io
kube-system get leases.coordination.k8s.io cert-manager-controller
kube-system update leases.coordination.k8s.io cert-manager-controller
kube-system create leases.coordination.k8s.io
EOF
)
# Where the code makes each call:
# - certificates: informer list/watch (controller/runtime/caches.cpp), get
#   (certificate_sync.cpp), create/update/delete by ingress- and gateway-shim
#   (shim_effects.cpp), status (certificate_writes.cpp update_status; a
#   merge patch of status.acme in renewal_advisor.cpp).
# - certificaterequests: informer; create, get, delete (certificate_writes.cpp);
#   status (request_signing.cpp; a merge patch in request_effects.cpp).
# - issuers, clusterissuers: informers; get (signers.cpp); status
#   (issuer_effects.cpp, acme_accounts.cpp through k8s/modify.hpp).
# - orders, challenges: get, create, challenge delete, status
#   (controller/acme_order_objects.cpp); listed in a namespace to continue an
#   order placed before a restart (adopt_earlier_order); never watched.
# - */finalizers: blockOwnerDeletion on every ownerReference certmill writes.
# - secrets: informer (label-selected, which RBAC cannot narrow); get
#   (shard_context.cpp, backend_factories.cpp); create (acme_accounts.cpp);
#   patch by server-side apply, which needs create when the Secret is new
#   (certificate_writes.cpp), and of the account key's closings annotation
#   (rate_limit_scheduler.cpp); delete of an ACME request's kept key
#   (certificate_sync.cpp, certificate_writes.cpp).
# - events: create, patch of a repeat (k8s/events.cpp).
# - ingresses, httproutes: ingress-shim's informer; HTTP-01 solver routes
#   (controller/acme_solver_routes.cpp). gateways: gateway-shim's informer.
# - services, endpointslices: in a pod, each Challenge's Service and the
#   EndpointSlice naming the leader's pod, created, re-pointed (get, update or
#   delete + create) and listed by a new leader
#   (controller/acme_solver_endpoint.cpp, controller/solver_endpoints.cpp).
# - leases: k8s/leader_election.cpp, on the Lease cert-manager-controller.

# Things the controller never does, and must not be able to.
forbidden=$(
  cat <<'EOF'
all * *
all delete namespaces
all create namespaces
all create clusterroles.rbac.authorization.k8s.io
all bind clusterroles.rbac.authorization.k8s.io
all escalate clusterroles.rbac.authorization.k8s.io
all create clusterrolebindings.rbac.authorization.k8s.io
ns create rolebindings.rbac.authorization.k8s.io
ns create pods/exec
ns get pods
ns update secrets
ns deletecollection secrets
ns get configmaps
ns delete services
ns update services
all watch endpointslices.discovery.k8s.io
ns create serviceaccounts/token
all impersonate serviceaccounts
all impersonate users
all list customresourcedefinitions.apiextensions.k8s.io
ns create deployments.apps
ns patch certificates.cert-manager.io
ns update certificaterequests.cert-manager.io
ns create issuers.cert-manager.io
ns delete issuers.cert-manager.io
all watch orders.acme.cert-manager.io
all watch challenges.acme.cert-manager.io
ns update orders.acme.cert-manager.io
ns update ingresses.networking.k8s.io/status
ns update gateways.gateway.networking.k8s.io
ns get httproutes.gateway.networking.k8s.io
default create leases.coordination.k8s.io
default get leases.coordination.k8s.io cert-manager-controller
kube-system get leases.coordination.k8s.io other
kube-system update leases.coordination.k8s.io other
kube-system list leases.coordination.k8s.io
kube-system delete leases.coordination.k8s.io cert-manager-controller
EOF
)

k apply -f "$operator_crds" >"$work/out" 2>&1 || fail "the operator's CRDs: $(cat "$work/out")"
k apply -k "$deploy" >"$work/out" 2>&1 || k apply -k "$deploy" >"$work/out" 2>&1 ||
  fail "apply -k: $(cat "$work/out")"
k create namespace team-a >"$work/out" 2>&1 || fail "create namespace: $(cat "$work/out")"
token=$(k create token certmill -n certmill --duration=1h 2>"$work/out") ||
  fail "create token: $(cat "$work/out")"
[[ -n $token ]] || fail "create token printed no token"
# kubectl sends these in protobuf: kube-sim reads the ServiceAccount and the
# TokenRequest's duration, audiences and bound object.
k create serviceaccount robot -n team-a >"$work/out" 2>&1 || fail "create sa: $(cat "$work/out")"
k create secret generic bound -n team-a >"$work/out" 2>&1 || fail "create secret: $(cat "$work/out")"
k create token robot -n team-a --duration=2h --audience=a --audience=b --bound-object-kind=Secret \
  --bound-object-name=bound -o jsonpath='{.spec}' >"$work/spec" 2>"$work/out" ||
  fail "create token for robot: $(cat "$work/out")"
for part in '"audiences":["a","b"]' '"kind":"Secret","name":"bound"' '"expirationSeconds":7200'; do
  grep -qF "$part" "$work/spec" || fail "the TokenRequest's spec came back as $(cat "$work/spec")"
done

# can-i SCOPE VERB RESOURCE[/SUB] [NAME] [kubectl flags...]: prints yes or no.
can_i() {
  local scope=$1 verb=$2 resource=$3 name=${4:-} args=()
  shift 3
  (($#)) && shift
  case $scope in
    all) args+=(--all-namespaces) ;;
    ns) args+=(-n team-a) ;;
    *) args+=(-n "$scope") ;;
  esac
  if [[ $resource == */* ]]; then
    args+=(--subresource="${resource#*/}")
    resource=${resource%%/*}
  fi
  [[ -n $name ]] && resource+=/$name
  k auth can-i "$verb" "$resource" "${args[@]}" "$@" 2>>"$work/can-i.err" || true
}

yes_count=0
while read -r scope verb resource name; do
  answer=$(can_i "$scope" "$verb" "$resource" "$name" --token="$token")
  [[ $answer == yes ]] ||
    fail "the controller needs '$verb $resource ${name:+($name) }in $scope' but can-i says '$answer': $(tail -n 3 "$work/can-i.err")"
  yes_count=$((yes_count + 1))
done <<<"$needed"

no_count=0
while read -r scope verb resource name; do
  answer=$(can_i "$scope" "$verb" "$resource" "$name" --token="$token")
  [[ $answer == no ]] ||
    fail "the controller must not '$verb $resource ${name:+($name) }in $scope' but can-i says '$answer'"
  no_count=$((no_count + 1))
done <<<"$forbidden"

# Nothing granted beyond $needed: each (resource, verb, names) of the rules
# bound in kube-system (the ClusterRole's and the leader-election Role's) is
# a line of $needed. The discovery and self-review rules every user has are
# left out.
k auth can-i --list -n kube-system --no-headers --token="$token" >"$work/list" 2>"$work/out" ||
  fail "can-i --list: $(cat "$work/out")"
granted=0
while read -r resource names verbs; do
  names=${names//[\[\]]/}
  for verb in ${verbs//[\[\]]/}; do
    granted=$((granted + 1))
    grep -qE "^[a-z-]+ $verb ${resource//./\\.}( ${names})?$" <<<"$needed" ||
      fail "deploy/ grants '$verb $resource${names:+ ($names)}', which no code needs"
  done
done < <(grep -v '^ ' "$work/list" | grep -v 'selfsubject' | awk '{v=""; for (i=4; i<=NF; i++) v=v" "$i; print $1, $3, v}')
((granted >= yes_count)) || fail "can-i --list shows $granted grants, fewer than the $yes_count needed"

# kube-sim enforces the same rules on real requests.
k create -n team-a -f - >"$work/out" 2>&1 <<'YAML' || fail "create certificate: $(cat "$work/out")"
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {name: ca}
YAML
k get certificates -A --token="$token" >"$work/out" 2>&1 ||
  fail "the token cannot list Certificates: $(cat "$work/out")"
grep -q '^team-a  *web ' "$work/out" || fail "the token's list misses team-a/web: $(cat "$work/out")"
k get secrets -n kube-system --token="$token" >"$work/out" 2>&1 ||
  fail "the token cannot list Secrets: $(cat "$work/out")"
denied="Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io is forbidden: User \"$sa\" cannot list resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope"
k get clusterroles --token="$token" >"$work/out" 2>&1 && fail "the token can list ClusterRoles"
grep -qF "$denied" "$work/out" || fail "listing ClusterRoles: $(cat "$work/out")"
k delete namespace team-a --token="$token" >"$work/out" 2>&1 && fail "the token deleted a namespace"
grep -qF "namespaces \"team-a\" is forbidden: User \"$sa\" cannot delete resource \"namespaces\" in API group \"\" in the namespace \"team-a\"" "$work/out" ||
  fail "deleting a namespace: $(cat "$work/out")"
k get leases -n default --token="$token" >"$work/out" 2>&1 && fail "the token can list Leases in default"
grep -q Forbidden "$work/out" || fail "listing Leases: $(cat "$work/out")"
k get certificates -A --token=not-a-token >"$work/out" 2>&1 && fail "a made-up token was accepted"
grep -q Unauthorized "$work/out" || fail "a made-up token: $(cat "$work/out")"

# The admin impersonating the ServiceAccount gets the same answers.
[[ $(can_i all list certificates.cert-manager.io "" --as="$sa") == yes ]] ||
  fail "--as $sa cannot list Certificates"
[[ $(can_i all create clusterroles.rbac.authorization.k8s.io "" --as="$sa") == no ]] ||
  fail "--as $sa can create ClusterRoles"
k get clusterroles --as="$sa" >"$work/out" 2>&1 && fail "--as $sa can list ClusterRoles"
grep -qF "$denied" "$work/out" || fail "listing ClusterRoles --as: $(cat "$work/out")"
k get clusterroles >/dev/null 2>&1 || fail "the admin cannot list ClusterRoles"

echo "ok: $yes_count needed calls allowed, $no_count others denied, $granted grants all needed"
