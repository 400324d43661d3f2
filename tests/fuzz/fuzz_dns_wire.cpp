// Fuzzer: DNS messages as a nameserver answers them — the propagation
// check's and self-check's answers (any record types, compressed names,
// truncation) and an RFC 2136 UPDATE's answer with or without a TSIG record
// checked against a request's key and MAC. Any bytes are a message or an
// error, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "solvers/dns/dns_message.hpp"
#include "solvers/dns/rfc2136/answer.hpp"

using namespace certmill::solvers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  (void)dns::parse_message(bytes);
  const std::uint16_t id = size >= 2 ? static_cast<std::uint16_t>(data[0] << 8 | data[1]) : 0;
  (void)rfc2136::answer_truncated(bytes, id);
  (void)rfc2136::check_answer(bytes, {.id = id, .key = std::nullopt, .mac = {}}, 1'765'000'000);
  rfc2136::TsigKey key;
  key.name = "acme-sha256.";
  key.algorithm = rfc2136::TsigAlgorithm::hmac_sha256;
  key.secret = "fuzzing-secret";
  (void)rfc2136::check_answer(bytes, {.id = id, .key = key, .mac = {9, 9, 9}}, 1'765'000'000);
  return 0;
}
