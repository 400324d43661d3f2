// plan_request: what certmill does with a CertificateRequest no Certificate
// owns, over every combination of who owns it, which issuer it names, what
// its conditions say, whether certmill's approver is on and whether its CSR
// reads — first as rules that hold in every combination, then the expected
// plan of each case by name; and what RequestView reads for it.
#include "controller/request_decision.hpp"

#include <catch2/catch.hpp>

#include "controller/hashed_key.hpp"
#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;
using api::ConditionStatus;

namespace {

// Where a request's conditions stand, as RequestView reads them.
struct Standing {
  const char* name;
  RequestState state;
  ReadyMark ready;
  bool has_certificate;
  bool failure_time;
};

const Standing kStandings[] = {
    {"new", RequestState::Pending, ReadyMark::Absent, false, false},
    {"pending", RequestState::Pending, ReadyMark::Pending, false, false},
    {"issued", RequestState::Issued, ReadyMark::Issued, true, false},
    {"failed", RequestState::Failed, ReadyMark::Failed, false, true},
    {"certificate without Ready", RequestState::Pending, ReadyMark::Absent, true, false},
    {"denied", RequestState::Denied, ReadyMark::Absent, false, false},
    {"denied, marked", RequestState::Denied, ReadyMark::Denied, false, true},
    {"denied after issuing", RequestState::Denied, ReadyMark::Issued, true, false},
    {"invalid", RequestState::InvalidRequest, ReadyMark::Absent, false, false},
};

struct IssuerCase {
  const char* name;
  RequestIssuer issuer;
};

const IssuerCase kIssuers[] = {
    {"missing", {.found = false, .type = IssuerType::None, .ready = false}},
    {"CA ready", {.found = true, .type = IssuerType::CA, .ready = true}},
    {"CA not ready", {.found = true, .type = IssuerType::CA, .ready = false}},
    {"SelfSigned ready", {.found = true, .type = IssuerType::SelfSigned, .ready = true}},
    {"ACME ready", {.found = true, .type = IssuerType::ACME, .ready = true}},
    {"ACME not ready", {.found = true, .type = IssuerType::ACME, .ready = false}},
    {"Vault ready", {.found = true, .type = IssuerType::Vault, .ready = true}},
};

struct RefCase {
  const char* kind;
  const char* group;
  bool ours;
};

const RefCase kRefs[] = {
    {"", "", true},
    {"Issuer", "cert-manager.io", true},
    {"ClusterIssuer", "cert-manager.io", true},
    {"ClusterIssuer", "", true},
    {"Issuer", "awspca.cert-manager.io", false},
    {"GoogleCASIssuer", "cas-issuer.jetstack.io", false},
    {"Certificate", "cert-manager.io", false},
};

RequestView view(const Standing& s, const RefCase& ref, bool owned, bool approved, bool bad_csr) {
  RequestView v;
  v.namespace_ = "apps";
  v.name = "pod-abc";
  v.issuer_ref = api::IssuerRef{"ca", ref.kind, ref.group};
  if (owned)
    v.owner_uid = uid_key("0b6c8b6e-certificate");
  v.state = s.state;
  v.ready = s.ready;
  v.has_certificate = s.has_certificate;
  if (s.failure_time)
    v.failure_time = test::t0;
  v.approved = approved;
  if (bad_csr)
    v.csr_error.edit() = "no CERTIFICATE REQUEST block";
  return v;
}

bool decided(const Standing& s) {
  return s.ready == ReadyMark::Issued || s.ready == ReadyMark::Failed || s.has_certificate;
}

}  // namespace

