// What the front counts for the management API's GET /stats: requests by
// kind, refusals by limit or problem, faults served, renewals with `replaces`, and issued
// certificates, so a test can check what the client did through the front.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace certmill::acmefront {

struct Stats {
  std::map<std::string, std::uint64_t> requests;      // "newOrder", "finalize", ...
  std::map<std::string, std::uint64_t> rate_limited;  // by limit name
  std::map<std::string, std::uint64_t> problems;      // the front's own, by type
  std::map<std::string, std::uint64_t> faults;        // answers replaced, by kind
  std::uint64_t orders_with_replaces = 0;             // created by the CA
  std::uint64_t certificates_issued = 0;              // orders seen valid
  std::uint64_t certificates_downloaded = 0;
};

}  // namespace certmill::acmefront
