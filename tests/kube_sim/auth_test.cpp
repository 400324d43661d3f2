// kube-sim's authentication and authorization on the wire: TokenRequest's
// answer (201, token, expiry) and errors (404, 422), a ServiceAccount token
// held to RBAC with kube-apiserver's 403 Status, a create by server-side
// apply, impersonation, unknown and orphaned tokens refused with 401, the
// successful writes counted per user in /kube-sim/stats, and
// SelfSubjectAccessReview / SelfSubjectRulesReview.
#include <catch2/catch.hpp>

#include "core/time.hpp"
#include "tests/kube_sim/fixture.hpp"

namespace json = boost::json;
using namespace certmill::test;

namespace {

const std::string kSaPath = "/api/v1/namespaces/default/serviceaccounts";

HttpResponse as(const KubeSim& sim, const std::string& token, std::string method,
                std::string target, std::string body = "",
                std::string content_type = "application/json") {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty())
    r.content_type = std::move(content_type);
  r.token = token;
  return send(sim.port, r);
}

void create(const KubeSim& sim, const std::string& target, const std::string& body) {
  const auto r = request(sim, "POST", target, body);
  INFO(r.body);
  REQUIRE(r.status == 201);
}

// A ServiceAccount "robot" in default, allowed to list Secrets there.
std::string robot_token(const KubeSim& sim) {
  create(sim, kSaPath,
         R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}})");
  create(sim, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
         R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role",
             "metadata":{"name":"read-secrets"},
             "rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["list"]}]})");
  create(sim, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
         R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
             "metadata":{"name":"robot"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"read-secrets"},
             "subjects":[{"kind":"ServiceAccount","name":"robot"}]})");
  const auto r = request(sim, "POST", kSaPath + "/robot/token",
                         R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest"})");
  INFO(r.body);
  REQUIRE(r.status == 201);
  return std::string(body_of(r).at("status").at("token").as_string());
}

}  // namespace

TEST_CASE("a TokenRequest gets a token that expires when asked", "[auth]") {
  KubeSim sim;
  create(sim, kSaPath,
         R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}})");
  const auto before = std::chrono::system_clock::now();
  const auto r = request(sim, "POST", kSaPath + "/robot/token",
                         R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
                             "spec":{"expirationSeconds":7200}})");
  INFO(r.body);
  REQUIRE(r.status == 201);
  const auto body = body_of(r).as_object();
  CHECK(body.at("kind") == "TokenRequest");
  CHECK(body.at("apiVersion") == "authentication.k8s.io/v1");
  CHECK(body.at("metadata").at("name") == "robot");
  CHECK(body.at("metadata").at("namespace") == "default");
  CHECK(body.at("spec").at("expirationSeconds") == 7200);
  CHECK(body.at("spec").at("audiences") ==
        json::array{"https://kubernetes.default.svc.cluster.local"});
  CHECK(body.at("status").at("token").as_string().size() >= 32);
  const auto expires =
      certmill::parse_rfc3339(body.at("status").at("expirationTimestamp").as_string());
  REQUIRE(expires);
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(*expires - before);
  CHECK(lifetime.count() >= 7199);
  CHECK(lifetime.count() <= 7210);
  // Each request gets a token of its own.
  const auto again = request(sim, "POST", kSaPath + "/robot/token", "{}");
  REQUIRE(again.status == 201);
  CHECK(body_of(again).at("status").at("token") != body.at("status").at("token"));
  CHECK(body_of(again).at("spec").at("expirationSeconds") == 3600);
}

