// Client: typed Kubernetes API calls on one shard, over its HttpClient.
//
//   auto cert = co_await client.get<api::Certificate>("default", "web");
//   auto page = co_await client.list<api::Certificate>("", {.label_selector = "app=web"});
//   auto applied = co_await client.apply(secret);   // server-side apply as "certmill"
//
// Answers other than 2xx come back as Errors in the "kubernetes" category
// (k8s/api_error.hpp); a 409 is for the caller to re-read and re-decide.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/codec.hpp"
#include "core/http_url.hpp"
#include "k8s/api_error.hpp"
#include "k8s/http_client.hpp"
#include "k8s/metrics.hpp"
#include "k8s/resources.hpp"
#include "k8s/retry_after_holds.hpp"

namespace certmill::k8s {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;
  std::string continue_token;
  unsigned limit = 0;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;
  std::chrono::seconds timeout{300};  // the server closes the stream after this
  bool bookmarks = true;
};

// "?a=b&c=d" with values percent-encoded; empty when there is nothing to add.
std::string list_query(const ListOptions& options);
std::string watch_query(const WatchOptions& options);

// Awaited before every write: the process-wide client-side limiter
// (--kube-api-qps, --kube-api-burst), which serves higher priorities first.
using WriteGate = std::function<asio::awaitable<void>(int priority)>;

// Write priorities: a certificate close to expiry goes before routine work.
inline constexpr int kPriorityRoutine = 0;
inline constexpr int kPriorityUrgent = 10;
// Lease renewals go before everything: a leader that cannot renew in time
// stops leading, and a flood of certificate writes must not cause that.
inline constexpr int kPriorityLease = 100;

class Client {
 public:
  inline static constexpr std::string_view kFieldManager = "certmill";

  explicit Client(std::unique_ptr<HttpClient> http, Duration timeout = std::chrono::seconds(30))
      : http_(std::move(http)), timeout_(timeout) {}

  HttpClient& http() { return *http_; }
  void set_write_gate(WriteGate gate) { gate_ = std::move(gate); }
  void set_metrics(RequestMetrics* metrics) { recorder_ = RequestRecorder(metrics); }

  template <class T>
  asio::awaitable<Result<T>> get(std::string_view ns, std::string_view name) {
    co_return decoded<T>(
        co_await call("GET", Resource<T>::info.plural, "GET", path<T>(ns, name), {}, {}));
  }

  template <class T>
  asio::awaitable<Result<api::List<T>>> list(std::string_view ns, const ListOptions& options) {
    auto body = co_await call("LIST", Resource<T>::info.plural, "GET",
                              path<T>(ns, {}) + list_query(options), {}, {});
    if (!body)
      co_return body.error();
    co_return api::decode_list<T>(*body);
  }

  template <class T>
  asio::awaitable<Result<T>> create(const T& object, int priority = kPriorityRoutine) {
    co_await gate(priority);
    co_return decoded<T>(co_await call("POST", Resource<T>::info.plural, "POST",
                                       path<T>(object.metadata.namespace_, {}), api::encode(object),
                                       "application/json"));
  }

  // PUT: fails with 409 when metadata.resourceVersion is not current.
  template <class T>
  asio::awaitable<Result<T>> update(const T& object, int priority = kPriorityRoutine) {
    co_await gate(priority);
    co_return decoded<T>(co_await call("PUT", Resource<T>::info.plural, "PUT",
                                       path<T>(object.metadata.namespace_, object.metadata.name),
                                       api::encode(object), "application/json"));
  }

  template <class T>
  asio::awaitable<Result<T>> update_status(const T& object, int priority = kPriorityRoutine) {
    co_await gate(priority);
    co_return decoded<T>(
        co_await call("PUT", Resource<T>::info.plural, "PUT",
                      path<T>(object.metadata.namespace_, object.metadata.name, "status"),
                      api::encode(object), "application/json"));
  }

