// Standard base64 (RFC 4648 §4, padded), as Kubernetes Secret data is encoded.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill {

std::string base64_encode(std::string_view bytes);
// Rejects characters outside the alphabet, bad padding and bad length.
Result<std::string> base64_decode(std::string_view text);

}  // namespace certmill
