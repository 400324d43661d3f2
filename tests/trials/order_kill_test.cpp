// kill -9 with 100 ACME orders in flight: the shipped controller (the
// `certmill` binary, on kube-sim, Pebble behind acme-front) places 100
// orders whose authorizations the CA will not answer yet (acme-front serves
// 503 for them), and is killed with SIGKILL once every Order records its URL:
// no graceful stop, no last write. The next process continues every order
// from its Order's URL: acme-front sees no further newOrder, every Order
// keeps its URL, and all 100 Certificates become Ready with no request
// Failed.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <sys/wait.h>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/kube_sim/fixture.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tools/fleet/child_process.hpp"
#include "tools/fleet/free_port.hpp"

namespace {

namespace json = boost::json;
using namespace certmill;
using namespace certmill::test;
using Clock = std::chrono::steady_clock;

constexpr int kCertificates = 100;

json::value get(const KubeSim& sim, const std::string& path) {
  const auto answer = request(sim, "GET", path);
  if (answer.status != 200)
    throw std::runtime_error("GET " + path + ": HTTP " + std::to_string(answer.status));
  return json::parse(answer.body);
}

const json::value* status_field(const json::value& item, const char* field) {
  const auto* status = item.as_object().if_contains("status");
  return status && status->is_object() ? status->as_object().if_contains(field) : nullptr;
}

// Each Order's URL, by the Order's name; Orders without one are left out.
std::map<std::string, std::string> order_urls(const KubeSim& sim) {
  std::map<std::string, std::string> urls;
  const json::value orders = get(sim, "/apis/acme.cert-manager.io/v1/namespaces/shop/orders");
  for (const auto& item : orders.at("items").as_array()) {
    const auto* url = status_field(item, "url");
    if (url && url->is_string() && !url->as_string().empty())
      urls[std::string(item.at("metadata").at("name").as_string())] = std::string(url->as_string());
  }
  return urls;
}

// Items of a list whose condition `type` has `status` (and `reason`, when given).
int with_condition(const KubeSim& sim, const std::string& path, const std::string& type,
                   const std::string& status, const std::string& reason = {}) {
  int n = 0;
  const json::value list = get(sim, path);
  for (const auto& item : list.at("items").as_array()) {
    const auto* conditions = status_field(item, "conditions");
    if (!conditions || !conditions->is_array())
      continue;
    for (const auto& c : conditions->as_array()) {
      if (c.at("type").as_string() == type && c.at("status").as_string() == status &&
          (reason.empty() || c.at("reason").as_string() == reason))
        ++n;
    }
  }
  return n;
}

std::int64_t new_order_requests(const AcmeFront& front) {
  const auto stats = json::parse(front.get("/stats").body).as_object();
  const auto* n = stats.at("requests").as_object().if_contains("newOrder");
  return n ? n->as_int64() : 0;
}

// The `certmill controller` command on `sim`, its log in `log`.
std::string controller_command(const KubeSim& sim, const Pebble& pebble, const std::string& log) {
  std::string command =
      "exec '" + std::string(CERTMILL_BINARY) + "' controller --kubeconfig '" + sim.kubeconfig +
      "' --leader-elect=false" +
      " --metrics-listen-address=127.0.0.1:" + std::to_string(fleet::free_port()) +
      " --healthz-listen-address=127.0.0.1:" + std::to_string(fleet::free_port()) +
      // Pebble's names all resolve to 127.0.0.1; it
      // validates HTTP-01 on its httpPort, where the
      // controller answers and self-checks.
      " --http01-listen-address=127.0.0.1:" + std::to_string(pebble.http_port) +
      " --acme-http01-solver-nameservers=127.0.0.1:" + std::to_string(pebble.dns_port) +
      " --acme-http01-self-check-port=" + std::to_string(pebble.http_port) +
      " --kube-api-qps=500 --kube-api-burst=500";
  return command + " >>'" + log + "' 2>&1";
}

}  // namespace

TEST_CASE("kill -9 with 100 orders in flight: the next process places no newOrder for them",
          "[trials]") {
  ScratchDir dir;
  KubeSim sim;
  apply_crds(sim);
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  AcmeFront front(pebble,
                  {"--new-orders-per-account=0", "--certificates-per-domain=0",
                   "--certificates-per-exact-set=0", "--failed-authorizations-per-identifier=0"});
  // Until the kill, the CA will not show an authorization: every order
  // stops, placed, in the client's retries.
  front.must_post("/fault", R"({"kind": "authorization", "status": 503,
      "content_type": "application/problem+json",
      "body": "{\"type\": \"urn:ietf:params:acme:error:serverInternal\", \"detail\": \"down for maintenance\"}"})");
  for (const std::string& doc : yaml_documents(acme_front_issuer(front, "le", "le-account") +
                                               shop_certificates("app", kCertificates, "le"))) {
    const auto r = request(
        sim, "POST", collection_path(yaml_field(doc, "kind", 0), yaml_field(doc, "namespace", 2)),
        doc, "application/yaml");
    REQUIRE(r.status == 201);
  }
  const std::string log = dir.path("certmill.log");
  auto tail = [&] {
    const std::string text = slurp(log);
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
  };

  std::map<std::string, std::string> placed;
  {
    fleet::ChildProcess first({"/bin/sh", "-c", controller_command(sim, pebble, log)}, false);
    const auto give_up = Clock::now() + std::chrono::seconds(180);
    while ((placed = order_urls(sim)).size() < kCertificates) {
      INFO("controller log:\n" << tail());
      REQUIRE(::waitpid(first.pid(), nullptr, WNOHANG) == 0);
      REQUIRE(Clock::now() < give_up);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ::kill(first.pid(), SIGKILL);
    ::waitpid(first.pid(), nullptr, 0);
  }
  const auto new_orders = new_order_requests(front);
  INFO(front.get("/stats").body);
  REQUIRE(new_orders >= kCertificates);
  // The orders were in flight: not one certificate had been issued.
  REQUIRE(with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificates", "Ready",
                         "True") == 0);
  front.must_post("/fault", R"({"kind": "authorization"})");

  std::printf("killed with %zu orders placed; restarting\n", placed.size());
  fleet::ChildProcess second({"/bin/sh", "-c", controller_command(sim, pebble, log)}, false);
  const auto give_up = Clock::now() + std::chrono::seconds(300);
  int ready = 0;
  while ((ready = with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificates",
                                 "Ready", "True")) < kCertificates) {
    INFO("controller log:\n" << tail());
    INFO(ready << " Ready");
    REQUIRE(::waitpid(second.pid(), nullptr, WNOHANG) == 0);
    REQUIRE(Clock::now() < give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  INFO("controller log:\n" << tail());
  // The same orders, continued: not one newOrder more, every Order with the
  // URL it had, none added.
  CHECK(new_order_requests(front) == new_orders);
  CHECK(order_urls(sim) == placed);
  CHECK(with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests", "Ready",
                       "False", "Failed") == 0);
  // The count of Failed requests sees one when there is one: every request
  // says Ready=True with reason Issued now.
  CHECK(with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests", "Ready",
                       "True", "Issued") == kCertificates);
}
