// HttpClient: requests to one API server, over reactor's HttpsClient (the
// pool, TLS, deadlines): this adds what is the API server's own, the server
// URL's path prefix (a Rancher proxy's /k8s/clusters/c-1), the bearer token
// re-read as kubelet rotates it, and watch streams of one event per line.
// One per shard: its connections live on that shard's executor.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"
#include "k8s/kubeconfig.hpp"
#include "reactor/https_client.hpp"

namespace certmill::k8s {

namespace asio = boost::asio;

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query
  std::string body;
  std::string content_type;
  std::string accept = "application/json";
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, if any
};

// A watch, read one line (one JSON event) at a time.
using LineStream = reactor::LineStream;

class HttpClient {
 public:
  // Fails when the configuration cannot be used (a CA or client key that does
  // not parse, a server URL without a host).
  static Result<std::unique_ptr<HttpClient>> create(const asio::any_io_executor& executor,
                                                    const ClientConfig& config);
  virtual ~HttpClient() = default;

  // One request and its whole answer, within `timeout` (connect included).
  // A non-2xx answer is a response, not an error; network failures are.
  virtual asio::awaitable<Result<HttpResponse>> send(HttpRequest request, Duration timeout) = 0;
  // A request whose 200 answer streams: returns once the headers are in. A
  // non-200 answer comes back as an api_error.
  virtual asio::awaitable<Result<std::unique_ptr<LineStream>>> stream(HttpRequest request,
                                                                      Duration timeout) = 0;
  virtual std::size_t idle_connections() const = 0;
};

}  // namespace certmill::k8s
