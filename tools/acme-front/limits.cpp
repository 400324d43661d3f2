// The limits' checks and counts, the keys they are counted under, and the
// refusals in Boulder's words (ratelimits/limiter.go and errors/errors.go in
// letsencrypt/boulder), so that a client reads the front's 429s as it reads
// Let's Encrypt's.
#include "tools/acme-front/limits.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace certmill::acmefront {
namespace {

constexpr std::string_view kDocs = "https://letsencrypt.org/docs/rate-limits/";

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
std::string authorization_value(const Identifier& identifier) {
  std::string value = key_of(identifier);
  if (value.starts_with("*."))
    value.erase(0, 2);
  return value;
}

std::string authorization_key(const std::string& account, const Identifier& identifier) {
  return account + " " + identifier.type + ":" + authorization_value(identifier);
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// Boulder's "too many ... (N) ... in the last 168h0m0s, retry after T: see URL".
Refusal refusal(std::string limit, const LimitSpec& spec, std::string_view what,
                std::string_view fragment, SysTime wall, Duration wait) {
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait);
  std::string detail = "too many ";
  detail += what;
  const auto count = detail.find("%d");
  if (count != std::string::npos)
    detail.replace(count, 2, std::to_string(spec.count));
  detail += " in the last " + format_duration_go(spec.period) + ", retry after " +
            format_retry_time(wall + wait) + ": see " + std::string(kDocs) + "#" +
            std::string(fragment);
  return Refusal{std::move(limit), std::move(detail), seconds};
}

const std::shared_ptr<const ratelimits::PublicSuffixList>& no_list() {
  static const auto empty =
      std::make_shared<const ratelimits::PublicSuffixList>(ratelimits::PublicSuffixList::parse(""));
  return empty;
}

}  // namespace

std::string registered_domain(const ratelimits::PublicSuffixList& suffixes,
                              const Identifier& identifier) {
  std::string domain = suffixes.registered_domain(identifier.type, identifier.value);
  if (identifier.type == "ip" && domain.find('/') == std::string::npos &&
      domain.find(':') == std::string::npos)
    domain += "/32";
  return domain;
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

std::string format_retry_time(SysTime at) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss time(seconds - day);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d:%02d UTC",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return text;
}

Limits::Limits(LimitConfig config, std::shared_ptr<const ratelimits::PublicSuffixList> suffixes)
    : config_(config), suffixes_(suffixes ? std::move(suffixes) : no_list()) {}

Duration Limits::wait(const Family& family, std::string_view key, Instant now) {
  const auto it = family.find(key);
  return it == family.end() ? Duration{} : it->second.wait(now);
}

void Limits::consume(Family& family, const LimitSpec& spec, const std::string& key, Instant now) {
  family.try_emplace(key, spec).first->second.consume(now);
}

bool Limits::renewal(Instant now, const std::vector<Identifier>& identifiers) const {
  const auto issued = issued_sets_.find(exact_set_key(identifiers));
  return issued != issued_sets_.end() && now - issued->second < kRenewalLookback;
}

std::optional<Refusal> Limits::check_new_order(Instant now, SysTime wall,
                                               const std::string& account,
                                               const std::vector<Identifier>& identifiers) const {
  // Boulder checks all at once and answers with the decision that waits
  // longest; on a tie, the first here (its order of checks).
  std::optional<Refusal> strictest;
  Duration longest{};
  const auto consider = [&](Duration w, auto make) {
    if (w > longest) {
      longest = w;
      strictest = make(w);
    }
  };
  const bool renews = renewal(now, identifiers);
  if (!renews) {
    consider(wait(accounts_, account, now), [&](Duration w) {
      return refusal("new-orders-per-account", config_.new_orders_per_account,
                     "new orders (%d) from this account", "new-orders-per-account", wall, w);
    });
  }
  for (const auto& identifier : identifiers) {
    consider(
        wait(failed_authorizations_, authorization_key(account, identifier), now), [&](Duration w) {
          return refusal(
              "failed-authorizations-per-identifier", config_.failed_authorizations_per_identifier,
              "failed authorizations (%d) for " + quoted(authorization_value(identifier)),
              "authorization-failures-per-identifier-per-account", wall, w);
        });
  }
  if (!renews) {
    std::set<std::string> domains;
    for (const auto& identifier : identifiers)
      domains.insert(registered_domain(*suffixes_, identifier));
    for (const auto& domain : domains) {
      consider(wait(domains_, domain, now), [&](Duration w) {
        return refusal("certificates-per-domain", config_.certificates_per_domain,
                       "certificates (%d) already issued for " + quoted(domain),
                       "new-certificates-per-registered-domain", wall, w);
      });
    }
  }
  consider(wait(exact_sets_, exact_set_key(identifiers), now), [&](Duration w) {
    return refusal("certificates-per-exact-set", config_.certificates_per_exact_set,
                   "certificates (%d) already issued for this exact set of identifiers",
                   "new-certificates-per-exact-set-of-identifiers", wall, w);
  });
  return strictest;
}

void Limits::count_new_order(Instant now, const std::string& account) {
  consume(accounts_, config_.new_orders_per_account, account, now);
}

void Limits::count_issued(Instant now, const std::vector<Identifier>& identifiers) {
  const std::string set = exact_set_key(identifiers);
  consume(exact_sets_, config_.certificates_per_exact_set, set, now);
  const auto [issued, first] = issued_sets_.insert_or_assign(set, now);
  (void)issued;
  if (!first)
    return;
  std::set<std::string> domains;
  for (const auto& identifier : identifiers)
    domains.insert(registered_domain(*suffixes_, identifier));
  for (const auto& domain : domains)
    consume(domains_, config_.certificates_per_domain, domain, now);
}

void Limits::count_failed_authorization(Instant now, const std::string& account,
                                        const Identifier& identifier) {
  consume(failed_authorizations_, config_.failed_authorizations_per_identifier,
          authorization_key(account, identifier), now);
}

}  // namespace certmill::acmefront
