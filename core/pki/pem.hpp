// PEM framing (RFC 7468): splitting text into typed DER blocks and back, with
// errors that say which input was not PEM.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::pki {

struct PemBlock {
  std::string type;  // "CERTIFICATE", "PRIVATE KEY", ...
  std::string der;
  bool operator==(const PemBlock&) const = default;
};

// Every block in `text`, in order. `what` names the input in errors
// ("tls.crt of Secret ns/name"). No block at all, or a block whose base64
// does not decode, is an error; text between blocks is ignored.
Result<std::vector<PemBlock>> pem_decode(std::string_view text, std::string_view what);

std::string pem_encode(std::string_view type, std::string_view der);

}  // namespace certmill::pki
