// The interface every issuer backend implements (SelfSigned, CA and ACME;
// Vault to come): a CertificateRequest's CSR in, a chain out, and the CA's
// word on when to renew, for CAs that give one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/api/certificate.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::issuers {

namespace acme {
class OrderObserver;
class ChallengeSolver;
class NewOrderTurns;
}  // namespace acme

namespace asio = boost::asio;

// A coroutine because ACME's answer takes minutes. Backends never talk to
// Kubernetes: whatever Secret data they need, the controller fetched first.
struct SignRequest {
  std::string csr_pem;
  std::optional<Duration> duration;  // cert-manager's 90 days when unset
  bool is_ca = false;
  std::vector<api::KeyUsage> usages;
  // SelfSigned only: the key of the Certificate being issued (the Secret named
  // by cert-manager.io/private-key-secret-name), which signs its own request.
  std::string private_key_pem;
};

// A CertificateRequest's spec as a SignRequest.
SignRequest sign_request_for(const api::CertificateRequestSpec& spec,
                             std::string private_key_pem = {});

// What lands in CertificateRequest status.certificate and status.ca.
struct Issued {
  std::string chain_pem;  // leaf first
  std::string ca_pem;
};

// What a signature needs besides the request, for the backends that use it:
// an ACME order tells `observer` of each step (the Order and Challenge
// objects) and names in `replaces` the RFC 9773 CertID of the certificate a
// renewal replaces. Others ignore it.
struct SignContext {
  acme::OrderObserver* observer = nullptr;
  std::string replaces;
  // ACME: the URL of an order placed for this request before (by
  // cert-manager, before a take-over), continued if it can still finish.
  std::string resume_order_url = {};
  // ACME: what answers this order's challenges, chosen per identifier from
  // the issuer's solvers and the request's labels.
  acme::ChallengeSolver* solver = nullptr;
  // ACME: when each newOrder request may go (the account's rate-limit line).
  acme::NewOrderTurns* turns = nullptr;
};

// A CA's suggested renewal time for a certificate (ACME Renewal Information).
struct SuggestedRenewal {
  // False when the CA gives none: the caller renews on its own schedule.
  bool offered = false;
  Time renewal_time;
  Time ask_again_at;  // when the CA's answer may have changed
  // The CA's window, and the page where it explains it when it moved it
  // (RFC 9773 explanationURL: an incident, a revocation ahead).
  Time window_start = {};
  Time window_end = {};
  std::string explanation_url = {};
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Completes on the awaiting coroutine's executor. An Error is the reason the
  // request failed (the CSR does not parse, the CA has expired, ...).
  virtual asio::awaitable<Result<Issued>> sign(SignRequest request, SignContext context) = 0;
  // When the CA suggests renewing `certificate_pem` (its leaf first). CAs
  // without such advice answer offered = false, which is the default.
  virtual asio::awaitable<Result<SuggestedRenewal>> suggested_renewal(std::string certificate_pem);
};

}  // namespace certmill::issuers
