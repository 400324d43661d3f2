// ACME Challenges end to end, against Pebble: a Challenge waits with
// cert-manager's reason while its self-check fails, no more are presented at
// once than --max-concurrent-challenges allows, and the ACME client's
// requests and the Challenges show in cert-manager's metrics and Events.
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/acme_fixtures.hpp"

using namespace certmill;
using namespace certmill::test;

TEST_CASE("a Challenge waits with cert-manager's reason until the self-check passes") {
  HeldChallenge held("late");
  ScriptedHttp& route = held.route;
  ControllerHarness& h = held.h;

  const std::string waiting =
      "Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200' from "
      "http://late.example.com:" +
      std::to_string(route.port()) + "/.well-known/acme-challenge/";
  // The first self-check follows the presentation without waiting on the
  // clock, so the clock stands still here: moving it could run out the
  // self-check's ten minutes before a slow machine lists the Challenge.
  std::string key;
  boost::json::value last_status;
  const bool waiting_seen = eventually([&] {
    const auto challenges = items(h, "challenges");
    // A Challenge is created first and given its status in a second write.
    if (challenges.size() != 1 || !challenges[0].as_object().contains("status"))
      return false;
    last_status = challenges[0].at("status");
    const auto* reason = last_status.as_object().if_contains("reason");
    if (reason == nullptr || !std::string(reason->as_string()).starts_with(waiting))
      return false;
    key = std::string(challenges[0].at("spec").at("key").as_string());
    return last_status.at("presented") == true && last_status.at("processing") == true &&
           last_status.at("state") == "pending";
  });
  INFO("the Challenge's status: " << boost::json::serialize(last_status));
  REQUIRE(waiting_seen);
  // A few more checks fail the same way: the Challenge is not rewritten for
  // each, and the CA was never asked (it would have passed it at once).
  const long writes = requests(h, "update", "challenges");
  for (int i = 0; i < 30; ++i) {
    h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(route.heads().size() >= 3);
  CHECK(requests(h, "update", "challenges") == writes);
  CHECK(h.condition("/apis/cert-manager.io/v1/namespaces/shop/certificates/late", "Ready") !=
        "True");
  CHECK(items(h, "challenges").size() == 1);

  // The route starts answering: the next check passes and the order goes on.
  route.reply_with(http_reply(200, key));
  std::string reason, message;
  REQUIRE(wait_moving_clock(h, "late", "Ready", "True", &reason, &message));
  CHECK(items(h, "challenges").empty());
  CHECK(items(h, "orders").at(0).at("status").at("state") == "valid");
}

TEST_CASE("no more challenges are presented at once than --max-concurrent-challenges allows") {
  PebbleOptions options;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  controller::ControllerConfig config = resolving_with(pebble.dns_port);
  // One namespace is one shard: its share of the limit is all of it.
  config.runtime.max_challenges = 1;
  ControllerHarness h(config, true, "127.0.0.1:" + std::to_string(pebble.http_port));
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
  REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready") == "True"; }));
  const std::vector<std::string> names = {"one", "two", "three"};
  for (const std::string& name : names)
    h.apply(certificate_yaml(name, "[" + name + ".shop.example.com]"));
  // Sampled while the orders run: the answers served and the Challenge
  // objects, of which the limit allows one at a time.
  std::size_t most_answers = 0, most_challenges = 0;
  REQUIRE(eventually_moving_clock(h, [&] {
    most_answers = std::max(most_answers, h.controller().http01().size());
    most_challenges = std::max(most_challenges, items(h, "challenges").size());
    for (const std::string& name : names) {
      if (h.condition("/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name, "Ready") !=
          "True")
        return false;
    }
    return true;
  }));
  CHECK(most_answers == 1);
  CHECK(most_challenges == 1);
  CHECK(h.controller().http01().size() == 0);
}

TEST_CASE("ACME requests and Challenges show in cert-manager's metrics and Challenge Events") {
  HeldChallenge held("counted");
  Pebble& pebble = held.pebble;
  ScriptedHttp& route = held.route;
  ControllerHarness& h = held.h;

  // While the Challenge waits: eight series, pending the one at 1, labelled
  // with its domain, type, processing and the reason it waits.
  std::string name, key;
  std::vector<std::string> series;
  const bool pending_seen = eventually([&] {
    const auto challenges = items(h, "challenges");
    if (challenges.size() != 1)
      return false;
    name = std::string(challenges[0].at("metadata").at("name").as_string());
    key = std::string(challenges[0].at("spec").at("key").as_string());
    series = challenge_series(h, name, {"reason=\"Waiting for HTTP-01 challenge propagation: "});
    return series.size() == 8;
  });
  INFO("challenge " << name << "; its series:\n"
                    << [&] {
                         std::string all;
                         for (const auto& line : series)
                           all += line + "\n";
                         return all;
                       }());
  REQUIRE(pending_seen);
  std::size_t ones = 0;
  for (const std::string& line : series) {
    CHECK(line.find("domain=\"counted.example.com\"") != std::string::npos);
    CHECK(line.find("namespace=\"shop\"") != std::string::npos);
    CHECK(line.find("processing=\"true\"") != std::string::npos);
    CHECK(line.find("type=\"HTTP-01\"") != std::string::npos);
    if (line.ends_with("} 1")) {
      ++ones;
      CHECK(line.find("status=\"pending\"") != std::string::npos);
    }
  }
  CHECK(ones == 1);
  for (const char* status : {"ready", "valid", "errored", "expired", "invalid", "processing", ""})
    CHECK(challenge_series(h, name, {"status=\"" + std::string(status) + "\"", "} 0"}).size() == 1);

  // The route answers: the Challenge is solved and removed, its series too.
  route.reply_with(http_reply(200, key));
  REQUIRE(wait_moving_clock(h, "counted", "Ready", "True"));
  CHECK(items(h, "challenges").empty());
  CHECK(challenge_series(h, name).empty());

  // The Events cert-manager records on a Challenge it solves, from its
  // challenges controller.
  const auto events = h.events_for("shop", name);
  REQUIRE(events.size() == 3);
  CHECK(events[0] == "Normal Started: Challenge scheduled for processing");
  CHECK(events[1] == "Normal Presented: Presented challenge using HTTP-01 challenge mechanism");
  CHECK(events[2] ==
        "Normal DomainVerified: Domain \"counted.example.com\" verified with \"HTTP-01\" "
        "validation");
  auto all_events = h.get("/api/v1/namespaces/shop/events");
  REQUIRE(all_events);
  std::size_t from_challenges = 0;
  for (const auto& event : all_events->at("items").as_array()) {
    if (event.at("involvedObject").at("name").as_string() == name) {
      CHECK(event.at("involvedObject").at("kind") == "Challenge");
      CHECK(event.at("source").at("component") == "cert-manager-challenges");
      ++from_challenges;
    }
  }
  CHECK(from_challenges == 3);

  // Every request to Pebble counted and timed, labelled as cert-manager
  // labels them: the directory GET, and the newOrder POST Pebble answered
  // with 201 Created.
  const std::string text = h.scrape();
  INFO(text);
  // "https://127.0.0.1:<port>/dir": the host label is the URL's host:port.
  const std::string host =
      "host=\"" + pebble.directory_url.substr(8, pebble.directory_url.size() - 12) + "\"";
  CHECK(text.find("# TYPE certmanager_http_acme_client_request_count counter") !=
        std::string::npos);
  CHECK(text.find("# TYPE certmanager_http_acme_client_request_duration_seconds summary") !=
        std::string::npos);
  const std::string directory =
      host + ",method=\"GET\",path=\"/dir\",scheme=\"https\",status=\"200\"}";
  const std::string new_order =
      host + ",method=\"POST\",path=\"/order-plz\",scheme=\"https\",status=\"201\"}";
  const auto counted = scraped(text, {"certmanager_http_acme_client_request_count{", new_order});
  REQUIRE(counted.size() == 1);
  CHECK(std::stod(counted[0].substr(counted[0].rfind(' ') + 1)) >= 1);
  CHECK(scraped(text, {"certmanager_http_acme_client_request_count{", directory}).size() == 1);
  const std::string duration = "certmanager_http_acme_client_request_duration_seconds";
  CHECK(scraped(text, {duration + "_count{", new_order}).size() == 1);
  CHECK(scraped(text, {duration + "_sum{", new_order}).size() == 1);
  const std::string order_quantile =
      duration + "{" + new_order.substr(0, new_order.size() - 1) + ",quantile=";
  CHECK(scraped(text, {order_quantile + "\"0.5\"}"}).size() == 1);
  CHECK(scraped(text, {order_quantile + "\"0.9\"}"}).size() == 1);
  CHECK(scraped(text, {order_quantile + "\"0.99\"}"}).size() == 1);
  // The nonce HEAD and the POSTs that read the order are counted too.
  CHECK(scraped(text, {"certmanager_http_acme_client_request_count{", "method=\"HEAD\"",
                       "path=\"/nonce-plz\""})
            .size() == 1);
}
