// base64url without padding (RFC 4648 §5, as RFC 7515 §2 uses it): the
// encoding of every JWS part, JWK member, thumbprint, token and ARI CertID.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::acme {

std::string base64url_encode(std::string_view bytes);

// Rejects padding, characters outside the url-safe alphabet and impossible
// lengths; JOSE never pads, so a '=' means the sender used the wrong encoding.
Result<std::string> base64url_decode(std::string_view text);

// Non-empty and every character in [A-Za-z0-9_-]: the shape RFC 8555 requires
// of challenge tokens (§8.3) and nonces (§6.5.1).
bool is_base64url(std::string_view text) noexcept;

}  // namespace certmill::acme
