// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules
// and cert-manager's defaults (lease 60 s, renew deadline 40 s, retry 15 s).
//
// Safety comes from the clocks each side reads only locally: a leader stops
// leading when it has not renewed for the renew deadline, and a candidate
// takes over only after it has seen the Lease unchanged for a whole lease
// duration, which is longer. The decision is a pure function; the Elector
// drives it through the API.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/lease.hpp"
#include "k8s/client.hpp"
#include "reactor/clock.hpp"

namespace certmill::k8s {

struct LeaderElectionConfig {
  std::string namespace_ = "kube-system";
  std::string name = "cert-manager-controller";
  std::string identity;  // unique per process: host name and a random suffix
  Duration lease_duration = std::chrono::seconds(60);
  Duration renew_deadline = std::chrono::seconds(40);
  Duration retry_period = std::chrono::seconds(15);
};

enum class LeaseAction {
  Create,   // no Lease yet
  Renew,    // we hold it
  Acquire,  // free, released, or unchanged for a whole lease duration
  Wait,     // someone else holds it
};

// `unchanged_for`: how long this process has seen the Lease's holder and
// renew time stay the same.
LeaseAction decide_lease(const std::optional<api::Lease>& lease, const std::string& identity,
                         Duration unchanged_for, Duration default_lease_duration);

class Elector {
 public:
  using OnChange = std::function<void(bool leading)>;

  Elector(LeaderElectionConfig config, reactor::Clock& clock, OnChange on_change)
      : config_(std::move(config)), clock_(clock), on_change_(std::move(on_change)) {}

  bool leading() const { return leading_.load(); }

  // Campaigns, then renews, until the awaiting coroutine is cancelled;
  // releases the Lease on the way out so a successor need not wait.
  asio::awaitable<void> run(Client& client);

 private:
  asio::awaitable<void> step(Client& client);
  asio::awaitable<void> release(Client& client);
  void set_leading(bool leading);
  api::Lease claim(api::Lease lease, bool new_holder) const;

  LeaderElectionConfig config_;
  reactor::Clock& clock_;
  OnChange on_change_;
  std::atomic<bool> leading_{false};
  std::optional<reactor::TimePoint> last_renew_;
  // What this process last saw, and since when it has not changed.
  std::string observed_holder_;
  std::optional<MicroTime> observed_renew_;
  reactor::TimePoint observed_at_{};
};

}  // namespace certmill::k8s
