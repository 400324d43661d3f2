// The fleet table: one row per Certificate, the soonest expiry first.
#include "tools/certmill/ops/fleet_table.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "tools/certmill/ops/status_verdict.hpp"

namespace certmill::ops {

void sort_certificates(std::vector<api::Certificate>& certs, SortBy sort) {
  auto name_key = [](const api::Certificate& c) {
    return std::tie(c.metadata.namespace_, c.metadata.name);
  };
  std::sort(certs.begin(), certs.end(), [&](const auto& a, const auto& b) {
    if (sort == SortBy::expiry && a.status.not_after != b.status.not_after) {
      // nullopt orders before every time: no certificate comes first.
      return a.status.not_after < b.status.not_after;
    }
    return name_key(a) < name_key(b);
  });
}

std::string fleet_table(std::vector<api::Certificate> certs, const FleetOptions& options,
                        Time now) {
  sort_certificates(certs, options.sort);
  Row header;
  if (options.all_namespaces)
    header.push_back("NAMESPACE");
  for (const char* h : {"NAME", "READY", "SECRET", "ISSUER", "NOT AFTER", "RENEWAL", "AGE"})
    header.push_back(h);
  if (options.wide) {
    header.push_back("DNS NAMES");
    header.push_back("REASON");
  }
  std::vector<Row> rows;
  for (const auto& c : certs) {
    Row row;
    if (options.all_namespaces)
      row.push_back(c.metadata.namespace_);
    const auto* ready = find_condition(c.status.conditions, "Ready");
    const auto& ref = c.spec.issuer_ref;
    row.push_back(c.metadata.name);
    row.push_back(ready ? std::string(condition_status_name(ready->status)) : "Unknown");
    row.push_back(c.spec.secret_name);
    row.push_back((ref.kind == "ClusterIssuer" ? "ClusterIssuer/" : "") + ref.name);
    row.push_back(c.status.not_after ? format_time(*c.status.not_after) : "<none>");
    row.push_back(c.status.renewal_time ? relative_time(*c.status.renewal_time, now) : "<none>");
    row.push_back(c.metadata.creation_timestamp
                      ? human_duration(now - *c.metadata.creation_timestamp)
                      : "<unknown>");
    if (options.wide) {
      std::string names;
      for (const auto& n : c.spec.dns_names)
        names += (names.empty() ? "" : ",") + n;
      row.push_back(names.empty() ? "<none>" : names);
      row.push_back(ready && ready->status != api::ConditionStatus::True ? ready->reason : "");
    }
    rows.push_back(std::move(row));
  }
  return format_table(header, rows);
}

}  // namespace certmill::ops