TEST_CASE("a TokenRequest for a missing ServiceAccount or too short a time fails", "[auth]") {
  KubeSim sim;
  const auto missing = request(sim, "POST", kSaPath + "/ghost/token", "{}");
  CHECK(missing.status == 404);
  CHECK(body_of(missing).at("message") == "serviceaccounts \"ghost\" not found");
  create(sim, kSaPath,
         R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}})");
  const auto short_lived =
      request(sim, "POST", kSaPath + "/robot/token", R"({"spec":{"expirationSeconds":60}})");
  CHECK(short_lived.status == 422);
  CHECK(body_of(short_lived).at("message") ==
        "TokenRequest.authentication.k8s.io \"robot\" is invalid: spec.expirationSeconds: Invalid "
        "value: 60: may not specify a duration less than 10 minutes");
  CHECK(request(sim, "GET", kSaPath + "/robot/token").status == 405);
}

TEST_CASE("a ServiceAccount token is held to RBAC with kube-apiserver's 403", "[auth]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  CHECK(as(sim, token, "GET", "/api/v1/namespaces/default/secrets").status == 200);
  CHECK(as(sim, token, "GET", "/api").status == 200);
  CHECK(as(sim, token, "GET", "/apis/rbac.authorization.k8s.io/v1").status == 200);
  const auto get = as(sim, token, "GET", "/api/v1/namespaces/default/secrets/ca");
  CHECK(get.status == 403);
  CHECK(json::serialize(body_of(get)) ==
        R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
        R"("message":"secrets \"ca\" is forbidden: User \"system:serviceaccount:default:robot\" )"
        R"(cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"",)"
        R"("reason":"Forbidden","details":{"name":"ca","kind":"secrets"},"code":403})");
  const auto cluster = as(sim, token, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles");
  CHECK(cluster.status == 403);
  CHECK(body_of(cluster).at("details") ==
        json::object{{"group", "rbac.authorization.k8s.io"}, {"kind", "clusterroles"}});
  CHECK(as(sim, token, "GET", "/api/v1/namespaces/kube-system/secrets").status == 403);
  CHECK(as(sim, token, "GET", "/api/v1/namespaces/default/secrets?watch=1").status == 403);
  const auto stats = as(sim, token, "GET", "/kube-sim/stats");
  CHECK(stats.status == 403);
  CHECK(body_of(stats).at("message") ==
        "forbidden: User \"system:serviceaccount:default:robot\" cannot get path "
        "\"/kube-sim/stats\"");
  // The admin token is not held to RBAC.
  CHECK(request(sim, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles").status == 200);
}

TEST_CASE("a server-side apply that creates needs create as well as patch", "[auth]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  const std::string secret = "/api/v1/namespaces/default/secrets/web-tls?fieldManager=certmill";
  const std::string body =
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"web-tls"},"stringData":{"a":"b"}})";
  const std::string role =
      "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/read-secrets";
  auto grant = [&](const std::string& verbs) {
    const auto r =
        request(sim, "PATCH", role,
                R"({"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":)" + verbs + "}]}",
                "application/merge-patch+json");
    INFO(r.body);
    REQUIRE(r.status == 200);
  };
  grant(R"(["list","patch"])");
  const auto denied = as(sim, token, "PATCH", secret, body, "application/apply-patch+yaml");
  CHECK(denied.status == 403);
  CHECK(body_of(denied).at("message") == "secrets \"web-tls\" is forbidden: ");
  grant(R"(["list","patch","create"])");
  const auto created = as(sim, token, "PATCH", secret, body, "application/apply-patch+yaml");
  INFO(created.body);
  CHECK(created.status == 201);
  // Once it exists, patch alone is enough.
  grant(R"(["list","patch"])");
  CHECK(as(sim, token, "PATCH", secret, body, "application/apply-patch+yaml").status == 200);
}

