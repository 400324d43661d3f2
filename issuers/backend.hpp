// The interface every issuer backend implements (SelfSigned and CA now, ACME
// and Vault later): a CertificateRequest's CSR in, a chain out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/api/certificate.hpp"
#include "core/result.hpp"

namespace certmill::issuers {

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

class Backend {
 public:
  virtual ~Backend() = default;
  // Completes on the awaiting coroutine's executor. An Error is the reason the
  // request failed (the CSR does not parse, the CA has expired, ...).
  virtual asio::awaitable<Result<Issued>> sign(SignRequest request) = 0;
};

}  // namespace certmill::issuers
