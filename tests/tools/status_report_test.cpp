// `certmill status certificate`'s layout from objects alone: a Ready
// Certificate, and failing ones whose reason must be in the first lines,
// deepest cause first; and how the related objects are found.
#include "tools/certmill/ops/status_report.hpp"

#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "tools/certmill/ops/related_objects.hpp"

using namespace certmill;
using namespace certmill::ops;

namespace {

const Time kNow{std::chrono::seconds(1'800'000'000)};  // 2027-01-15

template <class T>
T decoded(std::string_view json) {
  auto r = api::decode<T>(json);
  REQUIRE(r);
  return *r;
}

api::Certificate failing_certificate() {
  return decoded<api::Certificate>(R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate",
    "metadata":{"name":"web","namespace":"shop","uid":"c-1","creationTimestamp":"2027-01-14T00:00:00Z"},
    "spec":{"secretName":"web-tls","dnsNames":["web.example.com"],"issuerRef":{"name":"le","kind":"ClusterIssuer"}},
    "status":{"conditions":[
      {"type":"Ready","status":"False","reason":"DoesNotExist","message":"Issuing certificate as Secret does not exist"},
      {"type":"Issuing","status":"False","reason":"Failed","message":"The certificate request has failed to complete and will be retried"}],
      "failedIssuanceAttempts":1,"lastFailureTime":"2027-01-15T07:00:00Z"}})");
}

api::CertificateRequest request(std::string_view name, int revision, std::string_view ready) {
  return decoded<api::CertificateRequest>(
      std::string(R"({"apiVersion":"cert-manager.io/v1","kind":"CertificateRequest",
    "metadata":{"name":")") +
      std::string(name) + R"(","namespace":"shop","uid":"r-)" + std::to_string(revision) +
      R"(","annotations":{"cert-manager.io/certificate-name":"web","cert-manager.io/certificate-revision":")" +
      std::to_string(revision) +
      R"("},"ownerReferences":[{"apiVersion":"cert-manager.io/v1","kind":"Certificate","name":"web","uid":"c-1"}]},
    "spec":{"request":"","issuerRef":{"name":"le","kind":"ClusterIssuer"}},
    "status":{"conditions":[{"type":"Approved","status":"True","reason":"cert-manager.io","message":"approved"},)" +
      std::string(ready) + "]}}");
}

StatusInput acme_failure() {
  StatusInput in{
      .certificate = failing_certificate(),
      .secret = std::nullopt,
      .request = request(
          "web-1", 1,
          R"({"type":"Ready","status":"False","reason":"Failed","message":"Failed to wait for order resource \"web-1-42\" to become ready: order is in \"invalid\" state"})"),
      .order = decoded<api::Order>(R"({"metadata":{"name":"web-1-42","namespace":"shop","uid":"o-1",
                   "ownerReferences":[{"apiVersion":"cert-manager.io/v1","kind":"CertificateRequest","name":"web-1","uid":"r-1"}]},
                   "spec":{"request":"","issuerRef":{"name":"le"}},"status":{"state":"invalid","reason":""}})"),
      .challenges = {decoded<api::Challenge>(R"({"metadata":{"name":"web-1-42-7","namespace":"shop",
                   "ownerReferences":[{"apiVersion":"acme.cert-manager.io/v1","kind":"Order","name":"web-1-42","uid":"o-1"}]},
                   "spec":{"url":"u","authorizationURL":"a","dnsName":"web.example.com","type":"HTTP-01","token":"t","key":"k",
                     "solver":{"http01":{"ingress":{}}},"issuerRef":{"name":"le"}},
                   "status":{"state":"invalid","reason":"Error accepting authorization: 403 urn:ietf:params:acme:error:unauthorized: Invalid response from http://web.example.com/.well-known/acme-challenge/t: 404"}})")},
      .events = {decoded<api::Event>(R"({"metadata":{"name":"web.1","namespace":"shop"},
                   "involvedObject":{"kind":"Certificate","name":"web","namespace":"shop"},"reason":"Issuing",
                   "message":"Issuing certificate as Secret does not exist","type":"Normal","count":1,
                   "lastTimestamp":"2027-01-15T07:00:00Z"})")}};
  return in;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("a failing ACME Certificate leads with its verdict and the Challenge's reason") {
  const auto report = status_report(acme_failure(), kNow, Paint(false));
  CHECK_FALSE(report.well);
  const auto l = lines(report.text);
  REQUIRE(l.size() > 6);
  CHECK(l[0] ==
        "Certificate shop/web is not Ready: DoesNotExist: Issuing certificate as Secret does not "
        "exist");
  CHECK(
      l[1].starts_with("  because Challenge web-1-42-7 (HTTP-01 for web.example.com) is invalid: "
                       "Error accepting authorization: 403"));
  CHECK(l[2] == "  because Order web-1-42 is invalid");
  CHECK(l[3].starts_with("  because CertificateRequest web-1 failed: Failed to wait for order"));
  CHECK(l[4].starts_with("  because Issuing is False: Failed: "));
  CHECK(l[5] == "  because Secret web-tls does not exist");
  for (const char* section : {"\nName:           web\n", "\nNamespace:      shop\n",
                              "\nDNS Names:      web.example.com\n",
                              "\nIssuer:         le (ClusterIssuer, cert-manager.io)\n",
                              "\nSecret:         web-tls\n  Exists:       no\n",
                              "\nCertificateRequest: web-1\n", "\nOrder:          web-1-42\n",
                              "\n- web-1-42-7: HTTP-01 for web.example.com, state invalid",
                              "Failed attempts: 1, last 2027-01-15T07:00:00Z (60m ago)"}) {
    CHECK(report.text.find(section) != std::string::npos);
  }
  CHECK(report.text.find("  Normal   Issuing   60m   Certificate/web   Issuing certificate as") !=
        std::string::npos);
}

TEST_CASE("a denied request is the cause") {
  StatusInput in{
      .certificate = failing_certificate(),
      .secret = std::nullopt,
      .request = request(
          "web-1", 1,
          R"({"type":"Denied","status":"True","reason":"policy","message":"names not allowed"})"),
      .order = std::nullopt,
      .challenges = {},
      .events = {}};
  const auto v = status_verdict(in, kNow);
  CHECK_FALSE(v.well);
  REQUIRE_FALSE(v.causes.empty());
  CHECK(v.causes[0] == "CertificateRequest web-1 was denied: policy: names not allowed");
}

TEST_CASE("a Ready Certificate says until when and when it renews, and is well") {
  auto cert = failing_certificate();
  cert.status.conditions = {{.type = "Ready",
                             .status = api::ConditionStatus::True,
                             .reason = "Ready",
                             .message = "Certificate is up to date and has not expired",
                             .last_transition_time = std::nullopt,
                             .observed_generation = std::nullopt}};
  cert.status.not_after = kNow + std::chrono::hours(24 * 60);
  cert.status.renewal_time = kNow + std::chrono::hours(24 * 30);
  StatusInput in{.certificate = cert,
                 .secret = api::Secret{},
                 .request = std::nullopt,
                 .order = std::nullopt,
                 .challenges = {},
                 .events = {}};
  const auto report = status_report(in, kNow, Paint(false));
  CHECK(report.well);
  CHECK(lines(report.text)[0] ==
        "Certificate shop/web is Ready, valid until 2027-03-16T08:00:00Z, renewal in 30d");
  SECTION("an old request with no Approved condition says nothing while nothing is issuing") {
    in.request = request("web-1", 1,
                         R"({"type":"Ready","status":"False","reason":"Pending","message":"x"})");
    in.request->status.conditions.erase(in.request->status.conditions.begin());
    CHECK(status_verdict(in, kNow).causes.empty());
  }
  SECTION("a failing renewal is shown under a Ready verdict") {
    in.certificate.status.conditions.push_back({.type = "Issuing",
                                                .status = api::ConditionStatus::True,
                                                .reason = "Renewing",
                                                .message = "",
                                                .last_transition_time = std::nullopt,
                                                .observed_generation = std::nullopt});
    in.request = request(
        "web-2", 2,
        R"({"type":"Ready","status":"False","reason":"Failed","message":"CA unreachable"})");
    const auto r = status_report(in, kNow, Paint(false));
    CHECK(r.well);
    CHECK(lines(r.text)[1] == "  renewing: CertificateRequest web-2 failed: CA unreachable");
  }
  SECTION("but not once expired") {
    in.certificate.status.not_after = kNow - std::chrono::hours(2);
    const auto v = status_verdict(in, kNow);
    CHECK_FALSE(v.well);
    CHECK(v.headline == "Certificate shop/web is Ready but its certificate expired 120m ago");
  }
}

TEST_CASE("the current request is the highest revision the Certificate owns") {
  const auto cert = failing_certificate();
  auto other =
      request("other-3", 3, R"({"type":"Ready","status":"True","reason":"Issued","message":""})");
  other.metadata.annotations["cert-manager.io/certificate-name"] = "other";
  other.metadata.owner_references.clear();
  const std::vector<api::CertificateRequest> requests{
      request("web-1", 1, R"({"type":"Ready","status":"True","reason":"Issued","message":""})"),
      request("web-2", 2, R"({"type":"Ready","status":"False","reason":"Pending","message":""})"),
      other};
  const auto current = current_request(cert, requests);
  REQUIRE(current);
  CHECK(current->metadata.name == "web-2");
  const auto in = acme_failure();
  CHECK(order_of(*in.request, {*in.order})->metadata.name == "web-1-42");
  CHECK(challenges_of(*in.order, in.challenges).size() == 1);
  CHECK(order_of(requests[1], {*in.order}) == std::nullopt);
}

TEST_CASE("Events about the Certificate and its objects, oldest first") {
  auto event = [](std::string kind, std::string name, std::string when) {
    return decoded<api::Event>(
        R"({"metadata":{"name":"e","namespace":"shop"},"involvedObject":{"kind":")" + kind +
        R"(","name":")" + name + R"("},"reason":"r","message":"m","type":"Normal",
                               "lastTimestamp":")" +
        when + R"("})");
  };
  const auto events =
      events_about({{.kind = "Certificate", .name = "web"}, {.kind = "Order", .name = "o"}},
                   {event("Certificate", "web", "2027-01-02T00:00:00Z"),
                    event("Certificate", "api", "2027-01-01T00:00:00Z"),
                    event("Order", "o", "2027-01-01T00:00:00Z")});
  REQUIRE(events.size() == 2);
  CHECK(events[0].involved_object.kind == "Order");
}
