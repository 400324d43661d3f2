// networking.k8s.io/v1 Ingress: ingress-shim reads its annotations and TLS
// hosts to create Certificates, and the HTTP-01 solver may edit one in place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/api/meta.hpp"

namespace certmill::api {

struct ServiceBackendPort {
  std::string name;
  int32_t number = 0;
  bool operator==(const ServiceBackendPort&) const = default;
};

struct IngressServiceBackend {
  std::string name;
  ServiceBackendPort port;
  bool operator==(const IngressServiceBackend&) const = default;
};

struct IngressBackend {
  std::optional<IngressServiceBackend> service;
  RawJson resource;  // a TypedLocalObjectReference certmill never follows
  bool operator==(const IngressBackend&) const = default;
};

struct HTTPIngressPath {
  std::string path;
  std::string path_type;  // Exact, Prefix or ImplementationSpecific
  IngressBackend backend;
  bool operator==(const HTTPIngressPath&) const = default;
};

struct HTTPIngressRuleValue {
  std::vector<HTTPIngressPath> paths;
  bool operator==(const HTTPIngressRuleValue&) const = default;
};

struct IngressRule {
  std::string host;
  std::optional<HTTPIngressRuleValue> http;
  bool operator==(const IngressRule&) const = default;
};

struct IngressTLS {
  std::vector<std::string> hosts;
  std::string secret_name;
  bool operator==(const IngressTLS&) const = default;
};

struct IngressSpec {
  std::string ingress_class_name;
  std::optional<IngressBackend> default_backend;
  std::vector<IngressTLS> tls;
  std::vector<IngressRule> rules;
  bool operator==(const IngressSpec&) const = default;
};

struct Ingress {
  ObjectMeta metadata;
  IngressSpec spec;
  bool operator==(const Ingress&) const = default;
};

}  // namespace certmill::api
