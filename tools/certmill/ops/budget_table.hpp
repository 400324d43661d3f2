// `certmill budgets`' layouts: the table a person reads (an account's limits
// one a row, the most spent domains and sets first) and the -o json document.
// Pure, so the layout is unit-tested.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "tools/certmill/ops/budget_replay.hpp"

namespace certmill::ops {

// Rows shown per registered domain, exact set or identifier; -o json has all.
inline constexpr std::size_t kTopKeys = 3;

// ACCOUNT, LIMIT, USED, NEXT FREE, CLOSED UNTIL.
std::string budget_table(const std::vector<AccountBudgets>& accounts, Time now);

boost::json::value budget_document(const std::vector<AccountBudgets>& accounts);

}  // namespace certmill::ops
