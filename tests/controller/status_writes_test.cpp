// The write builders: conditions set by type, the status after a decision,
// request names and contents, request status, and resourceVersion ordering.
#include "controller/status_writes.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::controller;

namespace {

const Time t0 = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

api::Condition condition(std::string type, api::ConditionStatus status, std::string reason) {
  return {std::move(type), status, std::move(reason), "m", t0, 1};
}

}  // namespace

TEST_CASE("set_condition replaces by type and leaves the others") {
  std::vector<api::Condition> conditions = {condition("Ready", api::ConditionStatus::False, "A"),
                                            condition("Custom", api::ConditionStatus::True, "X")};
  set_condition(conditions, condition("Ready", api::ConditionStatus::True, "B"));
  REQUIRE(conditions.size() == 2);
  CHECK(conditions[0].reason == "B");
  CHECK(conditions[1].type == "Custom");
  set_condition(conditions, condition("Issuing", api::ConditionStatus::True, "C"));
  REQUIRE(conditions.size() == 3);
  CHECK(conditions[2].type == "Issuing");
}

TEST_CASE("set_condition keeps the transition time while the status stays") {
  std::vector<api::Condition> conditions = {condition("Ready", api::ConditionStatus::True, "A")};
  api::Condition later = condition("Ready", api::ConditionStatus::True, "B");
  later.last_transition_time = t0 + std::chrono::seconds(5);
  set_condition(conditions, later);
  CHECK(conditions[0].reason == "B");
  CHECK(conditions[0].last_transition_time == t0);
  later.status = api::ConditionStatus::False;
  set_condition(conditions, later);
  CHECK(conditions[0].last_transition_time == t0 + std::chrono::seconds(5));
}

TEST_CASE("apply_status writes every field the decision owns, clearing the unset ones") {
  api::CertificateStatus status;
  status.conditions = {condition("Ready", api::ConditionStatus::False, "DoesNotExist")};
  status.last_failure_time = t0;
  status.failed_issuance_attempts = 2;
  status.next_private_key_secret_name = "web-abcde";
  StatusUpdate update;
  update.conditions = {condition("Issuing", api::ConditionStatus::False, "Issued")};
  update.revision = 3;
  update.not_after = t0 + std::chrono::hours(24);
  apply_status(status, update);
  CHECK(status.conditions.size() == 2);
  CHECK(status.revision == 3);
  CHECK(status.not_after == t0 + std::chrono::hours(24));
  CHECK_FALSE(status.last_failure_time);
  CHECK_FALSE(status.failed_issuance_attempts);
  CHECK(status.next_private_key_secret_name.empty());
}

TEST_CASE("request names are <certificate>-<revision>, shortened but unique when long") {
  CHECK(request_name("web", 1) == "web-1");
  CHECK(request_name("web", 12) == "web-12");
  const std::string a(260, 'a');
  std::string b = a;
  b.back() = 'b';
  const std::string na = request_name(a, 7);
  const std::string nb = request_name(b, 7);
  CHECK(na.size() <= 253);
  CHECK(na.ends_with("-7"));
  CHECK(na != nb);
  CHECK(request_name(a, 7) == na);
}

TEST_CASE("make_request is owned by and annotated for its Certificate") {
  api::Certificate crt;
  crt.metadata.name = "web";
  crt.metadata.namespace_ = "apps";
  crt.metadata.uid = "uid-1";
  crt.metadata.labels = {{"team", "a"}};
  crt.spec.secret_name = "web-tls";
  crt.spec.issuer_ref = {"ca", "Issuer", "cert-manager.io"};
  crt.spec.duration = std::chrono::hours(48);
  crt.spec.is_ca = true;
  const api::CertificateRequest r = make_request(crt, 4, "CSR");
  CHECK(r.metadata.name == "web-4");
  CHECK(r.metadata.namespace_ == "apps");
  CHECK(r.metadata.labels == crt.metadata.labels);
  CHECK(r.metadata.annotations.at("cert-manager.io/certificate-name") == "web");
  CHECK(r.metadata.annotations.at("cert-manager.io/certificate-revision") == "4");
  CHECK(r.metadata.annotations.at("cert-manager.io/private-key-secret-name") == "web-tls");
  REQUIRE(r.metadata.owner_references.size() == 1);
  const auto& owner = r.metadata.owner_references[0];
  CHECK(owner.kind == "Certificate");
  CHECK(owner.uid == "uid-1");
  CHECK(owner.controller == true);
  CHECK(owner.block_owner_deletion == true);
  CHECK(r.spec.request.data == "CSR");
  CHECK(r.spec.issuer_ref.name == "ca");
  CHECK(r.spec.duration == std::chrono::hours(48));
  CHECK(r.spec.is_ca);
}

