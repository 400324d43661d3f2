// What every emulated provider front shares: the zones, the DNS server behind
// them, the credentials it accepts, and the request and answer helpers.
// A front is one function from a request to its answer, written from the
// provider's published API reference.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "reactor/http_listener.hpp"
#include "tools/dns-api-sim/dns_writer.hpp"
#include "tools/dns-api-sim/zones.hpp"

namespace certmill::dnssim {

struct Sim {
  ZoneStore zones;
  DnsWriter dns;
  // The credentials the API accepts, in the form the provider's front
  // documents (a token, "email:key", "access-key-id:secret").
  std::vector<std::string> credentials;
};

using Front = std::function<boost::asio::awaitable<reactor::ServerResponse>(
    const reactor::ServerRequest&, Sim&)>;

// The target's path, and its query as decoded name -> value (the last wins).
struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};
Target split_target(std::string_view target);

// "a%2Ab+c" -> "a*b c"
std::string url_decode(std::string_view text);

reactor::ServerResponse json_answer(unsigned status, std::string body);

}  // namespace certmill::dnssim
