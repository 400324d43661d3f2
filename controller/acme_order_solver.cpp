// Choosing a solver per identifier, and passing each step to it.
#include "controller/acme_order_solver.hpp"

#include "solvers/selection.hpp"

namespace certmill::controller {

Result<std::string> AcmeOrderSolver::choose(const acme::Identifier& identifier, bool wildcard,
                                            std::span<const std::string> offered) {
  std::vector<api::AcmeChallengeType> types;
  for (const std::string& type : offered) {
    if (type == "http-01")
      types.push_back(api::AcmeChallengeType::HTTP01);
    else if (type == "dns-01")
      types.push_back(api::AcmeChallengeType::DNS01);
  }
  const std::string dns_name = (wildcard ? "*." : "") + identifier.value;
  auto choice = solvers::select_solver(solvers_, labels_, dns_name, types);
  if (!choice)
    return choice.error();
  if (choice->type == api::AcmeChallengeType::HTTP01 && !http01_)
    return Error(
        Errc::invalid_argument,
        dns_name + ": HTTP-01 needs certmill's HTTP-01 listener (--http01-listen-address)");
  chosen_[dns_name] = choice->index;
  return std::string(choice->type == api::AcmeChallengeType::DNS01 ? "dns-01" : "http-01");
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
