// Reading CAA records and the issuance decision of RFC 8659 §4.
#include "tools/certmill/ops/caa.hpp"

#include <algorithm>
#include <cctype>

namespace certmill::ops {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// The issuer domain name of an issue or issuewild value: what comes before
// its parameters (";"), lower-case, without a trailing dot; empty (";")
// names no CA.
std::string issuer_of(std::string_view value) {
  std::string name = lower(trim(value.substr(0, value.find(';'))));
  if (!name.empty() && name.back() == '.')
    name.pop_back();
  return name;
}

}  // namespace

Result<CaaRecord> parse_caa(std::string_view rdata) {
  if (rdata.size() < 2)
    return Error(Errc::invalid_argument, "a CAA record shorter than its flags and tag length");
  const auto length = static_cast<unsigned char>(rdata[1]);
  if (length == 0 || length > 15 || rdata.size() < 2 + std::size_t{length})
    return Error(Errc::invalid_argument, "a CAA record with a tag length of " +
                                             std::to_string(length) +
                                             " (want 1 to 15, within the record)");
  CaaRecord record{.flags = static_cast<std::uint8_t>(rdata[0]),
                   .tag = std::string(rdata.substr(2, length)),
                   .value = std::string(rdata.substr(2 + length))};
  if (!std::all_of(record.tag.begin(), record.tag.end(),
                   [](unsigned char c) { return std::isalnum(c) != 0; }))
    return Error(Errc::invalid_argument, "a CAA record whose tag is not letters and digits");
  return record;
}

std::string format_caa(const CaaRecord& record) {
  return std::to_string(record.flags) + " " + record.tag + " \"" + record.value + "\"";
}

std::vector<std::string> caa_search_names(std::string_view name) {
  std::string base = lower(name);
  if (!base.empty() && base.back() == '.')
    base.pop_back();
  if (base.starts_with("*."))
    base.erase(0, 2);
  std::vector<std::string> names;
  for (std::string_view rest = base; !rest.empty();) {
    names.emplace_back(rest);
    const auto dot = rest.find('.');
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  return names;
}

CaaVerdict caa_allows(const std::vector<CaaRecord>& rrset, std::string_view ca_domain,
                      bool wildcard) {
  if (rrset.empty())
    return {.allowed = true, .why = "no CAA records: every CA may issue"};
  for (const CaaRecord& r : rrset) {
    const std::string tag = lower(r.tag);
    if ((r.flags & 0x80) != 0 && tag != "issue" && tag != "issuewild" && tag != "iodef")
      return {.allowed = false,
              .why = "critical property " + format_caa(r) + " is unknown to CAs: none may issue"};
  }
  const bool has_wild = std::any_of(rrset.begin(), rrset.end(),
                                    [](const CaaRecord& r) { return lower(r.tag) == "issuewild"; });
  const std::string property = wildcard && has_wild ? "issuewild" : "issue";
  std::vector<const CaaRecord*> relevant;
  for (const CaaRecord& r : rrset) {
    if (lower(r.tag) == property)
      relevant.push_back(&r);
  }
  if (relevant.empty())
    return {.allowed = true, .why = "no issue property: every CA may issue"};
  const std::string want = issuer_of(ca_domain);
  for (const CaaRecord* r : relevant) {
    if (issuer_of(r->value) == want)
      return {.allowed = true, .why = format_caa(*r) + " allows " + want};
  }
  std::string records;
  for (const CaaRecord* r : relevant)
    records += (records.empty() ? "" : ", ") + format_caa(*r);
  return {.allowed = false, .why = records + " does not allow " + want};
}

}  // namespace certmill::ops
