// The core/v1 Service and discovery.k8s.io/v1 EndpointSlice, only as far as
// certmill writes them: a Service without a selector and the EndpointSlice
// that names its one endpoint, which is how HTTP-01 traffic from a solver
// Ingress or HTTPRoute reaches the leader's pod (solvers/http01/solver_endpoint).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/api/meta.hpp"

namespace certmill::api {

struct ServicePort {
  std::string name;
  std::string protocol;
  int32_t port = 0;
  // A number only: the name form is for selector-backed Services.
  std::optional<int32_t> target_port;
  bool operator==(const ServicePort&) const = default;
};

struct ServiceSpec {
  std::string type;
  std::vector<ServicePort> ports;
  StringMap selector;
  bool operator==(const ServiceSpec&) const = default;
};

struct Service {
  ObjectMeta metadata;
  ServiceSpec spec;
  bool operator==(const Service&) const = default;
};

struct EndpointConditions {
  std::optional<bool> ready;
  bool operator==(const EndpointConditions&) const = default;
};

struct Endpoint {
  std::vector<std::string> addresses;
  EndpointConditions conditions;
  bool operator==(const Endpoint&) const = default;
};

struct EndpointPort {
  std::string name;
  std::string protocol;
  std::optional<int32_t> port;
  bool operator==(const EndpointPort&) const = default;
};

struct EndpointSlice {
  ObjectMeta metadata;
  std::string address_type;  // "IPv4", "IPv6" or "FQDN"
  std::vector<Endpoint> endpoints;
  std::vector<EndpointPort> ports;
  bool operator==(const EndpointSlice&) const = default;
};

}  // namespace certmill::api
