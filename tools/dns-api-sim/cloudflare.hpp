// Cloudflare's API v4 as the emulator serves it, under /client/v4: zones by
// name, and a zone's DNS records listed, created and deleted, with
// Cloudflare's envelope and error codes. Credentials (--credential) are API
// tokens ("Authorization: Bearer") or "email:global-api-key" pairs
// (X-Auth-Email, X-Auth-Key).
#pragma once

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

boost::asio::awaitable<reactor::ServerResponse> cloudflare(const reactor::ServerRequest& request,
                                                           Sim& sim);

// The provider's answer to a request a test makes fail (/_sim/fault): 429 as
// its rate limit answers, anything else as its server errors.
reactor::ServerResponse cloudflare_failure(unsigned status);

}  // namespace certmill::dnssim
