// The client's Retry-After holds: kept until they pass, swept once a second.
#include "k8s/retry_after_holds.hpp"

#include "core/api/codec.hpp"
#include "core/api/meta.hpp"

namespace certmill::k8s {

void RetryAfterHolds::hold(const std::string& request, Clock::time_point now,
                           Clock::duration wait) {
  if (now >= next_sweep_) {
    next_sweep_ = now + std::chrono::seconds(1);
    std::erase_if(until_, [now](const auto& entry) { return entry.second <= now; });
  }
  Clock::time_point& until = until_[request];
  until = std::max(until, now + wait);
}

std::optional<RetryAfterHolds::Clock::duration> RetryAfterHolds::held(const std::string& request,
                                                                      Clock::time_point now) {
  auto it = until_.find(request);
  if (it == until_.end())
    return std::nullopt;
  if (now >= it->second) {
    until_.erase(it);
    return std::nullopt;
  }
  return it->second - now;
}

std::string RetryAfterHolds::request_of(std::string_view method, std::string_view target,
                                        std::string_view body) {
  std::string request = std::string(method) + " " + std::string(target);
  if (method != "POST")
    return request;
  if (auto header = api::decode<api::ObjectHeader>(body); header && !header->metadata.name.empty())
    request += " " + header->metadata.name;
  return request;
}

}  // namespace certmill::k8s
