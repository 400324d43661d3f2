// OpenAPI v2 in the protobuf form kubectl up to 1.26 asks for first: gnostic's
// openapi.v2.Document message (github.com/google/gnostic, OpenAPIv2.proto),
// written from the JSON document. Vendor extensions, defaults, enums and
// examples travel as gnostic's Any with their JSON text in its yaml field,
// which is how kubectl reads them back.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace certmill::kubesim {

inline constexpr std::string_view kOpenApiV2Protobuf =
    "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

std::string openapi_v2_protobuf(const boost::json::object& document);

}  // namespace certmill::kubesim
