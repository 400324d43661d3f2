// Helpers for the ACME client's tests against real servers: a one-shard
// reactor with a client on it, a clock that records the waits it is asked for
// and keeps them short, account keys and CSRs, and a solver that records what
// it was asked to present.
#pragma once

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "issuers/acme/account.hpp"
#include "issuers/acme/client.hpp"
#include "issuers/acme/solver.hpp"
#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/pebble.hpp"

namespace certmill::test {

namespace asio = boost::asio;

inline pki::PrivateKey ec_key() {
  pki::KeySpec spec;
  spec.algorithm = api::PrivateKeyAlgorithm::ECDSA;
  spec.bits = 256;
  auto key = pki::generate_private_key(spec);
  if (!key)
    throw std::runtime_error("key generation: " + key.error().message());
  return std::move(*key);
}

inline std::string csr_for(std::vector<std::string> dns_names,
                           std::vector<std::string> ip_addresses = {}) {
  api::CertificateSpec spec;
  spec.dns_names = std::move(dns_names);
  spec.ip_addresses = std::move(ip_addresses);
  auto csr = pki::build_csr(spec, ec_key());
  if (!csr)
    throw std::runtime_error("CSR: " + csr.error().message());
  return std::move(*csr);
}

// Wall-clock now; each sleep is recorded and then lasts at most 10 ms, so
// polls run fast and a test can check the waits the client asked for.
class QuickClock final : public reactor::Clock {
 public:
  reactor::TimePoint now() const override { return std::chrono::system_clock::now(); }
  asio::awaitable<boost::system::error_code> sleep_until(reactor::TimePoint deadline) override {
    const auto asked = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now());
    {
      std::lock_guard lock(mutex_);
      waits_.push_back(asked);
    }
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(
        std::clamp(asked, std::chrono::milliseconds(0), std::chrono::milliseconds(10)));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return ec;
  }
  std::vector<std::chrono::milliseconds> waits() const {
    std::lock_guard lock(mutex_);
    return waits_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> waits_;
};

// A reactor shard with one ACME client on it, destroyed there (its sockets
// belong to the shard's io_context).
struct AcmeShard {
  explicit AcmeShard(std::string directory_url, issuers::acme::TransportConfig transport = {},
                     Duration request_timeout = std::chrono::seconds(20),
                     issuers::acme::NewOrderLimits new_orders = {}) {
    reactor.start();
    client =
        make_client(std::move(directory_url), std::move(transport), request_timeout, new_orders);
  }
  ~AcmeShard() {
    reactor::run_and_wait(shard().executor(), [this] { client.reset(); });
  }

  std::unique_ptr<issuers::acme::Client> make_client(
      std::string directory_url, issuers::acme::TransportConfig transport, Duration request_timeout,
      issuers::acme::NewOrderLimits new_orders = {}) {
    auto t = issuers::acme::Transport::create(shard().executor(), transport);
    if (!t)
      throw std::runtime_error("transport: " + t.error().message());
    issuers::acme::ClientConfig config;
    config.directory_url = std::move(directory_url);
    config.request_timeout = request_timeout;
    config.new_orders = new_orders;
    auto c = issuers::acme::Client::create(std::move(*t), std::move(config), ec_key(), clock);
    if (!c)
      throw std::runtime_error("client: " + c.error().message());
    return std::move(*c);
  }

  reactor::Shard& shard() { return reactor.shard(0); }
  // Runs `make()`'s coroutine on the shard and waits for its result.
  template <class F>
  auto run(F make) {
    return reactor::run_and_wait(shard().executor(), std::move(make));
  }

  QuickClock clock;
  reactor::Reactor reactor{1};
  std::unique_ptr<issuers::acme::Client> client;
};

// A transport that trusts Pebble's HTTPS certificate.
inline issuers::acme::TransportConfig trusting(const Pebble& pebble) {
  issuers::acme::TransportConfig config;
  config.ca_bundle_pem = pebble.tls_certificate_pem();
  return config;
}

// Registers the shard's client (the account URL is set on it); throws on failure.
inline void register_account(AcmeShard& acme) {
  auto registered = acme.run([&]() -> asio::awaitable<Result<issuers::acme::RegisteredAccount>> {
    co_return co_await issuers::acme::register_account(*acme.client, {});
  });
  if (!registered)
    throw std::runtime_error("registering with the CA: " + registered.error().message());
}

// Records presented, checked and cleaned-up tokens; serves nothing (Pebble
// runs with PEBBLE_VA_ALWAYS_VALID, or the test expects validation to fail).
// Its check fails the first `failing_checks` times, as a route still being
// set up would, and passes after.
class RecordingSolver final : public issuers::acme::ChallengeSolver {
 public:
  asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override {
    presented.push_back(task.identifier.value + " " + task.token + " " + task.key_authorization);
    co_return Status{};
  }
  asio::awaitable<Status> check(const issuers::acme::ChallengeTask& task) override {
    checked.push_back(task.identifier.value + " " + task.token);
    if (checked.size() <= failing_checks)
      co_return Error(Errc::invalid_value, "wrong status code '404', expected '200'");
    co_return Status{};
  }
  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask& task) override {
    cleaned.push_back(task.identifier.value + " " + task.token);
    co_return;
  }
  std::size_t failing_checks = 0;
  std::vector<std::string> presented;  // "name token key-authorization"
  std::vector<std::string> checked;    // "name token", one per check
  std::vector<std::string> cleaned;    // "name token"
};

}  // namespace certmill::test
