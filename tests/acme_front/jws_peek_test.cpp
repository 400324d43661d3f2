// Reading a client's JWS and new-order payload without verifying them, and the
// errors bad input gets; extending the CA's directory.
#include "tools/acme-front/jws_peek.hpp"

#include <catch2/catch.hpp>

#include "core/acme/base64url.hpp"
#include "core/acme/objects.hpp"
#include "tools/acme-front/directory.hpp"

using namespace certmill;
using namespace certmill::acmefront;
using certmill::acme::base64url_encode;

namespace {
std::string jws(const std::string& header, const std::string& payload) {
  return R"({"protected":")" + base64url_encode(header) + R"(","payload":")" +
         base64url_encode(payload) + R"(","signature":"c2ln"})";
}
}  // namespace

TEST_CASE("a flattened JWS gives its kid, url and payload") {
  auto peeked = peek_jws(jws(R"({"alg":"ES256","kid":"https://ca/acct/1","url":"https://ca/o"})",
                             R"({"identifiers":[]})"));
  REQUIRE(peeked.ok());
  CHECK(peeked->kid == "https://ca/acct/1");
  CHECK(peeked->url == "https://ca/o");
  CHECK(peeked->payload == R"({"identifiers":[]})");
  auto post_as_get = peek_jws(jws(R"({"alg":"ES256","kid":"k","url":"u"})", ""));
  REQUIRE(post_as_get.ok());
  CHECK(post_as_get->payload.empty());
}

TEST_CASE("what is not a JWS is an error that says why") {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "not JSON"},
      {"[1]", "not a JSON object"},
      {R"({"protected":"e30","payload":""})", "flattened JWS"},
      {R"({"protected":"!!","payload":"","signature":"c2ln"})", "base64url"},
      {R"({"protected":7,"payload":"","signature":"c2ln"})", "not a string"},
      {jws("[]", ""), "protected header is not a JSON object"},
      {jws(R"({"kid":5})", ""), "\"kid\" is not a string"},
  };
  for (const auto& [body, why] : cases) {
    auto peeked = peek_jws(body);
    INFO(body);
    REQUIRE_FALSE(peeked.ok());
    CHECK_THAT(peeked.error().message(), Catch::Contains(why));
  }
}

TEST_CASE("a new-order payload gives identifiers, profile and replaces") {
  auto order = decode_new_order_payload(
      R"({"identifiers":[{"type":"dns","value":"a.example.com"}],"profile":"tls","replaces":"aGk.AQ"})");
  REQUIRE(order.ok());
  REQUIRE(order->identifiers.size() == 1);
  CHECK(order->identifiers[0].value == "a.example.com");
  CHECK(order->profile == "tls");
  CHECK(order->replaces == "aGk.AQ");
  for (const char* bad :
       {R"({"identifiers":[]})", R"({"identifiers":[{"type":"dns"}]})", R"({"identifiers":[1]})",
        R"({"identifiers":[{"type":"dns","value":"a"}],"replaces":"x"})",
        R"({"identifiers":[{"type":"dns","value":"a"}],"profile":1})", "{"}) {
    INFO(bad);
    CHECK_FALSE(decode_new_order_payload(bad).ok());
  }
}

TEST_CASE("the directory gains renewalInfo and meta.profiles and keeps the rest") {
  const std::string pebble =
      R"({"newNonce":"https://h:1/nonce-plz","newAccount":"https://h:1/sign-me-up",)"
      R"("newOrder":"https://h:1/order-plz","meta":{"termsOfService":"data:x"}})";
  auto paths = directory_paths(pebble);
  REQUIRE(paths.ok());
  CHECK(paths->new_order == "/order-plz");
  auto extended = extend_directory(pebble, "https://h:1/renewal-info",
                                   {{"classic", "the usual"}, {"shortlived", "6 days"}});
  REQUIRE(extended.ok());
  auto directory = acme::decode_directory(*extended);
  REQUIRE(directory.ok());
  CHECK(directory->renewal_info == "https://h:1/renewal-info");
  CHECK(directory->meta.terms_of_service == "data:x");
  CHECK(directory->meta.profiles ==
        std::map<std::string, std::string>{{"classic", "the usual"}, {"shortlived", "6 days"}});
  auto plain = acme::decode_directory(*extend_directory(pebble, "https://h:1/renewal-info", {}));
  REQUIRE(plain.ok());
  CHECK(plain->meta.profiles.empty());
}
