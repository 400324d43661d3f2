// The API server's HttpClient: requests go to the server's origin with its
// path prefix, the bearer token and kubectl's Accept; connections, TLS and
// deadlines are reactor's HttpsClient's.
#include "k8s/http_client.hpp"

#include <fstream>
#include <sstream>

#include "core/http_url.hpp"
#include "k8s/api_error.hpp"

namespace certmill::k8s {
namespace {

// Requests in flight at once per client (one client per shard); more wait
// for a connection. Unbounded, a burst of reconciles opened hundreds of TLS
// connections, paying a handshake and buffers each; bench_fleet measured 8 as
// fast as more, with less memory (bench/RESULTS.md).
constexpr std::size_t kMaxOpen = 8;
// A list of a large fleet is large; the API server pages at its own limit.
constexpr std::uint64_t kMaxBody = 512ull << 20;
// One watch event is one object; the API server refuses objects past 3 MiB.
constexpr std::size_t kMaxEvent = 16u << 20;
// Bound tokens rotate; kubelet refreshes the file well before expiry.
constexpr auto kTokenRefresh = std::chrono::minutes(1);

class ApiServerClient final : public HttpClient {
 public:
  ApiServerClient(std::string base, ClientConfig config,
                  std::unique_ptr<reactor::HttpsClient> https)
      : base_(std::move(base)), config_(std::move(config)), https_(std::move(https)) {}

  asio::awaitable<Result<HttpResponse>> send(HttpRequest request, Duration timeout) override {
    auto answer = co_await https_->send(build(std::move(request)), timeout);
    if (!answer)
      co_return answer.error();
    HttpResponse response;
    response.status = answer->status;
    response.content_type = std::string(answer->header("Content-Type"));
    response.retry_after = std::string(answer->header("Retry-After"));
    response.body = std::move(answer->body);
    co_return response;
  }

  asio::awaitable<Result<std::unique_ptr<LineStream>>> stream(HttpRequest request,
                                                              Duration timeout) override {
    auto opening = co_await https_->stream(build(std::move(request)), timeout, kMaxEvent);
    if (!opening)
      co_return opening.error();
    if (!opening->lines) {
      const auto& head = opening->head;
      co_return api_error(head.status, head.body, head.header("Retry-After"));
    }
    co_return std::move(opening->lines);
  }

  std::size_t idle_connections() const override { return https_->idle_connections(); }

 private:
  reactor::HttpsRequest build(HttpRequest request) {
    reactor::HttpsRequest out{.method = std::move(request.method),
                              .url = base_ + request.target,
                              .headers = {{"Accept", std::move(request.accept)}},
                              .body = std::move(request.body)};
    if (const std::string token = bearer_token(); !token.empty())
      out.headers.push_back({"Authorization", "Bearer " + token});
    if (!request.content_type.empty())
      out.headers.push_back({"Content-Type", std::move(request.content_type)});
    return out;
  }

  std::string bearer_token() {
    if (config_.token_file.empty())
      return config_.token;
    const auto now = std::chrono::steady_clock::now();
    if (token_read_at_ && now - *token_read_at_ < kTokenRefresh)
      return token_;
    std::ifstream in(config_.token_file);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      token_ = s.str();
      while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r'))
        token_.pop_back();
      token_read_at_ = now;
    }
    return token_;
  }

  std::string base_;  // origin and path prefix, without a trailing slash
  ClientConfig config_;
  std::unique_ptr<reactor::HttpsClient> https_;
  std::string token_;
  std::optional<std::chrono::steady_clock::time_point> token_read_at_;
};

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::create(const asio::any_io_executor& executor,
                                                       const ClientConfig& config) {
  auto url = parse_http_url(config.server);
  if (!url)
    return Error(Errc::invalid_argument, "server: " + url.error().message());
  std::string base = config.server;
  while (base.ends_with('/'))
    base.pop_back();
  auto https =
      reactor::HttpsClient::create(executor, {.ca_pem = config.ca_pem,
                                              .skip_tls_verify = config.insecure_skip_tls_verify,
                                              .tls_server_name = config.tls_server_name,
                                              .client_cert_pem = config.client_cert_pem,
                                              .client_key_pem = config.client_key_pem,
                                              .max_connections = kMaxOpen,
                                              .max_body = kMaxBody});
  if (!https)
    return https.error();
  return std::unique_ptr<HttpClient>(
      std::make_unique<ApiServerClient>(std::move(base), config, std::move(*https)));
}

}  // namespace certmill::k8s
