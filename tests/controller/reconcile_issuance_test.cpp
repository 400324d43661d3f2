// Following an issuance to its end (cert-manager's issuing controller), the
// backoff after failures (trigger controller), and what blocks issuance.
#include <catch2/catch.hpp>

#include "tests/controller/reconcile_support.hpp"

using namespace certmill;
using namespace certmill::controller;
using api::ConditionStatus;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

const api::Condition* find(const Decision& d, const std::string& type) {
  if (!d.status)
    return nullptr;
  for (const api::Condition& c : d.status->conditions) {
    if (c.type == type)
      return &c;
  }
  return nullptr;
}

// A Certificate that has no Secret yet and is issuing revision 1 since t0.
struct Fresh {
  test::World world;
  api::Certificate crt = world.crt;
  Fresh() {
    crt.status = {};
    crt.status.conditions = {test::condition("Ready", ConditionStatus::False, "DoesNotExist",
                                             "Issuing certificate as Secret does not exist"),
                             test::condition("Issuing", ConditionStatus::True, "DoesNotExist",
                                             "Issuing certificate as Secret does not exist")};
  }
  RequestView next(std::string reason, std::string message = {}) const {
    api::CertificateRequest cr = test::request(crt, world.issued, 1, std::move(reason), message);
    if (cr.status.conditions[0].reason == "Failed")
      cr.status.failure_time = test::t0 + minutes(1);
    return project_request(std::move(cr));
  }
};

}  // namespace

TEST_CASE("issuing without a request for the next revision asks for one") {
  const Fresh f;
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const Decision d = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, nullptr, {}, test::t0 + minutes(1), {}});
  CHECK(d.action == Action::Issue);
  CHECK(d.revision == 1);
  CHECK_FALSE(d.status);
}

TEST_CASE("a pending request is waited for without a write") {
  const Fresh f;
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const RequestView next = f.next("Pending", "Waiting on certificate issuance");
  const Decision d = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &next, {}, test::t0 + minutes(1), {}});
  CHECK(d.action == Action::None);
  CHECK_FALSE(d.status);
  CHECK(d.events.empty());
}

TEST_CASE("an Issued request is stored and completes in one status write") {
  const Fresh f;
  CertificateView crt = project_certificate(api::Certificate(f.crt));
  const RequestView next = f.next("Issued");
  const Time now = test::t0 + minutes(2);
  const Decision d =
      reconcile_certificate({crt, nullptr, &f.world.issuer, nullptr, &next, {}, now, {}});
  CHECK(d.action == Action::StoreIssued);
  CHECK(d.revision == 1);
  REQUIRE(d.status);
  CHECK(d.status->revision == 1);
  CHECK(d.status->not_after == test::t0 + hours(2160));
  CHECK(d.status->renewal_time == test::t0 + hours(1440));
  CHECK_FALSE(d.status->failed_issuance_attempts);
  CHECK_FALSE(d.status->last_failure_time);
  const api::Condition* issuing = find(d, "Issuing");
  REQUIRE(issuing);
  CHECK(issuing->status == ConditionStatus::False);
  CHECK(issuing->reason == "Issued");
  CHECK(issuing->message == "The certificate has been successfully issued");
  const api::Condition* ready = find(d, "Ready");
  REQUIRE(ready);
  CHECK(ready->status == ConditionStatus::True);
  CHECK(ready->message == "Certificate is up to date and has not expired");
  CHECK(d.events == std::vector<EventNote>{
                        {"Normal", "Issuing", "The certificate has been successfully issued"}});

  // The Secret lands and the request becomes the current one: nothing to write.
  test::apply(crt, *d.status);
  api::Certificate with_name = f.crt;
  const SecretView secret = project_secret(test::tls_secret(with_name, f.world.issued));
  const Decision after =
      reconcile_certificate({crt, &secret, &f.world.issuer, &next, nullptr, {}, now, {}});
  CHECK(after.action == Action::None);
  CHECK_FALSE(after.status);
}

