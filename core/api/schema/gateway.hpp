// JSON schema of the Gateway API's ParentReference (internal to core/): both
// HTTPRoute and cert-manager's gatewayHTTPRoute solver carry it.
#pragma once

#include "core/api/gateway.hpp"
#include "core/json/codec.hpp"

namespace certmill::json {

template <>
struct Schema<api::ParentReference> {
  static constexpr auto fields = std::tuple{
      field("group", &api::ParentReference::group),
      field("kind", &api::ParentReference::kind),
      required("name", &api::ParentReference::name),
      field("namespace", &api::ParentReference::namespace_),
      field("sectionName", &api::ParentReference::section_name),
      field("port", &api::ParentReference::port),
  };
};

}  // namespace certmill::json
