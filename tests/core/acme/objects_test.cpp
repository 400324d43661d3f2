// ACME resources: RFC 8555's examples decode, and answers that break the RFC
// are refused with the member named.
#include "core/acme/objects.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::acme;
using namespace std::chrono;

namespace {

Time at(int y, unsigned m, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return sys_days(year(y) / month(m) / day(d)) + hours(h) + minutes(mi) + seconds(s);
}

template <class T>
std::string error_of(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error().message();
}

constexpr std::string_view kDirectory = R"({
  "newNonce": "https://example.com/acme/new-nonce",
  "newAccount": "https://example.com/acme/new-account",
  "newOrder": "https://example.com/acme/new-order",
  "newAuthz": "https://example.com/acme/new-authz",
  "revokeCert": "https://example.com/acme/revoke-cert",
  "keyChange": "https://example.com/acme/key-change",
  "renewalInfo": "https://example.com/acme/renewal-info",
  "Y3mZ2vPx9qE": "https://community.letsencrypt.org/t/adding-random-entries-to-the-directory/33417",
  "meta": {
    "termsOfService": "https://example.com/acme/terms/2017-5-30",
    "website": "https://www.example.com/",
    "caaIdentities": ["example.com"],
    "externalAccountRequired": true,
    "profiles": {"classic": "https://example.com/docs/classic", "shortlived": "6 days"}
  }
})";

}  // namespace

TEST_CASE("a directory with every resource and meta decodes") {
  auto d = decode_directory(kDirectory);
  REQUIRE(d.ok());
  CHECK(d->new_nonce == "https://example.com/acme/new-nonce");
  CHECK(d->new_account == "https://example.com/acme/new-account");
  CHECK(d->new_order == "https://example.com/acme/new-order");
  CHECK(d->revoke_cert == "https://example.com/acme/revoke-cert");
  CHECK(d->key_change == "https://example.com/acme/key-change");
  CHECK(d->renewal_info == "https://example.com/acme/renewal-info");
  CHECK(d->meta.terms_of_service == "https://example.com/acme/terms/2017-5-30");
  CHECK(d->meta.external_account_required);
  CHECK(d->meta.caa_identities == std::vector<std::string>{"example.com"});
  CHECK(d->meta.profiles.size() == 2);
  CHECK(d->meta.profiles.at("shortlived") == "6 days");
}

TEST_CASE("a minimal directory (Pebble's shape) decodes with empty optional resources") {
  auto d = decode_directory(
      R"({"newNonce":"https://p/n","newAccount":"https://p/a","newOrder":"https://p/o"})");
  REQUIRE(d.ok());
  CHECK(d->renewal_info.empty());
  CHECK_FALSE(d->meta.external_account_required);
  CHECK(d->meta.profiles.empty());
}

TEST_CASE("a directory without a required resource names it") {
  CHECK(error_of(decode_directory(R"({"newAccount":"a","newOrder":"o"})")) ==
        "ACME directory: newNonce: required field is missing");
  CHECK(error_of(decode_directory(R"({"newNonce":"n","newOrder":"o"})")).find("newAccount") !=
        std::string::npos);
  CHECK(error_of(decode_directory(R"({"newNonce":"n","newAccount":"a","newOrder":null})"))
            .find("newOrder: required field is missing") != std::string::npos);
  CHECK(error_of(decode_directory(R"({"newNonce":"n","newAccount":"a","newOrder":""})")) ==
        "ACME directory: newOrder: must be a URL, found an empty string");
  auto wrong = decode_directory(R"({"newNonce":"n","newAccount":"a","newOrder":7})");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code() == Errc::wrong_type);
  CHECK(error_of(decode_directory(
                     R"({"newNonce":"n","newAccount":"a","newOrder":"o","meta":{"profiles":[]}})"))
            .find("meta.profiles") != std::string::npos);
}

TEST_CASE("malformed JSON is an error for every decoder") {
  for (const char* bad :
       {"", "nul", "[]", "\"x\"", "{", "{\"status\":\"valid\"", "\xff\xfe", "{\"a\":1,}"}) {
    INFO(bad);
    CHECK_FALSE(decode_directory(bad).ok());
    CHECK_FALSE(decode_account(bad).ok());
    CHECK_FALSE(decode_order(bad).ok());
    CHECK_FALSE(decode_authorization(bad).ok());
    CHECK_FALSE(decode_challenge(bad).ok());
  }
}

