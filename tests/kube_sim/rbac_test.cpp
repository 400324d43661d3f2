// kube-sim's RBAC evaluation with no server: each part of a rule (verbs,
// apiGroups, resources with subresources and "*/sub", resourceNames,
// nonResourceURLs), which bindings apply to which users where, the reasons
// and 403 messages worded as kube-apiserver words them, the bootstrap
// discovery roles, and the stored objects' decoding.
#include "tools/kube-sim/rbac.hpp"

#include <catch2/catch.hpp>

using namespace certmill::kubesim;
namespace json = boost::json;

namespace {

Attributes resource(std::string verb, std::string group, std::string res, std::string ns = "",
                    std::string name = "", std::string sub = "") {
  return Attributes{.resource_request = true,
                    .verb = std::move(verb),
                    .group = std::move(group),
                    .version = "v1",
                    .resource = std::move(res),
                    .subresource = std::move(sub),
                    .ns = std::move(ns),
                    .name = std::move(name)};
}

Attributes path(std::string verb, std::string p) {
  return Attributes{.verb = std::move(verb), .path = std::move(p)};
}

const UserInfo kSa = service_account_user("certmill", "certmill");

Subject sa_subject(std::string ns = "certmill") {
  return Subject{.kind = "ServiceAccount", .name = "certmill", .ns = std::move(ns)};
}

// One ClusterRole "r" with `rules`, bound cluster-wide to `subject`.
Policy cluster_policy(std::vector<PolicyRule> rules, Subject subject = sa_subject()) {
  Policy p;
  p.cluster_roles["r"] = std::move(rules);
  p.cluster_role_bindings.push_back(Binding{
      .name = "b", .role_kind = "ClusterRole", .role_name = "r", .subjects = {std::move(subject)}});
  return p;
}

}  // namespace

TEST_CASE("a rule's verbs match exactly or by *", "[rbac]") {
  const PolicyRule get{.verbs = {"get", "list"}, .api_groups = {""}, .resources = {"secrets"}};
  CHECK(rule_allows(get, resource("get", "", "secrets")));
  CHECK(rule_allows(get, resource("list", "", "secrets")));
  for (const char* verb : {"watch", "create", "update", "patch", "delete", "deletecollection"})
    CHECK_FALSE(rule_allows(get, resource(verb, "", "secrets")));
  const PolicyRule all{.verbs = {"*"}, .api_groups = {""}, .resources = {"secrets"}};
  for (const char* verb : {"get", "list", "watch", "create", "update", "patch", "delete",
                           "deletecollection", "impersonate"})
    CHECK(rule_allows(all, resource(verb, "", "secrets")));
}

TEST_CASE("a rule's apiGroups match exactly or by *, and the core group is \"\"", "[rbac]") {
  const PolicyRule core{.verbs = {"get"}, .api_groups = {""}, .resources = {"certificates"}};
  CHECK_FALSE(rule_allows(core, resource("get", "cert-manager.io", "certificates")));
  const PolicyRule cm{
      .verbs = {"get"}, .api_groups = {"cert-manager.io"}, .resources = {"certificates"}};
  CHECK(rule_allows(cm, resource("get", "cert-manager.io", "certificates")));
  CHECK_FALSE(rule_allows(cm, resource("get", "acme.cert-manager.io", "certificates")));
  CHECK_FALSE(rule_allows(cm, resource("get", "", "certificates")));
  const PolicyRule any{.verbs = {"get"}, .api_groups = {"*"}, .resources = {"certificates"}};
  CHECK(rule_allows(any, resource("get", "acme.cert-manager.io", "certificates")));
  CHECK(rule_allows(any, resource("get", "", "certificates")));
  const PolicyRule none{.verbs = {"get"}, .resources = {"certificates"}};
  CHECK_FALSE(rule_allows(none, resource("get", "", "certificates")));
}

