// Route53's REST API (2013-04-01) and STS's AssumeRole as the emulator serves
// them: every request's SigV4 signature checked against the keys it was
// given (--credential ACCESS_KEY_ID:SECRET) or the temporary ones its STS
// handed out; hosted zones by name, a name's TXT set, changes of whole sets
// (UPSERT, DELETE that must match), change status PENDING then INSYNC, and
// AWS's XML errors.
#pragma once

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

boost::asio::awaitable<reactor::ServerResponse> route53(const reactor::ServerRequest& request,
                                                        Sim& sim);

// The provider's answer to a request a test makes fail (/_sim/fault): 429 as
// its rate limit answers, anything else as its server errors.
reactor::ServerResponse route53_failure(unsigned status);

}  // namespace certmill::dnssim
