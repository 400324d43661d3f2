// Let's Encrypt's issuance limits, in front of a CA that has none: new orders
// per account, certificates per registered domain (from the Public Suffix
// List), certificates per exact set of identifiers, failed authorizations per
// identifier per account. Each is a family of buckets keyed by what it limits.
// As Boulder does: an order for a set of identifiers already issued (to any
// account) is a renewal, exempt from new orders per account and certificates
// per registered domain; an issued certificate counts against its exact set
// always and against its registered domains unless its set was issued before.
// Orders that renew with ARI (`replaces`) are never checked here (the front
// exempts them from every limit), but their certificates count as any other.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/problem.hpp"
#include "core/ratelimits/public_suffix.hpp"
#include "tools/acme-front/clock.hpp"

namespace certmill::acmefront {

using acme::Identifier;
using SysTime = std::chrono::system_clock::time_point;

struct LimitConfig {
  LimitSpec new_orders_per_account{300, std::chrono::hours(3)};
  LimitSpec certificates_per_domain{50, std::chrono::hours(24 * 7)};
  LimitSpec certificates_per_exact_set{5, std::chrono::hours(24 * 7)};
  LimitSpec failed_authorizations_per_identifier{5, std::chrono::hours(1)};
};

// How far back an issued set makes a new order for it a renewal: Boulder
// looks for the set among the certificates of the last 120 days.
inline constexpr auto kRenewalLookback = std::chrono::hours(24 * 120);

// Why an order is refused: the limit's name (as its flag), the problem's
// detail in Boulder's words, and the whole seconds until a token is back.
struct Refusal {
  std::string limit;
  std::string detail;
  std::chrono::seconds retry_after{};
};

// What the certificates-per-domain limit counts an identifier under, as
// Boulder keys it: a DNS name's registered domain by the Public Suffix List
// (`*.` and case removed), an IPv4 address as "192.0.2.1/32", an IPv6 address
// as its /64 ("2001:db8::/64").
std::string registered_domain(const ratelimits::PublicSuffixList& suffixes,
                              const Identifier& identifier);
// Lower-cased, sorted, de-duplicated: the key of the exact-set limit.
std::string exact_set_key(const std::vector<Identifier>& identifiers);
// Boulder's time in a 429's detail: "2025-01-01 00:00:00 UTC".
std::string format_retry_time(SysTime at);

class Limits {
 public:
  // Without a list, every DNS name counts under its last two labels (the
  // default rule "*" alone).
  explicit Limits(LimitConfig config,
                  std::shared_ptr<const ratelimits::PublicSuffixList> suffixes = nullptr);

  // Whether an order for `identifiers` is a renewal: the same set was issued
  // within kRenewalLookback.
  bool renewal(Instant now, const std::vector<Identifier>& identifiers) const;
  // Every limit a new order is subject to, checked without taking anything;
  // as Boulder, the refusal that waits longest. `wall` is the front's wall
  // clock, for the time the detail names.
  std::optional<Refusal> check_new_order(Instant now, SysTime wall, const std::string& account,
                                         const std::vector<Identifier>& identifiers) const;
  // The CA created an order that is not a renewal.
  void count_new_order(Instant now, const std::string& account);
  // The order's certificate was issued: once for its exact set, and once per
  // registered domain unless the set was issued before.
  void count_issued(Instant now, const std::vector<Identifier>& identifiers);
  void count_failed_authorization(Instant now, const std::string& account,
                                  const Identifier& identifier);

  const LimitConfig& config() const { return config_; }
  const ratelimits::PublicSuffixList& suffixes() const { return *suffixes_; }

 private:
  using Family = std::map<std::string, Bucket, std::less<>>;
  static Duration wait(const Family& family, std::string_view key, Instant now);
  static void consume(Family& family, const LimitSpec& spec, const std::string& key, Instant now);

  LimitConfig config_;
  std::shared_ptr<const ratelimits::PublicSuffixList> suffixes_;
  Family accounts_;
  Family domains_;
  Family exact_sets_;
  Family failed_authorizations_;
  std::map<std::string, Instant, std::less<>> issued_sets_;  // the last issuance of each
};

}  // namespace certmill::acmefront
