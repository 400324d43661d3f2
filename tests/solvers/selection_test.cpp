// Solver selection against cert-manager's documented precedence: dnsNames
// over dnsZones, the longest zone, then the most matchLabels, the earlier
// solver on a tie, the selector-less solver as the fallback; labels that do
// not match rule a solver out; HTTP-01 never for a wildcard.
#include "solvers/selection.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using api::AcmeChallengeType;
using solvers::select_solver;
using solvers::SolverChoice;

namespace {

api::ACMEChallengeSolver http01(std::optional<api::CertificateDNSNameSelector> selector = {}) {
  api::ACMEChallengeSolver s;
  s.selector = std::move(selector);
  s.http01 = api::ACMEChallengeSolverHTTP01{};
  s.http01->ingress = api::ACMEChallengeSolverHTTP01Ingress{};
  return s;
}

api::ACMEChallengeSolver dns01(std::optional<api::CertificateDNSNameSelector> selector = {}) {
  api::ACMEChallengeSolver s;
  s.selector = std::move(selector);
  s.dns01 = api::ACMEChallengeSolverDNS01{};
  return s;
}

api::CertificateDNSNameSelector names(std::vector<std::string> dns_names) {
  api::CertificateDNSNameSelector s;
  s.dns_names = std::move(dns_names);
  return s;
}

api::CertificateDNSNameSelector zones(std::vector<std::string> dns_zones) {
  api::CertificateDNSNameSelector s;
  s.dns_zones = std::move(dns_zones);
  return s;
}

api::CertificateDNSNameSelector with_labels(api::CertificateDNSNameSelector s,
                                            api::StringMap labels) {
  s.match_labels = std::move(labels);
  return s;
}

// The chosen index; fails the test with the error's message otherwise.
std::size_t chosen(const std::vector<api::ACMEChallengeSolver>& solvers, std::string_view name,
                   const api::StringMap& labels = {}) {
  auto choice = select_solver(solvers, labels, name);
  INFO((choice.ok() ? "" : choice.error().message()));
  REQUIRE(choice.ok());
  return choice->index;
}

}  // namespace

TEST_CASE("a solver without a selector is the fallback for every name") {
  const std::vector solvers{http01()};
  auto choice = select_solver(solvers, {}, "www.example.com");
  REQUIRE(choice.ok());
  CHECK(*choice == SolverChoice{0, AcmeChallengeType::HTTP01});
  // Any more specific match beats it, wherever it stands in the list.
  CHECK(chosen({http01(), dns01(zones({"example.com"}))}, "www.example.com") == 1);
  CHECK(chosen({http01(), dns01(names({"www.example.com"}))}, "www.example.com") == 1);
  CHECK(chosen({http01(), dns01(with_labels({}, {{"team", "a"}}))}, "x.example.com",
               {{"team", "a"}}) == 1);
  // Among fallbacks, the first.
  CHECK(chosen({dns01(), http01()}, "www.example.com") == 0);
  // An empty selector weighs as much as none: the first of them stays.
  CHECK(chosen({http01(), dns01(api::CertificateDNSNameSelector{})}, "a.example.com") == 0);
  CHECK(chosen({dns01(api::CertificateDNSNameSelector{}), http01()}, "a.example.com") == 0);
}

TEST_CASE("a dnsNames match beats any dnsZones match") {
  const std::vector solvers{dns01(zones({"www.example.com", "example.com"})),
                            http01(names({"www.example.com"}))};
  CHECK(chosen(solvers, "www.example.com") == 1);
  // Names are compared exactly: another name in the zone goes to the zone.
  CHECK(chosen(solvers, "api.example.com") == 0);
  // Order does not matter.
  CHECK(chosen({solvers[1], solvers[0]}, "www.example.com") == 0);
}

