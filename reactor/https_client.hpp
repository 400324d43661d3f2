// HttpsClient: requests to HTTPS servers (plain HTTP too, for tests) with a
// bounded keep-alive pool per origin, the server's certificate verified
// against a configured bundle or the system's store, an optional client
// certificate, and an absolute deadline on every request. Cancelling the
// awaiting coroutine cancels the request. One per shard and peer: its
// connections live on that shard's executor. The API server's client
// (k8s/http_client) and the ACME transport (issuers/acme/transport) are thin
// adapters over it; Beast stays inside https_client.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"
#include "reactor/http_header.hpp"

namespace certmill::reactor {

namespace asio = boost::asio;

struct HttpsClientOptions {
  std::string ca_pem;  // trusted CAs; empty trusts the system's store
  bool skip_tls_verify = false;
  // Checked on the server's certificate and sent as SNI instead of the URL's
  // host (kubeconfig's tls-server-name).
  std::string tls_server_name = {};
  std::string client_cert_pem = {};
  std::string client_key_pem = {};
  // Requests in flight at once, and idle connections kept; more requests
  // wait, within their deadline, for a slot. Streams take no slot.
  std::size_t max_connections = 16;
  std::uint64_t max_body = 4u << 20;
};

struct HttpsRequest {
  std::string method = "GET";
  std::string url;  // absolute
  // Sent as given; a Host here replaces the URL's authority.
  std::vector<HttpHeader> headers = {};
  std::string body = {};
};

struct HttpsResponse {
  unsigned status = 0;
  std::vector<HttpHeader> headers;  // as received, in order
  std::string body;

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

// A streaming answer (a watch), read one line at a time.
class LineStream {
 public:
  virtual ~LineStream() = default;
  // The next non-empty line, or nullopt once the server has ended the stream.
  // An error when no byte arrives within `idle`, the connection fails, a line
  // grows past the stream's limit, or the stream ends inside a line.
  virtual asio::awaitable<Result<std::optional<std::string>>> next_line(Duration idle) = 0;
};

// A stream's opening: for a 200, the lines to come; for any other status,
// the whole (bounded) answer and no lines.
struct StreamOpening {
  HttpsResponse head;
  std::unique_ptr<LineStream> lines;
};

class HttpsClient {
 public:
  // Fails when the options cannot be used: a CA, client certificate or key
  // that does not load (the key's bytes never go into the message).
  static Result<std::unique_ptr<HttpsClient>> create(const asio::any_io_executor& executor,
                                                     HttpsClientOptions options);
  virtual ~HttpsClient() = default;

  // One request and its whole answer before `timeout` (connect included). A
  // non-2xx answer is a response, not an error; a URL that does not parse,
  // network and TLS failures, the deadline and cancellation are errors.
  virtual asio::awaitable<Result<HttpsResponse>> send(HttpsRequest request, Duration timeout) = 0;
  // A request whose answer streams, on a connection of its own for the
  // stream's life. Returns once the headers are in.
  virtual asio::awaitable<Result<StreamOpening>> stream(HttpsRequest request, Duration timeout,
                                                        std::size_t max_line) = 0;
  virtual std::size_t idle_connections() const = 0;
};

}  // namespace certmill::reactor