TEST_CASE("impersonation needs the impersonate verb, then acts as the user", "[auth]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  const std::string clusterroles = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
  auto send_as = [&](const std::string& t, std::vector<std::pair<std::string, std::string>> h,
                     const std::string& target) {
    HttpRequest r;
    r.target = target;
    r.token = t;
    r.headers = std::move(h);
    return send(sim.port, r);
  };
  const std::pair<std::string, std::string> alice{"Impersonate-User", "alice"};
  const auto refused = send_as(token, {alice}, "/api/v1/namespaces/default/secrets");
  CHECK(refused.status == 403);
  CHECK(body_of(refused).at("message") ==
        "users \"alice\" is forbidden: User \"system:serviceaccount:default:robot\" cannot "
        "impersonate resource \"users\" in API group \"\" at the cluster scope");
  create(sim, clusterroles,
         R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
             "metadata":{"name":"impersonator"},
             "rules":[{"apiGroups":[""],"resources":["users"],"verbs":["impersonate"],
                       "resourceNames":["alice"]}]})");
  create(sim, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
         R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
             "metadata":{"name":"robot-impersonates"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"impersonator"},
             "subjects":[{"kind":"ServiceAccount","name":"robot","namespace":"default"},
                         {"kind":"User","name":"alice"}]})");
  // Alice holds what alice is bound to (impersonate alice), not the robot's Secrets.
  const auto as_alice = send_as(token, {alice}, "/api/v1/namespaces/default/secrets");
  CHECK(as_alice.status == 403);
  CHECK(body_of(as_alice).at("message").as_string().find("User \"alice\" cannot list") !=
        std::string::npos);
  // A group needs its own grant.
  const auto group = send_as(token, {alice, {"Impersonate-Group", "system:masters"}}, clusterroles);
  CHECK(group.status == 403);
  CHECK(body_of(group).at("message").as_string().starts_with(
      "groups \"system:masters\" is forbidden"));
  // The admin may impersonate anyone: the robot is held to the robot's rules,
  // a member of system:masters is not held to RBAC.
  const std::pair<std::string, std::string> robot{"Impersonate-User",
                                                  "system:serviceaccount:default:robot"};
  CHECK(send_as(sim.token, {robot}, "/api/v1/namespaces/default/secrets").status == 200);
  CHECK(send_as(sim.token, {robot}, clusterroles).status == 403);
  CHECK(send_as(sim.token, {alice, {"Impersonate-Group", "system:masters"}}, clusterroles).status ==
        200);
  CHECK(send_as(sim.token, {{"Impersonate-Group", "system:masters"}}, clusterroles).status == 500);
}

TEST_CASE("unknown tokens and tokens of deleted ServiceAccounts get 401", "[auth]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  CHECK(as(sim, token, "GET", "/api/v1/namespaces/default/secrets").status == 200);
  CHECK(as(sim, token + "x", "GET", "/api/v1/namespaces/default/secrets").status == 401);
  CHECK(as(sim, "", "GET", "/api").status == 401);
  REQUIRE(request(sim, "DELETE", kSaPath + "/robot").status == 200);
  const auto gone = as(sim, token, "GET", "/api/v1/namespaces/default/secrets");
  CHECK(gone.status == 401);
  CHECK(body_of(gone).at("reason") == "Unauthorized");
}

TEST_CASE("stats count the writes that succeeded by the user who sent them", "[auth][stats]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  const auto writes_by = [&](const std::string& user) -> std::int64_t {
    const auto stats = body_of(request(sim, "GET", "/kube-sim/stats"));
    const auto* n = stats.at("writesByUser").as_object().if_contains(user);
    return n ? n->as_int64() : 0;
  };
  const std::string robot = "system:serviceaccount:default:robot";
  const std::int64_t admin_before = writes_by("kubernetes-admin");
  CHECK(writes_by(robot) == 0);
  // A read and a forbidden write are not writes.
  CHECK(as(sim, token, "GET", "/api/v1/namespaces/default/secrets").status == 200);
  CHECK(as(sim, token, "POST", "/api/v1/namespaces/default/secrets",
           R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}})")
            .status == 403);
  CHECK(writes_by(robot) == 0);
  create(sim, "/apis/rbac.authorization.k8s.io/v1/clusterroles",
         R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
             "metadata":{"name":"edit"},
             "rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["create","delete"]}]})");
  create(sim, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
         R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
             "metadata":{"name":"robot-edit"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},
             "subjects":[{"kind":"ServiceAccount","name":"robot"}]})");
  CHECK(writes_by("kubernetes-admin") == admin_before + 2);
  CHECK(as(sim, token, "POST", "/api/v1/namespaces/default/configmaps",
           R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})")
            .status == 201);
  CHECK(as(sim, token, "DELETE", "/api/v1/namespaces/default/configmaps/c").status == 200);
  CHECK(writes_by(robot) == 2);
  CHECK(writes_by("kubernetes-admin") == admin_before + 2);
}