TEST_CASE("the longest matching dnsZone wins, and a zone matches itself and names below it") {
  const std::vector solvers{dns01(zones({"example.com"})), dns01(zones({"sys.example.com"})),
                            dns01(zones({"com"}))};
  CHECK(chosen(solvers, "www.sys.example.com") == 1);
  CHECK(chosen(solvers, "sys.example.com") == 1);
  CHECK(chosen(solvers, "example.com") == 0);
  CHECK(chosen(solvers, "www.example.com") == 0);
  CHECK(chosen(solvers, "example.org.com") == 2);
  // A zone is whole labels: "ample.com" is not a suffix of example.com's.
  CHECK(select_solver({dns01(zones({"ample.com"}))}, {}, "example.com").ok() == false);
  // A zone does not match its parent.
  CHECK(select_solver({dns01(zones({"sys.example.com"}))}, {}, "example.com").ok() == false);
  // Case and a trailing dot do not matter (DNS names are case-insensitive).
  CHECK(chosen({dns01(zones({"Example.COM."}))}, "www.example.com") == 0);
  // A selector lists several zones: its most specific match counts.
  CHECK(chosen({dns01(zones({"sys.example.com"})), dns01(zones({"org", "a.sys.example.com"}))},
               "b.a.sys.example.com") == 1);
  // The root zone matches nothing.
  CHECK_FALSE(select_solver({dns01(zones({"."}))}, {}, "example.com").ok());
}

TEST_CASE("zone labels are counted as miekg/dns CompareDomainName counts them") {
  using solvers::common_suffix_labels;
  CHECK(common_suffix_labels("example.com", "www.example.com") == 2);
  CHECK(common_suffix_labels("www.miek.nl.", "www.bla.nl.") == 1);
  CHECK(common_suffix_labels("EXAMPLE.com", "example.COM.") == 2);
  CHECK(common_suffix_labels("example.com", "*.example.com") == 2);
  CHECK(common_suffix_labels("", "example.com") == 0);
  CHECK(common_suffix_labels(".", "example.com") == 0);
  CHECK(common_suffix_labels("example.org", "example.com") == 0);
}

TEST_CASE("matchLabels must all match, and more matching labels win a tie") {
  const api::StringMap labels{{"team", "shop"}, {"env", "prod"}};
  SECTION("a selector whose labels do not all match is never chosen") {
    const std::vector solvers{dns01(with_labels(names({"www.example.com"}), {{"team", "blog"}})),
                              http01()};
    CHECK(chosen(solvers, "www.example.com", labels) == 1);
    const std::vector partly{dns01(with_labels({}, {{"team", "shop"}, {"env", "dev"}}))};
    CHECK_FALSE(select_solver(partly, labels, "www.example.com").ok());
    const std::vector missing{dns01(with_labels({}, {{"tier", "web"}}))};
    CHECK_FALSE(select_solver(missing, labels, "www.example.com").ok());
    // Even as the only solver with a dnsNames match.
    CHECK_FALSE(select_solver({solvers[0]}, labels, "www.example.com").ok());
  }
  SECTION("within the same zone, more labels win") {
    const std::vector solvers{
        dns01(with_labels(zones({"example.com"}), {{"team", "shop"}})),
        dns01(with_labels(zones({"example.com"}), {{"team", "shop"}, {"env", "prod"}})),
        dns01(zones({"example.com"}))};
    CHECK(chosen(solvers, "www.example.com", labels) == 1);
  }
  SECTION("within dnsNames matches, the zone and then the labels decide") {
    const std::vector solvers{
        dns01(names({"www.example.com"})),
        dns01(with_labels(names({"www.example.com"}), {{"env", "prod"}})),
    };
    CHECK(chosen(solvers, "www.example.com", labels) == 1);
    auto with_zone = names({"www.example.com"});
    with_zone.dns_zones = {"example.com"};
    CHECK(chosen({solvers[1], dns01(with_zone)}, "www.example.com", labels) == 1);
  }
  SECTION("a longer zone beats more labels") {
    const std::vector solvers{
        dns01(with_labels(zones({"example.com"}), {{"team", "shop"}, {"env", "prod"}})),
        dns01(zones({"www.example.com"}))};
    CHECK(chosen(solvers, "www.example.com", labels) == 1);
  }
  SECTION("labels alone beat the fallback, and equal weight keeps the earlier") {
    const std::vector solvers{http01(), dns01(with_labels({}, {{"env", "prod"}})),
                              http01(with_labels({}, {{"team", "shop"}}))};
    CHECK(chosen(solvers, "www.example.com", labels) == 1);
  }
}

