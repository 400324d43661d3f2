// Query strings and the request/answer step shared by every typed call.
#include "k8s/client.hpp"

namespace certmill::k8s {
namespace {

void add(std::string& query, std::string_view name, std::string_view value) {
  if (value.empty())
    return;
  query += query.empty() ? "?" : "&";
  query.append(name).append("=").append(url_escape(value));
}

}  // namespace

std::string list_query(const ListOptions& o) {
  std::string q;
  add(q, "labelSelector", o.label_selector);
  add(q, "fieldSelector", o.field_selector);
  add(q, "resourceVersion", o.resource_version);
  add(q, "continue", o.continue_token);
  if (o.limit > 0)
    add(q, "limit", std::to_string(o.limit));
  return q;
}

std::string watch_query(const WatchOptions& o) {
  std::string q = "?watch=1";
  add(q, "labelSelector", o.label_selector);
  add(q, "fieldSelector", o.field_selector);
  add(q, "resourceVersion", o.resource_version);
  if (o.bookmarks)
    q += "&allowWatchBookmarks=true";
  q += "&timeoutSeconds=" + std::to_string(o.timeout.count());
  return q;
}

asio::awaitable<Result<std::string>> Client::call(std::string_view verb, std::string_view resource,
                                                  std::string method, std::string target,
                                                  std::string body, std::string content_type) {
  std::string held_as;
  if (!holds_.empty()) {
    held_as = RetryAfterHolds::request_of(method, target, body);
    if (auto left = holds_.held(held_as, RetryAfterHolds::Clock::now()))
      co_return Error(
          std::error_code(429, kubernetes_category()),
          method + " " + target + " was not sent again: the API server asked to wait (Retry-After)")
          .with_retry_after(std::chrono::ceil<std::chrono::seconds>(*left));
  }
  // Kept for a hold, should the answer carry a Retry-After: a create's body
  // names its object.
  const std::string sent_method = method, sent_target = target;
  const std::string sent_body = method == "POST" ? body : std::string();
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.content_type = std::move(content_type);
  const auto start = std::chrono::steady_clock::now();
  auto response = co_await http_->send(std::move(request), timeout_);
  recorder_.record(verb, resource, response ? response->status : 0,
                   std::chrono::steady_clock::now() - start);
  if (!response)
    co_return response.error();
  if (response->status < 200 || response->status >= 300) {
    Error error = api_error(response->status, response->body, response->retry_after);
    if (auto wait = error.retry_after()) {
      if (held_as.empty())
        held_as = RetryAfterHolds::request_of(sent_method, sent_target, sent_body);
      holds_.hold(held_as, RetryAfterHolds::Clock::now(), *wait);
    }
    co_return error;
  }
  co_return std::move(response->body);
}

}  // namespace certmill::k8s