TEST_CASE("a rule's resources name subresources as resource/sub", "[rbac]") {
  const PolicyRule main{
      .verbs = {"update"}, .api_groups = {"cert-manager.io"}, .resources = {"certificates"}};
  const PolicyRule status{
      .verbs = {"update"}, .api_groups = {"cert-manager.io"}, .resources = {"certificates/status"}};
  const auto update_main = resource("update", "cert-manager.io", "certificates", "ns", "a");
  const auto update_status =
      resource("update", "cert-manager.io", "certificates", "ns", "a", "status");
  CHECK(rule_allows(main, update_main));
  CHECK_FALSE(rule_allows(main, update_status));
  CHECK(rule_allows(status, update_status));
  CHECK_FALSE(rule_allows(status, update_main));
  CHECK_FALSE(rule_allows(
      status, resource("update", "cert-manager.io", "certificates", "ns", "a", "finalizers")));
}

TEST_CASE("a rule for * or */sub matches every resource or that subresource of each", "[rbac]") {
  const PolicyRule star{.verbs = {"get"}, .api_groups = {"*"}, .resources = {"*"}};
  CHECK(rule_allows(star, resource("get", "", "secrets")));
  CHECK(rule_allows(star, resource("get", "", "pods", "ns", "p", "exec")));
  const PolicyRule any_status{.verbs = {"get"}, .api_groups = {"*"}, .resources = {"*/status"}};
  CHECK(
      rule_allows(any_status, resource("get", "cert-manager.io", "issuers", "ns", "i", "status")));
  CHECK(rule_allows(any_status, resource("get", "", "services", "ns", "s", "status")));
  CHECK_FALSE(rule_allows(any_status, resource("get", "cert-manager.io", "issuers", "ns", "i")));
  CHECK_FALSE(rule_allows(any_status, resource("get", "", "pods", "ns", "p", "exec")));
  // "*/status" is not a prefix match: "*/stat" does not match status.
  const PolicyRule partial{.verbs = {"get"}, .api_groups = {"*"}, .resources = {"*/stat"}};
  CHECK_FALSE(rule_allows(partial, resource("get", "", "services", "ns", "s", "status")));
}

TEST_CASE("resourceNames restrict a rule to those names, so never to a list", "[rbac]") {
  const PolicyRule lease{.verbs = {"get", "list", "update"},
                         .api_groups = {"coordination.k8s.io"},
                         .resources = {"leases"},
                         .resource_names = {"cert-manager-controller"}};
  CHECK(rule_allows(lease, resource("get", "coordination.k8s.io", "leases", "kube-system",
                                    "cert-manager-controller")));
  CHECK(rule_allows(lease, resource("update", "coordination.k8s.io", "leases", "kube-system",
                                    "cert-manager-controller")));
  CHECK_FALSE(
      rule_allows(lease, resource("get", "coordination.k8s.io", "leases", "kube-system", "other")));
  CHECK_FALSE(rule_allows(lease, resource("list", "coordination.k8s.io", "leases", "kube-system")));
}

TEST_CASE("nonResourceURLs match exactly, by *, or by a trailing * prefix", "[rbac]") {
  const PolicyRule rule{.verbs = {"get"}, .non_resource_urls = {"/version", "/apis/*"}};
  CHECK(rule_allows(rule, path("get", "/version")));
  CHECK_FALSE(rule_allows(rule, path("get", "/version/")));
  CHECK(rule_allows(rule, path("get", "/apis/cert-manager.io/v1")));
  CHECK(rule_allows(rule, path("get", "/apis/")));
  CHECK_FALSE(rule_allows(rule, path("get", "/apis")));
  CHECK_FALSE(rule_allows(rule, path("post", "/version")));
  const PolicyRule all{.verbs = {"*"}, .non_resource_urls = {"*"}};
  CHECK(rule_allows(all, path("delete", "/anything")));
  // A resource rule never allows a path, nor a path rule a resource.
  const PolicyRule res{.verbs = {"*"}, .api_groups = {"*"}, .resources = {"*"}};
  CHECK_FALSE(rule_allows(res, path("get", "/version")));
  CHECK_FALSE(rule_allows(all, resource("get", "", "secrets")));
}

