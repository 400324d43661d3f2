// Tying answers to orders: what each order, authorization and challenge
// answer teaches the front about the URLs that follow it.
#include "tools/acme-front/orders.hpp"

namespace certmill::acmefront {

std::string path_of(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos)
    return std::string(url);
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
}

void OrderBook::add_order(const std::string& order_path, TrackedOrder order) {
  orders_.insert_or_assign(order_path, std::move(order));
}

TrackedOrder* OrderBook::update_order(std::string_view path, const acme::Order& order) {
  auto it = orders_.find(path);
  if (it == orders_.end()) {
    const auto finalize = finalize_to_order_.find(path);
    if (finalize != finalize_to_order_.end())
      it = orders_.find(finalize->second);
  }
  if (it == orders_.end())
    return nullptr;
  if (!order.finalize.empty())
    finalize_to_order_.insert_or_assign(path_of(order.finalize), it->first);
  for (const auto& authz : order.authorizations) {
    authorizations_.try_emplace(path_of(authz));
    authorization_accounts_.try_emplace(path_of(authz), it->second.account);
  }
  if (!order.certificate.empty())
    certificates_.try_emplace(path_of(order.certificate), it->second.account);
  return &it->second;
}

bool OrderBook::update_authorization(std::string_view path, const acme::Authorization& authz) {
  acme::Identifier identifier = authz.identifier;
  if (authz.wildcard)
    identifier.value = "*." + identifier.value;
  authorizations_.insert_or_assign(std::string(path), identifier);
  for (const auto& challenge : authz.challenges)
    challenges_.insert(path_of(challenge.url));
  if (authz.status != acme::AuthorizationStatus::Invalid)
    return false;
  return failed_.insert(std::string(path)).second;
}

std::optional<acme::Identifier> OrderBook::fail_authorization(std::string_view authz_path) {
  auto identifier = identifier_of(authz_path);
  if (!identifier || !failed_.insert(std::string(authz_path)).second)
    return std::nullopt;
  return identifier;
}

std::optional<acme::Identifier> OrderBook::identifier_of(std::string_view authz_path) const {
  const auto it = authorizations_.find(authz_path);
  return it == authorizations_.end() ? std::nullopt : it->second;
}

std::string OrderBook::account_of_authorization(std::string_view authz_path) const {
  const auto it = authorization_accounts_.find(authz_path);
  return it == authorization_accounts_.end() ? std::string() : it->second;
}

std::string OrderBook::account_of_certificate(std::string_view certificate_path) const {
  const auto it = certificates_.find(certificate_path);
  return it == certificates_.end() ? std::string() : it->second;
}

Resource OrderBook::kind(std::string_view path) const {
  if (orders_.count(path) != 0)
    return Resource::Order;
  if (finalize_to_order_.count(path) != 0)
    return Resource::Finalize;
  if (authorizations_.count(path) != 0)
    return Resource::Authorization;
  if (challenges_.count(path) != 0)
    return Resource::Challenge;
  if (certificates_.count(path) != 0)
    return Resource::Certificate;
  return Resource::Unknown;
}

}  // namespace certmill::acmefront
