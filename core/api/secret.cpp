// JSON schema of core/v1 Secret and its codec.
#include "core/api/secret.hpp"

#include "core/api/schema/meta.hpp"

namespace certmill::json {

template <>
struct Schema<api::Secret> {
  static constexpr std::string_view api_version = "v1";
  static constexpr std::string_view kind = "Secret";
  static constexpr auto fields = std::tuple{
      field("metadata", &api::Secret::metadata),   field("type", &api::Secret::type),
      field("data", &api::Secret::data),           field("stringData", &api::Secret::string_data),
      field("immutable", &api::Secret::immutable),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Secret);
