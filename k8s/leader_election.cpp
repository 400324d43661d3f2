// Leader election: the pure decision and the Elector's API calls.
#include "k8s/leader_election.hpp"

#include <boost/asio/this_coro.hpp>

#include "core/log.hpp"

namespace certmill::k8s {

LeaseAction decide_lease(const std::optional<api::Lease>& lease, const std::string& identity,
                         Duration unchanged_for, Duration default_lease_duration) {
  if (!lease)
    return LeaseAction::Create;
  const std::string& holder = lease->spec.holder_identity;
  if (holder == identity)
    return LeaseAction::Renew;
  if (holder.empty())
    return LeaseAction::Acquire;
  const Duration duration =
      lease->spec.lease_duration_seconds
          ? Duration(std::chrono::seconds(*lease->spec.lease_duration_seconds))
          : default_lease_duration;
  return unchanged_for >= duration ? LeaseAction::Acquire : LeaseAction::Wait;
}

api::Lease Elector::claim(api::Lease lease, bool new_holder) const {
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(clock_.now());
  lease.metadata.namespace_ = config_.namespace_;
  lease.metadata.name = config_.name;
  lease.spec.holder_identity = config_.identity;
  lease.spec.lease_duration_seconds = static_cast<int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count());
  lease.spec.renew_time = now;
  if (new_holder) {
    lease.spec.acquire_time = now;
    lease.spec.lease_transitions = lease.spec.lease_transitions.value_or(-1) + 1;
  }
  return lease;
}

void Elector::set_leading(bool leading) {
  if (leading_.exchange(leading) == leading)
    return;
  log::info(leading ? "became leader" : "stopped leading",
            {{"lease", config_.namespace_ + "/" + config_.name}, {"identity", config_.identity}});
  if (on_change_)
    on_change_(leading);
}

asio::awaitable<void> Elector::step(Client& client) {
  std::optional<api::Lease> lease;
  auto got = co_await client.get<api::Lease>(config_.namespace_, config_.name);
  const auto now = clock_.now();
  if (got) {
    lease = std::move(*got);
    if (lease->spec.holder_identity != observed_holder_ ||
        lease->spec.renew_time != observed_renew_) {
      observed_holder_ = lease->spec.holder_identity;
      observed_renew_ = lease->spec.renew_time;
      observed_at_ = now;
    }
  } else if (!is_not_found(got.error())) {
    log::warn("reading the leader Lease failed", {{"error", got.error().message()}});
    co_return;
  }

  const LeaseAction action =
      decide_lease(lease, config_.identity, now - observed_at_, config_.lease_duration);
  if (action == LeaseAction::Wait)
    co_return;
  auto written =
      action == LeaseAction::Create
          ? co_await client.create(claim(api::Lease{}, true), kPriorityLease)
          : co_await client.update(claim(*lease, action == LeaseAction::Acquire), kPriorityLease);
  if (written) {
    last_renew_ = now;
    observed_holder_ = config_.identity;
    observed_renew_ = written->spec.renew_time;
    observed_at_ = now;
    set_leading(true);
  } else {
    // A conflict means someone else wrote first: the next step re-reads.
    log::debug("writing the leader Lease failed", {{"error", written.error().message()}});
  }
}

asio::awaitable<void> Elector::release(Client& client) {
  if (!leading())
    co_return;
  set_leading(false);
  auto lease = co_await client.get<api::Lease>(config_.namespace_, config_.name);
  if (!lease || lease->spec.holder_identity != config_.identity)
    co_return;
  lease->spec.holder_identity.clear();
  lease->spec.lease_duration_seconds = 1;
  lease->spec.renew_time = std::chrono::time_point_cast<std::chrono::microseconds>(clock_.now());
  if (auto done = co_await client.update(*lease, kPriorityLease); !done) {
    log::warn("releasing the leader Lease failed", {{"error", done.error().message()}});
  }
}

asio::awaitable<void> Elector::run(Client& client) {
  // Cancellation is checked between steps, so that it ends in a release
  // rather than an exception.
  co_await asio::this_coro::throw_if_cancelled(false);
  for (;;) {
    co_await step(client);
    if (leading() && last_renew_ && clock_.now() - *last_renew_ > config_.renew_deadline) {
      set_leading(false);
    }
    co_await clock_.sleep_for(config_.retry_period);
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      break;
  }
  // Cancelled: release with a fresh cancellation state, so the writes run.
  co_await asio::this_coro::reset_cancellation_state();
  co_await release(client);
}

}  // namespace certmill::k8s
