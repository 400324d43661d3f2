// lego (Debian's go-acme/lego) as bench_acme's point of comparison: one
// process per name against the same CA, sharing one account, several at
// once or one after the other, over HTTP-01 or, with `dns`, its rfc2136
// DNS-01 provider; what they cost in time, CPU and memory (wait4's rusage).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/named_server.hpp"

namespace certmill::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// With --dns01: BIND, and the TSIG key both clients sign updates with.
struct DnsSetup {
  unsigned short port = 0;
  test::NamedKey key;
};

struct LegoResult {
  bool ok = false;
  double seconds = 0;
  double cpu_seconds = 0;    // summed over every run
  double peak_rss_mib = 0;   // the largest of one run
  double slowest_run_s = 0;  // the longest single run
  double first_run_s = 0;    // the run that registered the account
};

struct LegoSetup {
  std::string binary;
  std::string server;
  std::string ca_file;
  std::string path;  // lego's --path: the account and the certificates
  std::string webroot;
  unsigned short http_port = 0;
  unsigned parallel = 1;
  std::optional<DnsSetup> dns;  // DNS-01 through BIND instead of HTTP-01
  bool wildcard = false;
  std::chrono::seconds per_run_bound{120};
  Clock::duration bound{};
};

// Issues every name with lego: the first run alone (it registers the
// account), then up to `parallel` at once. Stops at the first failed run.
LegoResult run_lego(const LegoSetup& s, const std::vector<std::string>& names,
                    const std::string& logs);

}  // namespace certmill::bench
