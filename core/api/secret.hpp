// core/v1 Secret: where certmill writes the key pair (type kubernetes.io/tls)
// and reads CA keys, ACME account keys and DNS-provider credentials.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/api/meta.hpp"

namespace certmill::api {

struct Secret {
  ObjectMeta metadata;
  std::string type;  // "kubernetes.io/tls", "Opaque" when empty
  std::map<std::string, Bytes> data;
  // Write-only convenience of the API server: merged into `data` on write,
  // never returned on read.
  StringMap string_data;
  std::optional<bool> immutable;
  bool operator==(const Secret&) const = default;
};

}  // namespace certmill::api
