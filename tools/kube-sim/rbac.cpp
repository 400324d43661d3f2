// RBAC evaluation with the rules and wording of Kubernetes'
// plugin/pkg/auth/authorizer/rbac (rbac.go, rule.go) and
// pkg/apis/rbac/v1/evaluation_helpers.go.
#include "tools/kube-sim/rbac.hpp"

#include <algorithm>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool matches_or_all(const std::vector<std::string>& list, const std::string& value) {
  return contains(list, "*") || contains(list, value);
}

// A rule for "*/status" matches the status subresource of every resource.
bool resource_matches(const PolicyRule& rule, const Attributes& a) {
  const std::string combined =
      a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
  for (const auto& r : rule.resources) {
    if (r == "*" || r == combined)
      return true;
    if (!a.subresource.empty() && r.size() == a.subresource.size() + 2 && r.starts_with("*/") &&
        r.ends_with(a.subresource))
      return true;
  }
  return false;
}

bool resource_name_matches(const PolicyRule& rule, const std::string& name) {
  return rule.resource_names.empty() || contains(rule.resource_names, name);
}

bool url_matches(const PolicyRule& rule, const std::string& path) {
  for (const auto& u : rule.non_resource_urls) {
    if (u == "*" || u == path)
      return true;
    if (u.ends_with('*')) {
      std::string prefix = u;
      while (!prefix.empty() && prefix.back() == '*')
        prefix.pop_back();
      if (path.starts_with(prefix))
        return true;
    }
  }
  return false;
}

constexpr std::string_view kServiceAccountPrefix = "system:serviceaccount:";

// A ServiceAccount subject without a namespace means the binding's own.
bool applies_to(const UserInfo& user, const Subject& s, const std::string& binding_ns) {
  if (s.kind == "User")
    return user.name == s.name;
  if (s.kind == "Group")
    return contains(user.groups, s.name);
  if (s.kind == "ServiceAccount") {
    const std::string ns = s.ns.empty() ? binding_ns : s.ns;
    return !ns.empty() && user.name == std::string(kServiceAccountPrefix) + ns + ":" + s.name;
  }
  return false;
}

std::string describe_subject(const Subject& s, const std::string& binding_ns) {
  if (s.kind == "ServiceAccount")
    return s.kind + " \"" + s.name + "/" + (s.ns.empty() ? binding_ns : s.ns) + "\"";
  return s.kind + " \"" + s.name + "\"";
}

std::string describe_binding(const Binding& b, const Subject& s) {
  const std::string kind = b.ns.empty() ? "ClusterRoleBinding" : "RoleBinding";
  const std::string name = b.ns.empty() ? b.name : b.name + "/" + b.ns;
  return kind + " \"" + name + "\" of " + b.role_kind + " \"" + b.role_name + "\" to " +
         describe_subject(s, b.ns);
}

// The rules a binding grants, or null with the error kube-apiserver reports.
const std::vector<PolicyRule>* role_rules(const Policy& policy, const Binding& b,
                                          std::string& error) {
  if (b.role_kind == "ClusterRole") {
    auto it = policy.cluster_roles.find(b.role_name);
    if (it != policy.cluster_roles.end())
      return &it->second;
    error = "clusterrole.rbac.authorization.k8s.io \"" + b.role_name + "\" not found";
    return nullptr;
  }
  if (b.role_kind == "Role" && !b.ns.empty()) {
    auto it = policy.roles.find(b.ns + "/" + b.role_name);
    if (it != policy.roles.end())
      return &it->second;
    error = "role.rbac.authorization.k8s.io \"" + b.role_name + "\" not found";
    return nullptr;
  }
  error = "unsupported role reference kind: \"" + b.role_kind + "\"";
  return nullptr;
}

// Calls visit(binding, subject, rules) for every binding that applies to
// `user` in `ns`, in kube-apiserver's order: ClusterRoleBindings, then the
// namespace's RoleBindings. Stops when visit returns false.
template <typename Visit>
void visit_bindings(const Policy& policy, const UserInfo& user, const std::string& ns,
                    std::vector<std::string>& errors, Visit visit) {
  auto one = [&](const Binding& b) {
    auto s = std::find_if(b.subjects.begin(), b.subjects.end(),
                          [&](const Subject& x) { return applies_to(user, x, b.ns); });
    if (s == b.subjects.end())
      return true;
    std::string error;
    const auto* rules = role_rules(policy, b, error);
    if (!rules) {
      errors.push_back(error);
      return true;
    }
    return visit(b, *s, *rules);
  };
  for (const auto& b : policy.cluster_role_bindings)
    if (!one(b))
      return;
  if (ns.empty())
    return;
  for (const auto& b : policy.role_bindings)
    if (b.ns == ns && !one(b))
      return;
}

// Kubernetes' error aggregate: one message alone, several deduplicated in [].
std::string aggregate(const std::vector<std::string>& errors) {
  std::vector<std::string> seen;
  for (const auto& e : errors)
    if (!contains(seen, e))
      seen.push_back(e);
  if (seen.size() == 1)
    return seen[0];
  std::string out = "[";
  for (std::size_t i = 0; i < seen.size(); ++i)
    out += (i ? ", " : "") + seen[i];
  return out + "]";
}

std::vector<std::string> strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& x : v->as_array())
      if (x.is_string())
        out.emplace_back(x.as_string());
  return out;
}

std::string text(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::object& member(const json::object& o, std::string_view key) {
  static const json::object empty;
  auto* v = o.if_contains(key);
  return v && v->is_object() ? v->as_object() : empty;
}

json::array string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v)
    a.emplace_back(s);
  return a;
}

}  // namespace