TEST_CASE("plan_request keeps cert-manager's rules in every combination") {
  int combinations = 0;
  for (const Standing& s : kStandings) {
    for (const RefCase& ref : kRefs) {
      for (const IssuerCase& ic : kIssuers) {
        for (const bool owned : {false, true}) {
          for (const bool approved : {false, true}) {
            for (const bool approver : {false, true}) {
              for (const bool bad_csr : {false, true}) {
                ++combinations;
                const RequestView r = view(s, ref, owned, approved, bad_csr);
                const RequestPlan p = plan_request({r, ic.issuer, approver});
                INFO(s.name << " kind=" << ref.kind << " group=" << ref.group << " issuer="
                            << ic.name << " owned=" << owned << " approved=" << approved
                            << " approver=" << approver << " bad_csr=" << bad_csr);
                // A Certificate's request, or another group's: never touched.
                if (owned || !ref.ours) {
                  CHECK(p == RequestPlan{});
                  continue;
                }
                // Denied: marked once, never signed, never approved.
                if (s.state == RequestState::Denied) {
                  const bool marked = s.ready == ReadyMark::Denied && s.failure_time;
                  CHECK(p.move == (marked ? RequestMove::LeaveAlone : RequestMove::Deny));
                  CHECK(p.write == !marked);
                  CHECK_FALSE(p.approve);
                  continue;
                }
                if (s.state == RequestState::InvalidRequest || decided(s)) {
                  CHECK(p == RequestPlan{});
                  continue;
                }
                // Only certmill's approver approves, and only with an outcome.
                if (p.approve) {
                  CHECK(approver);
                  CHECK_FALSE(approved);
                  CHECK((p.move == RequestMove::Sign || p.move == RequestMove::Fail));
                }
                const bool signs =
                    ic.issuer.found && ic.issuer.ready &&
                    (ic.issuer.type == IssuerType::CA || ic.issuer.type == IssuerType::SelfSigned ||
                     ic.issuer.type == IssuerType::ACME);
                const bool may = approved || approver;
                if (p.move == RequestMove::Sign) {
                  CHECK(signs);
                  CHECK(may);
                  CHECK_FALSE(bad_csr);
                }
                if (p.move == RequestMove::Fail) {
                  CHECK(signs);
                  CHECK(may);
                  CHECK(bad_csr);
                  CHECK(p.message.find("no CERTIFICATE REQUEST block") != std::string::npos);
                }
                if (!may || !signs)
                  CHECK(p.move == RequestMove::Wait);
                if (p.move == RequestMove::Wait) {
                  CHECK(p.message.starts_with("Waiting on certificate issuance"));
                  // Written once: the same message is not written again.
                  CHECK(p.write);
                  RequestView told = r;
                  told.ready = ReadyMark::Pending;
                  told.message.edit() = p.message;
                  const RequestPlan again = plan_request({told, ic.issuer, approver});
                  CHECK(again.move == RequestMove::Wait);
                  CHECK_FALSE(again.write);
                  CHECK(again.recheck == p.recheck);
                }
                if (signs && may)
                  CHECK((p.move == (bad_csr ? RequestMove::Fail : RequestMove::Sign)));
                if (p.move == RequestMove::Sign || p.move == RequestMove::Fail)
                  CHECK(p.approve == !approved);
              }
            }
          }
        }
      }
    }
  }
  CHECK(combinations == 9 * 7 * 7 * 2 * 2 * 2 * 2);
}