TEST_CASE("make_request copies the Certificate's annotations but kubectl's, Flux's and Argo's") {
  api::Certificate crt;
  crt.metadata.name = "web";
  crt.spec.secret_name = "web-tls";
  crt.metadata.annotations = {
      {"acme.cert-manager.io/http01-override-ingress-name", "web"},
      {"cert-manager.io/issue-temporary-certificate", "true"},
      {"team.example.com/owner", "shop"},
      {"kubectl.kubernetes.io/last-applied-configuration", "{}"},
      {"fluxcd.io/sync-checksum", "abc"},
      {"argocd.argoproj.io/tracking-id", "app"},
      // certmill's own keys win over a Certificate that carries them.
      {"cert-manager.io/certificate-revision", "99"},
  };
  const api::CertificateRequest r = make_request(crt, 2, "CSR");
  CHECK(r.metadata.annotations == api::StringMap{
                                      {"acme.cert-manager.io/http01-override-ingress-name", "web"},
                                      {"cert-manager.io/issue-temporary-certificate", "true"},
                                      {"team.example.com/owner", "shop"},
                                      {"cert-manager.io/certificate-name", "web"},
                                      {"cert-manager.io/certificate-revision", "2"},
                                      {"cert-manager.io/private-key-secret-name", "web-tls"},
                                  });
}

TEST_CASE("copied_annotations follows cert-manager's prefix rules, entry by entry") {
  const api::StringMap all = {
      {"team.example.com/owner", "shop"},
      {"team.example.com/cost", "7"},
      {"kubectl.kubernetes.io/last-applied-configuration", "{}"},
      {"fluxcd.io/sync-checksum", "abc"},
      {"argocd.argoproj.io/tracking-id", "app"},
      {"acme.cert-manager.io/http01-override-ingress-name", "web"},
  };
  struct Row {
    const char* behaviour;
    std::vector<std::string> prefixes;
    std::vector<std::string> kept;
  };
  const Row rows[] = {
      {"cert-manager's default: all but kubectl's, Flux's and Argo's",
       kDefaultCopiedAnnotationPrefixes,
       {"acme.cert-manager.io/http01-override-ingress-name", "team.example.com/cost",
        "team.example.com/owner"}},
      {"* alone copies everything",
       {"*"},
       {"acme.cert-manager.io/http01-override-ingress-name", "argocd.argoproj.io/tracking-id",
        "fluxcd.io/sync-checksum", "kubectl.kubernetes.io/last-applied-configuration",
        "team.example.com/cost", "team.example.com/owner"}},
      {"an empty list copies nothing", {}, {}},
      {"one prefix copies only what starts with it",
       {"team.example.com/"},
       {"team.example.com/cost", "team.example.com/owner"}},
      {"a prefix matches partial words too", {"team.example.com/o"}, {"team.example.com/owner"}},
      {"an exclusion alone leaves nothing to exclude from", {"-fluxcd.io/"}, {}},
      {"an exclusion drops only what was added before it",
       {"team.example.com/", "-team.example.com/cost", "fluxcd.io/"},
       {"fluxcd.io/sync-checksum", "team.example.com/owner"}},
      {"an exclusion before * is undone by it",
       {"-kubectl.kubernetes.io/", "*"},
       {"acme.cert-manager.io/http01-override-ingress-name", "argocd.argoproj.io/tracking-id",
        "fluxcd.io/sync-checksum", "kubectl.kubernetes.io/last-applied-configuration",
        "team.example.com/cost", "team.example.com/owner"}},
      {"with * in the list, any later adding entry adds everything back",
       {"*", "-fluxcd.io/", "-team.example.com/", "argocd.argoproj.io/", "-kubectl.kubernetes.io/"},
       {"acme.cert-manager.io/http01-override-ingress-name", "argocd.argoproj.io/tracking-id",
        "fluxcd.io/sync-checksum", "team.example.com/cost", "team.example.com/owner"}},
      {"an empty exclusion drops everything added so far", {"*", "-"}, {}},
      {"an empty prefix adds everything",
       {""},
       {"acme.cert-manager.io/http01-override-ingress-name", "argocd.argoproj.io/tracking-id",
        "fluxcd.io/sync-checksum", "kubectl.kubernetes.io/last-applied-configuration",
        "team.example.com/cost", "team.example.com/owner"}},
  };
  for (const Row& row : rows) {
    INFO(row.behaviour);
    const api::StringMap copied = copied_annotations(all, row.prefixes);
    std::vector<std::string> keys;
    for (const auto& [key, value] : copied) {
      CHECK(value == all.at(key));
      keys.push_back(key);
    }
    CHECK(keys == row.kept);
  }
  CHECK(copied_annotations({}, kDefaultCopiedAnnotationPrefixes).empty());
}

