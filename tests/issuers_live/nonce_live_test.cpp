// Pebble's default 5% nonce rejection left on: hundreds of signed requests,
// several at once, all succeed because badNonce is retried with the fresh
// nonce the refusal carried.
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <catch2/catch.hpp>

#include "tests/issuers_live/acme_live.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;
using namespace boost::asio::experimental::awaitable_operators;

TEST_CASE("badNonce from Pebble's random rejections never reaches the caller") {
  test::Pebble pebble;
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  constexpr int kPerLoop = 100;
  int ok = 0;
  std::vector<std::string> failures;
  const auto loop = [&]() -> asio::awaitable<void> {
    for (int i = 0; i < kPerLoop; ++i) {
      auto account = co_await acme.client->post_as_get(acme.client->account_url());
      if (account)
        ++ok;
      else
        failures.push_back(account.error().message());
    }
  };
  acme.run([&]() -> asio::awaitable<void> { co_await (loop() && loop() && loop()); });
  INFO((failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  CHECK(ok == 3 * kPerLoop);
  // 300 requests at 5%: no rejection at all would mean retries went untested
  // (a chance of about 2 in 10 million).
  CHECK(acme.client->bad_nonce_retries() > 0);
}
