// The HTTP-01 self-check: before the CA is told to validate, certmill asks
// http://<name>/.well-known/acme-challenge/<token> itself, as the CA will,
// and goes on only when the key authorization comes back. A route that is
// not there yet (an Ingress controller still loading the solver Ingress, DNS
// pointing elsewhere) would otherwise fail the authorization at the CA, and
// Let's Encrypt limits failed authorizations per name and hour.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "solvers/dns/nameservers.hpp"

namespace certmill::solvers {

namespace asio = boost::asio;

struct SelfCheckOptions {
  // --acme-http01-solver-nameservers: who resolves the name; empty is the
  // system's resolver.
  std::vector<Nameserver> nameservers;
  // --acme-http01-self-check-port: where the name is asked. The CA always
  // asks port 80; a test or a port-forwarding setup may need another.
  unsigned short port = 80;
  // One check, redirects and lookups included.
  std::chrono::seconds timeout{10};
};

// Ok when `name` answers the challenge path of `token` with
// `key_authorization`; otherwise what the CA would have seen. Follows up to
// 10 http:// redirects, as the CA does.
asio::awaitable<Status> check_http01(std::string name, std::string token,
                                     std::string key_authorization, SelfCheckOptions options);

}  // namespace certmill::solvers
