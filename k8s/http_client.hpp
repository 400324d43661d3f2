// HttpClient: HTTPS (or plain HTTP, for tests) to one API server, with a
// keep-alive connection pool, the server's certificate verified against the
// configured CA, a bearer token or client certificate, and a deadline on every
// request. One per shard: its connections live on that shard's executor.
// Beast stays inside http_client.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"
#include "k8s/kubeconfig.hpp"

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

// A streaming answer (a watch), read one line (one JSON event) at a time.
class LineStream {
 public:
  virtual ~LineStream() = default;
  // The next line, or nullopt once the server has ended the stream. An error
  // when no byte arrives within `idle`, or the connection fails, or the
  // stream ends inside a line.
  virtual asio::awaitable<Result<std::optional<std::string>>> next_line(Duration idle) = 0;
};

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
