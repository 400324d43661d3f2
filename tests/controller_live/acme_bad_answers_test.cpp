// A CA that breaks RFC 8555 in the middle of an order, through the controller:
// acme-front passes every request on to Pebble and hands certmill a wrong
// answer of one kind instead of Pebble's — a problem type no RFC names, an
// order that is not JSON, a challenge token with path characters, a chain that
// does not parse. Each fails the issuance with a message that says what came
// back, on the Certificate and in an Event; the next order waits for
// cert-manager's backoff (an hour), not a hot loop.
#include <chrono>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificate = "/apis/cert-manager.io/v1/namespaces/shop/certificates/odd";

struct BadAnswer {
  std::string kind;
  int status;
  std::string content_type;
  std::string body;
  std::string said;  // what the Certificate's message must quote
};

long new_orders(AcmeFront& front) {
  const auto stats = boost::json::parse(front.get("/stats").body);
  const auto* n = stats.at("requests").as_object().if_contains("newOrder");
  return n ? n->to_number<long>() : 0;
}

bool warned(ControllerHarness& h, const std::string& what) {
  for (const auto& event : h.events_for("shop", "odd"))
    if (event.starts_with("Warning") && event.find(what) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a CA answer that breaks RFC 8555 fails the issuance with its reason and backs off") {
  const BadAnswer bad = GENERATE(
      BadAnswer{"newOrder", 400, "application/problem+json",
                R"({"type":"urn:ietf:params:acme:error:futureProblem",)"
                R"("detail":"a problem no RFC names","status":400})",
                "a problem no RFC names"},
      BadAnswer{"order", 200, "application/json", "{\"status\": \"val", "JSON"},
      BadAnswer{"authorization", 200, "application/json",
                R"({"identifier":{"type":"dns","value":"odd.example.com"},"status":"pending",)"
                R"("expires":"2030-01-01T00:00:00Z","challenges":[{"type":"http-01",)"
                R"("url":"https://127.0.0.1:1/chal","token":"../../etc/passwd",)"
                R"("status":"pending"}]})",
                "challenges[0].token: has characters outside the base64url alphabet"},
      BadAnswer{
          "certificate", 200, "application/pem-certificate-chain",
          "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
          "does not decode"});
  INFO("the CA's " << bad.kind << " answer: " << bad.body);
  PebbleOptions options;
  options.always_valid = true;
  options.resolve_to_loopback = true;  // for certmill's self-check
  Pebble pebble(options);
  AcmeFront front(pebble);
  front.must_post("/fault",
                  boost::json::serialize(boost::json::object{{"kind", bad.kind},
                                                             {"status", bad.status},
                                                             {"content_type", bad.content_type},
                                                             {"body", bad.body}}));
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(acme_front_manifests(front, "odd"));

  std::string reason, message;
  const bool failed = eventually_moving_clock(h, [&] {
    return h.condition(kCertificate, "Issuing", &reason, &message) == "False" && reason == "Failed";
  });
  INFO(message);
  INFO(front.get("/stats").body);
  REQUIRE(failed);
  CHECK(message.find(bad.said) != std::string::npos);
  CHECK(h.condition(kCertificate, "Ready") == "False");
  CHECK(warned(h, bad.said));

  // No second order before the backoff's hour, in real time or on the clock.
  const long orders = new_orders(front);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  h.clock().advance(std::chrono::minutes(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(new_orders(front) == orders);
  // With the CA answering rightly again, the retry after the hour issues.
  front.must_post("/fault", boost::json::serialize(boost::json::object{{"kind", bad.kind}}));
  h.clock().advance(std::chrono::minutes(11));
  CHECK(eventually_moving_clock(h, [&] { return h.condition(kCertificate, "Ready") == "True"; }));
}
