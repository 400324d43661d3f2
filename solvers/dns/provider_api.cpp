// Calls to a provider's API, tried again on what passes: a dropped
// connection, a 5xx, a 429.
#include "solvers/dns/provider_api.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/acme/link.hpp"
#include "core/http_url.hpp"

namespace certmill::solvers::dns {
namespace {

constexpr int kAttempts = 5;
constexpr std::chrono::milliseconds kFirstWait{250};

bool passing(unsigned status) {
  return status == 429 || status >= 500;
}

}  // namespace

Result<ProviderApi> ProviderApi::create(const boost::asio::any_io_executor& executor,
                                        std::string name, std::string base_url) {
  if (auto url = parse_http_url(base_url); !url)
    return Error(Errc::invalid_argument, name + " API URL: " + url.error().message());
  while (base_url.ends_with('/'))
    base_url.pop_back();
  reactor::HttpsClientOptions options;
  options.max_connections = 4;
  auto client = reactor::HttpsClient::create(executor, std::move(options));
  if (!client)
    return client.error();
  return ProviderApi(std::move(name), std::move(base_url), std::move(*client));
}

boost::asio::awaitable<Result<reactor::HttpsResponse>> ProviderApi::call(
    reactor::HttpsRequest request, std::chrono::steady_clock::time_point deadline) {
  request.url = base_url_ + request.url;
  std::chrono::milliseconds backoff = kFirstWait;
  for (int attempt = 1;; ++attempt) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::milliseconds(0))
      co_return Error(make_error_code(std::errc::timed_out),
                      name_ + " API: no answer to " + request.method + " before the deadline");
    auto answer = co_await client_->send(request, std::chrono::duration_cast<Duration>(left));
    std::chrono::milliseconds wait = backoff;
    if (answer && !passing(answer->status))
      co_return answer;
    if (answer && answer->status == 429) {
      const auto after = acme::parse_retry_after(
          answer->header("Retry-After"),
          std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
      if (after)
        wait = std::max<std::chrono::milliseconds>(*after, wait);
      if (std::chrono::steady_clock::now() + wait >= deadline || attempt == kAttempts)
        co_return Error(
            make_error_code(std::errc::resource_unavailable_try_again),
            name_ + " API rate-limited the request (HTTP 429" +
                (after ? ", Retry-After " + std::to_string(after->count()) + "s" : std::string()) +
                ")")
            .with_retry_after(after.value_or(std::chrono::seconds(1)));
    }
    if (attempt == kAttempts || std::chrono::steady_clock::now() + wait >= deadline) {
      if (answer)
        co_return answer;
      co_return Error(answer.error().code(), name_ + " API: " + answer.error().message());
    }
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(wait);
    co_await timer.async_wait(boost::asio::use_awaitable);
    backoff *= 2;
  }
}

}  // namespace certmill::solvers::dns
