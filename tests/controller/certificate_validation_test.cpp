// cert-manager's webhook rules for a Certificate spec, each broken once on a
// spec that is otherwise valid, with the webhook's message; the syntax checks
// the webhook leaves to the CA; and what the reconciler makes of a spec that
// breaks one: Ready=False with the message, one Event, nothing issued,
// stored or repaired, and nothing more until the spec changes.
#include "controller/certificate_validation.hpp"

#include <functional>

#include <catch2/catch.hpp>

#include "tests/controller/reconcile_support.hpp"

using namespace certmill;
using namespace certmill::controller;
using api::ConditionStatus;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

struct Case {
  const char* what;
  std::function<void(api::CertificateSpec&)> edit;
  const char* message;  // a part of the one error expected
};

std::string joined(const std::vector<std::string>& errors) {
  return aggregate_errors(errors);
}

}  // namespace

TEST_CASE("a valid spec breaks no rule") {
  CHECK(certificate_spec_errors(test::make_certificate().spec).empty());
  api::CertificateSpec spec = test::make_certificate().spec;
  spec.duration = hours(1);
  spec.renew_before = minutes(5);
  spec.ip_addresses = {"10.0.0.1", "2001:db8::1"};
  spec.email_addresses = {"ops@example.com"};
  spec.uris = {"spiffe://cluster.local/ns/apps/sa/web"};
  spec.dns_names = {"*.example.com", "a-b_c.example.com"};
  spec.subject = api::X509Subject{};
  spec.subject->countries = {"DE"};
  spec.revision_history_limit = 1;
  spec.secret_template =
      api::SecretTemplate{{{"cert-manager.io/allow-direct-injection", "true"}}, {{"team", "web"}}};
  INFO(joined(certificate_spec_errors(spec)));
  CHECK(certificate_spec_errors(spec).empty());
}

