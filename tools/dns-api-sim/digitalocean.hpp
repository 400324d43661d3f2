// DigitalOcean's API v2 as the emulator serves it, under /v2: a domain's
// records listed (filtered by type and full name), created and deleted, in
// DigitalOcean's JSON with numeric record ids and its {"id", "message"}
// errors. Credentials (--credential) are personal access tokens, sent as
// "Authorization: Bearer".
#pragma once

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

boost::asio::awaitable<reactor::ServerResponse> digitalocean(const reactor::ServerRequest& request,
                                                             Sim& sim);

// The provider's answer to a request a test makes fail (/_sim/fault): 429 as
// its rate limit answers, anything else as its server errors.
reactor::ServerResponse digitalocean_failure(unsigned status);

}  // namespace certmill::dnssim
