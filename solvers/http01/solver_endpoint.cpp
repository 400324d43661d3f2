// Building the HTTP-01 Service and EndpointSlice, and re-pointing a slice.
#include "solvers/http01/solver_endpoint.hpp"

#include <cstdio>

namespace certmill::solvers {

namespace {

// FNV-1a, 64 bits: a stable name suffix, not a security property.
uint64_t fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

api::EndpointSlice endpoint_for(api::EndpointSlice slice, const std::string& type,
                                const PodEndpoint& pod) {
  slice.address_type = type;
  slice.endpoints = {api::Endpoint{{pod.ip}, api::EndpointConditions{true}}};
  slice.ports = {api::EndpointPort{std::string(kPortName), "TCP", pod.port}};
  return slice;
}

Error not_an_ip(const PodEndpoint& pod) {
  return Error(Errc::invalid_value, "POD_IP \"" + pod.ip +
                                        "\" is not an IP address; the HTTP-01 EndpointSlice "
                                        "needs the pod's own address");
}

}  // namespace

std::string solver_service_name(const api::Challenge& challenge) {
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx",
                static_cast<unsigned long long>(fnv1a(challenge.metadata.name)));
  return std::string(kSolverGenerateName) + suffix;
}

SolverService challenge_service(const api::Challenge& challenge, const SolverService& configured) {
  return SolverService{solver_service_name(challenge), {}, configured.port};
}

std::optional<std::string> address_type(std::string_view ip) {
  if (!is_ip_address(ip))
    return std::nullopt;
  return ip.find(':') == std::string_view::npos ? "IPv4" : "IPv6";
}

api::Service build_solver_service(const api::Challenge& challenge, int32_t service_port,
                                  const PodEndpoint& pod) {
  api::Service service;
  service.metadata.name = solver_service_name(challenge);
  service.metadata.namespace_ = challenge.metadata.namespace_;
  service.metadata.labels = solver_labels(challenge);
  service.metadata.owner_references = {challenge_owner(challenge)};
  service.spec.type = "ClusterIP";
  service.spec.ports = {api::ServicePort{std::string(kPortName), "TCP", service_port, pod.port}};
  return service;
}

Result<api::EndpointSlice> build_solver_endpoint_slice(const api::Challenge& challenge,
                                                       const PodEndpoint& pod) {
  auto type = address_type(pod.ip);
  if (!type)
    return not_an_ip(pod);
  api::EndpointSlice slice;
  slice.metadata.name = solver_service_name(challenge);
  slice.metadata.namespace_ = challenge.metadata.namespace_;
  slice.metadata.labels = solver_labels(challenge);
  slice.metadata.labels[std::string(kServiceNameLabel)] = slice.metadata.name;
  slice.metadata.labels[std::string(kManagedByLabel)] = std::string(kManagedBy);
  slice.metadata.owner_references = {challenge_owner(challenge)};
  return endpoint_for(std::move(slice), *type, pod);
}

Result<RepointPlan> repoint_plan(const api::EndpointSlice& slice, const PodEndpoint& pod) {
  auto type = address_type(pod.ip);
  if (!type)
    return not_an_ip(pod);
  RepointPlan plan;
  plan.slice = endpoint_for(slice, *type, pod);
  if (plan.slice == slice)
    return plan;
  plan.action =
      slice.address_type == *type ? RepointPlan::Action::Update : RepointPlan::Action::Recreate;
  if (plan.action == RepointPlan::Action::Recreate) {
    // A new object: the server gives it a new uid and resourceVersion.
    plan.slice.metadata.uid.clear();
    plan.slice.metadata.resource_version.clear();
    plan.slice.metadata.creation_timestamp.reset();
  }
  return plan;
}

std::string managed_slices_selector() {
  return std::string(kManagedByLabel) + "=" + std::string(kManagedBy);
}

}  // namespace certmill::solvers