TEST_CASE("a failed or denied request ends the attempt with the request's reason") {
  for (const char* reason : {"Failed", "Denied"}) {
    const Fresh f;
    const CertificateView crt = project_certificate(api::Certificate(f.crt));
    api::CertificateRequest cr = test::request(f.crt, f.world.issued, 1, "Failed", "CA expired");
    if (std::string(reason) == "Denied") {
      cr.status.conditions = {
          test::condition("Denied", ConditionStatus::True, "Denied", "policy says no")};
    }
    const RequestView next = project_request(std::move(cr));
    const Time now = test::t0 + minutes(3);
    const Decision d =
        reconcile_certificate({crt, nullptr, &f.world.issuer, nullptr, &next, {}, now, {}});
    INFO(reason);
    CHECK(d.action == Action::None);
    REQUIRE(d.status);
    CHECK(d.status->failed_issuance_attempts == 1);
    CHECK(d.status->last_failure_time == now);
    const api::Condition* issuing = find(d, "Issuing");
    REQUIRE(issuing);
    CHECK(issuing->status == ConditionStatus::False);
    CHECK(issuing->reason == reason);
    const std::string detail = std::string(reason) == "Denied" ? "policy says no" : "CA expired";
    CHECK(issuing->message ==
          "The certificate request has failed to complete and will be retried: " + detail);
    CHECK(d.events == std::vector<EventNote>{{"Warning", reason, issuing->message}});
    CHECK(d.requeue_at == now + hours(1));
  }
}

TEST_CASE("a failed request left from the previous attempt is replaced, not counted") {
  Fresh f;
  f.crt.status.conditions[1].last_transition_time = test::t0 + hours(2);
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const RequestView next = f.next("Failed", "old failure");
  const Decision d = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &next, {}, test::t0 + hours(2), {}});
  CHECK(d.action == Action::Issue);
  CHECK_FALSE(d.status);
}

TEST_CASE("a request that no longer matches the spec is replaced mid-issuance") {
  const Fresh f;
  const RequestView next = f.next("Pending");
  api::Certificate changed = f.crt;
  changed.spec.dns_names.push_back("api.example.com");
  const CertificateView crt = project_certificate(std::move(changed));
  const Decision d = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &next, {}, test::t0 + minutes(5), {}});
  CHECK(d.action == Action::Issue);
  CHECK(d.revision == 1);
}

TEST_CASE("after failures, issuance waits 1h doubling to 32h (cert-manager's backoff)") {
  const std::pair<int, int> table[] = {{1, 1},  {2, 2},  {3, 4},  {4, 8},
                                       {5, 16}, {6, 32}, {7, 32}, {99, 32}};
  for (auto [attempts, wait_hours] : table) {
    CHECK(issuance_delay(attempts, {}) == hours(wait_hours));
  }
  CHECK(issuance_delay(std::nullopt, {}) == hours(1));
  CHECK(issuance_delay(3, {minutes(5), hours(1)}) == minutes(20));
  CHECK(issuance_delay(10, {minutes(5), hours(1)}) == hours(1));

  Fresh f;
  f.crt.status.conditions[1] = test::condition("Issuing", ConditionStatus::False, "Failed", "x");
  f.crt.status.last_failure_time = test::t0;
  f.crt.status.failed_issuance_attempts = 3;
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const RequestView failed = f.next("Failed", "x");
  const Decision waiting = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &failed, {}, test::t0 + hours(3), {}});
  CHECK(waiting.action == Action::None);
  CHECK(waiting.requeue_at == test::t0 + hours(4));
  CHECK_FALSE(waiting.status);

  const Decision due = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &failed, {}, test::t0 + hours(4), {}});
  CHECK(due.action == Action::Issue);
  CHECK(due.revision == 1);

  IssuanceBackoff quick{minutes(1), minutes(10)};
  const Decision configured = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &failed, {}, test::t0 + minutes(4), quick});
  CHECK(configured.action == Action::Issue);
}