TEST_CASE("make_request copies with the prefixes it is given, its own keys over them") {
  api::Certificate crt;
  crt.metadata.name = "web";
  crt.spec.secret_name = "web-tls";
  crt.metadata.annotations = {{"team.example.com/owner", "shop"},
                              {"fluxcd.io/sync-checksum", "abc"},
                              {"cert-manager.io/certificate-name", "other"}};
  const api::CertificateRequest only_flux = make_request(crt, 3, "CSR", {"fluxcd.io/"});
  CHECK(only_flux.metadata.annotations ==
        api::StringMap{{"fluxcd.io/sync-checksum", "abc"},
                       {"cert-manager.io/certificate-name", "web"},
                       {"cert-manager.io/certificate-revision", "3"},
                       {"cert-manager.io/private-key-secret-name", "web-tls"}});
  const api::CertificateRequest none = make_request(crt, 3, "CSR", {});
  CHECK(none.metadata.annotations ==
        api::StringMap{{"cert-manager.io/certificate-name", "web"},
                       {"cert-manager.io/certificate-revision", "3"},
                       {"cert-manager.io/private-key-secret-name", "web-tls"}});
}

TEST_CASE("a signed request is Approved and Ready: a failed one Approved, Failed, with a time") {
  api::CertificateRequestStatus issued;
  mark_issued(issued, {"CHAIN", "CA"}, t0);
  REQUIRE(issued.conditions.size() == 2);
  CHECK(issued.conditions[0].type == "Approved");
  CHECK(issued.conditions[0].reason == "cert-manager.io");
  CHECK(issued.conditions[1].type == "Ready");
  CHECK(issued.conditions[1].reason == "Issued");
  CHECK(issued.certificate.data == "CHAIN");
  CHECK(issued.ca.data == "CA");
  CHECK_FALSE(issued.failure_time);

  api::CertificateRequestStatus failed;
  mark_failed(failed, "the CA has expired", t0);
  REQUIRE(failed.conditions.size() == 2);
  CHECK(failed.conditions[1].status == api::ConditionStatus::False);
  CHECK(failed.conditions[1].reason == "Failed");
  CHECK(failed.conditions[1].message == "the CA has expired");
  CHECK(failed.failure_time == t0);
  // Approval is given once and kept.
  mark_failed(failed, "again", t0 + std::chrono::seconds(5));
  CHECK(failed.conditions[0].last_transition_time == t0);
}

TEST_CASE("version_reached compares resourceVersions as numbers") {
  CHECK(version_reached("10", "9"));
  CHECK(version_reached("10", "10"));
  CHECK_FALSE(version_reached("9", "10"));
  CHECK(version_reached("100", "99"));  // not a string comparison
  CHECK(version_reached("abc", "abc"));
  CHECK_FALSE(version_reached("abc", "abd"));
  CHECK_FALSE(version_reached("", "5"));
  CHECK_FALSE(version_reached("5x", "5"));
  CHECK(version_reached("5", ""));  // nothing was written to wait for
}