TEST_CASE("each rule the webhook applies is one error with the webhook's message") {
  const Case cases[] = {
      {"no secretName", [](auto& s) { s.secret_name.clear(); },
       "spec.secretName: Required value: must be specified"},
      {"no issuer name", [](auto& s) { s.issuer_ref.name.clear(); },
       "spec.issuerRef.name: Required value: must be specified"},
      {"no name at all",
       [](auto& s) {
         s.common_name.clear();
         s.dns_names.clear();
       },
       "at least one of commonName (from the commonName field or from a literalSubject), "
       "dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set"},
      {"a long commonName", [](auto& s) { s.common_name = std::string(65, 'a'); },
       "spec.commonName: Too long: may not be more than 64 bytes"},
      {"a bad IP", [](auto& s) { s.ip_addresses = {"999.1.1.1"}; },
       "spec.ipAddresses[0]: Invalid value: \"999.1.1.1\": invalid IP address"},
      {"a bad email", [](auto& s) { s.email_addresses = {"not-an-email"}; },
       "spec.emailAddresses[0]: Invalid value: \"not-an-email\": invalid email address: mail: "
       "missing '@' or angle-addr"},
      {"a named email", [](auto& s) { s.email_addresses = {"Ops <ops@example.com>"}; },
       "only contains the email address itself"},
      {"a small RSA key",
       [](auto& s) {
         s.private_key->algorithm = api::PrivateKeyAlgorithm::RSA;
         s.private_key->size = 1024;
       },
       "spec.privateKey.size: Invalid value: 1024: must be between 2048 and 8192 for rsa "
       "keyAlgorithm"},
      {"an odd ECDSA size", [](auto& s) { s.private_key->size = 300; },
       "spec.privateKey.size: Unsupported value: 300: supported values: \"256\", \"384\", "
       "\"521\""},
      {"a negative duration", [](auto& s) { s.duration = -hours(5); },
       "spec.duration: Invalid value: -5h0m0s: certificate duration must be greater than "
       "1h0m0s"},
      {"a 30 s duration", [](auto& s) { s.duration = std::chrono::seconds(30); },
       "spec.duration: Invalid value: 30s: certificate duration must be greater than 1h0m0s"},
      {"renewBefore under 5 min",
       [](auto& s) {
         s.duration = hours(24);
         s.renew_before = minutes(1);
       },
       "spec.renewBefore: Invalid value: 1m0s: certificate renewBefore must be greater than "
       "5m0s"},
      {"renewBefore past the duration",
       [](auto& s) {
         s.duration = hours(24);
         s.renew_before = hours(24);
       },
       "spec.renewBefore: Invalid value: 24h0m0s: certificate duration 24h0m0s must be greater "
       "than renewBefore 24h0m0s"},
      {"a percentage of 150",
       [](auto& s) {
         s.duration = hours(24);
         s.renew_before_percentage = 150;
       },
       "spec.renewBeforePercentage: Invalid value: 150: certificate renewBeforePercentage must "
       "result in a renewBefore greater than 5m0s"},
      {"revisionHistoryLimit 0", [](auto& s) { s.revision_history_limit = 0; },
       "spec.revisionHistoryLimit: Invalid value: 0: must not be less than 1"},
      {"a cert-manager.io annotation in the template",
       [](auto& s) {
         s.secret_template = api::SecretTemplate{{{"cert-manager.io/issuer-name", "x"}}, {}};
       },
       "spec.secretTemplate.annotations: Invalid value: \"cert-manager.io/issuer-name\": "
       "cert-manager.io/* annotations are not allowed"},
      {"nameConstraints with neither list",
       [](auto& s) {
         s.is_ca = true;
         s.name_constraints = api::NameConstraints{};
       },
       "spec.nameConstraints: Invalid value: {...}: either permitted or excluded must be set"},
      {"nameConstraints without isCA",
       [](auto& s) {
         s.name_constraints = api::NameConstraints{};
         s.name_constraints->permitted = api::NameConstraintItem{{"example.com"}, {}, {}, {}};
       },
       "isCa should be true when nameConstraints is set"},
      {"a format twice",
       [](auto& s) {
         s.additional_output_formats = {{api::OutputFormat::DER}, {api::OutputFormat::DER}};
       },
       "spec.additionalOutputFormats[type]: Duplicate value: \"DER\""},
      {"a keystore without a password",
       [](auto& s) {
         s.keystores = api::Keystores{};
         s.keystores->pkcs12 = api::KeystoreOptions{};
         s.keystores->pkcs12->create = true;
       },
       "spec.keystores.pkcs12: Forbidden: must set exactly one of passwordSecretRef and "
       "password must for PKCS#12 keystores"},
      {"a DNS name with a space", [](auto& s) { s.dns_names = {"a b.example.com"}; },
       "spec.dnsNames[0]: Invalid value: \"a b.example.com\": a DNS name must consist of"},
      {"two wildcards", [](auto& s) { s.dns_names = {"*.*.example.com"}; },
       "a DNS name a wildcard may only be the whole first label"},
      {"a 300-character label",
       [](auto& s) { s.dns_names = {std::string(300, 'a') + ".example.com"}; },
       "a DNS name must be no more than 253 characters"},
      {"a 64-character label",
       [](auto& s) { s.dns_names = {std::string(64, 'a') + ".example.com"}; },
       "each label must be no more than 63 characters"},
      {"a URI without a scheme", [](auto& s) { s.uris = {"not a uri"}; },
       "spec.uris[0]: Invalid value: \"not a uri\": invalid URI"},
      {"a 300-character country",
       [](auto& s) {
         s.subject = api::X509Subject{};
         s.subject->countries = {std::string(300, 'X')};
       },
       "must be a two-letter ISO 3166 country code"},
  };
  // The count sees a non-zero case for every rule, and exactly one each.
  for (const Case& c : cases) {
    api::CertificateSpec spec = test::make_certificate().spec;
    c.edit(spec);
    const std::vector<std::string> errors = certificate_spec_errors(spec);
    INFO(c.what << ": " << joined(errors));
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains(c.message));
  }
}

