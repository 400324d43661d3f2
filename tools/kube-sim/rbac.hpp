// Kubernetes RBAC as kube-apiserver's RBAC authorizer evaluates it: which
// user is bound (ClusterRoleBindings everywhere, RoleBindings in the
// request's namespace) to which rules, and whether one rule allows the
// request's attributes. Pure: the API builds a Policy from its store.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace certmill::kubesim {

struct UserInfo {
  std::string name = {};
  std::vector<std::string> groups = {};
};

// What kube-apiserver's RequestInfo makes of a request (request_info.hpp).
struct Attributes {
  bool resource_request = false;
  std::string verb = {};
  std::string group = {};
  std::string version = {};
  std::string resource = {};
  std::string subresource = {};
  std::string ns = {};
  std::string name = {};
  std::string path = {};  // non-resource requests
};

struct PolicyRule {
  std::vector<std::string> verbs = {};
  std::vector<std::string> api_groups = {};
  std::vector<std::string> resources = {};
  std::vector<std::string> resource_names = {};
  std::vector<std::string> non_resource_urls = {};
};

struct Subject {
  std::string kind = {};  // ServiceAccount, User or Group
  std::string name = {};
  std::string ns = {};
};

struct Binding {
  std::string name = {};
  std::string ns = {};         // empty for a ClusterRoleBinding
  std::string role_kind = {};  // Role or ClusterRole
  std::string role_name = {};
  std::vector<Subject> subjects = {};
};

struct Policy {
  std::vector<Binding> cluster_role_bindings = {};
  std::vector<Binding> role_bindings = {};                            // every namespace's
  std::map<std::string, std::vector<PolicyRule>> cluster_roles = {};  // by name
  std::map<std::string, std::vector<PolicyRule>> roles = {};          // by "namespace/name"
};

struct Decision {
  bool allowed = false;
  // "RBAC: allowed by ..." when allowed; why nothing could allow it (a
  // binding to a missing role) when denied, or empty.
  std::string reason = {};
};

Decision authorize(const Policy& policy, const UserInfo& user, const Attributes& request);

// The rules that apply to `user` in namespace `ns` (cluster-wide only when
// `ns` is empty), for SelfSubjectRulesReview; missing roles go to `errors`.
std::vector<PolicyRule> rules_for(const Policy& policy, const UserInfo& user, const std::string& ns,
                                  std::vector<std::string>& errors);

bool rule_allows(const PolicyRule& rule, const Attributes& request);

// The ClusterRoles and bindings every cluster is created with that let any
// authenticated user discover the API and review its own access
// (system:discovery, system:basic-user, system:public-info-viewer), added
// where the store does not hold one of that name.
void add_bootstrap_policy(Policy& policy);

// kube-apiserver's 403 message: `certificates.cert-manager.io "x" is
// forbidden: User "u" cannot get resource ...`, or `forbidden: User "u"
// cannot get path "/p"`; `reason` is appended after ": " when not empty.
std::string forbidden_message(const UserInfo& user, const Attributes& request,
                              const std::string& reason);

// The user a ServiceAccount's tokens authenticate as.
UserInfo service_account_user(const std::string& ns, const std::string& name);

// Stored RBAC objects as the evaluator sees them.
std::vector<PolicyRule> rules_of(const boost::json::object& role);
Binding binding_of(const boost::json::object& binding);
boost::json::object rule_json(const PolicyRule& rule);

}  // namespace certmill::kubesim
