// Google's OAuth side as the Cloud DNS front serves it: the token endpoint
// (POST /token) taking a service account's signed JWT (the JWT bearer grant),
// whose RS256 signature is checked with the public key of its iss
// (--credential CLIENT_EMAIL=PATH_TO_PUBLIC_KEY_PEM), and the GCE metadata
// server's token path; both hand out access tokens that the Cloud DNS paths
// then accept as Bearer tokens.
#pragma once

#include <optional>

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

// POST /token: an access token, or Google's {"error": "invalid_grant", ...}.
reactor::ServerResponse google_token(const reactor::ServerRequest& request, const Sim& sim);

// GET /computeMetadata/v1/instance/service-accounts/default/token, with
// Metadata-Flavor: Google.
reactor::ServerResponse metadata_token(const reactor::ServerRequest& request);

// None when the request carries a Bearer token this emulator issued; else
// Google's 401.
std::optional<reactor::ServerResponse> check_bearer(const reactor::ServerRequest& request);

// Google's JSON error: {"error": {"code", "message", "errors": [{"domain",
// "reason", "message"}], "status"}}.
reactor::ServerResponse google_error(unsigned status, std::string_view reason,
                                     std::string_view google_status, std::string_view message);

}  // namespace certmill::dnssim
