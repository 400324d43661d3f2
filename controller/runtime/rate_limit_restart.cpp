// What an account's line takes over from an earlier process, before it
// admits anything: the closings a CA's 429s set, kept on the account key's
// Secret (core/ratelimits/closings.hpp) and written when a 429 changes them;
// and the spending of the orders placed, counted again from the account's
// Orders (core/ratelimits/past_orders.hpp).
#include <algorithm>

#include "controller/runtime/rate_limit_scheduler.hpp"
#include "core/json/writer.hpp"
#include "core/log.hpp"
#include "core/ratelimits/past_orders.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

// Orders listed a page at a time: an account's week of orders may be tens of
// thousands, each with its CSR.
constexpr unsigned kOrdersPage = 500;

}  // namespace

asio::awaitable<void> RateLimitScheduler::load(unsigned at, std::string account) {
  // Spending first: a closing empties its bucket until the CA's time, which
  // orders counted after it would push further.
  co_await count_past_orders(at, account);
  co_await load_closings(at, account);
  Line* l = find(at, account);
  if (!l)
    co_return;
  l->loaded = true;
  if (l->sent)
    l->sent->notify_all();
  pump(at, account);
}

asio::awaitable<void> RateLimitScheduler::count_past_orders(unsigned at,
                                                            const std::string& account) {
  Line* l = find(at, account);
  if (!l || l->label.empty())
    co_return;
  k8s::ListOptions options;
  options.label_selector = std::string(ratelimits::kAccountLabel) + "=" + l->label;
  options.limit = kOrdersPage;
  std::vector<ratelimits::PastOrder> past;
  do {
    auto page = co_await clients_.at(at)->list<api::Order>(namespace_, options);
    if (!page) {
      // Without them the line counts from now: it may meet a 429 the CA
      // explains, which then closes that budget alone.
      log::warn("the ACME account's earlier Orders cannot be listed; its budgets count from now",
                {{"account", account}, {"error", page.error().message()}});
      co_return;
    }
    for (const api::Order& order : page->items) {
      if (auto counted = ratelimits::past_order(order, suffixes_))
        past.push_back(std::move(*counted));
    }
    options.continue_token = page->continue_token;
  } while (!options.continue_token.empty());
  l = find(at, account);
  if (!l || past.empty())
    co_return;
  const std::size_t orders = past.size();
  ratelimits::replay(l->budget, std::move(past), reactor_.clock().now());
  log::info("an ACME account's budgets count the orders an earlier process placed",
            {{"account", account}, {"orders", orders}});
}

asio::awaitable<void> RateLimitScheduler::load_closings(unsigned at, const std::string& account) {
  Line* l = find(at, account);
  if (!l)
    co_return;
  const std::string ns = l->key_namespace, name = l->key_name;
  auto secret = co_await clients_.at(at)->get<api::Secret>(ns, name);
  l = find(at, account);  // the line outlives this wait, but find it anew all the same
  if (!l)
    co_return;
  if (secret) {
    const auto& annotations = secret->metadata.annotations;
    if (auto kept = annotations.find(std::string(ratelimits::kClosingsAnnotation));
        kept != annotations.end()) {
      const auto now = reactor_.clock().now();
      for (const auto& [which, until] : ratelimits::parse_closings(kept->second)) {
        if (until > now)
          l->budget.refused(which.first, which.second, until);
      }
      l->written = l->budget.closings(now);
      if (!l->written.empty())
        log::info("an ACME account's rate limits are closed by the CA until a time it said",
                  {{"account", account}, {"closings", l->written.size()}});
    }
  } else if (!k8s::is_not_found(secret.error())) {
    log::warn("the ACME account's rate-limit closings cannot be read; going on without them",
              {{"secret", ns + "/" + name}, {"error", secret.error().message()}});
  }
}

void RateLimitScheduler::keep_closings(unsigned at, const std::string& account) {
  Line* l = find(at, account);
  if (!l)
    return;
  const auto closings = l->budget.closings(reactor_.clock().now());
  if (closings == l->written)
    return;
  l->written = closings;
  json::JsonWriter patch;
  patch.begin_object();
  patch.key("metadata");
  patch.begin_object();
  patch.key("annotations");
  patch.begin_object();
  patch.key(ratelimits::kClosingsAnnotation);
  patch.string(ratelimits::format_closings(closings));
  patch.end_object();
  patch.end_object();
  patch.end_object();
  reactor_.spawn(
      reactor_.shard(at),
      [this, at, ns = l->key_namespace, name = l->key_name,
       body = patch.take()]() -> asio::awaitable<void> {
        auto written = co_await clients_.at(at)->merge_patch<api::Secret>(ns, name, body);
        if (!written)
          log::warn("the CA's rate-limit closings could not be kept on the account's key Secret",
                    {{"secret", ns + "/" + name}, {"error", written.error().message()}});
      });
}

}  // namespace certmill::controller