TEST_CASE("SelfSubjectAccessReview answers for the token's user", "[auth]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  const std::string path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  auto review = [&](const std::string& t, const std::string& attributes) {
    const auto r = as(sim, t, "POST", path,
                      R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                          "spec":)" +
                          attributes + "}");
    INFO(r.body);
    REQUIRE(r.status == 201);
    return body_of(r).as_object();
  };
  const auto yes = review(
      token,
      R"({"resourceAttributes":{"namespace":"default","verb":"list","resource":"secrets"}})");
  CHECK(yes.at("kind") == "SelfSubjectAccessReview");
  CHECK(yes.at("spec").at("resourceAttributes").at("verb") == "list");
  CHECK(yes.at("status").at("allowed") == true);
  CHECK(yes.at("status").at("reason") ==
        "RBAC: allowed by RoleBinding \"robot/default\" of Role \"read-secrets\" to "
        "ServiceAccount \"robot/default\"");
  const auto no = review(
      token, R"({"resourceAttributes":{"namespace":"other","verb":"list","resource":"secrets"}})");
  CHECK(no.at("status").at("allowed") == false);
  CHECK_FALSE(no.at("status").as_object().contains("reason"));
  CHECK(review(token, R"({"nonResourceAttributes":{"verb":"get","path":"/apis"}})")
            .at("status")
            .at("allowed") == true);
  CHECK(review(sim.token, R"({"resourceAttributes":{"verb":"delete","resource":"namespaces"}})")
            .at("status")
            .at("allowed") == true);
  const auto neither = as(sim, token, "POST", path, R"({"spec":{}})");
  CHECK(neither.status == 422);
}

TEST_CASE("SelfSubjectRulesReview lists the rules bound in a namespace", "[auth]") {
  KubeSim sim;
  const std::string token = robot_token(sim);
  const auto r = as(sim, token, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                    R"({"spec":{"namespace":"default"}})");
  INFO(r.body);
  REQUIRE(r.status == 201);
  const auto status = body_of(r).at("status").as_object();
  const auto& rules = status.at("resourceRules").as_array();
  CHECK(std::find(rules.begin(), rules.end(),
                  json::value(json::object{
                      {"verbs", {"list"}}, {"apiGroups", {""}}, {"resources", {"secrets"}}})) !=
        rules.end());
  CHECK_FALSE(status.at("nonResourceRules").as_array().empty());
  CHECK(status.at("incomplete") == false);
}

TEST_CASE("discovery lists the token subresource and the authorization group", "[auth]") {
  KubeSim sim;
  const auto v1 = body_of(request(sim, "GET", "/api/v1"));
  bool token = false;
  for (const auto& r : v1.at("resources").as_array())
    token = token || (r.at("name") == "serviceaccounts/token" && r.at("kind") == "TokenRequest" &&
                      r.at("verbs") == json::array{"create"});
  CHECK(token);
  const auto group = request(sim, "GET", "/apis/authorization.k8s.io/v1");
  REQUIRE(group.status == 200);
  CHECK(body_of(group).at("resources").as_array().size() == 2);
  CHECK(request(sim, "GET", "/apis/authorization.k8s.io").status == 200);
  CHECK(request(sim, "GET", "/apis").body.find("\"authorization.k8s.io\"") != std::string::npos);
}
