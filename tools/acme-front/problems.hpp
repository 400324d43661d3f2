// The problem documents the front answers itself (RFC 8555 §6.7): malformed
// input, an unknown profile, a refused `replaces`, a rate limit, an unknown
// CertID, an unreachable CA. The front adds the Replay-Nonce and index Link a
// client expects on every ACME answer.
#pragma once

#include <string>
#include <string_view>

#include "tools/acme-front/server.hpp"

namespace certmill::acmefront {

// `type` is the short name after "urn:ietf:params:acme:error:".
Response problem(unsigned status, std::string_view type, std::string_view detail);

}  // namespace certmill::acmefront
