// TSIG (RFC 8945): signing a request and checking the MAC of the server's
// answer with a shared HMAC key, as cert-manager's rfc2136 provider configures
// it (tsigKeyName, tsigAlgorithm, the secret). Pure: the time is a parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "solvers/dns/rfc2136/wire.hpp"

namespace certmill::solvers::rfc2136 {

enum class TsigAlgorithm { hmac_md5, hmac_sha1, hmac_sha256, hmac_sha512 };

// cert-manager's names, in any case: HMACMD5 (also the default, for an empty
// name), HMACSHA1, HMACSHA256, HMACSHA512.
Result<TsigAlgorithm> parse_tsig_algorithm(std::string_view name);
// The algorithm's DNS name (RFC 8945 §6), e.g. "hmac-sha256".
std::string_view tsig_algorithm_dns_name(TsigAlgorithm algorithm);
// cert-manager's name, for messages.
std::string_view tsig_algorithm_name(TsigAlgorithm algorithm);

struct TsigKey {
  std::string name = {};  // tsigKeyName
  TsigAlgorithm algorithm = TsigAlgorithm::hmac_md5;
  std::string secret = {};  // the decoded secret, raw octets
};

inline constexpr std::uint16_t kTypeTsig = 250;
// Seconds the two clocks may differ; cert-manager's (and RFC 8945's) 300.
inline constexpr std::uint16_t kFudge = 300;

// A TSIG RR's RDATA (RFC 8945 §4.2) with its owner name.
struct TsigRecord {
  Bytes key_name = {};   // canonical wire form
  Bytes algorithm = {};  // canonical wire form
  std::uint64_t time_signed = 0;
  std::uint16_t fudge = 0;
  Bytes mac = {};
  std::uint16_t original_id = 0;
  std::uint16_t error = 0;
  Bytes other = {};
};

// Reads RDATA of `length` octets; nullopt when it does not fit.
std::optional<TsigRecord> read_tsig_rdata(Reader& reader, Bytes key_name, std::uint16_t length);

// HMAC of `data` with the key's algorithm and secret.
Bytes hmac(const TsigKey& key, std::span<const std::uint8_t> data);

// Signs an unsigned request in place (appends the TSIG RR and counts it in
// ARCOUNT) with the time `now` (seconds since the epoch); returns the MAC,
// which the answer's MAC covers (§5.3).
Result<Bytes> sign_request(Bytes& message, const TsigKey& key, std::uint64_t now);

// Whether `record`'s MAC is the one the key gives over the request's MAC,
// `unsigned_answer` (the answer without its TSIG RR, its ARCOUNT one less and
// its ID the original ID) and the record's TSIG variables (§4.3, §5.3).
bool answer_mac_matches(const TsigKey& key, std::span<const std::uint8_t> request_mac,
                        std::span<const std::uint8_t> unsigned_answer, const TsigRecord& record);

}  // namespace certmill::solvers::rfc2136
