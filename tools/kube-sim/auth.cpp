// Authentication, impersonation and authorization, in kube-apiserver's order:
// the bearer token names the user (kube-sim's own token is the cluster
// admin; a TokenRequest token is its ServiceAccount), Impersonate-* headers
// then switch to another user if the sender may impersonate them, and RBAC
// (rbac.hpp) decides on everyone but the admin.
#include <algorithm>

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/request_info.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

constexpr std::string_view kBearer = "Bearer ";
constexpr std::string_view kServiceAccountPrefix = "system:serviceaccount:";
const std::string kRbac = "rbac.authorization.k8s.io/";

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Response forbidden(const UserInfo& user, const Attributes& a, const std::string& reason) {
  StatusDetails d;
  d.present = true;
  if (a.resource_request) {
    d.name = a.name;
    d.group = a.group;
    d.kind = a.resource;
  }
  Response r = status_response(403, "Forbidden", forbidden_message(user, a, reason), d);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

Policy Api::policy() {
  Policy p;
  for (const auto& [key, o] : store_.bucket(kRbac + "clusterroles"))
    p.cluster_roles[meta_string(o, "name")] = rules_of(o);
  for (const auto& [key, o] : store_.bucket(kRbac + "roles"))
    p.roles[meta_string(o, "namespace") + "/" + meta_string(o, "name")] = rules_of(o);
  for (const auto& [key, o] : store_.bucket(kRbac + "clusterrolebindings"))
    p.cluster_role_bindings.push_back(binding_of(o));
  for (const auto& [key, o] : store_.bucket(kRbac + "rolebindings"))
    p.role_bindings.push_back(binding_of(o));
  add_bootstrap_policy(p);
  return p;
}

std::optional<Response> Api::authenticate(const Request& request, Call& call) {
  if (options_.token.empty() || request.authorization == std::string(kBearer) + options_.token) {
    call.admin = true;
    call.user =
        UserInfo{.name = "kubernetes-admin", .groups = {"system:masters", "system:authenticated"}};
    return std::nullopt;
  }
  if (request.authorization.starts_with(kBearer)) {
    const auto issued = tokens_.find(request.authorization.substr(kBearer.size()),
                                     std::chrono::system_clock::now());
    // A token dies with its ServiceAccount, as a bound token does.
    if (issued && store_.find("/serviceaccounts", issued->ns, issued->service_account) != nullptr) {
      call.user = service_account_user(issued->ns, issued->service_account);
      return std::nullopt;
    }
  }
  return status_response(401, "Unauthorized", "Unauthorized");
}

// kube-apiserver's impersonation filter: the sender needs "impersonate" on
// the user (or ServiceAccount) and on each group.
std::optional<Response> Api::impersonate(const Request& request, Call& call) {
  if (request.impersonate_user.empty() && request.impersonate_groups.empty())
    return std::nullopt;
  if (request.impersonate_user.empty())
    return status_response(500, "InternalError",
                           "Internal error occurred: requested impersonation of groups without a "
                           "user");
  const std::string& name = request.impersonate_user;
  std::vector<Attributes> checks;
  UserInfo as{.name = name, .groups = request.impersonate_groups};
  if (name.starts_with(kServiceAccountPrefix) &&
      name.find(':', kServiceAccountPrefix.size()) != std::string::npos) {
    const std::string rest = name.substr(kServiceAccountPrefix.size());
    const std::string ns = rest.substr(0, rest.find(':'));
    const std::string sa = rest.substr(rest.find(':') + 1);
    checks.push_back(Attributes{.resource_request = true,
                                .verb = "impersonate",
                                .resource = "serviceaccounts",
                                .ns = ns,
                                .name = sa});
    if (as.groups.empty())
      as.groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns};
  } else {
    checks.push_back(Attributes{
        .resource_request = true, .verb = "impersonate", .resource = "users", .name = name});
  }
  for (const auto& g : request.impersonate_groups)
    checks.push_back(Attributes{
        .resource_request = true, .verb = "impersonate", .resource = "groups", .name = g});
  if (!call.admin) {
    const Policy p = policy();
    for (const auto& a : checks)
      if (const Decision d = kubesim::authorize(p, call.user, a); !d.allowed)
        return forbidden(call.user, a, d.reason);
  }
  if (name != "system:anonymous" && !has(as.groups, "system:authenticated") &&
      !has(as.groups, "system:unauthenticated"))
    as.groups.push_back("system:authenticated");
  call.admin = has(as.groups, "system:masters");
  call.user = std::move(as);
  return std::nullopt;
}

std::optional<Response> Api::authorize(const Request& request, const Target& target, Call& call) {
  if (call.admin)
    return std::nullopt;
  const auto path = std::string_view(request.target).substr(0, request.target.find('?'));
  const Attributes a = request_attributes(request.method, path, target);
  const Decision d = kubesim::authorize(policy(), call.user, a);
  if (d.allowed)
    return std::nullopt;
  return forbidden(call.user, a, d.reason);
}

std::optional<Response> Api::authorize_create(Call& call) {
  if (call.admin)
    return std::nullopt;
  const Attributes a{.resource_request = true,
                     .verb = "create",
                     .group = call.type->group,
                     .version = call.type->version,
                     .resource = call.type->plural,
                     .ns = call.ns,
                     .name = call.name};
  const Decision d = kubesim::authorize(policy(), call.user, a);
  if (d.allowed)
    return std::nullopt;
  // kube-apiserver's withAuthorization: the RBAC reason alone, often empty.
  StatusDetails details;
  details.present = true;
  details.name = a.name;
  details.group = a.group;
  details.kind = a.resource;
  return status_response(
      403, "Forbidden",
      qualified(a.resource, a.group) + " \"" + a.name + "\" is forbidden: " + d.reason, details);
}

}  // namespace certmill::kubesim
