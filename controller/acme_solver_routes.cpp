// The route that brings the CA's HTTP-01 request to certmill's listener, for
// as long as a Challenge is presented: a solver Ingress or HTTPRoute of its
// own, or a path added to the user's Ingress (ingress.name) and taken out
// again. In a cluster each leads to the Challenge's own Service
// (acme_solver_endpoint.cpp).
#include "controller/acme_order_objects.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"
#include "k8s/modify.hpp"
#include "solvers/http01/solver_httproute.hpp"
#include "solvers/http01/solver_ingress.hpp"

namespace certmill::controller {

asio::awaitable<void> AcmeOrderObjects::open_route(const api::Challenge& challenge) {
  const auto& http01 = challenge.spec.solver.http01;
  if (!http01)
    co_return;
  const solvers::SolverService service =
      pod_.ip.empty() ? service_ : co_await open_endpoint(challenge);
  if (http01->ingress && !http01->ingress->name.empty()) {
    const std::string& name = http01->ingress->name;
    auto user = co_await client_.get<api::Ingress>(namespace_, name);
    if (!user) {
      log::warn("the Ingress to edit in place for HTTP-01 cannot be read",
                {{"ingress", namespace_ + "/" + name}, {"error", user.error().message()}});
      co_return;
    }
    auto edited = solvers::with_challenge_path(*user, challenge, service);
    if (!edited) {
      log_failure("the HTTP-01 path cannot be added", *user, edited.error());
      co_return;
    }
    if (!(*edited == *user)) {
      auto written = co_await client_.update(*edited);
      if (!written) {
        log_failure("the HTTP-01 path cannot be added", *user, written.error());
        co_return;
      }
    }
    routes_[challenge.spec.url] = "edit/" + name;
  } else if (http01->ingress) {
    auto ingress = solvers::build_solver_ingress(challenge, service);
    if (!ingress) {
      log_failure("a solver Ingress cannot be built", challenge, ingress.error());
      co_return;
    }
    auto created = co_await client_.create(*ingress);
    if (!created) {
      log_failure("a solver Ingress cannot be created", challenge, created.error());
      co_return;
    }
    routes_[challenge.spec.url] = "Ingress/" + created->metadata.name;
  } else if (http01->gateway_http_route) {
    auto route = solvers::build_solver_httproute(challenge, service);
    if (!route) {
      log_failure("a solver HTTPRoute cannot be built", challenge, route.error());
      co_return;
    }
    auto created = co_await client_.create(*route);
    if (!created) {
      log_failure("a solver HTTPRoute cannot be created", challenge, created.error());
      co_return;
    }
    routes_[challenge.spec.url] = "HTTPRoute/" + created->metadata.name;
  }
}

asio::awaitable<void> AcmeOrderObjects::close_route(const api::Challenge& challenge) {
  auto it = routes_.find(challenge.spec.url);
  if (it == routes_.end())
    co_return;
  const std::string route = std::move(it->second);
  routes_.erase(it);
  const std::string name = route.substr(route.find('/') + 1);
  Status removed;
  if (route.starts_with("Ingress/")) {
    removed = co_await client_.remove<api::Ingress>(namespace_, name);
  } else if (route.starts_with("HTTPRoute/")) {
    removed = co_await client_.remove<api::HTTPRoute>(namespace_, name);
  } else {
    auto edited =
        co_await k8s::modify<api::Ingress>(client_, namespace_, name, [&](api::Ingress& ingress) {
          api::Ingress without = solvers::without_challenge_path(ingress, challenge);
          if (without == ingress)
            return false;
          ingress = std::move(without);
          return true;
        });
    if (!edited)
      removed = edited.error();
  }
  if (!removed && !k8s::is_not_found(removed.error()))
    log_failure("a solver route cannot be removed", challenge, removed.error());
}

}  // namespace certmill::controller