TEST_CASE("plan_request in cert-manager's words, case by case") {
  const Standing& fresh = kStandings[0];
  const RefCase& issuer_ref = kRefs[1];
  const RequestIssuer ca{.found = true, .type = IssuerType::CA, .ready = true};
  const auto plan = [&](bool approved, bool approver, RequestIssuer issuer,
                        const Standing& s = kStandings[0]) {
    return plan_request({view(s, issuer_ref, false, approved, false), issuer, approver});
  };

  SECTION("certmill's approver approves and signs in one write") {
    const RequestPlan p = plan(false, true, ca);
    CHECK(p.move == RequestMove::Sign);
    CHECK(p.approve);
    CHECK(p.write);
  }
  SECTION("with the approver off, the request waits until someone approves it") {
    const RequestPlan waits = plan(false, false, ca);
    CHECK(waits.move == RequestMove::Wait);
    CHECK(waits.reason == "WaitingForApproval");
    CHECK(waits.message ==
          "Waiting on certificate issuance: not signing CertificateRequest until it is Approved");
    CHECK_FALSE(waits.approve);
    CHECK_FALSE(waits.recheck);
    const RequestPlan approved = plan(true, false, ca, kStandings[1]);
    CHECK(approved.move == RequestMove::Sign);
    CHECK_FALSE(approved.approve);
  }
  SECTION("a denied request is marked Denied with cert-manager's message") {
    const RequestPlan p = plan(false, true, ca, kStandings[5]);
    CHECK(p.move == RequestMove::Deny);
    CHECK(p.message == "The CertificateRequest was denied by an approval controller");
    CHECK(plan(true, true, ca, kStandings[6]) == RequestPlan{});
  }
  SECTION("a signed request is never signed again, approved or not") {
    for (const bool approved : {false, true})
      for (const bool approver : {false, true})
        CHECK(plan(approved, approver, ca, kStandings[2]) == RequestPlan{});
  }
  SECTION("a missing or unready issuer is looked at again; an unsupported one is said once") {
    const RequestPlan missing = plan(false, true, {});
    CHECK(missing.reason == "IssuerNotFound");
    CHECK(missing.message ==
          "Waiting on certificate issuance: referenced \"Issuer\" \"ca\" not found");
    CHECK(missing.recheck == std::chrono::minutes(1));
    const RequestPlan unready =
        plan(false, true, {.found = true, .type = IssuerType::CA, .ready = false});
    CHECK(unready.reason == "IssuerNotReady");
    CHECK(unready.recheck == std::chrono::minutes(1));
    const RequestPlan vault =
        plan(false, true, {.found = true, .type = IssuerType::Vault, .ready = true});
    CHECK(vault.reason == "IssuerTypeNotSupported");
    CHECK(vault.message.find("is of type vault") != std::string::npos);
    CHECK_FALSE(vault.approve);
    CHECK_FALSE(vault.recheck);
    const RequestPlan acme =
        plan(false, true, {.found = true, .type = IssuerType::ACME, .ready = true});
    CHECK(acme.move == RequestMove::Sign);
    CHECK(acme.approve);
  }
  SECTION("a CSR that does not decode fails, approved by certmill's approver") {
    const RequestPlan p = plan_request({view(fresh, issuer_ref, false, false, true), ca, true});
    CHECK(p.move == RequestMove::Fail);
    CHECK(p.approve);
    CHECK(p.reason == "BadRequest");
    CHECK(p.message == "Failed to decode the CSR in spec.request: no CERTIFICATE REQUEST block");
  }
}

TEST_CASE("RequestView reads what plan_request needs of a request nobody's Certificate owns") {
  api::CertificateRequest cr;
  cr.metadata.namespace_ = "apps";
  cr.metadata.name = "pod-abc";
  cr.spec.request.data = "not a CSR";
  cr.spec.issuer_ref = {"ca", "Issuer", "cert-manager.io"};

  SECTION("a controller that is not a Certificate does not make it a Certificate's") {
    api::CertificateRequest owned_by_pod = cr;
    owned_by_pod.metadata.owner_references = {{"v1", "Pod", "web-0", "uid-pod", true, true}};
    CHECK(project_request(std::move(owned_by_pod)).owner_uid.empty());
    api::CertificateRequest owned = cr;
    owned.metadata.owner_references = {
        {"cert-manager.io/v1", "Certificate", "web", "uid-crt", true, true}};
    CHECK(project_request(std::move(owned)).owner_uid == uid_key("uid-crt"));
  }
  SECTION("the Ready reason and status.certificate are read whatever decided the state") {
    api::CertificateRequest denied = cr;
    denied.status.conditions = {
        test::condition("Denied", ConditionStatus::True, "Policy", "no"),
        test::condition("Ready", ConditionStatus::False, "Denied", kDeniedMessage)};
    const RequestView d = project_request(std::move(denied));
    CHECK(d.state == RequestState::Denied);
    CHECK(d.ready == ReadyMark::Denied);
    api::CertificateRequest with_certificate = cr;
    with_certificate.status.certificate.data = "-----BEGIN CERTIFICATE-----";
    const RequestView c = project_request(std::move(with_certificate));
    CHECK(c.has_certificate);
    CHECK(c.ready == ReadyMark::Absent);
    CHECK_FALSE(c.csr_error.get().empty());
  }
}
