// TSIG signing and answer MACs with OpenSSL's one-shot HMAC (RFC 8945 §4.3,
// §5.1, §5.3).
#include "solvers/dns/rfc2136/tsig.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "solvers/dns/rfc2136/update_message.hpp"

namespace certmill::solvers::rfc2136 {
namespace {

struct Names {
  TsigAlgorithm algorithm;
  std::string_view cert_manager;
  std::string_view dns;
};

constexpr Names kNames[] = {
    {TsigAlgorithm::hmac_md5, "HMACMD5", "hmac-md5.sig-alg.reg.int"},
    {TsigAlgorithm::hmac_sha1, "HMACSHA1", "hmac-sha1"},
    {TsigAlgorithm::hmac_sha256, "HMACSHA256", "hmac-sha256"},
    {TsigAlgorithm::hmac_sha512, "HMACSHA512", "hmac-sha512"},
};

const Names& names(TsigAlgorithm algorithm) {
  return *std::find_if(std::begin(kNames), std::end(kNames),
                       [&](const Names& n) { return n.algorithm == algorithm; });
}

const EVP_MD* digest(TsigAlgorithm algorithm) {
  switch (algorithm) {
    case TsigAlgorithm::hmac_md5:
      return EVP_md5();
    case TsigAlgorithm::hmac_sha1:
      return EVP_sha1();
    case TsigAlgorithm::hmac_sha256:
      return EVP_sha256();
    case TsigAlgorithm::hmac_sha512:
      return EVP_sha512();
  }
  return EVP_md5();
}

// The TSIG variables after the key name (§4.3.3): class ANY, TTL 0, the
// algorithm, the time, fudge, error and other data.
void put_variables(Bytes& out, const TsigRecord& r) {
  out.insert(out.end(), r.key_name.begin(), r.key_name.end());
  put_u16(out, kClassAny);
  put_u32(out, 0);
  out.insert(out.end(), r.algorithm.begin(), r.algorithm.end());
  put_u48(out, r.time_signed);
  put_u16(out, r.fudge);
  put_u16(out, r.error);
  put_u16(out, static_cast<std::uint16_t>(r.other.size()));
  out.insert(out.end(), r.other.begin(), r.other.end());
}

}  // namespace

Result<TsigAlgorithm> parse_tsig_algorithm(std::string_view name) {
  if (name.empty())
    return TsigAlgorithm::hmac_md5;
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const Names& n : kNames)
    if (n.cert_manager == upper)
      return n.algorithm;
  return Error(Errc::invalid_value, "algorithm '" + std::string(name) +
                                        "' is not supported (HMACMD5, HMACSHA1, HMACSHA256 "
                                        "or HMACSHA512)");
}

std::string_view tsig_algorithm_dns_name(TsigAlgorithm algorithm) {
  return names(algorithm).dns;
}
std::string_view tsig_algorithm_name(TsigAlgorithm algorithm) {
  return names(algorithm).cert_manager;
}

std::optional<TsigRecord> read_tsig_rdata(Reader& reader, Bytes key_name, std::uint16_t length) {
  const std::size_t end = reader.offset() + length;
  TsigRecord r;
  r.key_name = std::move(key_name);
  auto algorithm = reader.name();
  const auto time = reader.u48();
  const auto fudge = reader.u16();
  const auto mac_size = reader.u16();
  if (!algorithm || !time || !fudge || !mac_size)
    return std::nullopt;
  const auto mac = reader.bytes(*mac_size);
  const auto original_id = reader.u16();
  const auto error = reader.u16();
  const auto other_size = reader.u16();
  if (!mac || !original_id || !error || !other_size)
    return std::nullopt;
  const auto other = reader.bytes(*other_size);
  if (!other || reader.offset() != end)
    return std::nullopt;
  r.algorithm = std::move(*algorithm);
  r.time_signed = *time;
  r.fudge = *fudge;
  r.mac.assign(mac->begin(), mac->end());
  r.original_id = *original_id;
  r.error = *error;
  r.other.assign(other->begin(), other->end());
  return r;
}

Bytes hmac(const TsigKey& key, std::span<const std::uint8_t> data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  HMAC(digest(key.algorithm), key.secret.data(), static_cast<int>(key.secret.size()), data.data(),
       data.size(), out.data(), &size);
  out.resize(size);
  return out;
}

Result<Bytes> sign_request(Bytes& message, const TsigKey& key, std::uint64_t now) {
  if (message.size() < 12)
    return Error(Errc::invalid_argument, "a DNS message has a 12-octet header");
  TsigRecord r;
  auto key_name = encode_name(key.name);
  if (!key_name)
    return Error(key_name.error().code(), "tsigKeyName: " + key_name.error().message());
  r.key_name = std::move(*key_name);
  r.algorithm = encode_name(tsig_algorithm_dns_name(key.algorithm)).value();
  r.time_signed = now;
  r.fudge = kFudge;
  r.original_id = static_cast<std::uint16_t>((message[0] << 8) | message[1]);

  Bytes signed_data = message;
  put_variables(signed_data, r);
  r.mac = hmac(key, signed_data);

  const std::uint16_t additional = static_cast<std::uint16_t>((message[10] << 8) | message[11]) + 1;
  message[10] = static_cast<std::uint8_t>(additional >> 8);
  message[11] = static_cast<std::uint8_t>(additional);
  Bytes rdata = r.algorithm;
  put_u48(rdata, r.time_signed);
  put_u16(rdata, r.fudge);
  put_u16(rdata, static_cast<std::uint16_t>(r.mac.size()));
  rdata.insert(rdata.end(), r.mac.begin(), r.mac.end());
  put_u16(rdata, r.original_id);
  put_u16(rdata, r.error);
  put_u16(rdata, 0);
  message.insert(message.end(), r.key_name.begin(), r.key_name.end());
  put_u16(message, kTypeTsig);
  put_u16(message, kClassAny);
  put_u32(message, 0);
  put_u16(message, static_cast<std::uint16_t>(rdata.size()));
  message.insert(message.end(), rdata.begin(), rdata.end());
  return r.mac;
}

bool answer_mac_matches(const TsigKey& key, std::span<const std::uint8_t> request_mac,
                        std::span<const std::uint8_t> unsigned_answer, const TsigRecord& record) {
  Bytes data;
  put_u16(data, static_cast<std::uint16_t>(request_mac.size()));
  data.insert(data.end(), request_mac.begin(), request_mac.end());
  data.insert(data.end(), unsigned_answer.begin(), unsigned_answer.end());
  put_variables(data, record);
  const Bytes expected = hmac(key, data);
  // A truncated MAC (§5.2.2.1) is not accepted: BIND sends the whole one.
  return record.mac.size() == expected.size() &&
         CRYPTO_memcmp(record.mac.data(), expected.data(), expected.size()) == 0;
}

}  // namespace certmill::solvers::rfc2136
