// JSON schemas of gateway.networking.k8s.io/v1 Gateway and HTTPRoute, and
// their codecs.
#include "core/api/gateway.hpp"

#include "core/api/schema/gateway.hpp"
#include "core/api/schema/meta.hpp"

namespace certmill::json {

using namespace api;

template <>
struct Schema<SecretObjectReference> {
  static constexpr auto fields = std::tuple{
      field("group", &SecretObjectReference::group),
      field("kind", &SecretObjectReference::kind),
      required("name", &SecretObjectReference::name),
      field("namespace", &SecretObjectReference::namespace_),
  };
};

template <>
struct Schema<GatewayTLSConfig> {
  static constexpr auto fields = std::tuple{
      field("mode", &GatewayTLSConfig::mode),
      field("certificateRefs", &GatewayTLSConfig::certificate_refs),
  };
};

template <>
struct Schema<Listener> {
  static constexpr auto fields = std::tuple{
      required("name", &Listener::name), field("hostname", &Listener::hostname),
      required("port", &Listener::port), required("protocol", &Listener::protocol),
      field("tls", &Listener::tls),      field("allowedRoutes", &Listener::allowed_routes),
  };
};

template <>
struct Schema<GatewaySpec> {
  static constexpr auto fields = std::tuple{
      required("gatewayClassName", &GatewaySpec::gateway_class_name),
      required("listeners", &GatewaySpec::listeners),
  };
};

template <>
struct Schema<Gateway> {
  static constexpr std::string_view api_version = "gateway.networking.k8s.io/v1";
  static constexpr std::string_view kind = "Gateway";
  static constexpr auto fields = std::tuple{
      required("metadata", &Gateway::metadata),
      required("spec", &Gateway::spec),
  };
};

template <>
struct Schema<HTTPPathMatch> {
  static constexpr auto fields = std::tuple{
      field("type", &HTTPPathMatch::type),
      field("value", &HTTPPathMatch::value),
  };
};

template <>
struct Schema<HTTPRouteMatch> {
  static constexpr auto fields = std::tuple{field("path", &HTTPRouteMatch::path)};
};

template <>
struct Schema<HTTPBackendRef> {
  static constexpr auto fields = std::tuple{
      field("group", &HTTPBackendRef::group),  field("kind", &HTTPBackendRef::kind),
      required("name", &HTTPBackendRef::name), field("namespace", &HTTPBackendRef::namespace_),
      field("port", &HTTPBackendRef::port),    field("weight", &HTTPBackendRef::weight),
  };
};

template <>
struct Schema<HTTPRouteRule> {
  static constexpr auto fields = std::tuple{
      field("matches", &HTTPRouteRule::matches),
      field("backendRefs", &HTTPRouteRule::backend_refs),
  };
};

template <>
struct Schema<HTTPRouteSpec> {
  static constexpr auto fields = std::tuple{
      field("parentRefs", &HTTPRouteSpec::parent_refs),
      field("hostnames", &HTTPRouteSpec::hostnames),
      field("rules", &HTTPRouteSpec::rules),
  };
};

template <>
struct Schema<HTTPRoute> {
  static constexpr std::string_view api_version = "gateway.networking.k8s.io/v1";
  static constexpr std::string_view kind = "HTTPRoute";
  static constexpr auto fields = std::tuple{
      required("metadata", &HTTPRoute::metadata),
      required("spec", &HTTPRoute::spec),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Gateway);
CERTMILL_RESOURCE_CODEC(certmill::api::HTTPRoute);
