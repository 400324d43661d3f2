// The closings a CA's 429s set on an account's line, kept on the account key's
// Secret (core/ratelimits/closings.hpp): read before the line admits anything,
// written when a 429 changes them.
#include "controller/runtime/rate_limit_scheduler.hpp"
#include "core/json/writer.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

asio::awaitable<void> RateLimitScheduler::load_closings(unsigned at, std::string account) {
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
  l->loaded = true;
  if (l->sent)
    l->sent->notify_all();
  pump(at, account);
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
