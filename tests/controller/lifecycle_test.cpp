// The reconciler driven through whole lives on a fake clock, with a
// stand-in for the API server and the CA issuer: issuance, renewal, a
// deleted Secret, counting the writes each step costs.
#include <catch2/catch.hpp>

#include "controller/request_history.hpp"
#include "tests/controller/reconcile_support.hpp"

using namespace certmill;
using namespace certmill::controller;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

// One Certificate and everything the executor would write for it.
struct Sim {
  test::TestCa ca = test::make_root_ca(api::PrivateKeyAlgorithm::ECDSA, hours(24 * 3650));
  IssuerView issuer = test::ready_issuer();
  api::Certificate crt = test::make_certificate();
  std::optional<api::Secret> secret;
  std::map<int, api::CertificateRequest> requests;  // by revision
  std::map<int, test::Issued> keys;                 // the key and CSR behind each request
  Time now = test::t0;
  int status_writes = 0;
  int secret_writes = 0;
  int requests_created = 0;

  const api::CertificateRequest* request(int revision) const {
    auto it = requests.find(revision);
    return it == requests.end() ? nullptr : &it->second;
  }

  Decision step() {
    const CertificateView view = project_certificate(api::Certificate(crt));
    const std::optional<SecretView> s =
        secret ? std::optional(project_secret(api::Secret(*secret))) : std::nullopt;
    const int revision = crt.status.revision.value_or(0);
    std::optional<RequestView> current, next;
    if (auto* r = request(revision))
      current = project_request(api::CertificateRequest(*r));
    if (auto* r = request(revision + 1))
      next = project_request(api::CertificateRequest(*r));
    Decision d = reconcile_certificate({view,
                                        s ? &*s : nullptr,
                                        &issuer,
                                        current ? &*current : nullptr,
                                        next ? &*next : nullptr,
                                        {},
                                        now,
                                        {}});
    if (d.status) {
      write_status(*d.status);
      ++status_writes;
    }
    if (d.action == Action::Issue) {
      // A new key and CSR; the CA answers later (sign_pending).
      keys[d.revision] = test::Issued{};
      const pki::PrivateKey key = test::make_key(api::PrivateKeyAlgorithm::ECDSA);
      auto pem = pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1);
      keys[d.revision].key_pem = *pem;
      keys[d.revision].csr_pem = *pki::build_csr(crt.spec, key);
      requests[d.revision] = test::request(crt, keys[d.revision], d.revision, "Pending");
      ++requests_created;
    }
    if (d.action == Action::StoreIssued) {
      secret = test::tls_secret(crt, keys.at(d.revision));
      ++secret_writes;
    }
    return d;
  }

  void sign_pending() {
    for (auto& [revision, cr] : requests) {
      if (cr.status.conditions[0].reason != "Pending")
        continue;
      test::Issued& issued = keys.at(revision);
      auto bundle = pki::sign_with_ca(
          pki::SigningRequest{issued.csr_pem, crt.spec.duration, false, {}, now}, ca.pair, {});
      REQUIRE(bundle.ok());
      issued.bundle = *bundle;
      cr = test::request(crt, issued, revision, "Issued");
    }
  }

  void write_status(const StatusUpdate& u) {
    for (const api::Condition& c : u.conditions) {
      auto it = std::find_if(crt.status.conditions.begin(), crt.status.conditions.end(),
                             [&](const api::Condition& have) { return have.type == c.type; });
      if (it == crt.status.conditions.end())
        crt.status.conditions.push_back(c);
      else
        *it = c;
    }
    crt.status.not_before = u.not_before;
    crt.status.not_after = u.not_after;
    crt.status.renewal_time = u.renewal_time;
    crt.status.revision = u.revision;
    crt.status.failed_issuance_attempts = u.failed_issuance_attempts;
    crt.status.last_failure_time = u.last_failure_time;
    crt.status.next_private_key_secret_name = u.next_private_key_secret_name;
  }

  std::string condition(const std::string& type) const {
    for (const api::Condition& c : crt.status.conditions) {
      if (c.type == type)
        return (c.status == api::ConditionStatus::True ? "True/" : "False/") + c.reason;
    }
    return "none";
  }
};

}  // namespace

