// The budgets as a table and as JSON.
#include "tools/certmill/ops/budget_table.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "tools/certmill/ops/table.hpp"

namespace certmill::ops {

namespace json = boost::json;
using ratelimits::Limit;

namespace {

// The directory's host: enough to tell Let's Encrypt's production from staging.
std::string host_of(const std::string& server) {
  std::string_view rest = server;
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos)
    rest.remove_prefix(scheme + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : ",") + p;
  return out;
}

std::string limit_label(Limit limit, const std::string& key) {
  switch (limit) {
    case Limit::NewOrdersPerAccount:
      return "new orders per account";
    case Limit::CertificatesPerDomain:
      return "certificates per domain " + (key.empty() ? "(any)" : key);
    case Limit::CertificatesPerExactSet:
      return "certificates per exact set " + (key.empty() ? "(any)" : key);
    case Limit::FailedAuthorizationsPerIdentifier:
      return "failed authorizations " + (key.empty() ? "(any)" : key);
  }
  return {};
}

std::string used_cell(unsigned used, const ratelimits::LimitSpec& spec) {
  if (spec.count == 0)
    return "not known";  // learned from the CA's 429s, if it sends any
  return std::to_string(used) + "/" + std::to_string(spec.count) + " in " +
         human_duration(std::chrono::duration_cast<std::chrono::seconds>(spec.period));
}

std::string when_cell(Time t, Time now) {
  return t <= now ? "now" : relative_time(t, now);
}

}  // namespace

std::string budget_table(const std::vector<AccountBudgets>& accounts, Time now) {
  std::vector<Row> rows;
  for (const AccountBudgets& account : accounts) {
    std::string first = joined(account.issuers) + " (" + host_of(account.server) + ")";
    auto add = [&](std::string limit, std::string used, std::string next, std::string closed) {
      rows.push_back({std::move(first), std::move(limit), std::move(used), std::move(next),
                      std::move(closed)});
      first.clear();
    };
    if (!account.error.empty()) {
      add("not counted: " + account.error, "-", "-", "-");
      continue;
    }
    for (const LimitBudget& limit : account.limits) {
      if (limit.keys.empty()) {
        add(limit_label(limit.limit, ""), used_cell(0, limit.spec), "now", "-");
        continue;
      }
      for (std::size_t i = 0; i < limit.keys.size() && i < kTopKeys; ++i) {
        const KeyBudget& k = limit.keys[i];
        add(limit_label(limit.limit, k.key), used_cell(k.used, limit.spec),
            when_cell(k.next_free, now), k.closed_until ? when_cell(*k.closed_until, now) : "-");
      }
      if (limit.keys.size() > kTopKeys)
        add("  and " + std::to_string(limit.keys.size() - kTopKeys) + " more (-o json)", "", "",
            "");
    }
  }
  return format_table({"ACCOUNT", "LIMIT", "USED", "NEXT FREE", "CLOSED UNTIL"}, rows);
}

json::value budget_document(const std::vector<AccountBudgets>& accounts) {
  json::array items;
  for (const AccountBudgets& account : accounts) {
    json::array issuers, limits;
    for (const auto& i : account.issuers)
      issuers.emplace_back(i);
    for (const LimitBudget& limit : account.limits) {
      json::array keys;
      for (const KeyBudget& k : limit.keys) {
        keys.push_back(
            json::object{{"key", k.key},
                         {"used", k.used},
                         {"nextFree", format_time(k.next_free)},
                         {"closedUntil", k.closed_until ? json::value(format_time(*k.closed_until))
                                                        : json::value()}});
      }
      limits.push_back(json::object{{"limit", ratelimits::limit_name(limit.limit)},
                                    {"spec", ratelimits::format_limit_spec(limit.spec)},
                                    {"keys", std::move(keys)}});
    }
    json::object item{{"issuers", std::move(issuers)},   {"server", account.server},
                      {"keySecret", account.key_secret}, {"accountLabel", account.label},
                      {"orders", account.orders},        {"limits", std::move(limits)}};
    if (!account.error.empty())
      item["error"] = account.error;
    items.push_back(std::move(item));
  }
  return json::object{{"accounts", std::move(items)}};
}

}  // namespace certmill::ops
