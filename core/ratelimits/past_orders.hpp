// The spending a restarted controller counts again from the cluster: each
// Order an earlier process placed names its account (a label), its names,
// whether it replaced a certificate (spec.replaces) or renewed the same names
// (an annotation), when it was placed (an annotation in the controller's
// clock, which its budgets count in; else its creation, right after the CA
// answered newOrder, in the API server's) and how it ended. Replayed in time order, they bring an
// account's budgets back to what the CA counts, so a restart does not spend
// them twice. What Orders cannot tell (a 429's Retry-After) is kept in the
// closings (closings.hpp).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/api/acme.hpp"
#include "core/ratelimits/budget.hpp"
#include "core/ratelimits/public_suffix.hpp"

namespace certmill::ratelimits {

// On each Order certmill writes: the account it counts against, as a label
// (a digest of the account, so one account's Orders are listed alone), and
// "true" when it renewed the same names.
inline constexpr std::string_view kAccountLabel = "certmill.io/acme-account";
inline constexpr std::string_view kRenewalAnnotation = "certmill.io/rate-limit-renewal";
inline constexpr std::string_view kPlacedAnnotation = "certmill.io/order-placed-at";

struct PastOrder {
  OrderShape shape;
  Instant placed;
  // Its certificate was issued, or will be when the order goes on; false for
  // an order that failed, which the CA counted as a new order only.
  bool issues = true;
  // When its authorizations failed (an invalid order): the failed-authorization
  // budget of each of its identifiers is spent then (which one failed is not
  // kept; counting them all errs on the side of no 429).
  std::optional<Instant> authorization_failed = std::nullopt;
};

// What an Order certmill wrote says of its spending; none for one the CA
// never answered (no URL) or with no creation time.
std::optional<PastOrder> past_order(const api::Order& order, const PublicSuffixList& suffixes);

// Spends `budget` as `orders` did, in time order; orders older than every
// limit's period are passed over, their tokens long back.
void replay(AccountBudget& budget, std::vector<PastOrder> orders, Instant now);

}  // namespace certmill::ratelimits