  // RFC 7386 JSON merge patch of the object or of its status.
  template <class T>
  asio::awaitable<Result<T>> merge_patch(std::string_view ns, std::string_view name,
                                         std::string patch, bool status = false,
                                         int priority = kPriorityRoutine) {
    co_await gate(priority);
    co_return decoded<T>(co_await call("PATCH", Resource<T>::info.plural, "PATCH",
                                       path<T>(ns, name, status ? "status" : ""), std::move(patch),
                                       "application/merge-patch+json"));
  }

  // The same for an object certmill cannot decode (a spec its types refuse):
  // the answer is not read back.
  template <class T>
  asio::awaitable<certmill::Status> merge_patch_undecoded(std::string_view ns,
                                                          std::string_view name, std::string patch,
                                                          bool status = false) {
    co_await gate(kPriorityRoutine);
    auto body = co_await call("PATCH", Resource<T>::info.plural, "PATCH",
                              path<T>(ns, name, status ? "status" : ""), std::move(patch),
                              "application/merge-patch+json");
    co_return body ? certmill::Status{} : certmill::Status{body.error()};
  }

  // Server-side apply with field manager "certmill": the object states every
  // field certmill owns; fields it no longer states are removed.
  template <class T>
  asio::awaitable<Result<T>> apply(const T& object, bool force = true, bool status = false,
                                   int priority = kPriorityRoutine) {
    co_await gate(priority);
    const std::string query =
        std::string("?fieldManager=") + std::string(kFieldManager) + (force ? "&force=true" : "");
    co_return decoded<T>(co_await call(
        "PATCH", Resource<T>::info.plural, "PATCH",
        path<T>(object.metadata.namespace_, object.metadata.name, status ? "status" : "") + query,
        api::encode(object), "application/apply-patch+yaml"));
  }

  template <class T>
  asio::awaitable<certmill::Status> remove(std::string_view ns, std::string_view name,
                                           int priority = kPriorityRoutine) {
    co_await gate(priority);
    auto body =
        co_await call("DELETE", Resource<T>::info.plural, "DELETE", path<T>(ns, name), {}, {});
    if (!body)
      co_return body.error();
    co_return certmill::Status{};
  }

  // A JSON POST to a path no certmill type names: an aggregated API's, such
  // as a cert-manager DNS-01 webhook's. The answer's body on 2xx.
  asio::awaitable<Result<std::string>> post_json(std::string target, std::string body) {
    co_return co_await call("POST", "aggregated", "POST", std::move(target), std::move(body),
                            "application/json");
  }

  // Opens a watch; read its events with next_line() and decode_watch_event<T>.
  template <class T>
  asio::awaitable<Result<std::unique_ptr<LineStream>>> watch(std::string_view ns,
                                                             const WatchOptions& options) {
    HttpRequest request;
    request.target = path<T>(ns, {}) + watch_query(options);
    const auto start = std::chrono::steady_clock::now();
    auto stream = co_await http_->stream(std::move(request), timeout_);
    recorder_.record("WATCH", Resource<T>::info.plural, stream ? 200 : error_status(stream.error()),
                     std::chrono::steady_clock::now() - start);
    co_return stream;
  }

 private:
  template <class T>
  static std::string path(std::string_view ns, std::string_view name,
                          std::string_view subresource = {}) {
    return resource_path(Resource<T>::info, url_escape(ns), url_escape(name), subresource);
  }

  template <class T>
  static Result<T> decoded(Result<std::string> body) {
    if (!body)
      return body.error();
    return api::decode<T>(*body);
  }

  asio::awaitable<void> gate(int priority) {
    if (gate_)
      co_await gate_(priority);
  }

  // The answer's body on 2xx, an api_error otherwise.
  // `verb` and `resource` label the request's metrics and must be static.
  asio::awaitable<Result<std::string>> call(std::string_view verb, std::string_view resource,
                                            std::string method, std::string target,
                                            std::string body, std::string content_type);

  std::unique_ptr<HttpClient> http_;
  Duration timeout_;
  WriteGate gate_;
  RequestRecorder recorder_{nullptr};
  RetryAfterHolds holds_;
};

}  // namespace certmill::k8s
