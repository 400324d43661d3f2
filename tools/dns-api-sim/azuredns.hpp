// Azure DNS as the emulator serves it, with Microsoft Entra's token endpoint
// on the same port (certmill's --azuredns-api-url stands for both):
//   POST /{tenant}/oauth2/v2.0/token  the client-credentials grant, with a
//        client_secret (or a client_assertion, as workload identity sends)
//        checked against --credential TENANT:CLIENT_ID:SECRET; Entra's
//        {"error", "error_description": "AADSTS..."} when refused;
//   GET/PUT/DELETE /subscriptions/{sub}/resourceGroups/{rg}/providers/
//        Microsoft.Network/dnsZones/{zone}/TXT/{name}?api-version=2018-05-01
//        with a token the endpoint issued: whole TXT record sets with ETags,
//        If-Match / If-None-Match: * checked (412 PreconditionFailed), and
//        ARM's {"error": {"code", "message"}} errors.
// Every --zone lives in the subscription kAzureSubscription, resource group
// kAzureResourceGroup; others are 404 SubscriptionNotFound,
// ResourceGroupNotFound, and ResourceNotFound for a zone it lacks.
#pragma once

#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {

inline constexpr const char* kAzureSubscription = "5f0c6b1e-0000-4000-8000-00000000a2de";
inline constexpr const char* kAzureResourceGroup = "dns-sim";

boost::asio::awaitable<reactor::ServerResponse> azuredns(const reactor::ServerRequest& request,
                                                         Sim& sim);

// The provider's answer to a request a test makes fail (/_sim/fault): 429 as
// its rate limit answers, anything else as its server errors.
reactor::ServerResponse azuredns_failure(unsigned status);

}  // namespace certmill::dnssim
