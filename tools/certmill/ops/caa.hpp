// CAA (RFC 8659) as a CA reads it before issuing: the record's wire form
// (flags, tag, value), where the relevant RRset is searched (the name, then
// each parent), and whether that RRset lets a CA, named by its CA domain
// ("letsencrypt.org"), issue for a name or a wildcard. Pure: `certmill
// check dns` asks the DNS and reads the answers with this.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::ops {

struct CaaRecord {
  std::uint8_t flags = 0;  // 128: critical (issuer critical flag)
  std::string tag;         // as written; compared case-insensitively
  std::string value;

  bool operator==(const CaaRecord&) const = default;
};

// RDATA: flags (1 octet), tag length (1-15), tag (ASCII letters and digits),
// value (the rest). Anything else is an error saying what.
Result<CaaRecord> parse_caa(std::string_view rdata);
// As a zone file writes it: `0 issue "letsencrypt.org"`.
std::string format_caa(const CaaRecord& record);

// The names whose CAA RRset is looked up, in order, for `name`: a wildcard's
// base name ("*.example.test" -> "example.test") and then each parent up to
// but not including the root; the first that has CAA records is the one.
std::vector<std::string> caa_search_names(std::string_view name);

struct CaaVerdict {
  bool allowed = true;
  std::string why;
};

// Whether `rrset` (the relevant one; empty: none found) lets the CA with
// `ca_domain` issue. A wildcard is judged by issuewild when there is any,
// else by issue; no issue property at all allows every CA; an unknown tag
// marked critical forbids all (RFC 8659 §4.1).
CaaVerdict caa_allows(const std::vector<CaaRecord>& rrset, std::string_view ca_domain,
                      bool wildcard);

}  // namespace certmill::ops
