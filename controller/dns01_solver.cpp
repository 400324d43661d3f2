// A DNS-01 challenge's record: placed, checked and removed.
#include "controller/dns01_solver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controller/retry_soon.hpp"
#include "core/acme/jwk.hpp"
#include "core/duration.hpp"
#include "core/log.hpp"
#include "solvers/dns/registry.hpp"
#include "solvers/dns/zone_finder.hpp"

namespace certmill::controller {

asio::awaitable<Status> Dns01Solver::present(const api::ACMEChallengeSolverDNS01& config,
                                             const issuers::acme::ChallengeTask& task) {
  for (int attempt = 0;; ++attempt) {
    Status presented = co_await present_once(config, task);
    if (presented || attempt + 1 >= kRetrySoonAttempts || !may_pass_later(presented.error()))
      co_return presented;
    const auto wait = retry_soon_wait(presented.error(), attempt);
    log::info("presenting a DNS-01 challenge failed; trying again",
              {{"dnsName", task.dns_name()},
               {"attempt", attempt + 1},
               {"wait", format_duration(wait)},
               {"error", presented.error().message()}});
    asio::steady_timer timer(co_await asio::this_coro::executor, wait);
    if (auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable)); ec)
      co_return Error(std::make_error_code(std::errc::operation_canceled),
                      "cancelled while waiting to present the DNS-01 challenge of " +
                          task.dns_name() + " again");
  }
}

asio::awaitable<Status> Dns01Solver::present_once(const api::ACMEChallengeSolverDNS01& config,
                                                  const issuers::acme::ChallengeTask& task) {
  // The provider and its Secret first: a bad setting fails before any query.
  auto provider = co_await solvers::dns::make_provider(config, providers_);
  if (!provider)
    co_return provider.error();
  Presented presented;
  presented.provider = std::move(*provider);
  presented.challenge_name = "_acme-challenge." + task.identifier.value;
  presented.follow_cnames = config.cname_strategy == api::CNAMEStrategy::Follow;
  presented.record.value = acme::dns01_txt_value(task.key_authorization);
  presented.record.dns_name = task.dns_name();
  presented.record.fqdn = presented.challenge_name;
  if (presented.follow_cnames) {
    auto end =
        co_await solvers::dns::follow_cnames(resolver_, presented.challenge_name, step_deadline());
    if (!end)
      co_return Error(end.error().code(), "following the CNAME of " + presented.challenge_name +
                                              ": " + end.error().message());
    presented.record.fqdn = std::move(*end);
  }
  auto zone = co_await solvers::dns::find_zone(resolver_, presented.record.fqdn, step_deadline());
  if (!zone)
    co_return Error(zone.error().code(),
                    "finding the zone of " + presented.record.fqdn + ": " + zone.error().message());
  presented.record.zone = std::move(*zone);
  if (Status added = co_await presented.provider->add(presented.record, step_deadline()); !added)
    co_return added;
  presented.added_at = std::chrono::steady_clock::now();
  log::info("DNS-01 record presented", {{"dnsName", task.dns_name()},
                                        {"record", presented.record.fqdn},
                                        {"zone", presented.record.zone}});
  presented_[task.token] = std::move(presented);
  co_return Status{};
}

asio::awaitable<Status> Dns01Solver::check(const issuers::acme::ChallengeTask& task) {
  auto it = presented_.find(task.token);
  if (it == presented_.end())
    co_return Error(Errc::invalid_value, "no DNS-01 record was presented for " + task.dns_name());
  const auto now = std::chrono::steady_clock::now();
  if (const Presented& waiting = it->second;
      !waiting.backoff.may_ask(now) && waiting.last_failure) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(waiting.backoff.wait(now)).count();
    co_return Error(
        waiting.last_failure->code(),
        waiting.last_failure->message() + " (asking again in " + std::to_string(seconds) + "s)");
  }
  solvers::dns::PropagationOptions propagation = options_.propagation;
  // cnameStrategy picks where the record is written; the check follows a
  // CNAME whatever it says, as cert-manager's does (an acme-dns account is
  // reached through one its user made).
  propagation.follow_cnames = true;
  Status checked = co_await solvers::dns::check_dns01_propagation(
      resolver_, it->second.challenge_name, it->second.record.value, propagation, step_deadline());
  // The record may have been removed while the check ran (a cancelled order).
  it = presented_.find(task.token);
  if (!checked && it != presented_.end()) {
    it->second.backoff.failed(checked.error(), std::chrono::steady_clock::now());
    it->second.last_failure = checked.error();
  }
  if (checked && it != presented_.end() && !it->second.propagated) {
    it->second.propagated = true;
    if (options_.on_propagated)
      options_.on_propagated(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.added_at)
              .count());
  }
  co_return checked;
}

asio::awaitable<void> Dns01Solver::cleanup(const issuers::acme::ChallengeTask& task) {
  auto it = presented_.find(task.token);
  if (it == presented_.end())
    co_return;  // nothing was added
  Presented presented = std::move(it->second);
  presented_.erase(it);
  // The order may have been cancelled (the Certificate changed, a shutdown):
  // the removal still runs, in a coroutine of its own that the cancellation
  // does not reach, bounded by its deadline.
  const Status removed = co_await asio::co_spawn(
      providers_.executor, presented.provider->remove(presented.record, step_deadline()),
      asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
  if (!removed) {
    log::warn("a DNS-01 record could not be removed; trying again later",
              {{"dnsName", task.dns_name()},
               {"record", presented.record.fqdn},
               {"error", removed.error().message()}});
    asio::co_spawn(providers_.executor,
                   remove_later(std::move(presented.provider), std::move(presented.record),
                                task.dns_name(), options_),
                   asio::detached);
  }
}

asio::awaitable<void> Dns01Solver::remove_later(std::shared_ptr<solvers::dns::DnsProvider> provider,
                                                solvers::dns::TxtRecord record,
                                                std::string dns_name, Dns01Options options) {
  constexpr std::chrono::minutes kLongestWait{10};
  constexpr std::chrono::hours kGiveUpAfter{24};
  const auto started = std::chrono::steady_clock::now();
  std::chrono::seconds wait = options.cleanup_retry;
  for (int attempt = 2;; ++attempt) {
    asio::steady_timer timer(co_await asio::this_coro::executor, wait);
    co_await timer.async_wait(asio::use_awaitable);
    const Status removed =
        co_await provider->remove(record, std::chrono::steady_clock::now() + options.step_timeout);
    if (removed) {
      log::info("a DNS-01 record left by a failed removal is removed",
                {{"dnsName", dns_name}, {"record", record.fqdn}, {"attempt", attempt}});
      co_return;
    }
    if (std::chrono::steady_clock::now() - started > kGiveUpAfter) {
      log::error(
          "a DNS-01 record could not be removed for a day; remove it by hand",
          {{"dnsName", dns_name}, {"record", record.fqdn}, {"error", removed.error().message()}});
      co_return;
    }
    log::warn(
        "a DNS-01 record could still not be removed; trying again later",
        {{"dnsName", dns_name}, {"record", record.fqdn}, {"error", removed.error().message()}});
    wait = std::min<std::chrono::seconds>(wait * 2, kLongestWait);
  }
}

}  // namespace certmill::controller
