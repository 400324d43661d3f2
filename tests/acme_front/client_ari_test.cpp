// certmill's renewal_info() through the front: the default window and a time
// inside it, a window set by the management API honoured, a passed window
// meaning renew now, windows that cannot be about the certificate refused, and
// a CA without renewalInfo (Pebble itself) answered as "no ARI". Answers the
// front never gives (not JSON, 5xx) come from a canned server.
#include "issuers/acme/renewal_info.hpp"
#include "tests/acme_front/virtual_client.hpp"
#include "tests/issuers_live/canned_server.hpp"
#include "tools/acme-front/certificates.hpp"

using namespace certmill;
using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;
namespace asio = boost::asio;

namespace {

Result<issuers::acme::RenewalInfo> renewal_info(test::FrontSetup& setup,
                                                issuers::acme::Client& client,
                                                const std::string& pem) {
  return setup.acme.run([&]() -> asio::awaitable<Result<issuers::acme::RenewalInfo>> {
    co_return co_await issuers::acme::renewal_info(client, pem);
  });
}

Time now_of(const test::VirtualClient& c) {
  return std::chrono::floor<std::chrono::seconds>(c.clock.now());
}

void set_window(test::FrontSetup& setup, const std::string& cert_id, Time start, Time end) {
  setup.front.must_post("/renewal-window", R"({"certID": ")" + cert_id + R"(", "start": ")" +
                                               format_time(start) + R"(", "end": ")" +
                                               format_time(end) + R"("})");
}

}  // namespace

TEST_CASE("renewal info for an issued certificate is the front's window and a time inside it") {
  test::FrontSetup setup({"--renewal-info-retry-after=2h"});
  test::VirtualClient virt(setup);
  auto issued = virt.issue({"ari-client.example.com"});
  test::require_issued(setup, issued);
  auto leaf = pki::parse_certificate(issued->chain_pem, "leaf");
  REQUIRE(leaf.ok());

  auto info = renewal_info(setup, *virt.client, issued->chain_pem);
  INFO((info.ok() ? "" : info.error().message()));
  REQUIRE(info.ok());
  CHECK(info->offered);
  const auto window = acmefront::default_window(leaf->info().not_before, leaf->info().not_after);
  CHECK(info->window == window);
  CHECK(info->renewal_time >= window.start);
  CHECK(info->renewal_time < window.end);
  CHECK(info->retry_after_at == now_of(virt) + 2h);
  CHECK(info->explanation_url.empty());
}

TEST_CASE("a window set at the front is honoured, and one that has passed means renew now") {
  test::FrontSetup setup;
  test::VirtualClient virt(setup);
  auto issued = virt.issue({"window.example.com"});
  test::require_issued(setup, issued);
  const std::string id = test::FrontSetup::cert_id(*issued);
  auto leaf = pki::parse_certificate(issued->chain_pem, "leaf");
  REQUIRE(leaf.ok());
  const Time not_before = leaf->info().not_before;

  const Time start = now_of(virt) + 48h;
  set_window(setup, id, start, start + 2h);
  for (int i = 0; i < 5; ++i) {
    auto info = renewal_info(setup, *virt.client, issued->chain_pem);
    REQUIRE(info.ok());
    CHECK(info->window == acme::RenewalWindow{start, start + 2h});
    CHECK(info->renewal_time >= start);
    CHECK(info->renewal_time < start + 2h);
    // The front's default Retry-After is six hours.
    CHECK(info->retry_after_at == now_of(virt) + 6h);
  }

  set_window(setup, id, not_before, not_before + 1h);
  virt.clock.advance(24h);
  auto passed = renewal_info(setup, *virt.client, issued->chain_pem);
  REQUIRE(passed.ok());
  CHECK(passed->renewal_time == now_of(virt));
}

TEST_CASE("a window far in the future or the past is a clear error, not a renewal time") {
  test::FrontSetup setup;
  test::VirtualClient virt(setup);
  auto issued = virt.issue({"far.example.com"});
  test::require_issued(setup, issued);
  const std::string id = test::FrontSetup::cert_id(*issued);

  set_window(setup, id, sys_days(year(2200) / 1 / 1), sys_days(year(2200) / 1 / 2));
  auto future = renewal_info(setup, *virt.client, issued->chain_pem);
  REQUIRE_FALSE(future.ok());
  CHECK(future.error().code() == Errc::invalid_value);
  CHECK_THAT(future.error().message(), Catch::Contains("after the certificate expires"));

  set_window(setup, id, sys_days(year(2001) / 1 / 1), sys_days(year(2001) / 1 / 2));
  auto past = renewal_info(setup, *virt.client, issued->chain_pem);
  REQUIRE_FALSE(past.ok());
  CHECK(past.error().code() == Errc::invalid_value);
  CHECK_THAT(past.error().message(), Catch::Contains("before the certificate was issued"));
}

TEST_CASE("a CA whose directory has no renewalInfo is answered as no ARI") {
  test::FrontSetup setup;
  auto issued = setup.issue({"no-ari.example.com"});
  test::require_issued(setup, issued);
  // Pebble behind the front offers no renewalInfo of its own.
  auto direct = setup.acme.make_client(setup.pebble.directory_url, test::trusting(setup.pebble),
                                       std::chrono::seconds(20));
  auto info = renewal_info(setup, *direct, issued->chain_pem);
  reactor::run_and_wait(setup.acme.shard().executor(), [&] { direct.reset(); });
  INFO((info.ok() ? "" : info.error().message()));
  REQUIRE(info.ok());
  CHECK_FALSE(info->offered);
}

TEST_CASE("renewalInfo that is not JSON, a reversed window and a server error are typed errors") {
  test::FrontSetup setup;
  auto issued = setup.issue({"canned.example.com"});
  test::require_issued(setup, issued);
  test::CannedServer ca({
      {200,
       R"({"newNonce":"{base}/nonce","newAccount":"{base}/account","newOrder":"{base}/order",)"
       R"("renewalInfo":"{base}/ari"})",
       {{"Content-Type", "application/json"}}},
      {200, R"({"suggestedWindow": 3)", {{"Content-Type", "application/json"}}},
      {200,
       R"({"suggestedWindow":{"start":"2030-01-02T00:00:00Z","end":"2030-01-01T00:00:00Z"}})",
       {{"Content-Type", "application/json"}}},
      {503,
       R"({"type":"urn:ietf:params:acme:error:serverInternal","detail":"busy","status":503})",
       {{"Content-Type", "application/problem+json"}, {"Retry-After", "120"}}},
  });
  auto canned = setup.acme.make_client(ca.url("/dir"), {}, std::chrono::seconds(20));
  auto not_json = renewal_info(setup, *canned, issued->chain_pem);
  auto reversed = renewal_info(setup, *canned, issued->chain_pem);
  auto busy = renewal_info(setup, *canned, issued->chain_pem);
  reactor::run_and_wait(setup.acme.shard().executor(), [&] { canned.reset(); });

  REQUIRE_FALSE(not_json.ok());
  CHECK(not_json.error().code() == Errc::invalid_json);
  REQUIRE_FALSE(reversed.ok());
  CHECK(reversed.error().code() == Errc::invalid_value);
  CHECK_THAT(reversed.error().message(), Catch::Contains("not after its start"));
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.error().code() == acme::ProblemType::ServerInternal);
  CHECK(busy.error().retry_after() == std::chrono::seconds(120));
  const auto requests = ca.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[1] == "GET /ari/" + test::FrontSetup::cert_id(*issued));
}
