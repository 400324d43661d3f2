// The Service and EndpointSlice that lead a Challenge's solver route to the
// leader's pod, in a cluster where certmill answers HTTP-01 itself: a
// Service without a selector in the Challenge's namespace (an Ingress cannot
// route to another namespace), and an EndpointSlice naming the leader's
// POD_IP and HTTP-01 port, both owned by the Challenge so they go with it.
// A new leader re-points the slices a former leader left (repoint_plan).
// Pure functions; controller/acme_order_objects and
// controller/solver_endpoints write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/api/acme.hpp"
#include "core/api/service.hpp"
#include "core/result.hpp"
#include "solvers/http01/solver_meta.hpp"

namespace certmill::solvers {

// The EndpointSlice label that says who keeps it: the EndpointSlice
// controller leaves slices that carry another manager's value alone, and
// certmill finds its own by it.
inline constexpr std::string_view kManagedByLabel = "endpointslice.kubernetes.io/managed-by";
inline constexpr std::string_view kManagedBy = "certmill.io";
inline constexpr std::string_view kServiceNameLabel = "kubernetes.io/service-name";
// The port name the Service and its EndpointSlice share: kube-proxy pairs
// them by name.
inline constexpr std::string_view kPortName = "http";

// Where this process answers HTTP-01, as other pods reach it: the pod's IP
// (POD_IP, from the downward API) and --http01-listen-address's port.
struct PodEndpoint {
  std::string ip = {};
  int32_t port = kSolverPort;
};

// "cm-acme-http-solver-" and 16 hex digits of a hash of the Challenge's
// name: stable for the Challenge, 36 characters, a valid Service name
// (DNS-1035 label) whatever the Challenge is called.
std::string solver_service_name(const api::Challenge& challenge);

// The Service the Challenge's solver Ingress or HTTPRoute routes to: its own
// (solver_service_name) on `configured`'s port.
SolverService challenge_service(const api::Challenge& challenge, const SolverService& configured);

// "IPv4" or "IPv6" for an IP address; nullopt for anything else.
std::optional<std::string> address_type(std::string_view ip);

// The Service: solver_service_name in the Challenge's namespace, the solver
// labels, owned by the Challenge, no selector, one TCP port named "http":
// `service_port`, targeting `pod.port`.
api::Service build_solver_service(const api::Challenge& challenge, int32_t service_port,
                                  const PodEndpoint& pod);

// The EndpointSlice of that Service (same name, kubernetes.io/service-name,
// certmill's managed-by label, owned by the Challenge): one ready endpoint at
// `pod.ip`, port `pod.port`. An error when `pod.ip` is not an IP address.
Result<api::EndpointSlice> build_solver_endpoint_slice(const api::Challenge& challenge,
                                                       const PodEndpoint& pod);

// What a leader does with one of certmill's slices: nothing when it already
// names `pod` alone; an update to `slice` when only its endpoint or port
// differ; a delete and re-create when the address family changes
// (addressType is immutable).
struct RepointPlan {
  enum class Action { Keep, Update, Recreate };
  Action action = Action::Keep;
  api::EndpointSlice slice = {};
};
Result<RepointPlan> repoint_plan(const api::EndpointSlice& slice, const PodEndpoint& pod);

// "endpointslice.kubernetes.io/managed-by=certmill.io": the list
// selector of certmill's slices.
std::string managed_slices_selector();

}  // namespace certmill::solvers
