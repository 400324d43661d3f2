// What a new leader does once for HTTP-01 routing in a cluster: the
// EndpointSlices certmill made for open Challenges still name the former
// leader's pod, so it points each at its own (solvers/http01/solver_endpoint
// decides; this writes). Without it, Challenges already presented when
// leadership moved would be routed to a pod that no longer answers.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "k8s/client.hpp"
#include "solvers/http01/solver_endpoint.hpp"

namespace certmill::controller {

// Points `slice` at `pod` alone (solvers::repoint_plan): nothing when it
// already does, an update, or a delete and create across address families.
boost::asio::awaitable<Status> repoint(k8s::Client& client, const api::EndpointSlice& slice,
                                       const solvers::PodEndpoint& pod);

// How many of certmill's slices were seen, and how many could not be
// pointed at this pod.
struct RepointReport {
  unsigned seen = 0;
  unsigned failed = 0;
};

// Lists the EndpointSlices carrying certmill's managed-by label in
// `namespace_` (every namespace when empty) and re-points each that does
// not name `pod` alone. A failed write is logged and counted; the rest go on.
boost::asio::awaitable<RepointReport> repoint_solver_endpoints(k8s::Client& client,
                                                               std::string namespace_,
                                                               solvers::PodEndpoint pod);

}  // namespace certmill::controller
