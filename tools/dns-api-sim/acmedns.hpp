// acme-dns's API as the emulator serves it: POST /update, authenticated by
// X-Api-User and X-Api-Key, writing a TXT value at the account's subdomain
// of the first --zone and keeping its last two values, as acme-dns does.
// Credentials (--credential) are accounts: "username:key:subdomain".
#pragma once

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

boost::asio::awaitable<reactor::ServerResponse> acmedns(const reactor::ServerRequest& request,
                                                        Sim& sim);

// The provider's answer to a request a test makes fail (/_sim/fault): 429 as
// its rate limit answers, anything else as its server errors.
reactor::ServerResponse acmedns_failure(unsigned status);

}  // namespace certmill::dnssim
