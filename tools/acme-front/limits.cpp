// The limits' checks and counts, and the keys they are counted under.
#include "tools/acme-front/limits.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace certmill::acmefront {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string key_of(const Identifier& identifier) {
  std::string value = lower(identifier.value);
  while (!value.empty() && value.back() == '.')
    value.pop_back();
  return value;
}

// An authorization names a wildcard's base name ("*.example.com" is
// authorized as example.com, RFC 8555 §7.1.4), so failures count under it.
std::string authorization_key(const Identifier& identifier) {
  std::string value = key_of(identifier);
  if (value.starts_with("*."))
    value.erase(0, 2);
  return identifier.type + ":" + value;
}

std::chrono::seconds whole_seconds(Duration d) {
  return std::chrono::ceil<std::chrono::seconds>(d);
}

Refusal refusal(std::string limit, const LimitSpec& spec, const std::string& what, Duration wait) {
  const auto seconds = whole_seconds(wait);
  return Refusal{limit,
                 limit + ": too many " + what + " (" + std::to_string(spec.count) + " per " +
                     format_duration(spec.period) + "); retry after " +
                     std::to_string(seconds.count()) + "s",
                 seconds};
}

}  // namespace

std::string registered_domain(const Identifier& identifier) {
  std::string name = key_of(identifier);
  if (identifier.type != "dns")
    return name;
  if (name.starts_with("*."))
    name.erase(0, 2);
  const auto last = name.rfind('.');
  if (last == std::string::npos || last == 0)
    return name;
  const auto second = name.rfind('.', last - 1);
  return second == std::string::npos ? name : name.substr(second + 1);
}

std::string exact_set_key(const std::vector<Identifier>& identifiers) {
  std::set<std::string> names;
  for (const auto& identifier : identifiers)
    names.insert(identifier.type + ":" + key_of(identifier));
  std::string key;
  for (const auto& name : names)
    key += (key.empty() ? "" : ",") + name;
  return key;
}

Duration Limits::wait(const Family& family, std::string_view key, Instant now) {
  const auto it = family.find(key);
  return it == family.end() ? Duration{} : it->second.wait(now);
}

void Limits::consume(Family& family, const LimitSpec& spec, const std::string& key, Instant now) {
  family.try_emplace(key, spec).first->second.consume(now);
}

std::optional<Refusal> Limits::check_new_order(Instant now, const std::string& account,
                                               const std::vector<Identifier>& identifiers) const {
  if (const Duration w = wait(accounts_, account, now); w > Duration{})
    return refusal("new-orders-per-account", config_.new_orders_per_account,
                   "new orders from account " + account, w);
  for (const auto& identifier : identifiers) {
    if (const Duration w = wait(failed_authorizations_, authorization_key(identifier), now);
        w > Duration{})
      return refusal("failed-authorizations-per-identifier",
                     config_.failed_authorizations_per_identifier,
                     "failed authorizations for " + key_of(identifier), w);
  }
  const std::string set = exact_set_key(identifiers);
  if (const Duration w = wait(exact_sets_, set, now); w > Duration{})
    return refusal("certificates-per-exact-set", config_.certificates_per_exact_set,
                   "certificates for the exact set of identifiers " + set, w);
  for (const auto& identifier : identifiers) {
    const std::string domain = registered_domain(identifier);
    if (const Duration w = wait(domains_, domain, now); w > Duration{})
      return refusal("certificates-per-domain", config_.certificates_per_domain,
                     "certificates for the registered domain " + domain, w);
  }
  return std::nullopt;
}

void Limits::count_new_order(Instant now, const std::string& account) {
  consume(accounts_, config_.new_orders_per_account, account, now);
}

void Limits::count_issued(Instant now, const std::vector<Identifier>& identifiers) {
  consume(exact_sets_, config_.certificates_per_exact_set, exact_set_key(identifiers), now);
  std::set<std::string> domains;
  for (const auto& identifier : identifiers)
    domains.insert(registered_domain(identifier));
  for (const auto& domain : domains)
    consume(domains_, config_.certificates_per_domain, domain, now);
}

void Limits::count_failed_authorization(Instant now, const Identifier& identifier) {
  consume(failed_authorizations_, config_.failed_authorizations_per_identifier,
          authorization_key(identifier), now);
}

}  // namespace certmill::acmefront
