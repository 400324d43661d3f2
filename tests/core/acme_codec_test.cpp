// Order and Challenge codecs: the ACME state certmill keeps on the cluster.
#include <catch2/catch.hpp>

#include "core/api/acme.hpp"
#include "core/api/codec.hpp"
#include "tests/support/files.hpp"

using namespace certmill;
using namespace certmill::api;

TEST_CASE("an Order decodes its authorizations and challenges") {
  auto order = decode<Order>(test::read_file("tests/core/manifests/order.json"));
  REQUIRE(order.ok());
  CHECK(order->metadata.annotations.at("cert-manager.io/certificate-name") == "example-com");
  REQUIRE(order->metadata.owner_references.size() == 1);
  CHECK(order->metadata.owner_references[0].kind == "CertificateRequest");
  CHECK(order->metadata.owner_references[0].controller == true);
  CHECK_THAT(order->spec.request.data, Catch::StartsWith("-----BEGIN CERTIFICATE REQUEST-----"));
  CHECK(order->spec.issuer_ref.kind == "ClusterIssuer");
  CHECK(order->spec.dns_names == std::vector<std::string>{"example.com", "*.example.com"});
  CHECK(order->spec.duration == std::chrono::hours(2160));
  CHECK(order->spec.profile == "tlsserver");
  CHECK(order->status.state == AcmeState::Pending);
  CHECK(order->status.finalize_url ==
        "https://acme-v02.api.letsencrypt.org/acme/finalize/1234567890/987654321");
  CHECK(order->status.certificate.data.empty());
  REQUIRE(order->status.authorizations.size() == 2);
  const ACMEAuthorization& apex = order->status.authorizations[0];
  CHECK(apex.identifier == "example.com");
  CHECK(apex.initial_state == AcmeState::Pending);
  CHECK(apex.wildcard == false);
  REQUIRE(apex.challenges.size() == 3);
  CHECK(apex.challenges[2].type == "tls-alpn-01");
  CHECK(apex.challenges[1].token == "tok-dns-111");
  const ACMEAuthorization& wildcard = order->status.authorizations[1];
  CHECK(wildcard.wildcard == true);
  CHECK(wildcard.initial_state == AcmeState::Valid);
}

TEST_CASE("a Challenge decodes its type, key and solver") {
  auto ch = decode<Challenge>(test::read_file("tests/core/manifests/challenge.json"));
  REQUIRE(ch.ok());
  CHECK(ch->spec.type == AcmeChallengeType::DNS01);
  CHECK(ch->spec.wildcard);
  CHECK(ch->spec.dns_name == "example.com");
  CHECK(ch->spec.key == "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
  CHECK(ch->spec.authorization_url == "https://acme-v02.api.letsencrypt.org/acme/authz-v3/222");
  REQUIRE(ch->spec.solver.dns01.has_value());
  CHECK(ch->spec.solver.dns01->cname_strategy == CNAMEStrategy::Follow);
  CHECK(ch->spec.solver.dns01->cloudflare->email == "dns@example.com");
  CHECK(ch->metadata.finalizers == std::vector<std::string>{"finalizer.acme.cert-manager.io"});
  CHECK(ch->status.processing);
  CHECK(ch->status.presented);
  CHECK(ch->status.state == AcmeState::Pending);
  CHECK_THAT(ch->status.reason, Catch::Contains("\"example.com\" not yet propagated"));
}

TEST_CASE("a Challenge's processing and presented are written even when false") {
  auto ch = decode<Challenge>(test::read_file("tests/core/manifests/challenge.json"));
  REQUIRE(ch.ok());
  const std::string both_true = encode(*ch);
  CHECK_THAT(both_true, Catch::Contains("\"processing\":true"));
  CHECK_THAT(both_true, Catch::Contains("\"presented\":true"));
  ch->status.processing = false;
  ch->status.presented = false;
  ch->status.reason.clear();
  const std::string both_false = encode(*ch);
  CHECK_THAT(both_false, Catch::Contains("\"processing\":false"));
  CHECK_THAT(both_false, Catch::Contains("\"presented\":false"));
  // An empty reason is still left out, as cert-manager's omitempty does.
  CHECK_THAT(both_false, !Catch::Contains("\"reason\""));
  auto read_back = decode<Challenge>(both_false);
  REQUIRE(read_back.ok());
  CHECK_FALSE(read_back->status.presented);
}

TEST_CASE("every ACME state name decodes, and others are refused") {
  const std::pair<const char*, AcmeState> states[] = {
      {"valid", AcmeState::Valid},     {"ready", AcmeState::Ready},
      {"pending", AcmeState::Pending}, {"processing", AcmeState::Processing},
      {"invalid", AcmeState::Invalid}, {"expired", AcmeState::Expired},
      {"errored", AcmeState::Errored},
  };
  const std::string head =
      R"({"metadata":{"name":"o"},"spec":{"request":"","issuerRef":{"name":"i"}},"status":{"state":")";
  for (const auto& [name, state] : states) {
    auto order = decode<Order>(head + name + "\"}}");
    REQUIRE(order.ok());
    CHECK(order->status.state == state);
    CHECK_THAT(encode(*order), Catch::Contains(std::string("\"state\":\"") + name + "\""));
  }
  auto bad = decode<Order>(head + "Valid\"}}");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == Errc::invalid_value);
  CHECK(bad.error().message() ==
        "status.state: unknown value \"Valid\"; expected one of valid, ready, pending, "
        "processing, invalid, expired, errored");
}