TEST_CASE("a ClusterRoleBinding applies in every namespace and at the cluster scope", "[rbac]") {
  const Policy p = cluster_policy(
      {PolicyRule{.verbs = {"list"}, .api_groups = {"cert-manager.io"}, .resources = {"issuers"}}});
  for (const char* ns : {"", "default", "certmill", "team-a"}) {
    const Decision d = authorize(p, kSa, resource("list", "cert-manager.io", "issuers", ns));
    CHECK(d.allowed);
    CHECK(d.reason ==
          "RBAC: allowed by ClusterRoleBinding \"b\" of ClusterRole \"r\" to ServiceAccount "
          "\"certmill/certmill\"");
  }
  const Decision denied = authorize(p, kSa, resource("watch", "cert-manager.io", "issuers"));
  CHECK_FALSE(denied.allowed);
  CHECK(denied.reason.empty());
}

TEST_CASE("a RoleBinding applies only in its namespace", "[rbac]") {
  Policy p;
  p.roles["kube-system/leader"] = {PolicyRule{
      .verbs = {"create"}, .api_groups = {"coordination.k8s.io"}, .resources = {"leases"}}};
  p.role_bindings.push_back(Binding{.name = "leader",
                                    .ns = "kube-system",
                                    .role_kind = "Role",
                                    .role_name = "leader",
                                    .subjects = {sa_subject()}});
  const Decision d =
      authorize(p, kSa, resource("create", "coordination.k8s.io", "leases", "kube-system"));
  CHECK(d.allowed);
  CHECK(d.reason ==
        "RBAC: allowed by RoleBinding \"leader/kube-system\" of Role \"leader\" to ServiceAccount "
        "\"certmill/certmill\"");
  CHECK_FALSE(
      authorize(p, kSa, resource("create", "coordination.k8s.io", "leases", "default")).allowed);
  CHECK_FALSE(authorize(p, kSa, resource("create", "coordination.k8s.io", "leases", "")).allowed);
  // A Role of the same name elsewhere is not the binding's.
  p.roles.erase("kube-system/leader");
  p.roles["default/leader"] = {PolicyRule{
      .verbs = {"create"}, .api_groups = {"coordination.k8s.io"}, .resources = {"leases"}}};
  const Decision missing =
      authorize(p, kSa, resource("create", "coordination.k8s.io", "leases", "kube-system"));
  CHECK_FALSE(missing.allowed);
  CHECK(missing.reason == "RBAC: role.rbac.authorization.k8s.io \"leader\" not found");
}

TEST_CASE("a RoleBinding to a ClusterRole grants its rules in the binding's namespace only",
          "[rbac]") {
  Policy p;
  p.cluster_roles["edit"] = {
      PolicyRule{.verbs = {"*"}, .api_groups = {""}, .resources = {"secrets"}}};
  p.role_bindings.push_back(Binding{.name = "edit",
                                    .ns = "team-a",
                                    .role_kind = "ClusterRole",
                                    .role_name = "edit",
                                    .subjects = {sa_subject()}});
  const Decision d = authorize(p, kSa, resource("delete", "", "secrets", "team-a", "s"));
  CHECK(d.allowed);
  CHECK(d.reason ==
        "RBAC: allowed by RoleBinding \"edit/team-a\" of ClusterRole \"edit\" to ServiceAccount "
        "\"certmill/certmill\"");
  CHECK_FALSE(authorize(p, kSa, resource("delete", "", "secrets", "team-b", "s")).allowed);
  CHECK_FALSE(authorize(p, kSa, resource("list", "", "secrets", "")).allowed);
}

