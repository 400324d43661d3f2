// DNS-01 through Google Cloud DNS: the Issuer written as cert-manager's
// documentation writes it (a service account's JSON key in a Secret under
// key.json), with certmill's --clouddns-api-url pointed at dns-api-sim's
// Cloud DNS, whose token endpoint checks the key's JWT with the public key
// openssl made, and which writes into BIND for the propagation check and
// Pebble. A wildcard and its apex share one TXT set, changed whole; the GCE
// metadata server's token serves ambient credentials; a key the token
// endpoint does not know, a missing managed zone and missing credentials are
// told; a clean-up that fails is retried.
#include <cstdlib>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_provider_checks.hpp"
#include "tests/support/dns_api_sim.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr const char* kEmail = "dns01-solver@certmill-test.iam.gserviceaccount.com";

std::string key_solver(const std::string& more = {}) {
  return R"(    - dns01:
        cloudDNS:
          project: certmill-test
)" + more +
         R"(          serviceAccountSecretRef:
            name: clouddns-dns01-solver-svc-acct
            key: key.json
)";
}

// An RSA key pair made by openssl: the private key for the service account
// file, the public one for the emulator's token endpoint.
struct KeyPair {
  explicit KeyPair(const ScratchDir& dir, const std::string& name)
      : private_path(dir.path(name + ".pem")), public_path(dir.path(name + ".pub.pem")) {
    const auto made = openssl(
        {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private_path});
    const auto split = openssl({"pkey", "-in", private_path, "-pubout", "-out", public_path});
    if (made.status != 0 || split.status != 0)
      throw std::runtime_error("openssl could not make a key: " + made.output + split.output);
    std::ifstream in(private_path);
    std::ostringstream text;
    text << in.rdbuf();
    private_pem = text.str();
  }
  std::string private_path;
  std::string public_path;
  std::string private_pem;
};

struct Setup : Dns01Live {
  // `known` false: the emulator knows another key for the account.
  explicit Setup(bool known = true, bool ambient = false)
      : Dns01Live({}, false, false),
        key(dir, "account"),
        other(dir, "other"),
        sim(named, {.provider = "clouddns",
                    .zones = {NamedServer::kZone},
                    .credentials = {std::string(kEmail) + "=" +
                                    (known ? key.public_path : other.public_path)}}) {
    h.config().runtime.dns01_provider_api_urls["cloudDNS"] = sim.url + "/dns/v1";
    h.config().runtime.issuer_ambient_credentials = ambient;
    // The metadata server is the emulator, found as Google's libraries find
    // it; set before the controller's threads run.
    if (ambient)
      ::setenv("GCE_METADATA_HOST", sim.url.substr(std::string("http://").size()).c_str(), 1);
    h.start();
    h.apply(secret_yaml("clouddns-dns01-solver-svc-acct", "key.json", key_file()));
  }
  ~Setup() { ::unsetenv("GCE_METADATA_HOST"); }
  Setup(const Setup&) = delete;
  Setup& operator=(const Setup&) = delete;

  // The JSON key as Google's console hands it out, its token_uri the emulator's.
  std::string key_file() const {
    return boost::json::serialize(
        boost::json::object{{"type", "service_account"},
                            {"project_id", "certmill-test"},
                            {"private_key_id", "0123456789abcdef"},
                            {"private_key", key.private_pem},
                            {"client_email", kEmail},
                            {"client_id", "100000000000000000001"},
                            {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
                            {"token_uri", sim.url + "/token"}});
  }

  ScratchDir dir;
  KeyPair key;
  KeyPair other;
  DnsApiSim sim;
};

}  // namespace

TEST_CASE("Cloud DNS: a wildcard and its apex share one TXT set, issued and then cleaned up") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, key_solver()));
  check_issued_and_cleaned(s, "site", R"(["example.test", "*.example.test"])",
                           "_acme-challenge.example.test");
  // A token, then each value in by a change of the set and out again.
  CHECK(s.sim.served("POST", 200) >= 5);
  CHECK(s.sim.served("GET", 401) == 0);
}

TEST_CASE("Cloud DNS: the GCE metadata server's token serves ambient credentials") {
  Setup s(true, true);
  s.h.apply(issuer_yaml(s.pebble, R"(    - dns01:
        cloudDNS:
          project: certmill-test
)"));
  s.h.apply(dns_certificate_yaml("ambient", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("ambient", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
}

TEST_CASE("Cloud DNS: a key the token endpoint does not know is told, never the private key") {
  Setup s(false);
  s.h.apply(issuer_yaml(s.pebble, key_solver()));
  s.h.apply(dns_certificate_yaml("refused", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("Invalid JWT Signature.", reason));
  CHECK_THAT(reason, Catch::Contains("invalid_grant") && Catch::Contains(kEmail) &&
                         !Catch::Contains("PRIVATE KEY"));
  // No line of the key's body either.
  const std::string body_line = s.key.private_pem.substr(s.key.private_pem.find('\n') + 1, 64);
  CHECK_THAT(reason, !Catch::Contains(body_line));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Cloud DNS: a hostedZoneName the project lacks is told on the Challenge") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, key_solver("          hostedZoneName: no-such-zone\n")));
  s.h.apply(dns_certificate_yaml("nozone", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("'no-such-zone' does not exist", reason));
  CHECK_THAT(reason, Catch::Contains("HTTP 404: NOT_FOUND"));
}

TEST_CASE(
    "Cloud DNS: without a key and without ambient credentials the Challenge says what to set") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, R"(    - dns01:
        cloudDNS:
          project: certmill-test
)"));
  s.h.apply(dns_certificate_yaml("nokey", R"(["www.example.test"])"));
  std::string reason;
  CHECK(
      s.challenge_reason_with("set serviceAccountSecretRef or enable ambient credentials", reason));
}

TEST_CASE("Cloud DNS: a rate-limited API is waited out after its Retry-After") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, key_solver()));
  check_rate_limit_waited_out(s, "POST", "/dns/v1/projects/");
}

TEST_CASE("Cloud DNS: a change that fails during clean-up is made later") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, key_solver()));
  // The add's change goes through; the clean-up's meet the 500s.
  check_cleanup_retried(s, "POST", "/dns/v1/projects/", 1);
}

TEST_CASE(
    "Cloud DNS: the service account's private key never reaches a log, an Event or a status") {
  SecretScan scan;
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, key_solver()));
  s.h.apply(dns_certificate_yaml("site", R"(["www.example.test"])"));
  REQUIRE(s.wait("site", "Ready", "True"));
  // A line of the key's body, and the access tokens the emulator handed out.
  const std::string body_line = s.key.private_pem.substr(s.key.private_pem.find('\n') + 1, 64);
  check_secrets_kept(scan, s.h, {body_line, "PRIVATE KEY", "ya29."},
                     "_acme-challenge.www.example.test");
}
