// Decoding an UPDATE answer (RFC 2136 §3.8, RFC 8945 §5.3).
#include "solvers/dns/rfc2136/answer.hpp"

#include <system_error>

#include "solvers/dns/rfc2136/update_message.hpp"

namespace certmill::solvers::rfc2136 {
namespace {

constexpr std::size_t kHeader = 12;

Error malformed(const std::string& why) {
  return Error(std::make_error_code(std::errc::bad_message),
               "DNS update failed: the server's answer is malformed: " + why);
}

// SERVFAIL is the server's own failure, worth trying again; the others say
// the update or its key was refused.
Error refused(std::uint16_t rcode, const std::string& detail) {
  constexpr std::uint16_t kServfail = 2;
  return Error(std::make_error_code(rcode == kServfail ? std::errc::resource_unavailable_try_again
                                                       : std::errc::permission_denied),
               "DNS update failed. Server replied: " + rcode_name(rcode) + detail);
}

// What each TSIG error means for the Issuer's settings.
std::string tsig_detail(std::uint16_t error) {
  const std::string name = " (TSIG error " + tsig_error_name(error);
  switch (error) {
    case 16:
      return name +
             ": the server could not verify the signature: check the secret in "
             "tsigSecretSecretRef and tsigAlgorithm)";
    case 17:
      return name + ": the server does not know the key: check tsigKeyName and tsigAlgorithm)";
    case 18:
      return name + ": the server's clock and ours differ by more than " + std::to_string(kFudge) +
             " s)";
    default:
      return name + ")";
  }
}

std::uint16_t at16(std::span<const std::uint8_t> m, std::size_t i) {
  return static_cast<std::uint16_t>((m[i] << 8) | m[i + 1]);
}

}  // namespace

std::string rcode_name(std::uint16_t rcode) {
  static const char* const kNames[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                       "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                       "NXRRSET", "NOTAUTH", "NOTZONE"};
  return rcode < std::size(kNames) ? kNames[rcode] : "RCODE" + std::to_string(rcode);
}

std::string tsig_error_name(std::uint16_t error) {
  switch (error) {
    case 0:
      return "NOERROR";
    case 16:
      return "BADSIG";
    case 17:
      return "BADKEY";
    case 18:
      return "BADTIME";
    case 22:
      return "BADTRUNC";
    default:
      return "error " + std::to_string(error);
  }
}

bool answer_truncated(std::span<const std::uint8_t> answer, std::uint16_t id) {
  return answer.size() >= kHeader && at16(answer, 0) == id && (answer[2] & 0x80) != 0 &&
         (answer[2] & 0x02) != 0;
}

Status check_answer(std::span<const std::uint8_t> answer, const SentRequest& request,
                    std::uint64_t now) {
  if (answer.size() < kHeader)
    return malformed("shorter than a DNS header (" + std::to_string(answer.size()) + " octets)");
  if (at16(answer, 0) != request.id)
    return malformed("its ID " + std::to_string(at16(answer, 0)) + " is not the request's " +
                     std::to_string(request.id));
  if ((answer[2] & 0x80) == 0)
    return malformed("it is a request, not an answer");
  if (((answer[2] >> 3) & 0x0F) != kOpcodeUpdate)
    return malformed("its opcode is not UPDATE");
  if ((answer[2] & 0x02) != 0)
    return malformed("it is truncated (TC)");
  const std::uint16_t rcode = answer[3] & 0x0F;

  Reader reader(answer);
  (void)reader.bytes(kHeader);
  const std::uint16_t zones = at16(answer, 4);
  const std::size_t records = std::size_t{at16(answer, 6)} + at16(answer, 8) + at16(answer, 10);
  for (std::uint16_t i = 0; i < zones; ++i)
    if (!reader.name() || !reader.bytes(4))
      return malformed("it ends inside the zone section");
  std::optional<TsigRecord> tsig;
  std::size_t tsig_start = 0;
  for (std::size_t i = 0; i < records; ++i) {
    const std::size_t start = reader.offset();
    auto owner = reader.name();
    const auto type = reader.u16();
    const auto rr_class = reader.u16();
    const auto ttl = reader.u32();
    const auto length = reader.u16();
    if (!owner || !type || !rr_class || !ttl || !length)
      return malformed("it ends inside a record");
    if (*type != kTypeTsig) {
      if (!reader.bytes(*length))
        return malformed("it ends inside a record");
      continue;
    }
    if (i + 1 != records)
      return malformed("its TSIG record is not the last one");
    if (*rr_class != kClassAny || *ttl != 0)
      return malformed("its TSIG record's class is not ANY or its TTL not 0");
    tsig = read_tsig_rdata(reader, std::move(*owner), *length);
    if (!tsig)
      return malformed("its TSIG record does not fit its length");
    tsig_start = start;
  }
  if (!reader.at_end())
    return malformed("octets follow its last record");

  if (!request.key) {
    if (rcode != 0)
      return refused(rcode, "");
    return Status();
  }
  if (!tsig) {
    // An unsigned error answer is reported (it can only make the update
    // fail); an unsigned success cannot be trusted.
    if (rcode != 0)
      return refused(rcode, " (unsigned answer)");
    return malformed("the request was signed and the answer is not (no TSIG record)");
  }
  if (tsig->error != 0)
    return refused(rcode, tsig_detail(tsig->error));
  const auto key_name = encode_name(request.key->name);
  const auto algorithm = encode_name(tsig_algorithm_dns_name(request.key->algorithm));
  if (!key_name || !algorithm || tsig->key_name != *key_name || tsig->algorithm != *algorithm)
    return malformed("it is signed with another key or algorithm");

  std::vector<std::uint8_t> unsigned_answer(answer.begin(), answer.begin() + tsig_start);
  unsigned_answer[0] = static_cast<std::uint8_t>(tsig->original_id >> 8);
  unsigned_answer[1] = static_cast<std::uint8_t>(tsig->original_id);
  const std::uint16_t additional = at16(answer, 10) - 1;
  unsigned_answer[10] = static_cast<std::uint8_t>(additional >> 8);
  unsigned_answer[11] = static_cast<std::uint8_t>(additional);
  if (!answer_mac_matches(*request.key, request.mac, unsigned_answer, *tsig))
    return malformed("its TSIG MAC does not verify with the key " + request.key->name);
  const std::uint64_t skew =
      now > tsig->time_signed ? now - tsig->time_signed : tsig->time_signed - now;
  if (skew > tsig->fudge)
    return malformed("it was signed " + std::to_string(skew) + " s away from our time (BADTIME)");
  if (rcode != 0)
    return refused(rcode, "");
  return Status();
}

}  // namespace certmill::solvers::rfc2136