TEST_CASE("ServiceAccount subjects: the namespace defaults to a RoleBinding's", "[rbac]") {
  const PolicyRule rule{.verbs = {"get"}, .api_groups = {""}, .resources = {"secrets"}};
  Policy p;
  p.cluster_roles["r"] = {rule};
  p.role_bindings.push_back(Binding{.name = "b",
                                    .ns = "certmill",
                                    .role_kind = "ClusterRole",
                                    .role_name = "r",
                                    .subjects = {sa_subject("")}});
  const Decision d = authorize(p, kSa, resource("get", "", "secrets", "certmill", "s"));
  CHECK(d.allowed);
  CHECK(d.reason.ends_with("to ServiceAccount \"certmill/certmill\""));
  // The same ServiceAccount name in another namespace is another user.
  CHECK_FALSE(authorize(p, service_account_user("other", "certmill"),
                        resource("get", "", "secrets", "certmill", "s"))
                  .allowed);
  // A ClusterRoleBinding has no namespace to default to.
  const Policy cluster = cluster_policy({rule}, sa_subject(""));
  CHECK_FALSE(authorize(cluster, kSa, resource("get", "", "secrets", "certmill", "s")).allowed);
}

TEST_CASE("User and Group subjects match the user's name and groups", "[rbac]") {
  const PolicyRule rule{.verbs = {"get"}, .api_groups = {""}, .resources = {"secrets"}};
  const UserInfo alice{.name = "alice", .groups = {"team-a", "system:authenticated"}};
  const auto get = resource("get", "", "secrets", "ns", "s");
  const Policy by_user = cluster_policy({rule}, Subject{.kind = "User", .name = "alice"});
  CHECK(authorize(by_user, alice, get).allowed);
  CHECK(authorize(by_user, alice, get).reason ==
        "RBAC: allowed by ClusterRoleBinding \"b\" of ClusterRole \"r\" to User \"alice\"");
  CHECK_FALSE(authorize(by_user, UserInfo{.name = "bob"}, get).allowed);
  const Policy by_group = cluster_policy({rule}, Subject{.kind = "Group", .name = "team-a"});
  CHECK(authorize(by_group, alice, get).allowed);
  CHECK_FALSE(authorize(by_group, UserInfo{.name = "team-a"}, get).allowed);
  // A ServiceAccount's groups.
  const Policy every_sa =
      cluster_policy({rule}, Subject{.kind = "Group", .name = "system:serviceaccounts:certmill"});
  CHECK(authorize(every_sa, kSa, get).allowed);
  CHECK_FALSE(authorize(every_sa, service_account_user("other", "x"), get).allowed);
  // An unknown subject kind matches nobody.
  const Policy odd = cluster_policy({rule}, Subject{.kind = "Robot", .name = "alice"});
  CHECK_FALSE(authorize(odd, alice, get).allowed);
}

TEST_CASE("bindings to missing roles are the denial's reason, deduplicated", "[rbac]") {
  Policy p;
  for (const char* name : {"a", "b", "c"})
    p.cluster_role_bindings.push_back(Binding{.name = name,
                                              .role_kind = "ClusterRole",
                                              .role_name = name == std::string("c") ? "a" : name,
                                              .subjects = {sa_subject()}});
  const auto get = resource("get", "", "secrets", "ns", "s");
  Decision d = authorize(p, kSa, get);
  CHECK_FALSE(d.allowed);
  CHECK(d.reason ==
        "RBAC: [clusterrole.rbac.authorization.k8s.io \"a\" not found, "
        "clusterrole.rbac.authorization.k8s.io \"b\" not found]");
  p.cluster_role_bindings.resize(1);
  CHECK(authorize(p, kSa, get).reason ==
        "RBAC: clusterrole.rbac.authorization.k8s.io \"a\" not found");
  p.cluster_role_bindings[0].role_kind = "Group";
  CHECK(authorize(p, kSa, get).reason == "RBAC: unsupported role reference kind: \"Group\"");
  // Another binding that allows wins over the error.
  p.cluster_roles["ok"] = {
      PolicyRule{.verbs = {"get"}, .api_groups = {""}, .resources = {"secrets"}}};
  p.cluster_role_bindings.push_back(Binding{
      .name = "ok", .role_kind = "ClusterRole", .role_name = "ok", .subjects = {sa_subject()}});
  CHECK(authorize(p, kSa, get).allowed);
}