TEST_CASE("several broken rules read as the webhook's list") {
  api::CertificateSpec spec = test::make_certificate().spec;
  spec.duration = std::chrono::seconds(30);
  spec.revision_history_limit = 0;
  const auto errors = certificate_spec_errors(spec);
  REQUIRE(errors.size() == 2);
  CHECK(aggregate_errors(errors) == "[" + errors[0] + ", " + errors[1] + "]");
  CHECK(aggregate_errors({errors[0]}) == errors[0]);
}

TEST_CASE("a thousand names pass, more are refused, and a long list of errors is cut") {
  api::CertificateSpec spec = test::make_certificate().spec;
  spec.dns_names.clear();
  for (int i = 0; i < 990; ++i)
    spec.dns_names.push_back("n" + std::to_string(i) + ".example.com");
  spec.ip_addresses = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"};
  spec.email_addresses = {"a@example.com", "b@example.com", "c@example.com", "d@example.com",
                          "e@example.com"};
  CHECK(certificate_spec_errors(spec).empty());
  spec.uris = {"spiffe://cluster.local/ns/apps/sa/web"};
  auto errors = certificate_spec_errors(spec);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "spec: Too many: 1001: must have at most 1000 subject alternative names (dnsNames, "
        "ipAddresses, uris, emailAddresses and otherNames together)");

  spec = test::make_certificate().spec;
  spec.dns_names.clear();
  for (int i = 0; i < 1200; ++i)
    spec.dns_names.push_back("bad name " + std::to_string(i));
  errors = certificate_spec_errors(spec);
  REQUIRE(errors.size() == 1201);
  const std::string message = aggregate_errors(errors);
  CHECK_THAT(message, Catch::StartsWith("[spec: Too many: 1200: "));
  CHECK_THAT(message, Catch::EndsWith(", and 1191 more]"));
  CHECK(message.size() < 2000);
}

TEST_CASE("an invalid spec is Ready=False with the message and one Event, and nothing is done") {
  test::World world;
  world.crt.spec.duration = -hours(5);
  world.crt.spec.secret_template =
      api::SecretTemplate{{{"cert-manager.io/issuer-name", "spoofed"}}, {}};
  const CertificateView crt = world.view();
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Decision d = reconcile_certificate(
      {crt, &secret, &world.issuer, &current, nullptr, {}, test::t0 + minutes(1), {}});
  CHECK(d.action == Action::None);  // no issuance, no Secret repair
  CHECK_FALSE(d.requeue_at);
  REQUIRE(d.status);
  REQUIRE(d.status->conditions.size() == 1);
  const api::Condition& ready = d.status->conditions[0];
  CHECK(ready.type == "Ready");
  CHECK(ready.status == ConditionStatus::False);
  CHECK(ready.reason == "InvalidSpec");
  CHECK_THAT(ready.message, Catch::Contains("spec.duration: Invalid value: -5h0m0s"));
  CHECK_THAT(ready.message, Catch::Contains("cert-manager.io/* annotations are not allowed"));
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].type == "Warning");
  CHECK(d.events[0].reason == "InvalidSpec");

  // Once it says so: the same state again writes nothing, records nothing.
  api::Certificate written = world.crt;
  written.status.conditions[0] = ready;
  const CertificateView after = project_certificate(std::move(written));
  const Decision again = reconcile_certificate(
      {after, &secret, &world.issuer, &current, nullptr, {}, test::t0 + hours(2000), {}});
  CHECK(again.action == Action::None);
  CHECK_FALSE(again.status);
  CHECK(again.events.empty());
  CHECK_FALSE(again.requeue_at);
}

