// JSON schemas of core/v1 Service and discovery.k8s.io/v1 EndpointSlice and
// their codecs.
#include "core/api/service.hpp"

#include "core/api/schema/meta.hpp"

namespace certmill::json {

using namespace api;

template <>
struct Schema<ServicePort> {
  static constexpr auto fields = std::tuple{
      field("name", &ServicePort::name),
      field("protocol", &ServicePort::protocol),
      required("port", &ServicePort::port),
      field("targetPort", &ServicePort::target_port),
  };
};

template <>
struct Schema<ServiceSpec> {
  static constexpr auto fields = std::tuple{
      field("type", &ServiceSpec::type),
      field("ports", &ServiceSpec::ports),
      field("selector", &ServiceSpec::selector),
  };
};

template <>
struct Schema<Service> {
  static constexpr std::string_view api_version = "v1";
  static constexpr std::string_view kind = "Service";
  static constexpr auto fields = std::tuple{
      required("metadata", &Service::metadata),
      field("spec", &Service::spec),
  };
};

template <>
struct Schema<EndpointConditions> {
  static constexpr auto fields = std::tuple{field("ready", &EndpointConditions::ready)};
};

template <>
struct Schema<Endpoint> {
  static constexpr auto fields = std::tuple{
      required("addresses", &Endpoint::addresses),
      field("conditions", &Endpoint::conditions),
  };
};

template <>
struct Schema<EndpointPort> {
  static constexpr auto fields = std::tuple{
      field("name", &EndpointPort::name),
      field("protocol", &EndpointPort::protocol),
      field("port", &EndpointPort::port),
  };
};

template <>
struct Schema<EndpointSlice> {
  static constexpr std::string_view api_version = "discovery.k8s.io/v1";
  static constexpr std::string_view kind = "EndpointSlice";
  static constexpr auto fields = std::tuple{
      required("metadata", &EndpointSlice::metadata),
      required("addressType", &EndpointSlice::address_type),
      field("endpoints", &EndpointSlice::endpoints),
      field("ports", &EndpointSlice::ports),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Service);
CERTMILL_RESOURCE_CODEC(certmill::api::EndpointSlice);