TEST_CASE("every authenticated user may discover the API and review its own access", "[rbac]") {
  Policy p;
  add_bootstrap_policy(p);
  for (const char* ok :
       {"/api", "/api/v1", "/apis", "/apis/cert-manager.io/v1", "/version", "/version/",
        "/openapi/v2", "/openapi/v3/apis/cert-manager.io/v1", "/healthz", "/livez", "/readyz"})
    CHECK(authorize(p, kSa, path("get", ok)).allowed);
  CHECK(authorize(p, kSa, path("get", "/api")).reason ==
        "RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole "
        "\"system:discovery\" to Group \"system:authenticated\"");
  CHECK_FALSE(authorize(p, kSa, path("get", "/kube-sim/stats")).allowed);
  CHECK_FALSE(authorize(p, kSa, path("post", "/api")).allowed);
  const auto review = resource("create", "authorization.k8s.io", "selfsubjectaccessreviews");
  CHECK(authorize(p, kSa, review).allowed);
  CHECK(authorize(p, kSa, resource("create", "authorization.k8s.io", "selfsubjectrulesreviews"))
            .allowed);
  CHECK_FALSE(authorize(p, kSa, resource("create", "authorization.k8s.io", "subjectaccessreviews"))
                  .allowed);
  CHECK_FALSE(authorize(p, kSa, resource("list", "", "secrets")).allowed);
  // Only authenticated users.
  CHECK_FALSE(authorize(p, UserInfo{.name = "system:anonymous"}, path("get", "/api")).allowed);
  // A stored ClusterRole of the same name is kept, and no second binding made.
  Policy stored;
  stored.cluster_roles["system:discovery"] = {};
  add_bootstrap_policy(stored);
  CHECK(stored.cluster_role_bindings.size() == 2);
  CHECK_FALSE(authorize(stored, kSa, path("get", "/apis")).allowed);
  CHECK(authorize(stored, kSa, path("get", "/version")).allowed);
}

TEST_CASE("the rules that apply to a user in a namespace", "[rbac]") {
  Policy p = cluster_policy(
      {PolicyRule{.verbs = {"list"}, .api_groups = {"cert-manager.io"}, .resources = {"issuers"}}});
  p.roles["kube-system/leader"] = {PolicyRule{
      .verbs = {"create"}, .api_groups = {"coordination.k8s.io"}, .resources = {"leases"}}};
  p.role_bindings.push_back(Binding{.name = "leader",
                                    .ns = "kube-system",
                                    .role_kind = "Role",
                                    .role_name = "leader",
                                    .subjects = {sa_subject()}});
  p.role_bindings.push_back(Binding{.name = "gone",
                                    .ns = "kube-system",
                                    .role_kind = "Role",
                                    .role_name = "gone",
                                    .subjects = {sa_subject()}});
  std::vector<std::string> errors;
  CHECK(rules_for(p, kSa, "default", errors).size() == 1);
  CHECK(errors.empty());
  const auto in_kube_system = rules_for(p, kSa, "kube-system", errors);
  REQUIRE(in_kube_system.size() == 2);
  CHECK(in_kube_system[1].resources == std::vector<std::string>{"leases"});
  CHECK(errors == std::vector<std::string>{"role.rbac.authorization.k8s.io \"gone\" not found"});
  errors.clear();
  CHECK(rules_for(p, UserInfo{.name = "bob"}, "kube-system", errors).empty());
}

