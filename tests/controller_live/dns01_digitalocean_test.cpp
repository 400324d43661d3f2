// DNS-01 through DigitalOcean's API: the Issuer written as cert-manager's
// documentation writes it, with certmill's --digitalocean-api-url pointed at
// dns-api-sim's DigitalOcean, which writes the records into BIND for the
// propagation check and Pebble. A wildcard and its apex issued; a bad token,
// a domain the account lacks and a clean-up that fails, each told or
// survived.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_provider_checks.hpp"
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
  check_issued_and_cleaned(s, "site", R"(["example.test", "*.example.test"])",
                           "_acme-challenge.example.test");
  // Two values created at one name, each deleted by its record id.
  CHECK(s.sim.served("POST", 201) == 2);
  CHECK(s.sim.served("DELETE", 204) == 2);
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

TEST_CASE("DigitalOcean: a rate-limited API is waited out after its Retry-After") {
  Setup s;
  check_rate_limit_waited_out(s, "POST", "/v2/domains/");
}

TEST_CASE("DigitalOcean: a record whose removal fails is removed later, not left behind") {
  Setup s;
  check_cleanup_retried(s, "DELETE", "/v2/domains/", 0);
}

TEST_CASE("DigitalOcean: the token never reaches a log, an Event or a status") {
  SecretScan scan;
  Setup s;
  s.h.apply(dns_certificate_yaml("site", R"(["www.example.test"])"));
  REQUIRE(s.wait("site", "Ready", "True"));
  check_secrets_kept(scan, s.h, {kToken}, "_acme-challenge.www.example.test");
}
