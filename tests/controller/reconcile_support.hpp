// A Certificate with everything around it — CA, issuer, Secret, requests — and
// the API server's part of a status write, for the reconciler tests.
#pragma once

#include "controller/certificate_reconciler.hpp"
#include "tests/controller/fixtures.hpp"

namespace certmill::test {

inline controller::IssuerView ready_issuer(std::string name = "ca-issuer") {
  api::Issuer issuer;
  issuer.metadata.namespace_ = "apps";
  issuer.metadata.name = std::move(name);
  issuer.spec.ca = api::CAIssuer{"root-ca", {}, {}, {}};
  issuer.status.conditions = {
      condition("Ready", api::ConditionStatus::True, "KeyPairVerified", "Signing CA verified")};
  return controller::project_issuer(std::move(issuer));
}

// What the API server and the informer do with a StatusUpdate.
inline void apply(controller::CertificateView& v, const controller::StatusUpdate& s) {
  for (const api::Condition& c : s.conditions)
    (c.type == "Ready" ? v.ready : v.issuing) = controller::condition_view({c}, c.type);
  v.not_before = s.not_before;
  v.not_after = s.not_after;
  v.renewal_time = s.renewal_time;
  v.revision = s.revision;
  v.failed_issuance_attempts = s.failed_issuance_attempts;
  v.last_failure_time = s.last_failure_time;
  v.rare.edit().next_private_key_secret_name = s.next_private_key_secret_name;
  v.rare.shrink();
}

// One Certificate issued at t0 (revision 1) for 90 days, its Secret and the
// request that produced it; `crt` is converged: its status already says so.
struct World {
  TestCa ca = make_root_ca();
  api::Certificate crt = make_certificate();
  Issued issued = issue(crt.spec, ca);
  controller::IssuerView issuer = ready_issuer();

  World() {
    crt.status.revision = 1;
    crt.status.not_before = t0;
    crt.status.not_after = t0 + std::chrono::hours(2160);
    crt.status.renewal_time = t0 + std::chrono::hours(1440);
    crt.status.conditions = {condition("Ready", api::ConditionStatus::True, "Ready",
                                       "Certificate is up to date and has not expired"),
                             condition("Issuing", api::ConditionStatus::False, "Issued",
                                       "The certificate has been successfully issued")};
  }

  controller::CertificateView view() const {
    return controller::project_certificate(api::Certificate(crt));
  }
  controller::SecretView secret() const {
    return controller::project_secret(tls_secret(crt, issued));
  }
  controller::RequestView current() const {
    return controller::project_request(request(crt, issued, 1, "Issued"));
  }
};

}  // namespace certmill::test
