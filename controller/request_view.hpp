// What the CertificateRequest cache keeps: which Certificate and revision it
// is for, where it stands (pending, issued, failed, denied), and fingerprints
// of what it asks for, to tell whether the Certificate's spec moved on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "controller/issued_facts.hpp"
#include "core/api/certificate.hpp"

namespace certmill::controller {

enum class RequestState : uint8_t { Pending, Issued, Failed, Denied, InvalidRequest };

struct RequestView {
  std::string namespace_;
  std::string name;
  std::string resource_version;
  std::string owner_uid;            // the Certificate that controls it
  std::optional<int32_t> revision;  // cert-manager.io/certificate-revision

  RequestState state = RequestState::Pending;
  // The condition that decided the state (Ready, Denied or InvalidRequest).
  std::string reason;
  std::string message;
  std::optional<Time> failure_time;

  api::IssuerRef issuer_ref;
  std::optional<Duration> duration;
  // Set when spec.request parses; csr_error says why it does not.
  std::optional<SpecDigests> asks;
  uint64_t public_key_digest = 0;
  std::string csr_error;
  // status.certificate's leaf, read when the request is Issued, so the status
  // written on completion already carries the new validity.
  std::optional<IssuedFacts> issued;

  bool operator==(const RequestView&) const = default;
};

RequestView project_request(api::CertificateRequest&& request);

}  // namespace certmill::controller
