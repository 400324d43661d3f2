// The DNS-01 propagation check (cert-manager's PreCheckDNS): whether the
// TXT value a Challenge needs is served for its record. By default every
// authoritative server of the record's zone is asked directly (recursion
// off); with recursive_only (--dns01-recursive-nameservers-only) only the
// recursive nameservers. One coroutine on the shard's executor, sharing the
// shard's Dns01Resolver (see there what a check in flight costs); it ends at
// the deadline or at once when cancelled. The ACME order's check loop calls
// it again every --dns01-check-retry-period until it succeeds.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "solvers/dns/dns01_resolver.hpp"

namespace certmill::solvers::dns {

struct PropagationOptions {
  bool recursive_only = false;  // --dns01-recursive-nameservers-only
  bool follow_cnames = false;   // look at the end of fqdn's CNAME chain
  // The port of the zone's authoritative servers: 53 on the Internet; tests
  // on loopback move it.
  unsigned short authoritative_port = 53;
};

// Ok: every server asked answers with `expected_value` among the TXT values
// of `fqdn` (or of the end of its CNAME chain when following). Otherwise
// the error says why, naming the server and its answer: not yet propagated
// (std::errc::resource_unavailable_try_again), SERVFAIL, REFUSED, a lame
// server, no answer in time, a CNAME loop, cancelled.
// The end of fqdn's CNAME chain (fqdn itself when it has no CNAME), asked of
// the recursive nameservers: where cnameStrategy Follow puts the TXT record.
// A loop or a chain longer than 16 links is an error.
boost::asio::awaitable<Result<std::string>> follow_cnames(
    Dns01Resolver& resolver, std::string fqdn, std::chrono::steady_clock::time_point deadline);

boost::asio::awaitable<Status> check_dns01_propagation(
    Dns01Resolver& resolver, std::string fqdn, std::string expected_value,
    PropagationOptions options, std::chrono::steady_clock::time_point deadline);

}  // namespace certmill::solvers::dns
