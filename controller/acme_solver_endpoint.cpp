// The Service and EndpointSlice that lead a Challenge's route to this pod,
// made before the route so the route never names a Service that is not
// there. Both may exist already (a restarted order, a new leader): the
// Service is kept, the slice re-pointed at this pod if it names another.
#include "controller/acme_order_objects.hpp"
#include "controller/solver_endpoints.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

asio::awaitable<solvers::SolverService> AcmeOrderObjects::open_endpoint(
    const api::Challenge& challenge) {
  const solvers::SolverService routed = solvers::challenge_service(challenge, service_);
  auto service =
      co_await client_.create(solvers::build_solver_service(challenge, service_.port, pod_));
  if (!service && !k8s::is_conflict(service.error()))
    log_failure("the HTTP-01 solver Service cannot be created", challenge, service.error());
  auto slice = solvers::build_solver_endpoint_slice(challenge, pod_);
  if (!slice) {
    log_failure("the HTTP-01 EndpointSlice cannot be built", challenge, slice.error());
    co_return routed;
  }
  auto created = co_await client_.create(*slice);
  if (created)
    co_return routed;
  Status done = created.error();
  if (k8s::is_conflict(created.error())) {
    auto existing = co_await client_.get<api::EndpointSlice>(namespace_, slice->metadata.name);
    if (existing)
      done = co_await repoint(client_, *existing, pod_);
    else
      done = existing.error();
  }
  if (!done)
    log_failure("the HTTP-01 EndpointSlice cannot be pointed at this pod", challenge, done.error());
  co_return routed;
}

}  // namespace certmill::controller
