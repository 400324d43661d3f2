// JSON schema of networking.k8s.io/v1 Ingress and its codec.
#include "core/api/ingress.hpp"

#include "core/api/schema/meta.hpp"

namespace certmill::json {

using namespace api;

template <>
struct Schema<ServiceBackendPort> {
  static constexpr auto fields = std::tuple{
      field("name", &ServiceBackendPort::name),
      field("number", &ServiceBackendPort::number),
  };
};

template <>
struct Schema<IngressServiceBackend> {
  static constexpr auto fields = std::tuple{
      required("name", &IngressServiceBackend::name),
      field("port", &IngressServiceBackend::port),
  };
};

template <>
struct Schema<IngressBackend> {
  static constexpr auto fields = std::tuple{
      field("service", &IngressBackend::service),
      field("resource", &IngressBackend::resource),
  };
};

template <>
struct Schema<HTTPIngressPath> {
  static constexpr auto fields = std::tuple{
      field("path", &HTTPIngressPath::path),
      required("pathType", &HTTPIngressPath::path_type),
      required("backend", &HTTPIngressPath::backend),
  };
};

template <>
struct Schema<HTTPIngressRuleValue> {
  static constexpr auto fields = std::tuple{required("paths", &HTTPIngressRuleValue::paths)};
};

template <>
struct Schema<IngressRule> {
  static constexpr auto fields = std::tuple{
      field("host", &IngressRule::host),
      field("http", &IngressRule::http),
  };
};

template <>
struct Schema<IngressTLS> {
  static constexpr auto fields = std::tuple{
      field("hosts", &IngressTLS::hosts),
      field("secretName", &IngressTLS::secret_name),
  };
};

template <>
struct Schema<IngressSpec> {
  static constexpr auto fields = std::tuple{
      field("ingressClassName", &IngressSpec::ingress_class_name),
      field("defaultBackend", &IngressSpec::default_backend),
      field("tls", &IngressSpec::tls),
      field("rules", &IngressSpec::rules),
  };
};

template <>
struct Schema<Ingress> {
  static constexpr std::string_view api_version = "networking.k8s.io/v1";
  static constexpr std::string_view kind = "Ingress";
  static constexpr auto fields = std::tuple{
      required("metadata", &Ingress::metadata),
      field("spec", &Ingress::spec),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Ingress);
