// Reading an earlier process's Orders, and replaying them into an
// account's budgets.
#include "core/ratelimits/past_orders.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace certmill::ratelimits {

std::optional<PastOrder> past_order(const api::Order& order, const PublicSuffixList& suffixes) {
  if (order.status.url.empty() || !order.metadata.creation_timestamp)
    return std::nullopt;
  std::vector<acme::Identifier> identifiers;
  for (const std::string& name : order.spec.dns_names)
    identifiers.push_back({"dns", name});
  for (const std::string& ip : order.spec.ip_addresses)
    identifiers.push_back({"ip", ip});
  const auto& annotations = order.metadata.annotations;
  const auto renewal = annotations.find(std::string(kRenewalAnnotation));
  Instant placed = *order.metadata.creation_timestamp;
  if (const auto at = annotations.find(std::string(kPlacedAnnotation)); at != annotations.end()) {
    if (auto stamped = parse_rfc3339(at->second))
      placed = std::chrono::time_point_cast<Instant::duration>(*stamped);
  }
  PastOrder past{order_shape(identifiers, suffixes, !order.spec.replaces.empty(),
                             renewal != annotations.end() && renewal->second == "true"),
                 placed};
  const auto state = order.status.state;
  past.issues = state != api::AcmeState::Invalid && state != api::AcmeState::Expired &&
                state != api::AcmeState::Errored;
  if (state == api::AcmeState::Invalid)
    past.authorization_failed =
        order.status.failure_time ? Instant(*order.status.failure_time) : past.placed;
  return past;
}

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
