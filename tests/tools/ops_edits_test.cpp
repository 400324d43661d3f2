// What renew, approve, deny and create certificaterequest write, from objects
// alone: the conditions as cmctl sets them, the guarded merge patch, and the
// CertificateRequest built from a Certificate manifest.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "tools/certmill/ops/condition_edits.hpp"
#include "tools/certmill/ops/request_from_certificate.hpp"

using namespace certmill;
using namespace certmill::ops;
namespace json = boost::json;

namespace {

const Time kEarlier = Time(std::chrono::seconds(1'700'000'000));
const Time kNow = Time(std::chrono::seconds(1'800'000'000));

api::Condition condition(std::string type, api::ConditionStatus status, std::string reason) {
  return {.type = std::move(type),
          .status = status,
          .reason = std::move(reason),
          .message = "m",
          .last_transition_time = kEarlier,
          .observed_generation = std::nullopt};
}

}  // namespace

TEST_CASE("renew sets Issuing to the manual trigger and keeps the other conditions") {
  api::Certificate crt;
  crt.metadata.generation = 3;
  crt.status.conditions = {condition("Ready", api::ConditionStatus::True, "Ready"),
                           condition("Issuing", api::ConditionStatus::False, "Failed")};
  CHECK_FALSE(is_issuing(crt));
  const auto conditions = renewal_conditions(crt, kNow);
  REQUIRE(conditions.size() == 2);
  CHECK(conditions[0] == crt.status.conditions[0]);
  CHECK(conditions[1].type == "Issuing");
  CHECK(conditions[1].status == api::ConditionStatus::True);
  CHECK(conditions[1].reason == "ManuallyTriggered");
  CHECK(conditions[1].message == "Certificate re-issuance manually triggered");
  CHECK(conditions[1].last_transition_time == kNow);
  CHECK(conditions[1].observed_generation == 3);
  crt.status.conditions = conditions;
  CHECK(is_issuing(crt));
}

TEST_CASE("a request's decision is read from Approved and Denied") {
  api::CertificateRequest request;
  CHECK(decision_of(request) == Decision::none);
  request.status.conditions = {condition("Ready", api::ConditionStatus::False, "Pending")};
  CHECK(decision_of(request) == Decision::none);
  request.status.conditions.push_back(condition("Denied", api::ConditionStatus::True, "Policy"));
  CHECK(decision_of(request) == Decision::denied);
  request.status.conditions = {
      condition("Approved", api::ConditionStatus::True, "cert-manager.io")};
  CHECK(decision_of(request) == Decision::approved);
}

TEST_CASE("approve and deny add their condition with the reason and message given") {
  api::CertificateRequest request;
  request.status.conditions = {condition("Ready", api::ConditionStatus::False, "Pending")};
  auto approved =
      decision_conditions(request, Decision::approved, kDecisionReason, kApproveMessage, kNow);
  REQUIRE(approved.size() == 2);
  CHECK(approved[0] == request.status.conditions[0]);
  CHECK(approved[1].type == "Approved");
  CHECK(approved[1].status == api::ConditionStatus::True);
  CHECK(approved[1].reason == "KubectlCertManager");
  CHECK(approved[1].message == "manually approved by \"certmill\"");
  auto denied = decision_conditions(request, Decision::denied, "Policy", "no", kNow);
  CHECK(denied[1].type == "Denied");
  CHECK(denied[1].reason == "Policy");
  CHECK(denied[1].message == "no");
}

TEST_CASE("the conditions patch carries the whole list and the resourceVersion read") {
  const std::string patch = conditions_patch(
      "42", {condition("Ready", api::ConditionStatus::True, "Ready"),
             condition("Issuing", api::ConditionStatus::True, "ManuallyTriggered")});
  const json::value v = json::parse(patch);
  CHECK(v.at("metadata").at("resourceVersion") == "42");
  const json::array& list = v.at("status").at("conditions").as_array();
  REQUIRE(list.size() == 2);
  CHECK(list[1].at("type") == "Issuing");
  CHECK(list[1].at("status") == "True");
  CHECK(list[1].at("reason") == "ManuallyTriggered");
  CHECK(list[1].at("lastTransitionTime") == "2023-11-14T22:13:20Z");
  CHECK(v.as_object().size() == 2);
}

TEST_CASE("a Certificate manifest becomes the request for its spec") {
  const std::string manifest = R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: api
  namespace: shop
  labels: {team: payments}
spec:
  secretName: api-tls
  commonName: api.example.com
  dnsNames: [api.example.com]
  duration: 720h
  isCA: true
  usages: [server auth]
  privateKey: {algorithm: ECDSA}
  issuerRef: {name: ca, kind: ClusterIssuer}
)";
  auto crt = certificate_from_manifest(manifest, "api.yaml");
  REQUIRE(crt);
  CHECK(crt->metadata.namespace_ == "shop");
  auto key_spec = pki::key_spec_for(crt->spec.private_key);
  REQUIRE(key_spec);
  CHECK(key_spec->algorithm == api::PrivateKeyAlgorithm::ECDSA);
  auto key = pki::generate_private_key(*key_spec);
  REQUIRE(key);
  auto csr = pki::build_csr(crt->spec, *key);
  REQUIRE(csr);
  const api::CertificateRequest request = request_for(*crt, "api-1", "shop", *csr);
  CHECK(request.metadata.name == "api-1");
  CHECK(request.metadata.namespace_ == "shop");
  CHECK(request.metadata.labels == crt->metadata.labels);
  CHECK(request.metadata.owner_references.empty());
  CHECK(request.spec.issuer_ref == crt->spec.issuer_ref);
  CHECK(request.spec.duration == crt->spec.duration);
  CHECK(request.spec.is_ca);
  CHECK(request.spec.usages == crt->spec.usages);
  auto parsed = pki::parse_csr(request.spec.request.data);
  REQUIRE(parsed);
}

TEST_CASE("a manifest that is not one Certificate is refused, naming the file") {
  auto other =
      certificate_from_manifest("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "s.yaml");
  REQUIRE_FALSE(other);
  CHECK(other.error().message() == "s.yaml: want a Certificate, the kind is Secret");
  auto two = certificate_from_manifest(
      "kind: Certificate\nmetadata: {name: a}\n---\nkind: Certificate\nmetadata: {name: b}\n",
      "two.yaml");
  REQUIRE_FALSE(two);
  CHECK(two.error().message() == "two.yaml: want one Certificate, found 2 documents");
  auto broken = certificate_from_manifest("kind: [Certificate\n", "broken.yaml");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message().starts_with("broken.yaml: "));
}
