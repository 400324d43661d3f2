// Parsing and printing nameserver lists; addresses are checked with
// inet_pton, the parser c-ares itself uses.
#include "solvers/dns/nameservers.hpp"

#include <arpa/inet.h>

#include "core/port.hpp"

namespace certmill::solvers {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool is_ipv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

Error bad(std::string_view entry, std::string_view why) {
  return Error(Errc::invalid_value, "nameserver \"" + std::string(entry) +
                                        "\": " + std::string(why) +
                                        "; write IP:port, [IPv6]:port or an IP for port 53, "
                                        "comma-separated (e.g. 8.8.8.8:53,[2001:4860::8888]:53)");
}

Result<Nameserver> parse_one(std::string_view entry) {
  Nameserver server;
  std::string_view port;
  if (entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos)
      return bad(entry, "\"[\" without \"]\"");
    server.address = std::string(entry.substr(1, close - 1));
    if (!is_ipv6(server.address))
      return bad(entry, "not an IPv6 address inside the brackets");
    const std::string_view rest = entry.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return bad(entry, "expected \":port\" after \"]\"");
      port = rest.substr(1);
      if (port.empty())
        return bad(entry, "no port after \":\"");
    }
  } else if (entry.find(':') != entry.rfind(':')) {
    // Two colons or more: a bare IPv6 address, port 53.
    server.address = std::string(entry);
    if (!is_ipv6(server.address))
      return bad(entry, "not an IP address (a port after an IPv6 address needs [brackets])");
  } else {
    const auto colon = entry.find(':');
    server.address = std::string(entry.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = entry.substr(colon + 1);
      if (port.empty())
        return bad(entry, "no port after \":\"");
    }
    if (!is_ipv4(server.address))
      return bad(entry, "not an IP address (host names are not accepted)");
  }
  if (!port.empty()) {
    const auto number = parse_port(port);
    if (!number)
      return bad(entry, "the port is not a number from 1 to 65535");
    server.port = *number;
  }
  return server;
}

}  // namespace

Result<std::vector<Nameserver>> parse_nameservers(std::string_view list) {
  std::vector<Nameserver> servers;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view entry = trimmed(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty())
      continue;
    auto server = parse_one(entry);
    if (!server)
      return server.error();
    servers.push_back(std::move(*server));
  }
  return servers;
}

std::string format_nameservers(const std::vector<Nameserver>& servers) {
  std::string out;
  for (const Nameserver& s : servers) {
    if (!out.empty())
      out += ',';
    const bool v6 = s.address.find(':') != std::string::npos;
    out += (v6 ? "[" + s.address + "]" : s.address) + ":" + std::to_string(s.port);
  }
  return out;
}

}  // namespace certmill::solvers
