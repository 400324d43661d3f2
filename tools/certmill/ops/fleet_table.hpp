// `certmill list`'s table of Certificates, as `kubectl get certificates`
// prints it plus expiry and renewal. Pure: rows from objects and a clock.
#pragma once

#include <string>
#include <vector>

#include "core/api/certificate.hpp"
#include "tools/certmill/ops/table.hpp"

namespace certmill::ops {

enum class SortBy { expiry, name };

struct FleetOptions {
  bool all_namespaces = false;  // adds the NAMESPACE column
  bool wide = false;            // adds DNS NAMES and REASON
  SortBy sort = SortBy::expiry;
};

// Sorts in place: by expiry, soonest first, with Certificates that have no
// certificate yet (no notAfter) before all others, since they protect
// nothing; or by namespace and name, as kubectl does.
void sort_certificates(std::vector<api::Certificate>& certs, SortBy sort);

std::string fleet_table(std::vector<api::Certificate> certs, const FleetOptions& options, Time now);

}  // namespace certmill::ops
