// When to renew a certificate by the CA's word: RFC 9773 renewalInfo fetched
// for it and turned into the two times a controller acts on, the renewal
// itself (uniform inside the suggested window, now if the window has passed)
// and the next time to ask (the Retry-After, clamped). A CA without
// renewalInfo is an answer too: the caller keeps its own renewal time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/acme/ari.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "issuers/acme/client.hpp"

namespace certmill::issuers::acme {

struct RenewalInfo {
  // False when the CA's directory has no renewalInfo: nothing below is set,
  // and the caller renews on its own schedule.
  bool offered = false;
  Time renewal_time;    // never before the time asked
  Time retry_after_at;  // when to fetch renewalInfo again
  std::string explanation_url;
  certmill::acme::RenewalWindow window;  // as the CA sent it
};

// The pure half of renewal_info(): checks `window` against the certificate it
// is about and picks the times. Errors (Errc::invalid_value), which the caller
// treats as no answer (RFC 9773 §4.2): a window that starts at or after the
// certificate's notAfter (renewing then leaves it expired), or that ends before
// its notBefore (advice that predates the certificate, which renewing would
// not change: it would renew in a loop). A window that ends before `now` means
// renew now. `random` in [0, 1) picks the time inside the window.
Result<RenewalInfo> plan_renewal(const certmill::acme::RenewalInfo& answer, Time not_before,
                                 Time not_after, Time now,
                                 std::optional<std::chrono::seconds> retry_after, double random);

// Where in the CA's window a certificate renews, in [0, 1): derived from its
// CertID (its issuer's key and its serial), so asking the CA again for the
// same window never moves status.renewalTime, while a fleet's renewals
// still spread evenly over a shared window.
double renewal_draw(std::string_view cert_id);

// Fetches renewalInfo for the first certificate of `certificate_pem` (the
// leaf) with an unauthenticated GET of <renewalInfo>/<CertID> (RFC 9773 §4.1),
// on the client's clock. Errors carry the CA's Retry-After when it sent one.
asio::awaitable<Result<RenewalInfo>> renewal_info(Client& client, std::string_view certificate_pem);

}  // namespace certmill::issuers::acme