TEST_CASE("accounts decode, and an unknown status is refused") {
  auto a = decode_account(
      R"({"status":"valid","contact":["mailto:cert-admin@example.org"],"termsOfServiceAgreed":true,"orders":"https://example.com/acme/orders/rzGoeA"})");
  REQUIRE(a.ok());
  CHECK(a->status == AccountStatus::Valid);
  CHECK(a->contact == std::vector<std::string>{"mailto:cert-admin@example.org"});
  CHECK(a->orders == "https://example.com/acme/orders/rzGoeA");
  // Let's Encrypt answers without `orders`.
  CHECK(decode_account(R"({"status":"deactivated"})").ok());
  CHECK(error_of(decode_account(R"({"status":"sleepy"})")).find("status: unknown value") !=
        std::string::npos);
  CHECK(error_of(decode_account(R"({"contact":[]})")).find("status") != std::string::npos);
}

TEST_CASE("RFC 8555 §7.1.3's order decodes") {
  auto o = decode_order(R"({
    "status": "valid",
    "expires": "2016-01-20T14:09:07.99Z",
    "identifiers": [{"type": "dns", "value": "www.example.org"},
                    {"type": "dns", "value": "example.org"}],
    "notBefore": "2016-01-01T00:00:00Z",
    "notAfter": "2016-01-08T00:00:00Z",
    "authorizations": ["https://example.com/acme/authz/PAniVnsZcis",
                       "https://example.com/acme/authz/r4HqLzrSrpI"],
    "finalize": "https://example.com/acme/order/TOlocE8rfgo/finalize",
    "certificate": "https://example.com/acme/cert/mAt3xBGaobw",
    "profile": "shortlived",
    "replaces": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
  })");
  REQUIRE(o.ok());
  CHECK(o->status == OrderStatus::Valid);
  CHECK(o->expires == at(2016, 1, 20, 14, 9, 7));
  CHECK(o->not_after == at(2016, 1, 8));
  REQUIRE(o->identifiers.size() == 2);
  CHECK(o->identifiers[1] == Identifier{"dns", "example.org"});
  CHECK(o->authorizations.size() == 2);
  CHECK(o->finalize == "https://example.com/acme/order/TOlocE8rfgo/finalize");
  CHECK(o->certificate == "https://example.com/acme/cert/mAt3xBGaobw");
  CHECK(o->profile == "shortlived");
  CHECK(o->replaces == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
  CHECK_FALSE(o->error);
  CHECK(order_status_name(o->status) == "valid");
}

TEST_CASE("an invalid order carries its problem") {
  auto o = decode_order(R"({"status":"invalid","identifiers":[{"type":"dns","value":"a.test"}],
    "authorizations":["https://ca/authz/1"],"finalize":"https://ca/fin",
    "error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"no TXT record","status":403}})");
  REQUIRE(o.ok());
  REQUIRE(o->error);
  CHECK(o->error->type == ProblemType::Unauthorized);
  CHECK(o->error->detail == "no TXT record");
  CHECK(o->error->status == 403);
}

TEST_CASE("orders that break RFC 8555 are refused") {
  const std::string base =
      R"("identifiers":[{"type":"dns","value":"a.test"}],"authorizations":["https://ca/authz/1"])";
  CHECK(error_of(decode_order(R"({"status":"valid",)" + base + R"(,"finalize":"https://ca/f"})")) ==
        "ACME order: certificate: required when the order is valid");
  CHECK(error_of(decode_order(R"({"status":"ready",)" + base + "}")).find("finalize") !=
        std::string::npos);
  CHECK(error_of(decode_order(R"({"status":"done",)" + base + R"(,"finalize":"f"})"))
            .find("status: unknown value \"done\"") != std::string::npos);
  CHECK(
      error_of(
          decode_order(
              R"({"status":"pending","identifiers":[{"type":"dns"}],"authorizations":[],"finalize":"f"})"))
          .find("identifiers[0].value") != std::string::npos);
  CHECK(
      error_of(decode_order(
                   R"({"status":"pending","identifiers":[],"authorizations":[""],"finalize":"f"})"))
          .find("authorizations[0]") != std::string::npos);
  CHECK(error_of(decode_order(R"({"status":"pending",)" + base +
                              R"(,"finalize":"f","expires":"tomorrow"})"))
            .find("expires") != std::string::npos);
  CHECK(error_of(decode_order(R"({"status":"pending",)" + base + R"(,"finalize":"f","error":"x"})"))
            .find("error") != std::string::npos);
}

TEST_CASE("RFC 8555 §7.1.4's authorization decodes with its challenges") {
  auto a = decode_authorization(R"({
    "status": "valid",
    "expires": "2015-03-01T14:09:07.99Z",
    "identifier": {"type": "dns", "value": "www.example.org"},
    "challenges": [
      {"url": "https://example.com/acme/chall/prV_B7yEyA4",
       "type": "http-01",
       "status": "valid",
       "token": "DGyRejmCefe7v4NfDGDKfA",
       "validated": "2014-12-01T12:05:58.16Z"},
      {"url": "https://example.com/acme/chall/Rg5dV14Gh1Q",
       "type": "dns-01",
       "status": "invalid",
       "token": "DGyRejmCefe7v4NfDGDKfA",
       "error": {"type": "urn:ietf:params:acme:error:dns", "detail": "SERVFAIL"}},
      {"url": "https://example.com/acme/chall/x", "type": "future-01", "status": "pending"}
    ],
    "wildcard": false
  })");
  REQUIRE(a.ok());
  CHECK(a->status == AuthorizationStatus::Valid);
  CHECK(a->identifier == Identifier{"dns", "www.example.org"});
  REQUIRE(a->challenges.size() == 3);
  CHECK(a->challenges[0].type == "http-01");
  CHECK(a->challenges[0].token == "DGyRejmCefe7v4NfDGDKfA");
  CHECK(a->challenges[0].validated == at(2014, 12, 1, 12, 5, 58));
  CHECK(a->challenges[1].status == ChallengeStatus::Invalid);
  REQUIRE(a->challenges[1].error);
  CHECK(a->challenges[1].error->type == ProblemType::Dns);
  CHECK(a->challenges[2].token.empty());
  CHECK(authorization_status_name(a->status) == "valid");
}

TEST_CASE("a wildcard authorization says so") {
  auto a = decode_authorization(
      R"({"status":"pending","identifier":{"type":"dns","value":"example.org"},"wildcard":true,
          "challenges":[{"url":"https://ca/c/1","type":"dns-01","status":"pending","token":"abc_-09"}]})");
  REQUIRE(a.ok());
  CHECK(a->wildcard);
  CHECK(challenge_status_name(a->challenges[0].status) == "pending");
}

TEST_CASE("a token outside base64url is refused, naming the challenge") {
  for (const char* token : {"../../etc/passwd", "abc/def", "abc%2F", "abc=", "a b", "tök"}) {
    INFO(token);
    const std::string json =
        std::string(R"({"status":"pending","identifier":{"type":"dns","value":"a.test"},
      "challenges":[{"url":"https://ca/c/0","type":"dns-01","status":"pending","token":"ok"},
                    {"url":"https://ca/c/1","type":"http-01","status":"pending","token":")") +
        token + R"("}]})";
    CHECK(error_of(decode_authorization(json)) ==
          "ACME authorization: challenges[1].token: has characters outside the base64url alphabet");
    CHECK(error_of(decode_challenge(
                       std::string(R"({"url":"u","type":"http-01","status":"pending","token":")") +
                       token + "\"}"))
              .find("token") != std::string::npos);
  }
}

TEST_CASE("challenges that break RFC 8555 are refused") {
  CHECK(error_of(decode_challenge(R"({"url":"u","type":"http-01","status":"pending"})")) ==
        "ACME challenge: token: required for a http-01 challenge");
  CHECK(error_of(decode_challenge(R"({"url":"","type":"x","status":"pending"})")).find("url") !=
        std::string::npos);
  CHECK(error_of(decode_challenge(R"({"type":"dns-01","status":"pending","token":"t"})"))
            .find("url: required field is missing") != std::string::npos);
  CHECK(error_of(decode_challenge(R"({"url":"u","type":"dns-01","status":"ready","token":"t"})"))
            .find("status") != std::string::npos);
  CHECK(error_of(decode_challenge(R"({"url":"u","type":"dns-01","status":"pending","token":5})"))
            .find("token") != std::string::npos);
  CHECK(error_of(
            decode_authorization(R"({"status":"pending","identifier":{"type":"dns","value":"a"}})"))
            .find("challenges: required field is missing") != std::string::npos);
}
