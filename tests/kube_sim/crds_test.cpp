// deploy/crds: served by kube-sim as cert-manager serves them, accepting every
// manifest cert-manager's documentation shows and rejecting what it rejects.
#include <map>

#include <catch2/catch.hpp>

#include "tests/kube_sim/fixture.hpp"

namespace json = boost::json;
using namespace certmill::test;

namespace {

std::string plural_of(const std::string& kind) {
  std::string p;
  for (char c : kind)
    p += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return p + "s";
}

std::string path_for(const std::string& doc) {
  const std::string api = yaml_field(doc, "apiVersion", 0);
  const std::string kind = yaml_field(doc, "kind", 0);
  const std::string ns = yaml_field(doc, "namespace", 2);
  std::string path = "/apis/" + api;
  if (!ns.empty())
    path += "/namespaces/" + ns;
  return path + "/" + plural_of(kind) + "?fieldValidation=Strict";
}

std::vector<std::string> fields_of(const HttpResponse& r) {
  std::vector<std::string> out;
  auto v = body_of(r);
  for (const auto& c : v.at("details").at("causes").as_array())
    out.emplace_back(c.at("field").as_string());
  return out;
}

const char* const certificate_head = R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: bad
  namespace: default
spec:
  dnsNames:
    - a.example.com
)";

}  // namespace

TEST_CASE("the six CRDs are served with cert-manager's names, scopes and columns", "[crds]") {
  KubeSim sim;
  REQUIRE(apply_crds(sim) == 6);
  auto cm = body_of(request(sim, "GET", "/apis/cert-manager.io/v1"));
  std::map<std::string, bool> namespaced;
  for (const auto& r : cm.at("resources").as_array())
    namespaced[std::string(r.at("name").as_string())] = r.at("namespaced").as_bool();
  CHECK(namespaced.at("certificates"));
  CHECK(namespaced.at("certificaterequests"));
  CHECK(namespaced.at("issuers"));
  CHECK_FALSE(namespaced.at("clusterissuers"));
  CHECK(namespaced.count("certificates/status") == 1);
  auto acme = body_of(request(sim, "GET", "/apis/acme.cert-manager.io/v1"));
  CHECK(acme.at("resources").as_array().size() == 4);  // orders, challenges and their status

  HttpRequest table;
  table.target = "/apis/cert-manager.io/v1/namespaces/default/certificates";
  table.accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  table.token = sim.token;
  auto t = body_of(send(sim.port, table));
  std::vector<std::string> columns;
  for (const auto& c : t.at("columnDefinitions").as_array())
    columns.emplace_back(c.at("name").as_string());
  CHECK(columns == std::vector<std::string>{"Name", "Ready", "Secret", "Issuer", "Status", "Age"});
}

TEST_CASE("every manifest cert-manager's documentation shows is accepted", "[crds]") {
  KubeSim sim;
  apply_crds(sim);
  REQUIRE(request(sim, "POST", "/api/v1/namespaces",
                  R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"sandbox"}})")
              .status == 201);
  int accepted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CERTMILL_SOURCE_DIR) +
                                                               "/tests/kube_sim/manifests")) {
    for (const auto& doc : yaml_documents(slurp(entry.path()))) {
      auto r = request(sim, "POST", path_for(doc), doc, "application/yaml");
      INFO(entry.path().filename().string() << ":\n" << doc << "\n→ " << r.body);
      CHECK(r.status == 201);
      CHECK(r.all("warning").empty());
      accepted += r.status == 201;
    }
  }
  CHECK(accepted == 13);
}

TEST_CASE("a Certificate without secretName and issuerRef is rejected naming both", "[crds]") {
  KubeSim sim;
  apply_crds(sim);
  auto r = request(sim, "POST", "/apis/cert-manager.io/v1/namespaces/default/certificates",
                   std::string(certificate_head), "application/yaml");
  REQUIRE(r.status == 422);
  CHECK(body_of(r).at("reason") == "Invalid");
  CHECK(fields_of(r) == std::vector<std::string>{"spec.secretName", "spec.issuerRef"});
}

TEST_CASE("enums, types and unknown fields are checked as cert-manager's CRDs check them",
          "[crds]") {
  KubeSim sim;
  apply_crds(sim);
  const std::string base =
      std::string(certificate_head) + "  secretName: s\n  issuerRef:\n    name: ca\n";
  const std::string url = "/apis/cert-manager.io/v1/namespaces/default/certificates";
  SECTION("an unknown private key algorithm") {
    auto r =
        request(sim, "POST", url, base + "  privateKey:\n    algorithm: DSA\n", "application/yaml");
    REQUIRE(r.status == 422);
    CHECK(fields_of(r) == std::vector<std::string>{"spec.privateKey.algorithm"});
    CHECK(r.body.find("supported values: \\\"RSA\\\", \\\"ECDSA\\\", \\\"Ed25519\\\"") !=
          std::string::npos);
  }
  SECTION("an unknown key usage") {
    auto r = request(sim, "POST", url, base + "  usages:\n    - server auth\n    - teleport\n",
                     "application/yaml");
    REQUIRE(r.status == 422);
    CHECK(fields_of(r) == std::vector<std::string>{"spec.usages[1]"});
  }
  SECTION("a string where a boolean belongs") {
    auto r = request(sim, "POST", url, base + "  isCA: \"yes\"\n", "application/yaml");
    REQUIRE(r.status == 422);
    CHECK(fields_of(r) == std::vector<std::string>{"spec.isCA"});
  }
  SECTION("an issuerRef without a name") {
    auto r =
        request(sim, "POST", url,
                std::string(certificate_head) + "  secretName: s\n  issuerRef:\n    kind: Issuer\n",
                "application/yaml");
    REQUIRE(r.status == 422);
    CHECK(fields_of(r) == std::vector<std::string>{"spec.issuerRef.name"});
  }
  SECTION("an unknown field under Strict validation") {
    auto r = request(sim, "POST", url + "?fieldValidation=Strict", base + "  renewAfter: 1h\n",
                     "application/yaml");
    REQUIRE(r.status == 400);
    CHECK(r.body.find("unknown field \\\"spec.renewAfter\\\"") != std::string::npos);
  }
}

