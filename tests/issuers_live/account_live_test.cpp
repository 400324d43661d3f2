// ACME accounts against a real Pebble: registration, lookup of an existing
// and of an unknown key, and External Account Binding where the CA requires it.
#include <catch2/catch.hpp>

#include "core/acme/problem.hpp"
#include "issuers/acme/account.hpp"
#include "tests/issuers_live/acme_live.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;
using certmill::acme::ProblemType;

TEST_CASE("an account is registered, then found again by its key") {
  test::Pebble pebble;
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  AccountRequest request;
  request.emails = {"Admin@Example.com"};
  auto registered = acme.run([&]() -> asio::awaitable<Result<RegisteredAccount>> {
    co_return co_await register_account(*acme.client, request);
  });
  REQUIRE(registered.ok());
  CHECK(registered->created);
  CHECK(registered->url.starts_with("https://127.0.0.1:"));
  CHECK(registered->account.status == certmill::acme::AccountStatus::Valid);
  CHECK(registered->account.contact == std::vector<std::string>{"mailto:admin@example.com"});
  CHECK(acme.client->account_url() == registered->url);

  SECTION("registering the same key again returns the same account") {
    auto again = acme.run([&]() -> asio::awaitable<Result<RegisteredAccount>> {
      co_return co_await register_account(*acme.client, request);
    });
    REQUIRE(again.ok());
    CHECK_FALSE(again->created);
    CHECK(again->url == registered->url);
  }
  SECTION("onlyReturnExisting finds it") {
    acme.client->set_account_url({});
    auto found = acme.run([&]() -> asio::awaitable<Result<RegisteredAccount>> {
      co_return co_await find_account(*acme.client);
    });
    REQUIRE(found.ok());
    CHECK(found->url == registered->url);
    CHECK(acme.client->account_url() == registered->url);
  }
}

TEST_CASE("looking up a key without an account is accountDoesNotExist") {
  test::Pebble pebble;
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  auto found = acme.run([&]() -> asio::awaitable<Result<RegisteredAccount>> {
    co_return co_await find_account(*acme.client);
  });
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().code() == ProblemType::AccountDoesNotExist);
  CHECK(acme.client->account_url().empty());
}

TEST_CASE("a CA that requires External Account Binding") {
  // A MAC key as CAs issue them: base64url of random bytes.
  const std::string mac_key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
  test::PebbleOptions options;
  options.eab_keys = {{"kid-1", mac_key}};
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  auto register_with = [&](std::optional<ExternalAccountBinding> eab) {
    return acme.run([&]() -> asio::awaitable<Result<RegisteredAccount>> {
      AccountRequest request;
      request.emails = {"admin@example.com"};
      request.external_account_binding = eab;
      co_return co_await register_account(*acme.client, request);
    });
  };

  SECTION("says so in its directory, and refuses an account without binding") {
    auto directory = acme.run([&]() -> asio::awaitable<Result<Directory>> {
      co_return co_await acme.client->directory();
    });
    REQUIRE(directory.ok());
    CHECK(directory->meta.external_account_required);
    auto refused = register_with(std::nullopt);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code() == ProblemType::ExternalAccountRequired);
  }
  SECTION("accepts the binding signed with the key it issued") {
    auto registered = register_with(ExternalAccountBinding{"kid-1", mac_key});
    INFO((registered.ok() ? "" : registered.error().message()));
    REQUIRE(registered.ok());
    CHECK(registered->created);
  }
  SECTION("refuses a binding under an unknown key ID or a wrong MAC key") {
    auto unknown = register_with(ExternalAccountBinding{"kid-2", mac_key});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code().category() == certmill::acme::acme_problem_category());
    std::string wrong = mac_key;
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    auto forged = register_with(ExternalAccountBinding{"kid-1", wrong});
    REQUIRE_FALSE(forged.ok());
    CHECK(forged.error().code().category() == certmill::acme::acme_problem_category());
  }
}
