// The orders, authorizations and challenges the front has seen pass, keyed by
// URL path (the host is the front's own, whatever the client called it), so
// that later answers can be tied to the order or identifier they count for:
// a finalize or poll that shows the order valid, an authorization or
// challenge that shows it failed, a certificate downloaded. Each order and
// authorization counts once, for the account whose order named it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/objects.hpp"

namespace certmill::acmefront {

// The path of an absolute URL ("https://h:1/a?b" -> "/a?b"); a path stays.
std::string path_of(std::string_view url);

struct TrackedOrder {
  std::string account;
  std::vector<acme::Identifier> identifiers;
  std::string replaces;  // the CertID it renews; empty otherwise
  bool issued = false;   // counted already
};

// What kind of resource a path is, as far as the front has learned.
enum class Resource { Unknown, Order, Finalize, Authorization, Challenge, Certificate };

class OrderBook {
 public:
  void add_order(const std::string& order_path, TrackedOrder order);
  // Learns the order's finalize, authorization and certificate URLs; the
  // order when `path` is one of its own (order or finalize), else nullptr.
  TrackedOrder* update_order(std::string_view path, const acme::Order& order);
  // Learns the challenges' URLs. True the first time the authorization is
  // seen invalid.
  bool update_authorization(std::string_view path, const acme::Authorization& authz);
  // A challenge answer showed its authorization (its rel="up" link) failed:
  // the authorization's identifier the first time, if the front saw it.
  std::optional<acme::Identifier> fail_authorization(std::string_view authz_path);

  Resource kind(std::string_view path) const;
  std::optional<acme::Identifier> identifier_of(std::string_view authz_path) const;
  // The account whose order named the authorization or certificate; empty
  // when the front saw no order name it.
  std::string account_of_authorization(std::string_view authz_path) const;
  std::string account_of_certificate(std::string_view certificate_path) const;

 private:
  std::map<std::string, TrackedOrder, std::less<>> orders_;
  std::map<std::string, std::string, std::less<>> finalize_to_order_;
  std::map<std::string, std::optional<acme::Identifier>, std::less<>> authorizations_;
  std::map<std::string, std::string, std::less<>> authorization_accounts_;
  std::set<std::string, std::less<>> challenges_;
  std::map<std::string, std::string, std::less<>> certificates_;  // path -> account
  std::set<std::string, std::less<>> failed_;
};

}  // namespace certmill::acmefront