bool rule_allows(const PolicyRule& rule, const Attributes& a) {
  if (!matches_or_all(rule.verbs, a.verb))
    return false;
  if (!a.resource_request)
    return url_matches(rule, a.path);
  return matches_or_all(rule.api_groups, a.group) && resource_matches(rule, a) &&
         resource_name_matches(rule, a.name);
}

Decision authorize(const Policy& policy, const UserInfo& user, const Attributes& request) {
  Decision d;
  std::vector<std::string> errors;
  visit_bindings(policy, user, request.ns, errors,
                 [&](const Binding& b, const Subject& s, const std::vector<PolicyRule>& rules) {
                   for (const auto& rule : rules) {
                     if (rule_allows(rule, request)) {
                       d.allowed = true;
                       d.reason = "RBAC: allowed by " + describe_binding(b, s);
                       return false;
                     }
                   }
                   return true;
                 });
  if (!d.allowed && !errors.empty())
    d.reason = "RBAC: " + aggregate(errors);
  return d;
}

std::vector<PolicyRule> rules_for(const Policy& policy, const UserInfo& user, const std::string& ns,
                                  std::vector<std::string>& errors) {
  std::vector<PolicyRule> out;
  visit_bindings(policy, user, ns, errors,
                 [&](const Binding&, const Subject&, const std::vector<PolicyRule>& rules) {
                   out.insert(out.end(), rules.begin(), rules.end());
                   return true;
                 });
  return out;
}

void add_bootstrap_policy(Policy& policy) {
  const std::vector<std::string> health = {"/healthz", "/livez", "/readyz", "/version",
                                           "/version/"};
  std::vector<std::string> discovery = health;
  for (const char* p : {"/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*"})
    discovery.emplace_back(p);
  const std::vector<std::pair<std::string, PolicyRule>> roles = {
      {"system:discovery", PolicyRule{.verbs = {"get"}, .non_resource_urls = discovery}},
      {"system:public-info-viewer", PolicyRule{.verbs = {"get"}, .non_resource_urls = health}},
      {"system:basic-user",
       PolicyRule{.verbs = {"create"},
                  .api_groups = {"authorization.k8s.io"},
                  .resources = {"selfsubjectaccessreviews", "selfsubjectrulesreviews"}}},
  };
  for (const auto& [name, rule] : roles) {
    if (policy.cluster_roles.emplace(name, std::vector<PolicyRule>{rule}).second)
      policy.cluster_role_bindings.push_back(
          Binding{.name = name,
                  .role_kind = "ClusterRole",
                  .role_name = name,
                  .subjects = {Subject{.kind = "Group", .name = "system:authenticated"}}});
  }
}

std::string forbidden_message(const UserInfo& user, const Attributes& a,
                              const std::string& reason) {
  std::string why = "User \"" + user.name + "\" cannot " + a.verb;
  std::string out;
  if (!a.resource_request) {
    why += " path \"" + a.path + "\"";
    out = "forbidden: " + why;
  } else {
    const std::string resource =
        a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
    why += " resource \"" + resource + "\" in API group \"" + a.group + "\"";
    why += a.ns.empty() ? " at the cluster scope" : " in the namespace \"" + a.ns + "\"";
    const std::string qualified = a.group.empty() ? a.resource : a.resource + "." + a.group;
    out = a.name.empty() ? qualified + " is forbidden: " + why
                         : qualified + " \"" + a.name + "\" is forbidden: " + why;
  }
  if (!reason.empty())
    out += ": " + reason;
  return out;
}

UserInfo service_account_user(const std::string& ns, const std::string& name) {
  return UserInfo{
      .name = std::string(kServiceAccountPrefix) + ns + ":" + name,
      .groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}};
}

std::vector<PolicyRule> rules_of(const json::object& role) {
  std::vector<PolicyRule> out;
  if (auto* rules = role.if_contains("rules"); rules && rules->is_array())
    for (const auto& r : rules->as_array())
      if (r.is_object())
        out.push_back(PolicyRule{.verbs = strings(r.as_object(), "verbs"),
                                 .api_groups = strings(r.as_object(), "apiGroups"),
                                 .resources = strings(r.as_object(), "resources"),
                                 .resource_names = strings(r.as_object(), "resourceNames"),
                                 .non_resource_urls = strings(r.as_object(), "nonResourceURLs")});
  return out;
}

Binding binding_of(const json::object& binding) {
  const auto& md = member(binding, "metadata");
  const auto& ref = member(binding, "roleRef");
  Binding b{.name = text(md, "name"),
            .ns = text(md, "namespace"),
            .role_kind = text(ref, "kind"),
            .role_name = text(ref, "name")};
  if (auto* subjects = binding.if_contains("subjects"); subjects && subjects->is_array())
    for (const auto& s : subjects->as_array())
      if (s.is_object())
        b.subjects.push_back(Subject{.kind = text(s.as_object(), "kind"),
                                     .name = text(s.as_object(), "name"),
                                     .ns = text(s.as_object(), "namespace")});
  return b;
}

json::object rule_json(const PolicyRule& rule) {
  json::object o{{"verbs", string_array(rule.verbs)}};
  if (!rule.non_resource_urls.empty()) {
    o["nonResourceURLs"] = string_array(rule.non_resource_urls);
    return o;
  }
  o["apiGroups"] = string_array(rule.api_groups);
  o["resources"] = string_array(rule.resources);
  if (!rule.resource_names.empty())
    o["resourceNames"] = string_array(rule.resource_names);
  return o;
}

}  // namespace certmill::kubesim