TEST_CASE("the CRDs' CEL rules refuse what cert-manager's webhook refuses, in its words",
          "[crds]") {
  KubeSim sim;
  apply_crds(sim);
  const std::string base =
      std::string(certificate_head) + "  secretName: s\n  issuerRef:\n    name: ca\n";
  const std::string certificates = "/apis/cert-manager.io/v1/namespaces/default/certificates";
  const auto refused = [&](const std::string& url, const std::string& yaml,
                           const std::string& field, const std::string& message) {
    auto r = request(sim, "POST", url, yaml, "application/yaml");
    INFO(r.body);
    REQUIRE(r.status == 422);
    CHECK(fields_of(r) == std::vector<std::string>{field});
    CHECK(r.body.find(message) != std::string::npos);
  };
  refused(certificates, base + "  duration: 30m\n", "spec",
          "certificate duration must be greater than 1h0m0s");
  refused(certificates, base + "  renewBefore: 1h\n  renewBeforePercentage: 20\n", "spec",
          "renewBefore and renewBeforePercentage are mutually exclusive");
  refused(certificates, base + "  duration: 2h\n  renewBefore: 3h\n", "spec",
          "certificate duration must be greater than renewBefore");
  refused(certificates, base + "  privateKey:\n    algorithm: ECDSA\n    size: 2048\n",
          "spec.privateKey", "supported values for ECDSA are 256, 384 and 521");
  refused(certificates,
          base + "  secretTemplate:\n    annotations:\n      cert-manager.io/issuer-name: x\n",
          "spec.secretTemplate.annotations", "cert-manager.io/* annotations are not allowed");
  refused(certificates, base + "  revisionHistoryLimit: 0\n", "spec.revisionHistoryLimit",
          "should be greater than or equal to 1");
  const std::string issuers = "/apis/cert-manager.io/v1/namespaces/default/issuers";
  const std::string issuer_head =
      "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: i\n  namespace: "
      "default\nspec:\n";
  refused(issuers, issuer_head + "  selfSigned: {}\n  ca:\n    secretName: root\n", "spec",
          "may not specify more than one issuer type");
  refused(issuers,
          issuer_head +
              "  acme:\n    server: https://ca.test/dir\n"
              "    privateKeySecretRef:\n      name: key\n"
              "    solvers:\n      - http01:\n          ingress: {}\n"
              "        dns01:\n          rfc2136:\n"
              "            nameserver: 127.0.0.1\n",
          "spec.acme.solvers[0]", "may not specify more than one solver type in a single solver");
  refused(issuers,
          issuer_head +
              "  acme:\n    server: https://ca.test/dir\n"
              "    privateKeySecretRef:\n      name: key\n"
              "    caBundle: LS0t\n    skipTLSVerify: true\n",
          "spec.acme", "caBundle and skipTLSVerify are mutually exclusive");
  // Accepted: each rule holds for a valid spec.
  auto ok = request(sim, "POST", certificates,
                    base +
                        "  duration: 2h\n  renewBefore: 30m\n  privateKey:\n    algorithm: "
                        "ECDSA\n    size: 384\n  secretTemplate:\n    annotations:\n      "
                        "team: web\n",
                    "application/yaml");
  INFO(ok.body);
  CHECK(ok.status == 201);
}

TEST_CASE("a CertificateRequest's spec cannot change once made", "[crds]") {
  KubeSim sim;
  apply_crds(sim);
  const std::string url = "/apis/cert-manager.io/v1/namespaces/default/certificaterequests";
  auto made =
      request(sim, "POST", url,
              R"({"apiVersion":"cert-manager.io/v1","kind":"CertificateRequest",)"
              R"("metadata":{"name":"r"},"spec":{"request":"LS0t","issuerRef":{"name":"ca"}}})");
  INFO(made.body);
  REQUIRE(made.status == 201);
  auto changed = request(sim, "PATCH", url + "/r", R"({"spec":{"request":"LS0tLS0t"}})",
                         "application/merge-patch+json");
  CHECK(changed.status == 422);
  CHECK(changed.body.find("field is immutable") != std::string::npos);
  auto labelled = request(sim, "PATCH", url + "/r", R"({"metadata":{"labels":{"a":"b"}}})",
                          "application/merge-patch+json");
  CHECK(labelled.status == 200);
}
