// A CA having bad seconds under a fleet, through the controller: 200
// Certificates ordered from Pebble behind acme-front, which answers a third of
// the order polls 500, resets the connection instead of answering every tenth
// authorization read, and answers every ninth challenge response 503 (after
// passing each on to Pebble). Every order rides them out within itself:
// all 200 become Ready, no CertificateRequest fails (which would cost its
// Certificate cert-manager's hour of backoff), and each Certificate took
// one order.
#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_fixtures.hpp"
#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr int kCertificates = 200;

// The objects of a namespaced collection in "shop" whose condition `type`
// has `status` (and `reason`, when given).
int count_with(ControllerHarness& h, const std::string& collection, const std::string& type,
               const std::string& status, const std::string& reason = {}) {
  const auto list = h.get("/apis/cert-manager.io/v1/namespaces/shop/" + collection);
  if (!list)
    return 0;
  int count = 0;
  for (const auto& item : list->at("items").as_array()) {
    const auto* object_status = item.as_object().if_contains("status");
    const auto* conditions =
        object_status ? object_status->as_object().if_contains("conditions") : nullptr;
    if (!conditions)
      continue;
    for (const auto& c : conditions->as_array()) {
      if (c.at("type").as_string() == type && c.at("status").as_string() == status &&
          (reason.empty() || c.at("reason").as_string() == reason))
        ++count;
    }
  }
  return count;
}

std::size_t items_in(ControllerHarness& h, const std::string& collection) {
  const auto list = h.get("/apis/cert-manager.io/v1/namespaces/shop/" + collection);
  return list ? list->at("items").as_array().size() : 0;
}

std::uint64_t stat(const boost::json::value& stats, const char* group, const char* kind) {
  const auto* n = stats.at(group).as_object().if_contains(kind);
  return n ? n->to_number<std::uint64_t>() : 0;
}

std::string problem(unsigned status, const std::string& detail) {
  return boost::json::serialize(
      boost::json::object{{"type", "urn:ietf:params:acme:error:serverInternal"},
                          {"detail", detail},
                          {"status", status}});
}

}  // namespace

TEST_CASE("200 Certificates are issued through a CA that fails a third of its order polls") {
  PebbleOptions options;
  options.always_valid = true;
  options.resolve_to_loopback = true;  // for certmill's self-check
  Pebble pebble(options);
  // Without Let's Encrypt's limits: 200 names under example.com are more
  // than its certificates per registered domain, and limits are not what
  // this test is about.
  AcmeFront front(pebble,
                  {"--new-orders-per-account=0", "--certificates-per-domain=0",
                   "--certificates-per-exact-set=0", "--failed-authorizations-per-identifier=0"});
  front.must_post("/fault", boost::json::serialize(boost::json::object{
                                {"kind", "order"},
                                {"status", 500},
                                {"content_type", "application/problem+json"},
                                {"body", problem(500, "the order database is failing over")},
                                {"every", 3}}));
  front.must_post("/fault", boost::json::serialize(boost::json::object{
                                {"kind", "authorization"}, {"reset", true}, {"every", 10}}));
  front.must_post("/fault", boost::json::serialize(boost::json::object{
                                {"kind", "challenge"},
                                {"status", 503},
                                {"content_type", "application/problem+json"},
                                {"body", problem(503, "the validation queue is full")},
                                {"every", 9}}));
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  std::string fleet = acme_front_manifests(front, "crt-0");
  for (int i = 1; i < kCertificates; ++i) {
    const std::string name = "crt-" + std::to_string(i);
    fleet += "---\n" + certificate_yaml(name, "[" + name + ".example.com]",
                                        "    name: letsencrypt\n    kind: ClusterIssuer\n");
  }
  h.apply(fleet);

  // The orders' polls and retries wait on the fake clock: it moves a second
  // every 50 ms, for at most two minutes of real time.
  int ready = 0;
  for (int i = 0; i < 2400 && ready < kCertificates; ++i) {
    if (i % 20 == 0)
      ready = count_with(h, "certificates", "Ready", "True");
    h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto stats = boost::json::parse(front.get("/stats").body);
  INFO(boost::json::serialize(stats));
  CHECK(count_with(h, "certificaterequests", "Ready", "False", "Failed") == 0);
  CHECK(ready == kCertificates);
  // The count above reads the requests' conditions: it finds every one Ready.
  CHECK(count_with(h, "certificaterequests", "Ready", "True") == kCertificates);
  // The faults were served: the orders met them and went on.
  CHECK(stat(stats, "faults", "order") > 0);
  CHECK(stat(stats, "faults", "order") == stat(stats, "requests", "order") / 3);
  CHECK(stat(stats, "faults", "authorization") > 0);
  CHECK(stat(stats, "faults", "challenge") > 0);
  // One request, and one certificate issued, per Certificate.
  CHECK(items_in(h, "certificaterequests") == kCertificates);
  CHECK(stats.at("certificates_issued").to_number<int>() == kCertificates);
}

TEST_CASE("an issued chain outlives failed writes of its request's status: no second order") {
  PebbleOptions options = PebbleOptions::always_valid_on_loopback();
  // Counted below: a newOrder Pebble refuses as badNonce (5 % by default) is
  // sent again, which failed CI once (two newOrders, one order).
  options.nonce_reject = 0;
  Pebble pebble(options);
  AcmeFront front(pebble,
                  {"--new-orders-per-account=0", "--certificates-per-domain=0",
                   "--certificates-per-exact-set=0", "--failed-authorizations-per-identifier=0"});
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  // The writes that carry the issued chain: the first answered 503, the
  // next 409 (another writer changed the request meanwhile).
  for (const int status : {503, 409}) {
    const auto r = request(h.sim(), "PUT", "/kube-sim/faults",
                           R"({"failNext":{"method":"PUT","path":"/certificaterequests/",)"
                           R"("body":"\"certificate\":\"","status":)" +
                               std::to_string(status) + "}}");
    REQUIRE(r.status == 200);
  }
  h.apply(acme_front_manifests(front, "crt-0"));
  int ready = 0;
  for (int i = 0; i < 1200 && ready == 0; ++i) {
    if (i % 20 == 0)
      ready = count_with(h, "certificates", "Ready", "True");
    h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto stats = boost::json::parse(front.get("/stats").body);
  const auto sim_stats = boost::json::parse(request(h.sim(), "GET", "/kube-sim/stats").body);
  INFO(boost::json::serialize(stats) << "\n" << boost::json::serialize(sim_stats));
  REQUIRE(ready == 1);
  // Both faults were served (kube-sim counts a faulted request by its
  // method, before it knows the resource)...
  int refused = 0;
  for (const auto& r : sim_stats.at("requests").as_array()) {
    const auto& o = r.as_object();
    if (o.at("verb") == "PUT" && (o.at("code") == 503 || o.at("code") == 409))
      refused += static_cast<int>(o.at("count").to_number<std::int64_t>());
  }
  CHECK(refused == 2);
  // ...and the chain they would have lost was written on the next try.
  CHECK(stat(stats, "requests", "newOrder") == 1);
  CHECK(stats.at("certificates_issued").to_number<int>() == 1);
  CHECK(count_with(h, "certificaterequests", "Ready", "False", "Failed") == 0);
}
