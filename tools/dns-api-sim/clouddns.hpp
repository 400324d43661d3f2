// Google Cloud DNS v1 as the emulator serves it, under /dns/v1, beside the
// token endpoint and metadata path of clouddns_auth: Bearer tokens it
// issued; managed zones (named like "example-test") listed by dnsName, 404
// for an unknown one; a name's TXT set; changes that delete and add whole
// sets, refused with 412 conditionNotMet when a deletion does not match the
// set and 409 alreadyExists when an addition meets a set left in place;
// change status "pending", then "done"; Google's JSON errors.
#pragma once

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

boost::asio::awaitable<reactor::ServerResponse> clouddns(const reactor::ServerRequest& request,
                                                         Sim& sim);

// The provider's answer to a request a test makes fail (/_sim/fault): 429 as
// its rate limit answers, anything else as its server errors.
reactor::ServerResponse clouddns_failure(unsigned status);

}  // namespace certmill::dnssim
