// Which budget a CA's 429 closes, read from its problem document: Boulder
// names the limit in its detail ("too many new orders (300) from this account
// in the last 3h0m0s, retry after ...: see .../rate-limits/#new-orders-per-account")
// and the registered domain or identifier it counts, in quotes or as a
// subproblem's identifier. A per-domain 429 then holds back that domain alone,
// a duplicate-certificate 429 that set of names alone. A 429 that names no
// limit certmill knows closes the whole account: the safe reading of a CA that
// says only "slow down".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/acme/problem.hpp"
#include "core/ratelimits/limits.hpp"
#include "core/ratelimits/order_shape.hpp"

namespace certmill::ratelimits {

struct RateLimitRefusal {
  Limit limit = Limit::NewOrdersPerAccount;
  // The keys closed: empty for the account; the domains, set or identifiers
  // the CA named, else every one of the order's that the limit counts.
  std::vector<std::string> keys;
  // The limit as the detail states it ("(300) ... in the last 3h0m0s"), for a
  // CA whose limits certmill was not told.
  std::optional<LimitSpec> stated;
  // False when the problem named no limit certmill knows.
  bool recognised = false;
};

// Nothing when `problem` is not rateLimited.
std::optional<RateLimitRefusal> read_refusal(const acme::Problem& problem, const OrderShape& order);

}  // namespace certmill::ratelimits
