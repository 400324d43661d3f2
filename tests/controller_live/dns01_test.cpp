// DNS-01 end to end: an Issuer with cert-manager's rfc2136 solver against a
// real BIND (TSIG, dynamic update) that is also Pebble's resolver, so Pebble
// validates the TXT records certmill writes there. Wildcard and apex in one
// Certificate, a mixed issuer (dns01 for one zone, http01 for the rest), a
// CNAME followed into another zone, a second nameserver that lags or does
// not answer (asked again after a growing wait), and the failures a
// Challenge must explain: a wrong or missing TSIG secret, a zone that refuses
// updates. The fake clock is moved along so the orders' polls go on.
#include <algorithm>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "tests/controller_live/dns01_fixtures.hpp"
#include "tests/support/named_server.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/udp_relay.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

// The TSIG key's secret as cert-manager expects it: the key's base64 text
// under `key` in a Secret of the Issuer's namespace.
std::string tsig_secret_yaml(const std::string& secret, const std::string& name = "tsig") {
  return secret_yaml(name, "key", secret);
}

// An rfc2136 dns01 solver as cert-manager's documentation writes it,
// indented for spec.acme.solvers; `more` adds lines under dns01.
std::string rfc2136_solver(const NamedServer& named, const std::string& selector = {},
                           const std::string& more = {}, const std::string& secret = "tsig") {
  return "    - " + (selector.empty() ? std::string() : selector + "\n      ") +
         R"(dns01:
)" + more +
         R"(        rfc2136:
          nameserver: 127.0.0.1:)" +
         std::to_string(named.port) + R"(
          tsigKeyName: acme-sha256
          tsigAlgorithm: HMACSHA256
          tsigSecretSecretRef:
            name: )" +
         secret + R"(
            key: key
)";
}

struct Setup : Dns01Live {
  explicit Setup(NamedOptions named_options = {}, bool http01 = false)
      : Dns01Live(std::move(named_options), http01) {
    h.apply(tsig_secret_yaml(named.keys[2].secret));
  }
  // The names BIND's log says an update added a record at.
  std::set<std::string> updated_names() const {
    std::set<std::string> names;
    const std::string log = named.log();
    const std::string marker = "adding an RR at '";
    for (auto at = log.find(marker); at != std::string::npos; at = log.find(marker, at + 1)) {
      const auto start = at + marker.size();
      names.insert(log.substr(start, log.find('\'', start) - start));
    }
    return names;
  }
};

