// The DNS servers a lookup asks instead of the system's resolver, as
// operators write them in cert-manager's flags
// (--acme-http01-solver-nameservers, later --dns01-recursive-nameservers):
// a comma-separated list of IP:port, "[IPv6]:port", or an address alone for
// port 53. A name is refused: finding a nameserver by name would need the
// resolver the flag replaces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers {

struct Nameserver {
  std::string address;  // an IPv4 or IPv6 literal, without brackets
  unsigned short port = 53;

  bool operator==(const Nameserver&) const = default;
};

// Parses the flag's value; empty (or only commas and spaces) is no list.
Result<std::vector<Nameserver>> parse_nameservers(std::string_view list);

// The same list as c-ares' ares_set_servers_ports_csv reads it, and as log
// lines and errors show it.
std::string format_nameservers(const std::vector<Nameserver>& servers);

}  // namespace certmill::solvers
