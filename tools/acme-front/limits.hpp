// Let's Encrypt's issuance limits, in front of a CA that has none: new orders
// per account, certificates per registered domain, certificates per exact set
// of identifiers, failed authorizations per identifier. Each is a family of
// buckets keyed by what it limits. Orders that renew with ARI (`replaces`)
// never reach here: Let's Encrypt exempts them from every limit.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/problem.hpp"
#include "tools/acme-front/clock.hpp"

namespace certmill::acmefront {

using acme::Identifier;

struct LimitConfig {
  LimitSpec new_orders_per_account{300, std::chrono::hours(3)};
  LimitSpec certificates_per_domain{50, std::chrono::hours(24 * 7)};
  LimitSpec certificates_per_exact_set{5, std::chrono::hours(24 * 7)};
  LimitSpec failed_authorizations_per_identifier{5, std::chrono::hours(1)};
};

// Why an order is refused: the limit's name (as its flag), the problem's
// detail, and the whole seconds until a token is back.
struct Refusal {
  std::string limit;
  std::string detail;
  std::chrono::seconds retry_after{};
};

// The last two labels of a DNS name ("www.example.co.uk" -> "co.uk"): a
// deliberate simplification of the Public Suffix List, enough for tests that
// use example.com-style names. An IP address is its own registered domain.
std::string registered_domain(const Identifier& identifier);
// Lower-cased, sorted, de-duplicated: the key of the exact-set limit.
std::string exact_set_key(const std::vector<Identifier>& identifiers);

class Limits {
 public:
  explicit Limits(LimitConfig config) : config_(config) {}

  // Every limit a new order is subject to, checked without taking anything.
  std::optional<Refusal> check_new_order(Instant now, const std::string& account,
                                         const std::vector<Identifier>& identifiers) const;
  // The CA created the order.
  void count_new_order(Instant now, const std::string& account);
  // The order's certificate was issued: once per registered domain it names,
  // and once for its exact set.
  void count_issued(Instant now, const std::vector<Identifier>& identifiers);
  void count_failed_authorization(Instant now, const Identifier& identifier);

  const LimitConfig& config() const { return config_; }

 private:
  using Family = std::map<std::string, Bucket, std::less<>>;
  static Duration wait(const Family& family, std::string_view key, Instant now);
  static void consume(Family& family, const LimitSpec& spec, const std::string& key, Instant now);

  LimitConfig config_;
  Family accounts_;
  Family domains_;
  Family exact_sets_;
  Family failed_authorizations_;
};

}  // namespace certmill::acmefront
