// The fault storm's weather (issue #25): every fault kube-sim and acme-front
// can make, at once. kube-sim answers a tenth of the API's requests with
// 429 (Retry-After: 1), 500 or 503 and every answer late, and a squall ends
// every watch stream every few seconds, some of them with the history
// forgotten so the resume gets 410 Gone; acme-front refuses new orders with
// 429 rateLimited, answers order polls and certificate downloads 503 with a
// Retry-After, finalizations 500, authorizations slowly, and resets
// challenge requests. A sampler reads both servers' counters every second:
// the busiest second's requests, and the Retry-After each said was not waited
// out. Header-only; the trial is fault_storm_test.cpp.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "tests/kube_sim/fixture.hpp"
#include "tests/support/acme_front.hpp"

namespace certmill::test {

inline void set_kube_sim_faults(const KubeSim& sim, const std::string& json) {
  const auto r = request(sim, "PUT", "/kube-sim/faults", json);
  if (r.status != 200)
    throw std::runtime_error("PUT /kube-sim/faults " + json + ": HTTP " + std::to_string(r.status));
}

inline boost::json::object kube_sim_stats(const KubeSim& sim) {
  return boost::json::parse(request(sim, "GET", "/kube-sim/stats").body).as_object();
}

// What acme-front's problem answers look like (RFC 8555 §6.7).
inline std::string problem_fault(const std::string& kind, int status, const std::string& type,
                                 int every, int retry_after = 0) {
  std::string body =
      R"({"type":"urn:ietf:params:acme:error:)" + type + R"(","detail":"a fault of the storm"})";
  boost::json::object fault{{"kind", kind},
                            {"status", status},
                            {"content_type", "application/problem+json"},
                            {"body", body},
                            {"every", every}};
  if (retry_after > 0)
    fault["retry_after"] = retry_after;
  return boost::json::serialize(fault);
}

inline const char* const kStormKinds[] = {"newOrder",      "order",     "finalize",
                                          "authorization", "challenge", "certificate"};

inline void start_acme_storm(const AcmeFront& front) {
  front.must_post("/fault", problem_fault("newOrder", 429, "rateLimited", 7, 2));
  front.must_post("/fault", problem_fault("order", 503, "serverInternal", 5, 1));
  front.must_post("/fault", problem_fault("finalize", 500, "serverInternal", 6));
  front.must_post("/fault", problem_fault("certificate", 503, "serverInternal", 4, 1));
  front.must_post("/fault", R"({"kind":"authorization","delay_ms":300,"every":3})");
  front.must_post("/fault", R"({"kind":"challenge","reset":true,"every":8})");
}

inline void end_acme_storm(const AcmeFront& front) {
  for (const char* kind : kStormKinds)
    front.must_post("/fault", std::string(R"({"kind":")") + kind + "\"}");
}

inline std::int64_t total_of(const boost::json::value& counts) {
  std::int64_t total = 0;
  for (const auto& [name, n] : counts.as_object())
    total += n.as_int64();
  return total;
}

struct StormReading {
  std::int64_t kube_requests = 0;  // the controller's (its User-Agent's)
  std::int64_t kube_writes = 0;    // in namespace "shop"
  std::int64_t kube_early_retries = 0;
  std::int64_t acme_requests = 0;
  std::int64_t acme_faults = 0;
  std::int64_t acme_early_retries = 0;
  std::string early_retries_by;  // both servers' counts by request, for a failure
  // kube-sim's requests (every client's) by "verb resource code", to name
  // what came between two readings.
  std::map<std::string, std::int64_t> kube_kinds;
};

inline std::map<std::string, std::int64_t> request_kinds(const boost::json::object& stats) {
  std::map<std::string, std::int64_t> kinds;
  for (const auto& r : stats.at("requests").as_array()) {
    const auto& o = r.as_object();
    kinds[std::string(o.at("verb").as_string()) + " " + std::string(o.at("resource").as_string()) +
          " " + std::to_string(o.at("code").as_int64())] += o.at("count").as_int64();
  }
  return kinds;
}

inline StormReading read_storm(const KubeSim& sim, const AcmeFront& front) {
  StormReading r;
  const auto kube = kube_sim_stats(sim);
  if (const auto* own = kube.at("requestsByUserAgent").as_object().if_contains("certmill"))
    r.kube_requests = own->as_int64();
  if (const auto* shop = kube.at("writesByNamespace").as_object().if_contains("shop"))
    r.kube_writes = shop->as_int64();
  r.kube_early_retries = kube.at("earlyRetries").as_int64();
  const auto acme = boost::json::parse(front.get("/stats").body).as_object();
  r.acme_requests = total_of(acme.at("requests"));
  r.acme_faults = total_of(acme.at("faults"));
  r.acme_early_retries = total_of(acme.at("early_retries"));
  r.early_retries_by = "kube-sim " + boost::json::serialize(kube.at("earlyRetriesBy")) +
                       ", acme-front " + boost::json::serialize(acme.at("early_retries"));
  r.kube_kinds = request_kinds(kube);
  return r;
}

// The kinds of kube-sim request that came after `before` and by `after`,
// "verb resource code: count", for a failure's message.
inline std::string requests_between(const StormReading& before, const StormReading& after) {
  std::string text;
  for (const auto& [kind, n] : after.kube_kinds) {
    const auto was = before.kube_kinds.find(kind);
    const std::int64_t more = n - (was == before.kube_kinds.end() ? 0 : was->second);
    if (more > 0)
      text += (text.empty() ? "" : ", ") + kind + ": " + std::to_string(more);
  }
  return text.empty() ? "none" : text;
}

// kube-sim's busiest kinds of request (every client's, the trial's own
// lists of the fleet included), "verb resource code: count", for a report.
inline std::string busiest_requests(const KubeSim& sim, std::size_t top) {
  std::vector<std::pair<std::int64_t, std::string>> kinds;
  for (const auto& [kind, n] : request_kinds(kube_sim_stats(sim)))
    kinds.emplace_back(n, kind);
  std::sort(kinds.rbegin(), kinds.rend());
  std::string text;
  for (std::size_t i = 0; i < std::min(top, kinds.size()); ++i)
    text += (i ? ", " : "") + kinds[i].second + ": " + std::to_string(kinds[i].first);
  return text;
}

// The squalls on the watches and the sampler of both servers and of the
// controller's failing reconciles (`failing`, nothing while it does not
// answer), on threads of their own from construction to stop().
class StormWeather {
 public:
  StormWeather(const KubeSim& sim, const AcmeFront& front,
               std::function<std::optional<double>()> failing)
      : sim_(sim), front_(front), failing_(std::move(failing)) {
    squalls_ = std::thread([this] { squall(); });
    sampler_ = std::thread([this] { sample(); });
  }
  ~StormWeather() { stop(); }

