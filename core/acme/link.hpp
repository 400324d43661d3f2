// The HTTP response headers an ACME client acts on besides Replay-Nonce: Link
// (RFC 8288; ACME uses rel="up" for the issuer chain and rel="alternate" for
// alternate chains, RFC 8555 §7.4.2) and Retry-After (RFC 9110 §10.2.3).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace certmill::acme {

// The targets of every link in `header_value` whose rel includes `rel`
// (compared case-insensitively; rel may list several types). Targets are
// returned as written, in order. A malformed link is skipped, not fatal: one
// bad entry must not hide the chains after it.
std::vector<std::string> link_targets(std::string_view header_value, std::string_view rel);

// The same over every Link header of a response, in header order.
std::vector<std::string> link_targets(const std::vector<std::string>& header_values,
                                      std::string_view rel);

// Seconds to wait from `now`: delta-seconds, or an HTTP-date in any of the
// three forms RFC 9110 §5.6.7 requires recipients to accept. A date in the past
// is zero; huge values saturate at 100 years rather than overflow. Garbage is
// nullopt, so the caller falls back to its own backoff.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, Time now);

// An HTTP-date (IMF-fixdate, RFC 850 or asctime form) as a UTC time.
std::optional<Time> parse_http_date(std::string_view text);

}  // namespace certmill::acme
