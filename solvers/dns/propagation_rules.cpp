// Decisions of the propagation check on parsed answers; see the header.
#include "solvers/dns/propagation_rules.hpp"

#include <algorithm>
#include <system_error>

namespace certmill::solvers::dns {
namespace {

constexpr int kNoError = 0;
constexpr int kServFail = 2;
constexpr int kNxDomain = 3;

bool is(const Record& record, RecordType type, std::string_view name) {
  return record.type == static_cast<std::uint16_t>(type) && record.name == name;
}

bool has_type(const std::vector<Record>& records, RecordType type) {
  return std::any_of(records.begin(), records.end(),
                     [&](const Record& r) { return r.type == static_cast<std::uint16_t>(type); });
}

// Whether `name` is `zone` or below it (both normalized); the root holds all.
bool is_within(const std::string& name, const std::string& zone) {
  return zone.empty() || name == zone ||
         (name.size() > zone.size() && name.ends_with(zone) &&
          name[name.size() - zone.size() - 1] == '.');
}

}  // namespace

std::vector<std::string> soa_walk_candidates(std::string_view fqdn) {
  std::vector<std::string> names;
  std::string name = normalize_name(fqdn);
  while (!name.empty()) {
    names.push_back(name);
    const auto dot = name.find('.');
    name = dot == std::string::npos ? std::string() : name.substr(dot + 1);
  }
  return names;
}

Result<SoaStep> soa_step(const Message& answer, std::string_view name, std::string_view asked) {
  // SERVFAIL is the server's failure of the moment; another rcode, an answer.
  if (answer.rcode != kNoError && answer.rcode != kNxDomain)
    return Error(
        std::make_error_code(answer.rcode == kServFail ? std::errc::resource_unavailable_try_again
                                                       : std::errc::protocol_error),
        "when asking " + std::string(asked) + " for the SOA of " + std::string(name) +
            ", the answer was " + rcode_name(answer.rcode) + ", not NOERROR or NXDOMAIN");
  // A CNAME here means `name` is no zone's apex (RFC 2181 §10.1), and an
  // SOA beside it would be the target's.
  if (has_type(answer.answers, RecordType::cname))
    return SoaStep{};
  const std::string wanted = normalize_name(name);
  const auto names_zone = [&](const Record& r) {
    return r.type == static_cast<std::uint16_t>(RecordType::soa) && is_within(wanted, r.name);
  };
  if (answer.rcode == kNoError)
    for (const Record& r : answer.answers)
      if (names_zone(r))
        return SoaStep{r.name};
  for (const Record& r : answer.authorities)
    if (names_zone(r))
      return SoaStep{r.name};
  return SoaStep{};
}

std::optional<std::string> cname_target(const Message& answer, std::string_view name) {
  const std::string wanted = normalize_name(name);
  for (const Record& r : answer.answers)
    if (is(r, RecordType::cname, wanted))
      return r.data;
  return std::nullopt;
}

Status extend_cname_chain(std::vector<std::string>& chain, const std::string& target,
                          std::size_t limit) {
  const std::string from = chain.empty() ? std::string() : chain.back();
  if (std::find(chain.begin(), chain.end(), target) != chain.end())
    return Error(
        std::make_error_code(std::errc::too_many_symbolic_link_levels),
        "found a CNAME loop: " + from + " points to " + target + ", which is earlier in the chain");
  if (chain.size() > limit)
    return Error(std::make_error_code(std::errc::too_many_symbolic_link_levels),
                 "more than " + std::to_string(limit) + " CNAMEs from " + chain.front());
  chain.push_back(target);
  return {};
}

std::vector<std::string> ns_names(const Message& answer, std::string_view zone) {
  const std::string wanted = normalize_name(zone);
  std::vector<std::string> names;
  for (const Record& r : answer.answers)
    if (is(r, RecordType::ns, wanted) &&
        std::find(names.begin(), names.end(), r.data) == names.end())
      names.push_back(r.data);
  return names;
}

std::vector<std::string> addresses_of(const Message& answer, std::string_view name) {
  std::string owner = normalize_name(name);
  for (std::size_t hops = 0; hops < answer.answers.size(); ++hops) {
    const auto target = cname_target(answer, owner);
    if (!target)
      break;
    owner = *target;
  }
  std::vector<std::string> found;
  for (const Record& r : answer.answers)
    if (is(r, RecordType::a, owner) || is(r, RecordType::aaaa, owner))
      found.push_back(r.data);
  return found;
}

Status txt_verdict(const Message& answer, std::string_view server, std::string_view fqdn,
                   std::string_view expected, bool require_authoritative) {
  const std::string where = std::string(server) + " for TXT " + std::string(fqdn);
  // SERVFAIL is the server's failure of the moment; another rcode, an answer.
  if (answer.rcode != kNoError && answer.rcode != kNxDomain)
    return Error(
        std::make_error_code(answer.rcode == kServFail ? std::errc::resource_unavailable_try_again
                                                       : std::errc::protocol_error),
        "nameserver " + std::string(server) + " answered " + rcode_name(answer.rcode) +
            " for TXT " + std::string(fqdn));
  if (require_authoritative && !answer.authoritative)
    return Error(std::make_error_code(std::errc::protocol_error),
                 "nameserver " + where +
                     " answered without authority (a lame delegation: it does not serve the "
                     "zone)");
  const std::string owner = normalize_name(fqdn);
  std::size_t others = 0;
  for (const Record& r : answer.answers) {
    if (!is(r, RecordType::txt, owner))
      continue;
    if (r.data == expected)
      return {};
    ++others;
  }
  return Error(std::make_error_code(std::errc::resource_unavailable_try_again),
               "DNS record for " + std::string(fqdn) + " not yet propagated: nameserver " +
                   std::string(server) + " answered " + rcode_name(answer.rcode) + " with " +
                   (others == 0 ? std::string("no TXT value")
                                : std::to_string(others) + " other TXT value(s)") +
                   ", not the expected one");
}

}  // namespace certmill::solvers::dns