  void stop() {
    running_ = false;
    if (squalls_.joinable())
      squalls_.join();
    if (sampler_.joinable())
      sampler_.join();
  }

  // The busiest second's requests to each server.
  double kube_peak() const { return kube_peak_; }
  double acme_peak() const { return acme_peak_; }
  int squalls() const { return squall_count_; }
  // The most reconciles the controller had waiting to retry a failure.
  double failing_peak() const { return failing_peak_; }

 private:
  // Every 2 s every watch ends; every third time the history goes first,
  // so the resumes get 410 Gone and list again.
  void squall() {
    for (int i = 1; running_; ++i) {
      for (int tick = 0; tick < 20 && running_; ++tick)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!running_)
        break;
      if (i % 3 == 0)
        set_kube_sim_faults(sim_, R"({"forgetHistory":true})");
      set_kube_sim_faults(sim_, R"({"closeWatches":true})");
      ++squall_count_;
    }
  }

  void sample() {
    auto last = read_storm(sim_, front_);
    auto last_at = std::chrono::steady_clock::now();
    while (running_) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      const auto now = read_storm(sim_, front_);
      const auto at = std::chrono::steady_clock::now();
      const double seconds = std::chrono::duration<double>(at - last_at).count();
      kube_peak_ = std::max<double>(kube_peak_, (now.kube_requests - last.kube_requests) / seconds);
      acme_peak_ = std::max<double>(acme_peak_, (now.acme_requests - last.acme_requests) / seconds);
      if (const auto failing = failing_())
        failing_peak_ = std::max(failing_peak_.load(), *failing);
      last = now;
      last_at = at;
    }
  }

  const KubeSim& sim_;
  const AcmeFront& front_;
  std::function<std::optional<double>()> failing_;
  std::atomic<bool> running_{true};
  std::atomic<double> kube_peak_{0};
  std::atomic<double> acme_peak_{0};
  std::atomic<double> failing_peak_{0};
  std::atomic<int> squall_count_{0};
  std::thread squalls_;
  std::thread sampler_;
};

}  // namespace certmill::test
