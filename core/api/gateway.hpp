// gateway.networking.k8s.io/v1 Gateway and HTTPRoute: gateway-shim reads a
// Gateway's TLS listeners to create Certificates, and the HTTP-01 solver can
// answer through an HTTPRoute attached to a Gateway.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/api/meta.hpp"

namespace certmill::api {

// The Gateway (or other parent) a route attaches to; group and kind default
// to gateway.networking.k8s.io and Gateway.
struct ParentReference {
  std::string group;
  std::string kind;
  std::string name;
  std::string namespace_;
  std::string section_name;  // a listener's name
  std::optional<int32_t> port;
  bool operator==(const ParentReference&) const = default;
};

// A listener's certificate: a Secret unless group or kind say otherwise.
struct SecretObjectReference {
  std::string group;
  std::string kind;
  std::string name;
  std::string namespace_;
  bool operator==(const SecretObjectReference&) const = default;
};

struct GatewayTLSConfig {
  std::string mode;  // Terminate (the default) or Passthrough
  std::vector<SecretObjectReference> certificate_refs;
  bool operator==(const GatewayTLSConfig&) const = default;
};

struct Listener {
  std::string name;
  std::string hostname;
  int32_t port = 0;
  std::string protocol;  // HTTP, HTTPS, TLS, TCP, UDP
  std::optional<GatewayTLSConfig> tls;
  RawJson allowed_routes;
  bool operator==(const Listener&) const = default;
};

struct GatewaySpec {
  std::string gateway_class_name;
  std::vector<Listener> listeners;
  bool operator==(const GatewaySpec&) const = default;
};

struct Gateway {
  ObjectMeta metadata;
  GatewaySpec spec;
  bool operator==(const Gateway&) const = default;
};

struct HTTPPathMatch {
  std::string type;  // Exact, PathPrefix or RegularExpression
  std::string value;
  bool operator==(const HTTPPathMatch&) const = default;
};

struct HTTPRouteMatch {
  std::optional<HTTPPathMatch> path;
  bool operator==(const HTTPRouteMatch&) const = default;
};

// A route's backend. `group` is optional rather than empty-means-unset so an
// explicit "" (the core group, as cert-manager writes it) is kept; `weight`
// defaults to 1 on the server.
struct HTTPBackendRef {
  std::optional<std::string> group;
  std::string kind;
  std::string name;
  std::string namespace_;
  std::optional<int32_t> port;
  std::optional<int32_t> weight;
  bool operator==(const HTTPBackendRef&) const = default;
};

struct HTTPRouteRule {
  std::vector<HTTPRouteMatch> matches;
  std::vector<HTTPBackendRef> backend_refs;
  bool operator==(const HTTPRouteRule&) const = default;
};

struct HTTPRouteSpec {
  std::vector<ParentReference> parent_refs;
  std::vector<std::string> hostnames;
  std::vector<HTTPRouteRule> rules;
  bool operator==(const HTTPRouteSpec&) const = default;
};

struct HTTPRoute {
  ObjectMeta metadata;
  HTTPRouteSpec spec;
  bool operator==(const HTTPRoute&) const = default;
};

}  // namespace certmill::api
