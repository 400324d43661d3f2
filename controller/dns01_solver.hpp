// DNS-01 for one ACME order: present() finds the record's zone (after its
// CNAME chain with cnameStrategy Follow) and has the solver's provider add
// the challenge's value to _acme-challenge.<name>, trying a failure of the
// moment again for about five minutes (retry_soon.hpp); check() is the
// propagation check (every authoritative server, or only the recursive
// nameservers, has the value; after a server failed to answer, it is asked
// again only after a growing wait, check_backoff.hpp); cleanup() removes
// that value only (tried again later when the provider fails, so a
// record is never left behind silently). A wildcard and its apex share one
// record name and keep a value each.
// Used on its shard's thread; the shard's resolver outlives it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "issuers/acme/solver.hpp"
#include "solvers/dns/check_backoff.hpp"
#include "solvers/dns/dns01_resolver.hpp"
#include "solvers/dns/propagation.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

struct Dns01Options {
  // recursive_only and the authoritative port; CNAMEs are always followed.
  solvers::dns::PropagationOptions propagation = {};
  // How long one step (finding the zone, one update, one check) may take.
  std::chrono::seconds step_timeout{30};
  // Told once per record, when its check first passes: seconds since the
  // update was answered (certmill_dns01_propagation_seconds).
  std::function<void(double)> on_propagated = {};
  // A record whose removal failed is removed later: first after this, then
  // after twice the wait before, up to ten minutes, for a day.
  std::chrono::seconds cleanup_retry{10};
};

class Dns01Solver {
 public:
  // `providers` makes the provider of each Challenge's solver.
  Dns01Solver(solvers::dns::ProviderContext providers, solvers::dns::Dns01Resolver& resolver,
              Dns01Options options)
      : providers_(std::move(providers)), resolver_(resolver), options_(options) {}

  asio::awaitable<Status> present(const api::ACMEChallengeSolverDNS01& config,
                                  const issuers::acme::ChallengeTask& task);
  asio::awaitable<Status> check(const issuers::acme::ChallengeTask& task);
  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask& task);

 private:
  // One attempt; present() tries again a failure of the moment
  // (retry_soon.hpp).
  asio::awaitable<Status> present_once(const api::ACMEChallengeSolverDNS01& config,
                                       const issuers::acme::ChallengeTask& task);
  struct Presented {
    std::unique_ptr<solvers::dns::DnsProvider> provider;
    solvers::dns::TxtRecord record;  // where the value went (the CNAME's end when followed)
    std::string challenge_name;      // _acme-challenge.<name>, which the check starts from
    bool follow_cnames = false;
    std::chrono::steady_clock::time_point added_at = {};
    bool propagated = false;
    // After a server failed: when to ask again, and what it said.
    solvers::dns::CheckBackoff backoff = {};
    std::optional<Error> last_failure = {};
  };
  static asio::awaitable<void> remove_later(std::shared_ptr<solvers::dns::DnsProvider> provider,
                                            solvers::dns::TxtRecord record, std::string dns_name,
                                            Dns01Options options);
  std::chrono::steady_clock::time_point step_deadline() const {
    return std::chrono::steady_clock::now() + options_.step_timeout;
  }

  solvers::dns::ProviderContext providers_;
  solvers::dns::Dns01Resolver& resolver_;
  Dns01Options options_;
  std::map<std::string, Presented> presented_;  // by token
};

}  // namespace certmill::controller
