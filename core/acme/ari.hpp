// ACME Renewal Information (RFC 9773): the CertID that names a certificate to
// the CA, the suggested renewal window the CA answers with, and the pure
// choices a client makes from it (when to renew, when to ask again).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::acme {

// base64url(AKI keyIdentifier) "." base64url(serial content octets) (§4.1).
// The serial keeps its DER two's-complement form, including a leading 0x00
// when the top bit is set, because the CA compares the octets as it encoded
// them. A certificate without an AKI keyIdentifier has no CertID: an error.
Result<std::string> ari_cert_id(X509* cert);
// The first certificate of `pem_or_der` (PEM text, or one DER certificate).
Result<std::string> ari_cert_id(std::string_view pem_or_der);

struct RenewalWindow {
  Time start;
  Time end;  // after start
  bool operator==(const RenewalWindow&) const = default;
};

struct RenewalInfo {
  RenewalWindow suggested_window;
  std::string explanation_url;
};

// Rejects a window whose end is not after its start (§4.2), which the client
// must not act on.
Result<RenewalInfo> decode_renewal_info(std::string_view json);

// A time uniformly distributed inside the window (§4.3.2), from `random` in
// [0, 1) that the caller drew; values outside are clamped, so the result is
// always in [start, end).
Time choose_renewal_time(const RenewalWindow& window, double random);

// How long to wait before asking for renewalInfo again: the server's
// Retry-After clamped to [min, max], or `fallback` when it sent none (§4.3.3).
struct AriPollBounds {
  std::chrono::seconds min{std::chrono::minutes(1)};
  std::chrono::seconds max{std::chrono::hours(24)};
  std::chrono::seconds fallback{std::chrono::hours(6)};
};
std::chrono::seconds ari_poll_interval(std::optional<std::chrono::seconds> retry_after,
                                       const AriPollBounds& bounds = {});

}  // namespace certmill::acme