TEST_CASE("an issuance in flight stops when its spec becomes invalid") {
  test::World world;
  world.crt.status.conditions[1] = test::condition("Issuing", ConditionStatus::True, "DoesNotExist",
                                                   "Issuing certificate as Secret does not "
                                                   "exist");
  world.crt.spec.revision_history_limit = 0;
  const CertificateView crt = world.view();
  const Decision d =
      reconcile_certificate({crt, nullptr, &world.issuer, nullptr, nullptr, {}, test::t0, {}});
  CHECK(d.action == Action::None);
  REQUIRE(d.status);
  bool issuing_false = false;
  for (const api::Condition& c : d.status->conditions) {
    if (c.type == "Issuing")
      issuing_false = c.status == ConditionStatus::False && c.reason == "InvalidSpec";
  }
  CHECK(issuing_false);
  CHECK(d.events.size() == 1);
}

TEST_CASE("spec.renewal: the policy, and each window's cron, timezone and duration", "[renewal]") {
  const auto window = [](std::string cron, std::string zone, std::optional<Duration> length) {
    return api::RenewalWindowSpec{std::move(cron), std::move(zone), length};
  };
  api::CertificateSpec valid = test::make_certificate().spec;
  valid.renewal = api::CertificateRenewal{
      "RenewBefore",
      {window("0 4 * * 2", "America/Chicago", hours(3)), window("@daily", "", minutes(30))}};
  INFO(joined(certificate_spec_errors(valid)));
  CHECK(certificate_spec_errors(valid).empty());
  for (const char* policy : {"", "Disabled"}) {
    api::CertificateSpec spec = test::make_certificate().spec;
    spec.renewal = api::CertificateRenewal{policy, {}};
    CHECK(certificate_spec_errors(spec).empty());
  }

  const Case cases[] = {
      {"an unknown policy", [](auto& s) { s.renewal->policy = "Sometimes"; },
       "spec.renewal.policy: Unsupported value: \"Sometimes\": supported values: "
       "\"RenewBefore\", \"Disabled\""},
      {"windows with policy Disabled", [](auto& s) { s.renewal->policy = "Disabled"; },
       "spec.renewal.windows: Forbidden: windows must not be set when policy is Disabled"},
      {"a cron that does not parse", [](auto& s) { s.renewal->windows[1].cron = "0 25 * * *"; },
       "spec.renewal.windows[1].cron: Invalid value: \"0 25 * * *\": cron hour field \"25\": "
       "25 is outside 0-23"},
      {"a cron with four fields", [](auto& s) { s.renewal->windows[0].cron = "0 4 * *"; },
       "spec.renewal.windows[0].cron: Invalid value: \"0 4 * *\": a cron expression has 5 "
       "fields"},
      {"no cron", [](auto& s) { s.renewal->windows[0].cron.clear(); },
       "spec.renewal.windows[0].cron: Required value: must be specified"},
      {"an unknown zone", [](auto& s) { s.renewal->windows[1].timezone = "Mars/Olympus_Mons"; },
       "spec.renewal.windows[1].timezone: Invalid value: \"Mars/Olympus_Mons\": unknown time "
       "zone \"Mars/Olympus_Mons\""},
      {"a zone name leaving zoneinfo",
       [](auto& s) { s.renewal->windows[0].timezone = "../../etc/passwd"; },
       "spec.renewal.windows[0].timezone: Invalid value: \"../../etc/passwd\": unknown time "
       "zone"},
      {"no windowDuration", [](auto& s) { s.renewal->windows[0].window_duration.reset(); },
       "spec.renewal.windows[0].windowDuration: Required value: must be specified"},
      {"a zero windowDuration",
       [](auto& s) { s.renewal->windows[1].window_duration = Duration::zero(); },
       "spec.renewal.windows[1].windowDuration: Invalid value: 0s: must be greater than 0s"},
      {"a negative windowDuration",
       [](auto& s) { s.renewal->windows[1].window_duration = -hours(1); },
       "spec.renewal.windows[1].windowDuration: Invalid value: -1h0m0s: must be greater than 0s"},
  };
  for (const Case& c : cases) {
    api::CertificateSpec spec = valid;
    c.edit(spec);
    const std::vector<std::string> errors = certificate_spec_errors(spec);
    INFO(c.what << ": " << joined(errors));
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::StartsWith(c.message));
  }
}