// The value of the series named exactly `series` in a scrape; -1 if absent.
double metric_value(const std::string& scrape, const std::string& series) {
  const auto at = scrape.find("\n" + series + " ");
  if (at == std::string::npos)
    return -1;
  return std::stod(scrape.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("a wildcard and its apex are issued together over DNS-01 through BIND and Pebble") {
  Setup s;
  // A value someone else keeps at the same name: it must survive.
  REQUIRE(s.named.nsupdate_add("_acme-challenge.example.test", "kept-by-a-person"));
  s.h.apply(issuer_yaml(s.pebble, rfc2136_solver(s.named)));
  s.h.apply(dns_certificate_yaml("site", R"(["example.test", "*.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("site", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\nPebble:\n" << s.pebble.log());
  REQUIRE(ready);
  const std::string chain = s.h.secret_data("shop", "site-tls", "tls.crt");
  CHECK(chain.find("BEGIN CERTIFICATE") != std::string::npos);
  // Both values went to one record name, and each was removed by value.
  CHECK(s.updated_names() == std::set<std::string>{"_acme-challenge.example.test"});
  CHECK(s.named.txt("_acme-challenge.example.test") == std::set<std::string>{"kept-by-a-person"});
  CHECK(s.challenges().empty());
  // certmill's own series: each record's propagation timed once, and the
  // answers its checks got (the SOA walk's and the TXT questions).
  const std::string metrics = s.h.scrape();
  CHECK(metric_value(metrics, "certmill_dns01_propagation_seconds_count") == 2);
  CHECK(metric_value(metrics, "certmill_dns01_answers_total{rcode=\"NOERROR\"}") >= 2);
  CHECK(metric_value(metrics, "certmill_dns01_answers_total{rcode=\"none\"}") == 0);
}

TEST_CASE("a mixed issuer proves one zone by DNS-01 and the other names by HTTP-01") {
  Setup s({.example_records = "app IN A 127.0.0.1\n"}, true);
  s.h.apply(issuer_yaml(s.pebble, rfc2136_solver(s.named, R"(selector:
        dnsZones: ["dns.example.test"])") +
                                      R"(    - http01:
        ingress:
          ingressClassName: nginx
)"));
  s.h.apply(dns_certificate_yaml("mixed", R"(["a.dns.example.test", "app.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("mixed", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\nPebble:\n" << s.pebble.log());
  REQUIRE(ready);
  // Only the name in dns.example.test got a TXT record; the other was
  // served over HTTP-01 through a solver Ingress.
  CHECK(s.updated_names() == std::set<std::string>{"_acme-challenge.a.dns.example.test"});
  CHECK(s.h.controller().http01().size() == 0);
}

TEST_CASE("with cnameStrategy Follow the record goes into the zone the CNAME names") {
  Setup s(
      {.example_records = "_acme-challenge.alias IN CNAME _acme-challenge.alias.delegated.test.\n",
       .more_zones = {"delegated.test"},
       .recursion = true});
  s.h.apply(issuer_yaml(s.pebble, rfc2136_solver(s.named, {}, "        cnameStrategy: Follow\n")));
  s.h.apply(dns_certificate_yaml("alias", R"(["alias.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("alias", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\nPebble:\n" << s.pebble.log());
  REQUIRE(ready);
  CHECK(s.updated_names() == std::set<std::string>{"_acme-challenge.alias.delegated.test"});
}

TEST_CASE("the CA is not asked while a second nameserver lacks the record") {
  const std::vector<std::string> both = {"127.0.0.1", "127.0.0.2"};
  Setup s({.ns_addresses = both});
  // ns2 is another BIND that certmill's updates never reach, relayed to
  // 127.0.0.2 on the first one's port.
  NamedServer lagging({.ns_addresses = both});
  UdpRelay ns2("127.0.0.2", s.named.port, lagging.port);
  s.h.apply(issuer_yaml(s.pebble, rfc2136_solver(s.named)));
  s.h.apply(dns_certificate_yaml("lag", R"(["lag.example.test"])"));
  // The first server has the record; the Challenge waits on the second.
  std::string waiting;
  REQUIRE(s.challenge_reason_with("127.0.0.2", waiting));
  INFO(waiting);
  CHECK(waiting.starts_with("Waiting for DNS-01 challenge propagation: "));
  const auto values = s.named.txt("_acme-challenge.lag.example.test");
  REQUIRE(values.size() == 1);
  // Pebble, which asks only the first server, has not been asked to
  // validate: it would have found the record there at once, and the
  // Challenge would be gone. Two more checks later it still waits.
  for (int i = 0; i < 25; ++i) {
    s.h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto challenges = s.challenges();
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].at("status").at("state").as_string() == "pending");

  REQUIRE(lagging.nsupdate_add("_acme-challenge.lag.example.test", *values.begin()));
  std::string reason, message;
  const bool ready = s.wait("lag", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\nPebble:\n" << s.pebble.log());
  CHECK(ready);
}

TEST_CASE("a nameserver that does not answer is asked again only after a growing wait") {
  const std::vector<std::string> both = {"127.0.0.1", "127.0.0.2"};
  Setup s({.ns_addresses = both});
  s.h.apply(issuer_yaml(s.pebble, rfc2136_solver(s.named)));
  s.h.apply(dns_certificate_yaml("quiet", R"(["quiet.example.test"])"));
  // Nothing answers at 127.0.0.2 yet: the Challenge says so, and when the
  // server will be asked again.
  std::string waiting;
  REQUIRE(s.challenge_reason_with("asking again in", waiting));
  INFO(waiting);
  CHECK_THAT(waiting, Catch::StartsWith("Waiting for DNS-01 challenge propagation: ") &&
                          Catch::Contains("127.0.0.2"));
  const auto values = s.named.txt("_acme-challenge.quiet.example.test");
  REQUIRE(values.size() == 1);
  // The server comes up with the record: after the wait it is asked again
  // and the certificate is issued. The wait is real time (10 s, 20 s ...):
  // the fake clock moves slower here, so the order's own 10 minutes of
  // patience last 80 s.
  NamedServer second({.ns_addresses = both});
  UdpRelay ns2("127.0.0.2", s.named.port, second.port);
  REQUIRE(second.nsupdate_add("_acme-challenge.quiet.example.test", *values.begin()));
  const std::string path = "/apis/cert-manager.io/v1/namespaces/shop/certificates/quiet";
  bool ready = false;
  for (int i = 0; i < 400 && !ready; ++i) {
    ready = s.h.condition(path, "Ready") == "True";
    s.h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(ready);
}

TEST_CASE("a wrong or missing TSIG secret and a refusing zone fail the issuance with why") {
  Setup s({.read_only_zones = {"locked.test"}});
  // The key's name is right, its secret another key's.
  s.h.apply(tsig_secret_yaml(s.named.keys[3].secret, "wrong"));
  s.h.apply(issuer_yaml(s.pebble, rfc2136_solver(s.named, R"(selector:
        dnsZones: ["example.test"])",
                                                 {}, "wrong") +
                                      rfc2136_solver(s.named, R"(selector:
        dnsZones: ["locked.test"])") +
                                      rfc2136_solver(s.named, R"(selector:
        dnsNames: ["nosecret.example.test"])",
                                                     {}, "absent")));
  s.h.apply(dns_certificate_yaml("badsig", R"(["badsig.example.test"])"));
  s.h.apply(dns_certificate_yaml("locked", R"(["www.locked.test"])"));
  s.h.apply(dns_certificate_yaml("nosecret", R"(["nosecret.example.test"])"));
  const std::string badsig = s.failure("badsig");
  CHECK_THAT(badsig, Catch::Contains("DNS update failed. Server replied: NOTAUTH") &&
                         Catch::Contains("BADSIG"));
  const std::string refused = s.failure("locked");
  CHECK_THAT(refused, Catch::Contains("DNS update failed. Server replied: REFUSED"));
  // Nothing was added, so nothing propagated (the wildcard case above
  // shows the same series counting).
  CHECK(metric_value(s.h.scrape(), "certmill_dns01_propagation_seconds_count") == 0);
  const std::string missing = s.failure("nosecret");
  CHECK_THAT(missing,
             Catch::Contains("rfc2136.tsigSecretSecretRef: Secret shop/absent does not exist"));
  // The secret itself is in no Challenge, Event or message.
  for (const auto& challenge : s.challenges()) {
    const std::string text = boost::json::serialize(challenge);
    CHECK(text.find(s.named.keys[3].secret) == std::string::npos);
  }
  CHECK(s.named.txt("_acme-challenge.badsig.example.test").empty());
}