TEST_CASE("a spec edited after a failure is retried at once, without backoff") {
  Fresh f;
  f.crt.status.conditions[1] = test::condition("Issuing", ConditionStatus::False, "Failed", "x");
  f.crt.status.last_failure_time = test::t0;
  f.crt.status.failed_issuance_attempts = 5;
  const RequestView failed = f.next("Failed", "x");
  f.crt.spec.dns_names = {"fixed.example.com"};
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const Decision d = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &failed, {}, test::t0 + minutes(1), {}});
  CHECK(d.action == Action::Issue);
}

TEST_CASE("what blocks issuance becomes Ready=False with a reason, an Event, and no request") {
  struct Row {
    const char* behaviour;
    const char* kind;
    bool issuer_exists;
    bool issuer_ready;
    std::vector<std::string> duplicates;
    const char* reason;
    const char* message;
  };
  const Row rows[] = {
      {"missing Issuer",
       "Issuer",
       false,
       true,
       {},
       "IssuerNotFound",
       "Referenced \"Issuer\" not found: issuer.cert-manager.io \"ca-issuer\" not found"},
      {"missing ClusterIssuer",
       "ClusterIssuer",
       false,
       true,
       {},
       "IssuerNotFound",
       "Referenced \"ClusterIssuer\" not found: clusterissuer.cert-manager.io \"ca-issuer\" not "
       "found"},
      {"issuer not Ready",
       "Issuer",
       true,
       false,
       {},
       "IssuerNotReady",
       "Referenced \"Issuer\" \"ca-issuer\" does not have a Ready status condition "
       "(ErrGetKeyPair)"},
      {"wrong kind",
       "Secret",
       true,
       true,
       {},
       "InvalidIssuerKind",
       "Referenced issuer kind \"Secret\" is not supported: use Issuer or ClusterIssuer"},
      {"two Certificates, one secretName",
       "Issuer",
       true,
       true,
       {"api", "www"},
       "DuplicateSecretName",
       "Certificate shares the same Secret name as the following Certificates in this Namespace: "
       "[ api, www ]. Issuance will block until this is resolved to prevent CertificateRequest "
       "creation runaway."},
  };
  for (const Row& row : rows) {
    Fresh f;
    f.crt.status.conditions.pop_back();  // not issuing yet
    f.crt.status.conditions[0].reason = "Pending";
    f.crt.spec.issuer_ref.kind = row.kind;
    CertificateView crt = project_certificate(api::Certificate(f.crt));
    IssuerView issuer = f.world.issuer;
    if (!row.issuer_ready)
      issuer.ready = condition_view(
          {test::condition("Ready", ConditionStatus::False, "ErrGetKeyPair", "no secret")},
          "Ready");
    const Decision d = reconcile_certificate({crt,
                                              nullptr,
                                              row.issuer_exists ? &issuer : nullptr,
                                              nullptr,
                                              nullptr,
                                              row.duplicates,
                                              test::t0 + minutes(1),
                                              {}});
    INFO(row.behaviour);
    CHECK(d.action == Action::None);
    const api::Condition* ready = find(d, "Ready");
    REQUIRE(ready);
    CHECK(ready->status == ConditionStatus::False);
    CHECK(ready->reason == row.reason);
    CHECK(ready->message == row.message);
    const api::Condition* issuing = find(d, "Issuing");
    REQUIRE(issuing);
    CHECK(issuing->status == ConditionStatus::False);
    CHECK(issuing->reason == row.reason);
    REQUIRE_FALSE(d.events.empty());
    CHECK(d.events[0] == EventNote{"Warning", row.reason, row.message});

    // Reported once: the next reconcile writes nothing and records nothing.
    test::apply(crt, *d.status);
    const Decision again = reconcile_certificate({crt,
                                                  nullptr,
                                                  row.issuer_exists ? &issuer : nullptr,
                                                  nullptr,
                                                  nullptr,
                                                  row.duplicates,
                                                  test::t0 + minutes(2),
                                                  {}});
    CHECK_FALSE(again.status);
    CHECK(again.events.empty());
  }
}

