// What the trials share: reading kube-sim's objects in namespace "shop"
// (lists, status fields, conditions, Orders' URLs), acme-front without rate
// limits and its newOrder count, and the command line of the shipped
// `certmill controller` on the trial's cluster and Pebble. Header-only.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "tests/kube_sim/fixture.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"
#include "tools/fleet/free_port.hpp"

namespace certmill::test {

// The trial's own reads, told apart from the controller's in kube-sim's
// requestsByUserAgent.
inline constexpr const char* kTrialUserAgent = "certmill-trial/0";

// A read of the trial's own; through a fault storm's 429s and 5xx it is
// asked again after the Retry-After kube-sim gives (1 s), a few times.
inline boost::json::value get(const KubeSim& sim, const std::string& path) {
  HttpRequest read;
  read.method = "GET";
  read.target = path;
  read.token = sim.token;
  read.user_agent = kTrialUserAgent;
  for (int attempt = 0;; ++attempt) {
    const auto answer = send(sim.port, read);
    if (answer.status == 200)
      return boost::json::parse(answer.body);
    const bool passing = answer.status == 429 || answer.status == 500 || answer.status == 503;
    if (!passing || attempt == 10)
      throw std::runtime_error("GET " + path + ": HTTP " + std::to_string(answer.status));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
}

inline const boost::json::value* status_field(const boost::json::value& item, const char* field) {
  const auto* status = item.as_object().if_contains("status");
  return status && status->is_object() ? status->as_object().if_contains(field) : nullptr;
}

// Each Order's URL, by the Order's name; Orders without one are left out.
inline std::map<std::string, std::string> order_urls(const KubeSim& sim) {
  std::map<std::string, std::string> urls;
  const boost::json::value orders =
      get(sim, "/apis/acme.cert-manager.io/v1/namespaces/shop/orders");
  for (const auto& item : orders.at("items").as_array()) {
    const auto* url = status_field(item, "url");
    if (url && url->is_string() && !url->as_string().empty())
      urls[std::string(item.at("metadata").at("name").as_string())] = std::string(url->as_string());
  }
  return urls;
}

// Whether `item` has condition `type` at `status` (and `reason`, when given).
inline bool has_condition(const boost::json::value& item, const std::string& type,
                          const std::string& status, const std::string& reason = {}) {
  const auto* conditions = status_field(item, "conditions");
  if (!conditions || !conditions->is_array())
    return false;
  for (const auto& c : conditions->as_array()) {
    if (c.at("type").as_string() == type && c.at("status").as_string() == status &&
        (reason.empty() || c.at("reason").as_string() == reason))
      return true;
  }
  return false;
}

// Items of a list whose condition `type` has `status` (and `reason`, when given).
inline int with_condition(const KubeSim& sim, const std::string& path, const std::string& type,
                          const std::string& status, const std::string& reason = {}) {
  int n = 0;
  const boost::json::value list = get(sim, path);
  for (const auto& item : list.at("items").as_array())
    n += has_condition(item, type, status, reason) ? 1 : 0;
  return n;
}

// acme-front's flags that turn every rate limit off: a trial counts orders,
// and a limit would only slow it down.
inline const std::vector<std::string> kRateLimitsOff = {
    "--new-orders-per-account=0", "--certificates-per-domain=0", "--certificates-per-exact-set=0",
    "--failed-authorizations-per-identifier=0"};

// The same, as the ClusterIssuer's certmill.io/rate-limits annotation tells
// certmill.
inline const std::string kRateLimitsOffAnnotation =
    "new-orders-per-account=0,certificates-per-domain=0,certificates-per-exact-set=0,"
    "failed-authorizations-per-identifier=0";

inline std::int64_t new_order_requests(const AcmeFront& front) {
  return front.stat("requests", "newOrder");
}

// The certmill binary the trials run: this build's, or $CERTMILL_TRIAL_BINARY
// (a long run by hand takes a copy, which a rebuild cannot swap mid-run).
inline std::string certmill_binary() {
  const char* b = std::getenv("CERTMILL_TRIAL_BINARY");
  return b && *b ? b : CERTMILL_BINARY;
}

// The `certmill controller` command on `sim`, its log appended to `log`;
// `exec` keeps the pid certmill's, so a signal to it reaches the controller.
// `more_flags`: appended as they are (a trial's DNS-01 settings).
// `metrics_port`: where its /metrics answers (0: any free port).
inline std::string controller_command(const KubeSim& sim, const Pebble& pebble,
                                      const std::string& log, const std::string& more_flags = {},
                                      unsigned short metrics_port = 0) {
  return "exec '" + certmill_binary() + "' controller --kubeconfig '" + sim.kubeconfig +
         "' --leader-elect=false" + " --metrics-listen-address=127.0.0.1:" +
         std::to_string(metrics_port ? metrics_port : fleet::free_port()) +
         " --healthz-listen-address=127.0.0.1:" + std::to_string(fleet::free_port()) +
         // Pebble's names all resolve to 127.0.0.1; it validates HTTP-01 on
         // its httpPort, where the controller answers and self-checks.
         " --http01-listen-address=127.0.0.1:" + std::to_string(pebble.http_port) +
         " --acme-http01-solver-nameservers=127.0.0.1:" + std::to_string(pebble.dns_port) +
         " --acme-http01-self-check-port=" + std::to_string(pebble.http_port) +
         " --kube-api-qps=500 --kube-api-burst=500" +
         (more_flags.empty() ? std::string() : " " + more_flags) + " >>'" + log + "' 2>&1";
}

// The sum of every series of the family `name` in a Prometheus scrape.
inline double metric_total(const std::string& scrape, const std::string& name) {
  double total = 0;
  for (std::size_t at = scrape.find(name); at != std::string::npos;
       at = scrape.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    if ((at > 0 && scrape[at - 1] != '\n') || (scrape[end] != ' ' && scrape[end] != '{'))
      continue;
    total += std::strtod(scrape.c_str() + scrape.find(' ', scrape.find_first_of(" }", end)) + 1,
                         nullptr);
  }
  return total;
}

// The last 4000 characters of a log file, for a failure message.
inline std::string log_tail(const std::string& path) {
  const std::string text = slurp(path);
  return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

}  // namespace certmill::test
