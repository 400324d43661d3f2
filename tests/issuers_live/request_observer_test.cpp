// The ACME client reports each request it sends to its observer, labelled
// as cert-manager's instrumented transport labels it: the directory GET, the
// nonce HEAD and every signed POST against Pebble, and "999" for a request
// that got no answer.
#include "issuers/acme/request_observer.hpp"

#include <algorithm>
#include <mutex>

#include <catch2/catch.hpp>

#include "tests/issuers_live/acme_live.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;

namespace {

class RecordingObserver final : public RequestObserver {
 public:
  void observe(const RequestLabels& labels, double seconds) override {
    std::lock_guard lock(mutex_);
    seen_.push_back(labels);
    seconds_.push_back(seconds);
  }
  std::vector<RequestLabels> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::vector<double> seconds() const {
    std::lock_guard lock(mutex_);
    return seconds_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<RequestLabels> seen_;
  std::vector<double> seconds_;
};

// The shard's client replaced, on the shard, by one reporting to `observer`.
void observe_client(test::AcmeShard& acme, const std::string& directory_url,
                    TransportConfig transport, std::shared_ptr<RequestObserver> observer) {
  acme.run([&]() -> asio::awaitable<void> {
    auto t = Transport::create(acme.shard().executor(), transport);
    REQUIRE(t);
    ClientConfig config;
    config.directory_url = directory_url;
    config.request_timeout = std::chrono::seconds(5);
    config.observer = std::move(observer);
    auto client = Client::create(std::move(*t), std::move(config), test::ec_key(), acme.clock);
    REQUIRE(client);
    acme.client = std::move(*client);
    co_return;
  });
}

std::size_t count(const std::vector<RequestLabels>& seen, const RequestLabels& labels) {
  return static_cast<std::size_t>(std::count(seen.begin(), seen.end(), labels));
}

}  // namespace

TEST_CASE("every request the ACME client sends to Pebble is reported with its labels") {
  test::Pebble pebble;
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  auto observer = std::make_shared<RecordingObserver>();
  observe_client(acme, pebble.directory_url, test::trusting(pebble), observer);
  test::register_account(acme);
  const auto account = acme.run([&]() -> asio::awaitable<Result<HttpResponse>> {
    co_return co_await acme.client->post_as_get(acme.client->account_url());
  });
  REQUIRE(account);

  const auto seen = observer->seen();
  const std::string host = pebble.directory_url.substr(8, pebble.directory_url.size() - 8 - 4);
  std::string reported;
  for (const auto& l : seen)
    reported += l.method + " " + l.scheme + "://" + l.host + l.path + " " + l.status + "\n";
  INFO("reported:\n" << reported << "account URL " << acme.client->account_url());
  REQUIRE(!seen.empty());
  CHECK(seen.front() == RequestLabels{"https", host, "/dir", "GET", "200"});
  CHECK(count(seen, {"https", host, "/nonce-plz", "HEAD", "200"}) == 1);
  CHECK(count(seen, {"https", host, "/sign-me-up", "POST", "201"}) == 1);
  // The account's URL is "/my-account/<id>": the ID is cut, so an object
  // makes no series of its own.
  CHECK(acme.client->account_url().find("/my-account/") != std::string::npos);
  CHECK(count(seen, {"https", host, "/my-account", "POST", "200"}) == 1);
  // One report per request, Pebble's random badNonce refusals (400) and
  // their retries included.
  const std::size_t refused = std::count_if(
      seen.begin(), seen.end(), [](const auto& labels) { return labels.status == "400"; });
  CHECK(refused == acme.client->bad_nonce_retries());
  CHECK(seen.size() == 4 + refused);
  for (double seconds : observer->seconds()) {
    CHECK(seconds >= 0);
    CHECK(seconds < 20);
  }
}

TEST_CASE("a request that gets no answer is reported with status 999") {
  const std::string nowhere = "https://127.0.0.1:1/dir/x/y";
  test::AcmeShard acme(nowhere);
  auto observer = std::make_shared<RecordingObserver>();
  // Nothing listens on port 1 of the loopback: the connection is refused.
  observe_client(acme, nowhere, {}, observer);
  const auto directory = acme.run(
      [&]() -> asio::awaitable<Result<Directory>> { co_return co_await acme.client->directory(); });
  CHECK(!directory);
  CHECK(observer->seen() ==
        std::vector<RequestLabels>{{"https", "127.0.0.1:1", "/dir/x", "GET", "999"}});
}
