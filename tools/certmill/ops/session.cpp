// The operator commands' API session: configuration, the shard, and a client
// that is made and destroyed on that shard, where its connections live.
#include "tools/certmill/ops/session.hpp"

#include "k8s/api_error.hpp"
#include "k8s/kubeconfig.hpp"

namespace certmill::ops {

Session::Session(std::string ns) : namespace_name_(std::move(ns)) {}

Result<std::unique_ptr<Session>> Session::open(const OpsFlags& flags) {
  auto config =
      k8s::load_client_config(flags.kubeconfig, flags.context, k8s::process_environment());
  if (!config)
    return config.error();
  std::unique_ptr<Session> session(
      new Session(flags.namespace_.empty() ? config->namespace_ : flags.namespace_));
  session->reactor_.start();
  auto client = session->wait([&]() -> Result<std::unique_ptr<k8s::Client>> {
    auto http = k8s::HttpClient::create(session->reactor_.shard(0).executor(), *config);
    if (!http)
      return http.error();
    return std::make_unique<k8s::Client>(std::move(*http));
  });
  if (!client)
    return client.error();
  session->client_ = std::move(*client);
  return session;
}

Session::~Session() {
  wait([this]() { client_.reset(); });
  reactor_.shutdown(std::chrono::seconds(1), std::chrono::seconds(1)).get();
}

Result<std::string> Session::get_json(std::string path) {
  return wait([&]() -> boost::asio::awaitable<Result<std::string>> {
    k8s::HttpRequest request;
    request.target = std::move(path);
    auto response = co_await client_->http().send(std::move(request), std::chrono::seconds(30));
    if (!response)
      co_return response.error();
    if (response->status < 200 || response->status >= 300)
      co_return k8s::api_error(response->status, response->body, response->retry_after);
    co_return std::move(response->body);
  });
}

Result<std::string> Session::post_json(std::string path, std::string body) {
  return wait([&]() { return client_->post_json(std::move(path), std::move(body)); });
}

}  // namespace certmill::ops