TEST_CASE("a blocked renewal leaves a valid certificate Ready") {
  const test::World world;
  const CertificateView crt = world.view();
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Decision d = reconcile_certificate(
      {crt, &secret, nullptr, &current, nullptr, {}, test::t0 + hours(1500), {}});
  CHECK(d.action == Action::None);
  CHECK_FALSE(find(d, "Ready"));
  const api::Condition* issuing = find(d, "Issuing");
  REQUIRE(issuing);
  CHECK(issuing->reason == "IssuerNotFound");
}

TEST_CASE("the Certificate that owns a contested Secret keeps renewing it") {
  const test::World world;
  const CertificateView crt = world.view();
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Decision d = reconcile_certificate(
      {crt, &secret, &world.issuer, &current, nullptr, {"web-copy"}, test::t0 + hours(1500), {}});
  CHECK(d.action == Action::Issue);
}

TEST_CASE("an issuer outside cert-manager.io is not looked up") {
  Fresh f;
  f.crt.status.conditions.pop_back();
  f.crt.spec.issuer_ref = {"vault", "VaultIssuer", "example.com"};
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const Decision d = reconcile_certificate(
      {crt, nullptr, nullptr, nullptr, nullptr, {}, test::t0 + minutes(1), {}});
  CHECK(d.action == Action::Issue);
}

TEST_CASE("a certificate that expired before it was stored is stored, and not Ready") {
  Fresh f;
  f.crt.spec.duration = hours(1);
  f.world.issued = test::issue(f.crt.spec, f.world.ca);
  const CertificateView crt = project_certificate(api::Certificate(f.crt));
  const RequestView next = f.next("Issued");
  const Decision d = reconcile_certificate(
      {crt, nullptr, &f.world.issuer, nullptr, &next, {}, test::t0 + hours(2), {}});
  CHECK(d.action == Action::StoreIssued);
  const api::Condition* ready = find(d, "Ready");
  REQUIRE(ready);
  CHECK(ready->status == ConditionStatus::False);
  CHECK(ready->reason == "Expired");
  CHECK(ready->message == "Certificate expired on Sun, 01 Mar 2026 13:00:00 UTC");
}

TEST_CASE("a Certificate due again right after its own issuance waits a minute, once") {
  test::World world;
  // The Secret holds revision 1, issued (Issuing=False Issued) 30 s ago,
  // and is already past its end: a CA that signs certificates born expired.
  const Time issued_at = test::t0 + hours(2161);
  world.crt.status.conditions[1].last_transition_time = issued_at;
  const Time now = issued_at + std::chrono::seconds(30);
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const auto decide = [&](const api::Certificate& crt, const SecretView* s, Time at) {
    const CertificateView view = project_certificate(api::Certificate(crt));
    return reconcile_certificate({view, s, &world.issuer, &current, nullptr, {}, at, {}});
  };

  const Decision waits = decide(world.crt, &secret, now);
  CHECK(waits.action == Action::None);
  CHECK(waits.requeue_at == issued_at + minutes(1));

  const Decision after_a_minute = decide(world.crt, &secret, issued_at + minutes(1));
  CHECK(after_a_minute.action == Action::Issue);
  CHECK(after_a_minute.revision == 2);

  SECTION("a spec edited since is issued at once") {
    api::Certificate edited = world.crt;
    edited.metadata.generation = 2;
    CHECK(decide(edited, &secret, now).action == Action::Issue);
  }
  SECTION("a Secret deleted since is issued at once") {
    CHECK(decide(world.crt, nullptr, now).action == Action::Issue);
  }
  SECTION("a Secret that holds another certificate is issued at once") {
    const test::Issued other = test::issue(world.crt.spec, world.ca, test::t0 + hours(1));
    const SecretView swapped = project_secret(test::tls_secret(world.crt, other));
    CHECK(decide(world.crt, &swapped, now).action == Action::Issue);
  }
  SECTION("the bound is configurable") {
    IssuanceBackoff bound;
    bound.min_reissue_interval = std::chrono::seconds(10);
    const CertificateView view = project_certificate(api::Certificate(world.crt));
    const Decision d =
        reconcile_certificate({view, &secret, &world.issuer, &current, nullptr, {}, now, bound});
    CHECK(d.action == Action::Issue);
  }
}
