// renewalInfo (RFC 9773) through the front: Boulder's default window for a
// certificate downloaded through it, windows set by the management API, and
// 404 for certificates it never saw.
#include <boost/json.hpp>

#include "core/acme/ari.hpp"
#include "tests/acme_front/front_live.hpp"
#include "tools/acme-front/certificates.hpp"

using namespace certmill;

namespace {

issuers::acme::HttpResponse renewal_info(test::FrontSetup& setup, const std::string& cert_id) {
  issuers::acme::HttpRequest request;
  request.url = setup.origin() + "/renewal-info/" + cert_id;
  return setup.send(request);
}

acme::RenewalWindow window_of(const issuers::acme::HttpResponse& response) {
  INFO(response.body);
  REQUIRE(response.status == 200);
  auto info = acme::decode_renewal_info(response.body);
  REQUIRE(info.ok());
  return info->suggested_window;
}

}  // namespace

TEST_CASE("renewalInfo suggests the default window for a downloaded certificate") {
  test::FrontSetup setup({"--renewal-info-retry-after=2h"});
  auto issued = setup.issue({"ari.example.com"});
  test::require_issued(setup, issued);
  auto leaf = pki::parse_certificate(issued->chain_pem, "leaf");
  REQUIRE(leaf.ok());

  const auto answer = renewal_info(setup, test::FrontSetup::cert_id(*issued));
  const auto window = window_of(answer);
  CHECK(window == acmefront::default_window(leaf->info().not_before, leaf->info().not_after));
  // Boulder's shape: centred a third of the validity (notAfter's second
  // included) before notAfter, 1% of the validity either side.
  const auto validity = leaf->info().not_after + std::chrono::seconds(1) - leaf->info().not_before;
  const Time centre = leaf->info().not_after - validity / 3;
  CHECK(centre - window.start == validity / 100);
  CHECK(window.end - centre == validity / 100);
  CHECK(answer.retry_after == "7200");
}

TEST_CASE("renewalInfo answers a window set for one CertID or for all, and 404 for unknown") {
  test::FrontSetup setup;
  auto first = setup.issue({"first.example.com"});
  auto second = setup.issue({"second.example.com"});
  test::require_issued(setup, first);
  test::require_issued(setup, second);
  const std::string first_id = test::FrontSetup::cert_id(*first);
  const std::string second_id = test::FrontSetup::cert_id(*second);

  setup.front.must_post("/renewal-window",
                        R"({"start": "2030-01-01T00:00:00Z", "end": "2030-01-02T00:00:00Z"})");
  setup.front.must_post(
      "/renewal-window",
      R"({"certID": ")" + first_id +
          R"(", "start": "2020-05-01T10:00:00Z", "end": "2020-05-01T12:00:00Z"})");
  auto first_window = window_of(renewal_info(setup, first_id));
  CHECK(format_time(first_window.start) == "2020-05-01T10:00:00Z");
  CHECK(format_time(first_window.end) == "2020-05-01T12:00:00Z");
  auto second_window = window_of(renewal_info(setup, second_id));
  CHECK(format_time(second_window.start) == "2030-01-01T00:00:00Z");

  // A set window makes a CertID known even if the front never saw it.
  const std::string unseen = "aGVsbG8." + std::string("AQID");
  const auto unknown = renewal_info(setup, unseen);
  CHECK(unknown.status == 404);
  CHECK(unknown.content_type == "application/problem+json");
  setup.front.must_post(
      "/renewal-window",
      R"({"certID": ")" + unseen +
          R"(", "start": "2031-01-01T00:00:00Z", "end": "2031-01-02T00:00:00Z"})");
  CHECK(format_time(window_of(renewal_info(setup, unseen)).start) == "2031-01-01T00:00:00Z");

  CHECK(renewal_info(setup, "not-a-cert-id").status == 400);
  CHECK(setup.front
            .post("/renewal-window",
                  R"({"start": "2030-01-02T00:00:00Z", "end": "2030-01-01T00:00:00Z"})")
            .status == 400);
  CHECK(
      setup.front
          .post(
              "/renewal-window",
              R"({"certID": "x", "start": "2030-01-01T00:00:00Z", "end": "2030-01-02T00:00:00Z"})")
          .status == 400);
}
