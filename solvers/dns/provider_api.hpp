// A DNS provider's HTTP API, as every cloud provider is called: each call has
// the caller's absolute deadline; a connection failure, a 5xx or a 429 is
// tried again while the deadline allows (after the 429's Retry-After, else
// after a short growing wait), and the last answer is the caller's to read.
// One HTTPS client per provider instance, so keep-alive serves a Challenge's
// add, lookups and remove.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "reactor/https_client.hpp"

namespace certmill::solvers::dns {

class ProviderApi {
 public:
  // `name` is the provider's, for errors ("cloudflare API: ..."); `base_url`
  // is what request paths are appended to.
  static Result<ProviderApi> create(const boost::asio::any_io_executor& executor, std::string name,
                                    std::string base_url);

  // `request.url` is a path under the base URL ("/zones?name=a.test"). A
  // 429 still refused when the deadline comes is returned as an error that
  // carries its Retry-After.
  boost::asio::awaitable<Result<reactor::HttpsResponse>> call(
      reactor::HttpsRequest request, std::chrono::steady_clock::time_point deadline);

  const std::string& name() const { return name_; }
  const std::string& base_url() const { return base_url_; }

 private:
  ProviderApi(std::string name, std::string base_url, std::shared_ptr<reactor::HttpsClient> client)
      : name_(std::move(name)), base_url_(std::move(base_url)), client_(std::move(client)) {}

  std::string name_;
  std::string base_url_;
  std::shared_ptr<reactor::HttpsClient> client_;
};

// An answer's status is 2xx.
inline bool succeeded(const reactor::HttpsResponse& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace certmill::solvers::dns
