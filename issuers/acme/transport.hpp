// Transport: requests to an ACME CA over reactor's HttpsClient (the pool per
// origin, TLS verified against an Issuer's caBundle or not at all for
// skipTLSVerify, deadlines, cancellation), with the answer's headers that ACME
// acts on picked out. One per CA per shard: its connections live on that
// shard's executor.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"

namespace certmill::issuers::acme {

namespace asio = boost::asio;

struct TransportConfig {
  // PEM certificates to trust (an Issuer's caBundle); empty trusts the
  // system's store.
  std::string ca_bundle_pem;
  bool skip_tls_verify = false;
  // Requests in flight at once; more wait (within their deadline) for a slot.
  std::size_t max_connections = 16;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;             // absolute: ACME names every resource by URL
  std::string body;
  std::string content_type;
  std::string accept;
  // Sent as Host instead of the URL's authority: a proxy keeps its client's,
  // so the CA builds its URLs on the proxy's address. Empty: the URL's. (The
  // initializer keeps designated initializers that leave it out warning-free.)
  std::string host = {};
};

// The answer with the headers ACME acts on, raw; parsing them is core/acme's.
struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string replay_nonce;
  std::string location;
  std::vector<std::string> links;  // every Link header, in order
  std::string retry_after;
};

class Transport {
 public:
  // Fails when the configuration cannot be used (a bundle that does not parse).
  static Result<std::unique_ptr<Transport>> create(const asio::any_io_executor& executor,
                                                   const TransportConfig& config);
  virtual ~Transport() = default;

  // One request and its whole answer within `timeout` (connect included). A
  // non-2xx answer is a response, not an error; a URL that does not parse,
  // network and TLS failures, the deadline and cancellation are errors.
  virtual asio::awaitable<Result<HttpResponse>> send(HttpRequest request, Duration timeout) = 0;
  virtual std::size_t idle_connections() const = 0;
};

}  // namespace certmill::issuers::acme
