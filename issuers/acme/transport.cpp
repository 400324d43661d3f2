// The Transport over reactor's HttpsClient: ACME's request headers in, the
// headers RFC 8555 acts on (Replay-Nonce, Location, Link, Retry-After) out.
#include "issuers/acme/transport.hpp"

#include "reactor/https_client.hpp"

namespace certmill::issuers::acme {
namespace {

// A certificate chain or an order is kilobytes; a CA sending more is broken.
constexpr std::uint64_t kMaxBody = 4u << 20;

class HttpsTransport final : public Transport {
 public:
  explicit HttpsTransport(std::unique_ptr<reactor::HttpsClient> https) : https_(std::move(https)) {}

  asio::awaitable<Result<HttpResponse>> send(HttpRequest request, Duration timeout) override {
    reactor::HttpsRequest out{.method = std::move(request.method),
                              .url = std::move(request.url),
                              .body = std::move(request.body)};
    if (!request.host.empty())
      out.headers.push_back({"Host", std::move(request.host)});
    if (!request.accept.empty())
      out.headers.push_back({"Accept", std::move(request.accept)});
    if (!request.content_type.empty())
      out.headers.push_back({"Content-Type", std::move(request.content_type)});
    auto answer = co_await https_->send(std::move(out), timeout);
    if (!answer)
      co_return answer.error();
    HttpResponse response;
    response.status = answer->status;
    response.content_type = std::string(answer->header("Content-Type"));
    response.replay_nonce = std::string(answer->header("Replay-Nonce"));
    response.location = std::string(answer->header("Location"));
    response.retry_after = std::string(answer->header("Retry-After"));
    response.links = reactor::find_headers(answer->headers, "Link");
    response.body = std::move(answer->body);
    co_return response;
  }

  std::size_t idle_connections() const override { return https_->idle_connections(); }

 private:
  std::unique_ptr<reactor::HttpsClient> https_;
};

}  // namespace

Result<std::unique_ptr<Transport>> Transport::create(const asio::any_io_executor& executor,
                                                     const TransportConfig& config) {
  auto https = reactor::HttpsClient::create(executor, {.ca_pem = config.ca_bundle_pem,
                                                       .skip_tls_verify = config.skip_tls_verify,
                                                       .max_connections = config.max_connections,
                                                       .max_body = kMaxBody});
  if (!https)
    return https.error();
  return std::unique_ptr<Transport>(std::make_unique<HttpsTransport>(std::move(*https)));
}

}  // namespace certmill::issuers::acme
