// The server's answer to an UPDATE, judged: its header matches the request,
// its TSIG (when the request was signed) verifies, and its RCODE and TSIG
// error become messages that name them as cert-manager shows them in a
// Challenge's reason ("DNS update failed. Server replied: NOTAUTH"), with
// what the TSIG error means. Malformed answers are errors, never crashes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"
#include "solvers/dns/rfc2136/tsig.hpp"

namespace certmill::solvers::rfc2136 {

// What checking an answer needs to know of the request.
struct SentRequest {
  std::uint16_t id = 0;
  std::optional<TsigKey> key = {};  // none: the request was not signed
  Bytes mac = {};                   // the request's MAC, when signed
};

// RFC 1035 / 2136 / 8945 mnemonics ("NOTAUTH", "BADSIG"), or the number.
std::string rcode_name(std::uint16_t rcode);
std::string tsig_error_name(std::uint16_t error);

// Whether `answer` is the reply to request `id` with TC set: it was cut to
// fit a UDP datagram, and the request must go again over TCP.
bool answer_truncated(std::span<const std::uint8_t> answer, std::uint16_t id);

// Success when the server applied the update; `now` (seconds since the
// epoch) checks the signed answer's time against its fudge.
Status check_answer(std::span<const std::uint8_t> answer, const SentRequest& request,
                    std::uint64_t now);

}  // namespace certmill::solvers::rfc2136
