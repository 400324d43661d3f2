// Replaying the Orders of an earlier process into an account's budgets.
#include "core/ratelimits/past_orders.hpp"

#include <algorithm>

namespace certmill::ratelimits {

void replay(AccountBudget& budget, std::vector<PastOrder> orders, Instant now) {
  Duration longest{};
  for (Limit limit : kLimits)
    longest = std::max(longest, budget.limits()[limit].period);
  std::erase_if(orders, [&](const PastOrder& order) { return order.placed + longest <= now; });
  // A bucket is spent forward in time: each family in the order its CA
  // counted, the failures by when they failed.
  std::sort(orders.begin(), orders.end(),
            [](const PastOrder& a, const PastOrder& b) { return a.placed < b.placed; });
  for (const PastOrder& order : orders)
    budget.placed(order.shape, order.placed, order.issues);
  std::vector<std::pair<Instant, const std::string*>> failures;
  for (const PastOrder& order : orders) {
    if (!order.authorization_failed)
      continue;
    for (const std::string& identifier : order.shape.identifiers)
      failures.emplace_back(*order.authorization_failed, &identifier);
  }
  std::sort(failures.begin(), failures.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [at, identifier] : failures)
    budget.authorization_failed(*identifier, at);
}

}  // namespace certmill::ratelimits
