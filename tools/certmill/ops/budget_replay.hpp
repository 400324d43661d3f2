// `certmill budgets`' model: each ACME account's rate-limit budgets rebuilt
// from the cluster's objects as the controller's scheduler rebuilds them
// after a restart (controller/runtime/rate_limit_restart.cpp): the Orders it
// labelled with the account, replayed in time order, then the closings a
// CA's 429s left on the account key's Secret. Pure, so tested from objects.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/issuer_view.hpp"
#include "core/api/acme.hpp"
#include "core/ratelimits/budget.hpp"
#include "core/ratelimits/past_orders.hpp"
#include "core/ratelimits/public_suffix.hpp"
#include "core/time.hpp"

namespace certmill::ops {

struct BudgetObjects {
  std::vector<controller::IssuerView> issuers;  // other than ACME ones are passed over
  std::vector<api::Order> orders;
  // The closings annotation of each account key Secret, by "namespace/name".
  std::map<std::string, std::string> closings;
  // Where a ClusterIssuer's key Secret is (the controller's flag of that name).
  std::string cluster_resource_namespace;
};

// One key of one limit: the account (key empty), a registered domain, an
// exact set of names or an identifier.
struct KeyBudget {
  std::string key;
  unsigned used = 0;  // of the limit's count, in its window
  Time next_free;     // when an order spending it fits; now when one does
  std::optional<Time> closed_until = std::nullopt;  // a 429's Retry-After
};

struct LimitBudget {
  ratelimits::Limit limit;
  ratelimits::LimitSpec spec;   // count 0: certmill knows no such limit
  std::vector<KeyBudget> keys;  // the most used first
};

struct AccountBudgets {
  std::vector<std::string> issuers;  // "namespace/name", or "ClusterIssuer/name"
  std::string server;
  std::string key_secret;           // "namespace/name"
  std::string label;                // the value of the Orders' account label
  std::string error;                // a rate-limits annotation that does not read
  std::size_t orders = 0;           // Orders counted
  std::vector<LimitBudget> limits;  // in kLimits' order
};

// Every ACME account of `objects.issuers` (Issuers sharing a directory and
// key Secret are one account), sorted by issuer. A limit's keys are those
// the Orders spent or a closing names.
std::vector<AccountBudgets> replay_budgets(const BudgetObjects& objects,
                                           const ratelimits::PublicSuffixList& suffixes, Time now);

}  // namespace certmill::ops
