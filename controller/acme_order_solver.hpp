// The ChallengeSolver of one ACME order: for each identifier the Issuer's
// solver that cert-manager's rules pick (solvers/selection: the request's
// labels, the name, the challenge types the CA offers), and through it
// HTTP-01 by certmill's responder or DNS-01 by the solver's DNS provider.
// One Certificate can so mix both: names in a DNS zone by DNS-01, the rest by
// HTTP-01, wildcards always by DNS-01.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "controller/dns01_solver.hpp"
#include "core/api/issuer.hpp"
#include "issuers/acme/solver.hpp"
#include "solvers/selection.hpp"

namespace certmill::controller {

// The Issuer's solver for one name by cert-manager's selector rules among
// the challenge types `offered`; an HTTP-01 one only with certmill's
// HTTP-01 listener, as certmill answers HTTP-01 itself. Pure.
Result<solvers::SolverChoice> solver_for(const std::vector<api::ACMEChallengeSolver>& solvers,
                                         const api::StringMap& labels, std::string_view dns_name,
                                         std::span<const api::AcmeChallengeType> offered,
                                         bool http01_listener);

class AcmeOrderSolver final : public issuers::acme::ChallengeSolver {
 public:
  // `http01` answers HTTP-01 (none without certmill's listener).
  AcmeOrderSolver(std::vector<api::ACMEChallengeSolver> solvers, api::StringMap labels,
                  std::unique_ptr<issuers::acme::ChallengeSolver> http01, Dns01Solver dns01)
      : solvers_(std::move(solvers)),
        labels_(std::move(labels)),
        http01_(std::move(http01)),
        dns01_(std::move(dns01)) {}

  Result<std::string> choose(const acme::Identifier& identifier, bool wildcard,
                             std::span<const std::string> offered) override;
  asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override;
  asio::awaitable<Status> check(const issuers::acme::ChallengeTask& task) override;
  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask& task) override;

 private:
  std::vector<api::ACMEChallengeSolver> solvers_;
  api::StringMap labels_;
  std::unique_ptr<issuers::acme::ChallengeSolver> http01_;
  Dns01Solver dns01_;
  std::map<std::string, std::size_t> chosen_;  // solver index by dns_name()
};

}  // namespace certmill::controller