TEST_CASE("403 messages as kube-apiserver words them", "[rbac]") {
  CHECK(forbidden_message(kSa, resource("list", "rbac.authorization.k8s.io", "clusterroles"), "") ==
        "clusterroles.rbac.authorization.k8s.io is forbidden: User "
        "\"system:serviceaccount:certmill:certmill\" cannot list resource \"clusterroles\" in API "
        "group \"rbac.authorization.k8s.io\" at the cluster scope");
  CHECK(forbidden_message(kSa, resource("get", "", "secrets", "default", "ca"), "") ==
        "secrets \"ca\" is forbidden: User \"system:serviceaccount:certmill:certmill\" cannot get "
        "resource \"secrets\" in API group \"\" in the namespace \"default\"");
  CHECK(forbidden_message(
            kSa, resource("patch", "cert-manager.io", "certificates", "a", "web", "status"), "") ==
        "certificates.cert-manager.io \"web\" is forbidden: User "
        "\"system:serviceaccount:certmill:certmill\" cannot patch resource "
        "\"certificates/status\" in API group \"cert-manager.io\" in the namespace \"a\"");
  CHECK(forbidden_message(kSa, path("get", "/kube-sim/stats"), "") ==
        "forbidden: User \"system:serviceaccount:certmill:certmill\" cannot get path "
        "\"/kube-sim/stats\"");
  CHECK(forbidden_message(kSa, resource("get", "", "secrets", "default", "ca"), "RBAC: why") ==
        "secrets \"ca\" is forbidden: User \"system:serviceaccount:certmill:certmill\" cannot get "
        "resource \"secrets\" in API group \"\" in the namespace \"default\": RBAC: why");
}

TEST_CASE("a ServiceAccount's user and groups", "[rbac]") {
  const UserInfo u = service_account_user("ns", "sa");
  CHECK(u.name == "system:serviceaccount:ns:sa");
  CHECK(u.groups == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:ns",
                                             "system:authenticated"});
}

TEST_CASE("stored Roles and bindings decode into rules and bindings", "[rbac]") {
  const auto role = json::parse(R"({"kind":"ClusterRole","metadata":{"name":"r"},"rules":[
    {"apiGroups":["cert-manager.io"],"resources":["certificates","certificates/status"],
     "verbs":["get","update"],"resourceNames":["a"]},
    {"nonResourceURLs":["/metrics"],"verbs":["get"]},
    "not a rule"]})");
  const auto rules = rules_of(role.as_object());
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].api_groups == std::vector<std::string>{"cert-manager.io"});
  CHECK(rules[0].resources == std::vector<std::string>{"certificates", "certificates/status"});
  CHECK(rules[0].verbs == std::vector<std::string>{"get", "update"});
  CHECK(rules[0].resource_names == std::vector<std::string>{"a"});
  CHECK(rules[1].non_resource_urls == std::vector<std::string>{"/metrics"});
  CHECK(
      json::serialize(rule_json(rules[0])) ==
      R"({"verbs":["get","update"],"apiGroups":["cert-manager.io"],"resources":["certificates","certificates/status"],"resourceNames":["a"]})");
  CHECK(json::serialize(rule_json(rules[1])) ==
        R"({"verbs":["get"],"nonResourceURLs":["/metrics"]})");
  CHECK(rules_of(json::object{}).empty());

  const auto binding = json::parse(R"({"kind":"RoleBinding",
    "metadata":{"name":"b","namespace":"kube-system"},
    "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"leader"},
    "subjects":[{"kind":"ServiceAccount","name":"certmill","namespace":"certmill"},
                {"kind":"Group","name":"g","apiGroup":"rbac.authorization.k8s.io"}]})");
  const Binding b = binding_of(binding.as_object());
  CHECK(b.name == "b");
  CHECK(b.ns == "kube-system");
  CHECK(b.role_kind == "Role");
  CHECK(b.role_name == "leader");
  REQUIRE(b.subjects.size() == 2);
  CHECK(b.subjects[0].kind == "ServiceAccount");
  CHECK(b.subjects[0].ns == "certmill");
  CHECK(b.subjects[1].kind == "Group");
  CHECK(b.subjects[1].name == "g");
  CHECK(binding_of(json::object{}).subjects.empty());
}
