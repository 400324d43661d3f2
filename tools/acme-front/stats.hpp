// What the front counts for the management API's GET /stats: requests by
// kind, refusals by limit or problem, faults served, renewals with `replaces`, and issued
// certificates, so a test can check what the client did through the front.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/acme/problem.hpp"

namespace certmill::acmefront {

struct Stats {
  std::map<std::string, std::uint64_t> requests;      // "newOrder", "finalize", ...
  std::map<std::string, std::uint64_t> rate_limited;  // by limit name
  std::map<std::string, std::uint64_t> problems;      // the front's own, by type
  std::map<std::string, std::uint64_t> faults;        // answers replaced, by kind
  std::uint64_t orders_with_replaces = 0;             // created by the CA
  std::uint64_t certificates_issued = 0;              // orders seen valid
  std::uint64_t certificates_downloaded = 0;
  // Requests that came back before the Retry-After their answer carried had
  // passed, by kind: a client that does not honour it.
  std::map<std::string, std::uint64_t> early_retries;
  // By an order's names (names_key): what a test attributes to one
  // Certificate, as orders placed again after a crash or a second issuance.
  std::map<std::string, std::uint64_t> new_orders_by_names;  // created by the CA
  std::map<std::string, std::uint64_t> issued_by_names;      // orders seen valid
};

// An order's identifier values, sorted and joined with ",".
inline std::string names_key(const std::vector<acme::Identifier>& identifiers) {
  std::vector<std::string> values;
  for (const auto& identifier : identifiers)
    values.push_back(identifier.value);
  std::sort(values.begin(), values.end());
  std::string key;
  for (const auto& value : values)
    key += (key.empty() ? "" : ",") + value;
  return key;
}

}  // namespace certmill::acmefront
