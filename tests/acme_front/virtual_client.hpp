// A second registered client in a FrontSetup, on a VirtualClock, for tests of
// the client's waits (rate limits) and of the times it computes (ARI): its
// time moves only with the pipeline's polls and when the test advances it,
// together with the front's clock. Destroyed on the setup's shard.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "issuers/acme/order.hpp"
#include "reactor/run_on.hpp"
#include "tests/acme_front/front_live.hpp"
#include "tests/issuers_live/virtual_clock.hpp"

namespace certmill::test {

using IssueResult = std::optional<Result<issuers::acme::IssuedChain>>;

struct VirtualClient {
  explicit VirtualClient(FrontSetup& setup, issuers::acme::NewOrderLimits limits = {})
      : setup(setup),
        clock(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) {
    auto transport =
        issuers::acme::Transport::create(setup.acme.shard().executor(), trusting(setup.front));
    if (!transport)
      throw std::runtime_error("transport: " + transport.error().message());
    issuers::acme::ClientConfig config;
    config.directory_url = setup.front.directory_url;
    config.new_orders = limits;
    auto made = issuers::acme::Client::create(std::move(*transport), config, ec_key(), clock);
    if (!made)
      throw std::runtime_error("client: " + made.error().message());
    client = std::move(*made);
    auto registered =
        setup.acme.run([&]() -> asio::awaitable<Result<issuers::acme::RegisteredAccount>> {
          co_return co_await issuers::acme::register_account(*client, {});
        });
    if (!registered)
      throw std::runtime_error("registering: " + registered.error().message());
  }
  ~VirtualClient() {
    reactor::run_and_wait(setup.acme.shard().executor(), [this] { client.reset(); });
  }

  static issuers::acme::OrderRequest request(std::vector<std::string> names,
                                             std::string replaces = {}) {
    issuers::acme::OrderRequest r;
    r.csr_pem = csr_for(std::move(names));
    r.replaces = std::move(replaces);
    return r;
  }

  // Starts an order on the shard; the future is ready when it is done.
  std::future<IssueResult> start(issuers::acme::OrderRequest r) {
    return asio::co_spawn(
        setup.acme.shard().executor(),
        [this, r = std::move(r)]() -> asio::awaitable<IssueResult> {
          co_return co_await issuers::acme::issue_certificate(*client, r, setup.solver);
        },
        asio::use_future);
  }

  Result<issuers::acme::IssuedChain> issue(std::vector<std::string> names,
                                           std::string replaces = {}) {
    auto result = start(request(std::move(names), std::move(replaces)));
    if (result.wait_for(std::chrono::seconds(120)) != std::future_status::ready)
      throw std::runtime_error("the order did not finish in two minutes");
    return std::move(*result.get());
  }

  // Moves this client's time and the front's by the same amount.
  void advance(std::chrono::seconds by) {
    setup.front.must_post("/clock", R"({"advance_seconds": )" + std::to_string(by.count()) + "}");
    clock.advance(by);
  }

  FrontSetup& setup;
  VirtualClock clock;
  std::unique_ptr<issuers::acme::Client> client;
};

}  // namespace certmill::test
