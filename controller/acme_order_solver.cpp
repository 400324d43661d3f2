// Choosing a solver per identifier, and passing each step to it.
#include "controller/acme_order_solver.hpp"

namespace certmill::controller {

Result<solvers::SolverChoice> solver_for(const std::vector<api::ACMEChallengeSolver>& solvers,
                                         const api::StringMap& labels, std::string_view dns_name,
                                         std::span<const api::AcmeChallengeType> offered,
                                         bool http01_listener) {
  auto choice = solvers::select_solver(solvers, labels, dns_name, offered);
  if (choice && choice->type == api::AcmeChallengeType::HTTP01 && !http01_listener)
    return Error(Errc::invalid_argument,
                 std::string(dns_name) +
                     ": HTTP-01 needs certmill's HTTP-01 listener (--http01-listen-address)");
  return choice;
}

Result<std::string> AcmeOrderSolver::choose(const acme::Identifier& identifier, bool wildcard,
                                            std::span<const std::string> offered) {
  std::vector<api::AcmeChallengeType> types;
  for (const std::string& name : offered) {
    if (const auto type = api::challenge_type_of_rfc8555(name))
      types.push_back(*type);
  }
  const std::string dns_name = (wildcard ? "*." : "") + identifier.value;
  auto choice = solver_for(solvers_, labels_, dns_name, types, http01_ != nullptr);
  if (!choice)
    return choice.error();
  chosen_[dns_name] = choice->index;
  return std::string(api::rfc8555_challenge_type(choice->type));
}

asio::awaitable<Status> AcmeOrderSolver::present(const issuers::acme::ChallengeTask& task) {
  if (task.type != "dns-01")
    co_return co_await http01_->present(task);
  const auto it = chosen_.find(task.dns_name());
  if (it == chosen_.end() || !solvers_.at(it->second).dns01)
    co_return Error(Errc::invalid_value, "no dns01 solver was chosen for " + task.dns_name());
  co_return co_await dns01_.present(*solvers_.at(it->second).dns01, task);
}

asio::awaitable<Status> AcmeOrderSolver::check(const issuers::acme::ChallengeTask& task) {
  if (task.type != "dns-01")
    co_return co_await http01_->check(task);
  co_return co_await dns01_.check(task);
}

asio::awaitable<void> AcmeOrderSolver::cleanup(const issuers::acme::ChallengeTask& task) {
  if (task.type != "dns-01")
    co_await http01_->cleanup(task);
  else
    co_await dns01_.cleanup(task);
}

}  // namespace certmill::controller
