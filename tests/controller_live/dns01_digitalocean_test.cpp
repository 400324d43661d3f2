// DNS-01 through DigitalOcean's API: the Issuer written as cert-manager's
// documentation writes it, with certmill's --digitalocean-api-url pointed at
// dns-api-sim's DigitalOcean, which writes the records into BIND for the
// propagation check and Pebble. A wildcard and its apex issued; a bad token,
// a domain the account lacks and a clean-up that fails, each told or
// survived.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_fixtures.hpp"
#include "tests/support/dns_api_sim.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr const char* kToken = "dop_v1_5be0c3a9";

std::string token_solver() {
  return R"(    - dns01:
        digitalocean:
          tokenSecretRef:
            name: digitalocean-dns
            key: access-token
)";
}

struct Setup : Dns01Live {
  explicit Setup(DnsApiSimOptions options = {})
      : Dns01Live({}, false, false), sim(named, with_defaults(std::move(options))) {
    h.config().runtime.dns01_provider_api_urls["digitalocean"] = sim.url + "/v2";
    h.start();
    h.apply(secret_yaml("digitalocean-dns", "access-token", kToken));
    h.apply(issuer_yaml(pebble, token_solver()));
  }
  static DnsApiSimOptions with_defaults(DnsApiSimOptions options) {
    options.provider = "digitalocean";
    if (options.credentials.empty())
      options.credentials = {kToken};
    return options;
  }
  DnsApiSim sim;
};

}  // namespace

TEST_CASE("DigitalOcean: a wildcard and its apex are issued, then cleaned up") {
  Setup s;
  s.h.apply(dns_certificate_yaml("site", R"(["example.test", "*.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("site", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(s.h.secret_data("shop", "site-tls", "tls.crt").find("BEGIN CERTIFICATE") !=
        std::string::npos);
  // Two values created at one name, each deleted by its record id.
  CHECK(s.sim.served("POST", 201) == 2);
  CHECK(eventually([&] { return s.sim.served("DELETE", 204) == 2; }));
  CHECK(s.sim.record_count() == 0);
  CHECK(s.named.txt("_acme-challenge.example.test").empty());
}

TEST_CASE("DigitalOcean: a token DigitalOcean refuses is told on the Challenge, in its words") {
  Setup s({.credentials = {"dop_v1_another"}});
  s.h.apply(dns_certificate_yaml("refused", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("HTTP 401: DigitalOcean: unauthorized: Unable to authenticate you",
                                reason));
  INFO(reason);
  // The token is the Secret's, never the Challenge's.
  CHECK_THAT(reason, !Catch::Contains(kToken));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("DigitalOcean: a domain the account does not hold is told on the Challenge") {
  Setup s({.zones = {"elsewhere.test"}});
  s.h.apply(dns_certificate_yaml("nozone", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("has no domain example.test", reason));
  INFO(reason);
  CHECK_THAT(reason, Catch::Contains("not_found"));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("DigitalOcean: a record whose removal fails is removed later, not left behind") {
  Setup s;
  // More failures than one call's retries: the clean-up itself fails, and
  // the record is removed by the retry after it.
  s.sim.fault(R"({"status": 500, "count": 8, "method": "DELETE"})");
  s.h.apply(dns_certificate_yaml("sticky", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("sticky", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(eventually([&] { return s.sim.served("DELETE", 204) == 1; }, std::chrono::seconds(60)));
  CHECK(s.sim.record_count() == 0);
  CHECK(s.sim.served("DELETE", 500) == 8);
  CHECK(s.named.txt("_acme-challenge.www.example.test").empty());
}
