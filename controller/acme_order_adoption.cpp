// Taking over an order an earlier controller left in flight (certmill before
// a restart, or cert-manager before a take-over): its Order, by the request
// that owns it, and its Challenges, by the Order.
#include <algorithm>

#include "controller/acme_order_objects.hpp"

namespace certmill::controller {

namespace {

bool owned_by(const api::ObjectMeta& meta, const std::string& uid) {
  return std::any_of(meta.owner_references.begin(), meta.owner_references.end(),
                     [&](const api::OwnerReference& ref) { return ref.uid == uid; });
}

}  // namespace

asio::awaitable<std::optional<std::string>> AcmeOrderObjects::adopt_earlier_order(
    const api::CertificateRequest& request) {
  // Only for requests made before this process started, so a namespace's
  // Orders are listed once per take-over, not once per order.
  auto orders = co_await client_.list<api::Order>(namespace_, {});
  if (!orders) {
    log_failure("the Orders of an earlier request cannot be listed", request, orders.error());
    co_return std::nullopt;
  }
  for (api::Order& order : orders->items) {
    const auto state = order.status.state;
    const bool failed = state == api::AcmeState::Invalid || state == api::AcmeState::Expired ||
                        state == api::AcmeState::Errored;
    if (!owned_by(order.metadata, request.metadata.uid) || order.status.url.empty() || failed)
      continue;
    order_ = std::move(order);
    order_written_ = true;
    auto challenges = co_await client_.list<api::Challenge>(namespace_, {});
    if (challenges) {
      for (const api::Challenge& challenge : challenges->items) {
        if (owned_by(challenge.metadata, order_.metadata.uid))
          earlier_challenges_[challenge.spec.url] = challenge.metadata.name;
      }
    }
    log::info("continuing an ACME order placed before this controller started",
              {{"order", namespace_ + "/" + order_.metadata.name}, {"url", order_.status.url}});
    co_return order_.status.url;
  }
  co_return std::nullopt;
}

}  // namespace certmill::controller