TEST_CASE("a selector's parts must all match") {
  auto selector = with_labels(zones({"example.com"}), {{"team", "shop"}});
  selector.dns_names = {"www.example.com"};
  const std::vector solvers{dns01(selector)};
  CHECK(chosen(solvers, "www.example.com", {{"team", "shop"}}) == 0);
  CHECK_FALSE(select_solver(solvers, {{"team", "shop"}}, "api.example.com").ok());
  CHECK_FALSE(select_solver(solvers, {}, "www.example.com").ok());
  // dnsNames listed outside the zones: the zones still have to match.
  auto outside = names({"www.example.org"});
  outside.dns_zones = {"example.com"};
  CHECK_FALSE(select_solver({dns01(outside)}, {}, "www.example.org").ok());
}

TEST_CASE("a wildcard is matched by its dnsNames entry and by the zones above it") {
  const std::vector solvers{dns01(zones({"example.com"})), dns01(names({"*.example.com"}))};
  auto choice = select_solver(solvers, {}, "*.example.com");
  REQUIRE(choice.ok());
  CHECK(*choice == SolverChoice{1, AcmeChallengeType::DNS01});
  CHECK(chosen({solvers[0]}, "*.example.com") == 0);
  // The wildcard's own dnsNames entry is "*.example.com", not the base name.
  CHECK(chosen({dns01(names({"example.com"})), solvers[0]}, "*.example.com") == 1);
  // The base name is in its zone, like any name below it.
  CHECK(chosen({dns01(zones({"sys.example.com"})), solvers[0]}, "*.sys.example.com") == 0);
}

TEST_CASE("HTTP-01 is never chosen for a wildcard") {
  SECTION("a DNS-01 solver that matches is used instead, even a less specific one") {
    const std::vector solvers{http01(names({"*.example.com"})), dns01()};
    auto choice = select_solver(solvers, {}, "*.example.com");
    REQUIRE(choice.ok());
    CHECK(*choice == SolverChoice{1, AcmeChallengeType::DNS01});
  }
  SECTION("with only HTTP-01 matching, the error says why") {
    const std::vector solvers{dns01(zones({"example.org"})), http01()};
    auto choice = select_solver(solvers, {}, "*.example.com");
    REQUIRE_FALSE(choice.ok());
    CHECK(choice.error().code() == Errc::invalid_argument);
    const std::string& message = choice.error().message();
    CHECK(message.find("no configured challenge solvers can be used for *.example.com") == 0);
    CHECK(message.find("HTTP-01 cannot validate a wildcard") != std::string::npos);
    CHECK(message.find("spec.acme.solvers[1]") != std::string::npos);
  }
  SECTION("even when the authorization claims to offer http-01") {
    CHECK_FALSE(select_solver({http01()}, {}, "*.example.com", solvers::kBothChallengeTypes).ok());
  }
}

TEST_CASE("only challenge types the CA offers are candidates") {
  const std::vector solvers{http01(names({"www.example.com"})), dns01()};
  const AcmeChallengeType only_dns[] = {AcmeChallengeType::DNS01};
  auto choice = select_solver(solvers, {}, "www.example.com", only_dns);
  REQUIRE(choice.ok());
  CHECK(*choice == SolverChoice{1, AcmeChallengeType::DNS01});
  const AcmeChallengeType only_http[] = {AcmeChallengeType::HTTP01};
  auto none = select_solver({dns01()}, {}, "www.example.com", only_http);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message().find("(http-01)") != std::string::npos);
  // A solver with neither type configured answers nothing.
  CHECK_FALSE(select_solver({api::ACMEChallengeSolver{}}, {}, "www.example.com").ok());
  // A solver with both takes the first type the CA lists, as cert-manager walks the
  // authorization's challenges in order.
  auto both = dns01();
  both.http01 = http01().http01;
  const AcmeChallengeType dns_first[] = {AcmeChallengeType::DNS01, AcmeChallengeType::HTTP01};
  CHECK(select_solver({both}, {}, "a.example.com", dns_first)->type == AcmeChallengeType::DNS01);
  CHECK(select_solver({both}, {}, "a.example.com")->type == AcmeChallengeType::HTTP01);
}

TEST_CASE("no matching solver is an error that names the identifier") {
  auto none = select_solver({dns01(zones({"example.org"}))}, {}, "www.example.com");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message() ==
        "no configured challenge solvers can be used for www.example.com: no solver's selector "
        "(matchLabels, dnsNames, dnsZones) matches it with a challenge type the CA offers "
        "(http-01, dns-01)");
  auto empty = select_solver({}, {}, "www.example.com");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message().find("spec.acme.solvers is empty") != std::string::npos);
}
