// The controller end to end: a real kube-sim with the CRDs, and certmill's
// controller running in this process on a fake clock (so renewal can be
// reached in a test), with a way to stop it and start a new one over the
// same cluster. Objects go in as YAML, as an operator would apply them.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "controller/http_endpoints.hpp"
#include "controller/runtime/sharded_controller.hpp"
#include "reactor/clock.hpp"
#include "reactor/reactor.hpp"
#include "reactor/worker_pool.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/kube_sim/fixture.hpp"
#include "tests/support/wait.hpp"

namespace certmill::test {

// The collection path of a kind, for POSTing a manifest.
std::string collection_path(const std::string& kind, const std::string& ns);

class ControllerHarness {
 public:
  // `http01_address`: where the controller answers ACME HTTP-01 challenges
  // (its --http01-listen-address); empty serves none. A self-check port left
  // at its default (80) becomes the listener's.
  // `crd_rules` LeftOut serves the CRDs without their CEL validation rules,
  // as a cluster that installed them before the rules has them.
  explicit ControllerHarness(controller::ControllerConfig config = {}, bool start_now = true,
                             std::string http01_address = {},
                             CrdRules crd_rules = CrdRules::Included);
  ~ControllerHarness();

  // Starts certmill's controller (again); the fake clock keeps its time.
  void start();
  // Shuts the controller down as SIGTERM would.
  void stop();
  // What the next start() runs with.
  controller::ControllerConfig& config() { return config_; }

  // Creates every document of `yaml`; throws with kube-sim's answer if one fails.
  void apply(const std::string& yaml);
  // GET of an API path; nullopt on 404.
  std::optional<boost::json::value> get(const std::string& path);
  HttpResponse send(const std::string& method, const std::string& path, std::string body = {},
                    std::string content_type = "application/json");

  // A condition's status and reason, "" when absent.
  std::string condition(const std::string& path, const std::string& type,
                        std::string* reason = nullptr, std::string* message = nullptr);
  // How many items of the list at `path` have condition `type` at `status`
  // (and `reason`, when given).
  int count_condition(const std::string& path, const std::string& type, const std::string& status,
                      const std::string& reason = {});
  // The items of the list at `path` whose condition `type` is not at
  // `status`: "namespace/name" and their status, for a failure to show.
  std::vector<std::pair<std::string, std::string>> not_at(const std::string& path,
                                                          const std::string& type,
                                                          const std::string& status);
  // Waits until the Certificate's Ready condition has `status` (and `reason`).
  bool wait_ready(const std::string& ns, const std::string& name,
                  const std::string& status = "True", const std::string& reason = "",
                  std::chrono::seconds bound = std::chrono::seconds(30));
  // A Certificate's status.revision, 0 while it has none.
  int revision(const std::string& ns, const std::string& name);
  // Waits until a Certificate reaches `revision` and is Ready.
  bool wait_revision(const std::string& ns, const std::string& name, int revision);
  // A Secret's data value, base64-decoded.
  std::string secret_data(const std::string& ns, const std::string& name, const std::string& key);
  // Events recorded on an object: "Type Reason: message" each.
  std::vector<std::string> events_for(const std::string& ns, const std::string& name);
  // API writes kube-sim counted (create, update, patch, delete), Events apart.
  struct Writes {
    long objects = 0;
    long events = 0;
  };
  Writes writes();
  // Writes kube-sim counted in one namespace, Events included.
  long writes_in(const std::string& ns);
  // GET /metrics from the controller's listener, as Prometheus scrapes it.
  std::string scrape();
  // Waits until every Certificate the cache holds was reconciled at least
  // once since this controller started, then until its queues drain.
  bool wait_settled(std::size_t certificates);

  reactor::FakeClock& clock() { return clock_; }
  controller::Controller& controller();
  unsigned short metrics_port() const;
  KubeSim& sim() { return sim_; }

 private:
  struct Running;
  KubeSim sim_;
  controller::ControllerConfig config_;
  std::string http01_address_;
  reactor::FakeClock clock_;
  std::unique_ptr<Running> running_;
};

// `config` with the HTTP-01 self-check resolving names through the DNS
// server on 127.0.0.1:`dns_port` (pebble-challtestsrv: every name is
// 127.0.0.1), as --acme-http01-solver-nameservers would.
inline controller::ControllerConfig resolving_with(unsigned short dns_port,
                                                   controller::ControllerConfig config = {}) {
  config.runtime.http01_self_check.nameservers = {{"127.0.0.1", dns_port}};
  return config;
}

// Waits for `done` while moving the harness's fake clock a second every
// 50 ms (at most 600 times): an ACME order's polls wait on that clock.
template <class Predicate>
bool eventually_moving_clock(ControllerHarness& h, Predicate done) {
  for (int i = 0; i < 600; ++i) {
    if (done())
      return true;
    h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace certmill::test
