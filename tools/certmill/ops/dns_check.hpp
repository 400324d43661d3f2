// `certmill check dns`' lookups: the DNS a CA and the DNS-01 check will meet
// for a name, asked the way the controller asks it (solvers/dns: c-ares on
// Asio, the zone by SOA walk from the recursive nameservers, its
// authoritative servers asked directly with recursion off). The verdicts
// and layout are in caa.hpp and dns_checklist.hpp.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "solvers/dns/nameservers.hpp"
#include "tools/certmill/ops/dns_checklist.hpp"

namespace certmill::ops {

struct DnsCheckOptions {
  std::string name;       // "www.example.test" or "*.example.test"
  std::string ca_domain;  // the CAA issuer domain of the CA, "letsencrypt.org"
  std::vector<solvers::Nameserver> recursive_nameservers = {};  // empty: the system's
  unsigned short authoritative_port = 53;
  std::chrono::milliseconds timeout = std::chrono::seconds(20);  // for all of it
};

// CAA, the zone and its servers, the _acme-challenge CNAME, and whether the
// servers agree, in that order; a step that cannot be taken is a failed
// item and the steps that need it are left out. Runs on a loop of its own.
std::vector<CheckItem> run_dns_checks(const DnsCheckOptions& options);

}  // namespace certmill::ops
