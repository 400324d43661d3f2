// What the CertificateRequest cache keeps: which Certificate and revision it
// is for, where it stands (pending, issued, failed, denied), and fingerprints
// of what it asks for, to tell whether the Certificate's spec moved on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "controller/certificate_facts.hpp"
#include "controller/certificate_view.hpp"
#include "controller/compact_fields.hpp"
#include "core/api/certificate.hpp"

namespace certmill::controller {

enum class RequestState : uint8_t { Pending, Issued, Failed, Denied, InvalidRequest };
// What the Ready condition says, whatever decided the state: a Denied
// request is marked Ready=False/Denied once, and a request nobody's
// Certificate owns is told why it waits once.
enum class ReadyMark : uint8_t { Absent, Pending, Issued, Failed, Denied, Other };

// Fields are ordered by alignment, so that none pads.
struct RequestView {
  std::string namespace_;
  std::string name;
  std::string resource_version;
  IssuerRefView issuer_ref;
  // The Certificate that controls it; empty for a request no Certificate
  // owns (csi-driver's, istio-csr's, cmctl's), which RequestEffects serves.
  HashedKey owner_uid;
  // Set when spec.request parses; csr_error says why it does not.
  std::optional<SpecDigests> asks;
  // status.certificate's leaf, read when the request is Issued, so the status
  // written on completion already carries the new validity.
  std::optional<IssuedFacts> issued;
  uint64_t public_key_digest = 0;
  PackedOptional<Time> failure_time;
  PackedOptional<Duration> duration;
  // The condition that decided the state (Ready, Denied or InvalidRequest).
  // Its message is kept only when the request did not issue: nothing reads
  // the message of an issued one. For a Pending request it is Ready's.
  CompactText reason;
  Boxed<std::string> message;
  Boxed<std::string> csr_error;
  std::optional<int32_t> revision;  // cert-manager.io/certificate-revision
  RequestState state = RequestState::Pending;
  ReadyMark ready = ReadyMark::Absent;
  // status.certificate is set: the request was signed, whatever Ready says.
  bool has_certificate = false;
  // An approver set Approved=True (certmill signs only approved requests
  // when its own approver is off).
  bool approved = false;

  bool operator==(const RequestView&) const = default;
};

RequestView project_request(api::CertificateRequest&& request);

}  // namespace certmill::controller