TEST_CASE("a new Certificate is issued in two status writes, then costs nothing") {
  Sim sim;
  Decision d = sim.step();
  CHECK(d.action == Action::Issue);
  CHECK(sim.condition("Issuing") == "True/DoesNotExist");
  CHECK(sim.condition("Ready") == "False/DoesNotExist");
  CHECK(sim.step().action == Action::None);  // the request is pending

  sim.now += minutes(1);
  sim.sign_pending();
  d = sim.step();
  CHECK(d.action == Action::StoreIssued);
  CHECK(sim.condition("Issuing") == "False/Issued");
  CHECK(sim.condition("Ready") == "True/Ready");
  CHECK(sim.crt.status.revision == 1);
  CHECK(sim.status_writes == 2);
  CHECK(sim.secret_writes == 1);
  CHECK(sim.requests_created == 1);

  // Converged: reconciles at any time before renewal write nothing.
  for (int i = 0; i < 5; ++i) {
    sim.now += hours(100);
    d = sim.step();
    CHECK(d.action == Action::None);
    CHECK_FALSE(d.status);
  }
  CHECK(sim.status_writes == 2);
  CHECK(d.requeue_at == test::t0 + minutes(1) + hours(1440));
}

TEST_CASE("renewal happens at the renewal time on the fake clock, and Ready stays True") {
  Sim sim;
  sim.step();
  sim.sign_pending();
  const Decision issued = sim.step();
  REQUIRE(issued.action == Action::StoreIssued);
  const Time renew_at = *sim.step().requeue_at;
  CHECK(renew_at == test::t0 + hours(1440));

  sim.now = renew_at - std::chrono::seconds(1);
  CHECK(sim.step().action == Action::None);
  sim.now = renew_at;
  const Decision renew = sim.step();
  CHECK(renew.action == Action::Issue);
  CHECK(renew.revision == 2);
  CHECK(sim.condition("Issuing") == "True/Renewing");
  CHECK(sim.condition("Ready") == "True/Ready");

  sim.now += minutes(2);
  sim.sign_pending();
  CHECK(sim.step().action == Action::StoreIssued);
  CHECK(sim.crt.status.revision == 2);
  CHECK(sim.crt.status.not_before == renew_at + minutes(2));
  CHECK(sim.status_writes == 4);
  CHECK_FALSE(sim.step().status);

  // revisionHistoryLimit 1 (the default) lets the first request go.
  std::vector<RequestView> views;
  for (const auto& [revision, cr] : sim.requests)
    views.push_back(project_request(api::CertificateRequest(cr)));
  CHECK(requests_to_prune({&views[0], &views[1]}, std::nullopt) ==
        std::vector<std::string>{"web-1"});
}

TEST_CASE("a deleted or tampered Secret is issued again") {
  Sim sim;
  sim.step();
  sim.sign_pending();
  sim.step();
  REQUIRE(sim.condition("Ready") == "True/Ready");

  sim.now += hours(1);
  sim.secret.reset();
  CHECK(sim.step().action == Action::Issue);
  CHECK(sim.condition("Ready") == "False/DoesNotExist");
  sim.sign_pending();
  CHECK(sim.step().action == Action::StoreIssued);
  CHECK(sim.condition("Ready") == "True/Ready");

  sim.now += hours(1);
  sim.secret->data["tls.crt"] = sim.secret->data["ca.crt"];  // someone pasted the CA
  CHECK(sim.step().action == Action::Issue);
  CHECK(sim.condition("Issuing") == "True/InvalidKeyPair");
  sim.sign_pending();
  CHECK(sim.step().action == Action::StoreIssued);
  CHECK(sim.crt.status.revision == 3);
  CHECK_FALSE(sim.step().status);
}
