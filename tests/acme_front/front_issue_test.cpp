// Orders through the front: the chain verifies, Pebble built every URL on the
// front's address (it honours the Host header), and the directory offers
// renewalInfo and profiles, with unknown profiles refused.
#include <algorithm>

#include "core/acme/problem.hpp"
#include "tests/acme_front/front_live.hpp"
#include "tests/support/openssl_cli.hpp"

namespace asio = boost::asio;
using namespace certmill;
using certmill::acme::ProblemType;

TEST_CASE("an order issues through the front and its chain verifies against Pebble's root") {
  test::FrontSetup setup;
  auto issued = setup.issue({"www.example.com", "example.com"});
  test::require_issued(setup, issued);
  CHECK(issued->order_url.starts_with(setup.origin() + "/"));
  CHECK(issued->certificate_url.starts_with(setup.origin() + "/"));

  auto certs = pki::parse_certificates(issued->chain_pem, "issued chain");
  REQUIRE(certs.ok());
  REQUIRE(certs->size() >= 2);
  test::ScratchDir dir;
  const auto verified = test::openssl(
      {"verify", "-CAfile", dir.write("root.pem", setup.pebble.root_pem()), "-untrusted",
       dir.write("chain.pem", issued->chain_pem), dir.write("leaf.pem", certs->front().pem())});
  INFO(verified.output);
  CHECK(verified.status == 0);

  const auto stats = setup.front.get("/stats");
  REQUIRE(stats.status == 200);
  CHECK_THAT(stats.body, Catch::Contains(R"("certificates_issued":1)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("certificates_downloaded":1)"));
  // Request counts are not exact: Pebble refuses 5% of nonces and the client
  // then sends the request again.
  CHECK_THAT(stats.body, Catch::Contains(R"("newOrder":)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("finalize":)"));
}

TEST_CASE("the directory offers renewalInfo and profiles, and an unknown profile is refused") {
  test::FrontSetup setup(
      {"--profile=classic=https://example.com/classic", "--profile=shortlived=six days"});
  auto directory = setup.acme.run([&]() -> asio::awaitable<Result<acme::Directory>> {
    co_return co_await setup.acme.client->directory();
  });
  REQUIRE(directory.ok());
  CHECK(directory->renewal_info == setup.origin() + "/renewal-info");
  CHECK(directory->new_order.starts_with(setup.origin() + "/"));
  CHECK(directory->meta.profiles ==
        std::map<std::string, std::string>{{"classic", "https://example.com/classic"},
                                           {"shortlived", "six days"}});

  // Pebble 2.4 ignores the profile it is sent; the front checked it.
  auto offered = setup.issue({"profiled.example.com"}, {}, "shortlived");
  test::require_issued(setup, offered);

  auto unknown = setup.issue({"profiled.example.com"}, {}, "tlsserver");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code() == ProblemType::InvalidProfile);
  CHECK_THAT(unknown.error().message(), Catch::Contains("tlsserver"));
  CHECK_THAT(unknown.error().message(), Catch::Contains("classic, shortlived"));
}
