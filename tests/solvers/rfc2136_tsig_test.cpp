// TSIG (RFC 8945) signing: the HMACs against RFC 2202 / RFC 4231 vectors, and
// a signed request's TSIG record read back field by field, with its MAC
// recomputed here from the RFC's list of what it covers (§4.3.3).
#include <catch2/catch.hpp>

#include "solvers/dns/rfc2136/tsig.hpp"
#include "solvers/dns/rfc2136/update_message.hpp"

using namespace certmill;
using namespace certmill::solvers::rfc2136;

namespace {

std::string hex(const Bytes& b) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t c : b)
    out += {digits[c >> 4], digits[c & 15]};
  return out;
}

}  // namespace

TEST_CASE("each TSIG algorithm's HMAC matches RFC 2202 and RFC 4231 test case 2", "[rfc2136]") {
  const std::string data = "what do ya want for nothing?";
  const std::span<const std::uint8_t> input(reinterpret_cast<const std::uint8_t*>(data.data()),
                                            data.size());
  const std::pair<TsigAlgorithm, const char*> vectors[] = {
      {TsigAlgorithm::hmac_md5, "750c783e6ab0b503eaa86e310a5db738"},
      {TsigAlgorithm::hmac_sha1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {TsigAlgorithm::hmac_sha256,
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {TsigAlgorithm::hmac_sha512,
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f"
       "8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
  };
  for (const auto& [algorithm, expected] : vectors)
    CHECK(hex(hmac({"k", algorithm, "Jefe"}, input)) == expected);
}

TEST_CASE("a signed request carries a TSIG record whose MAC covers the message and variables",
          "[rfc2136]") {
  for (const TsigAlgorithm algorithm : {TsigAlgorithm::hmac_md5, TsigAlgorithm::hmac_sha1,
                                        TsigAlgorithm::hmac_sha256, TsigAlgorithm::hmac_sha512}) {
    INFO(tsig_algorithm_name(algorithm));
    const TsigKey key{"Acme-Key.", algorithm, "0123456789abcdef"};
    const Bytes unsigned_request =
        encode_update(0x4242, {"example.test", "_acme-challenge.example.test", "v", Change::add})
            .value();
    Bytes request = unsigned_request;
    auto mac = sign_request(request, key, 0x0000'6543'2109ULL);
    REQUIRE(mac.ok());

    // ARCOUNT counts the TSIG record; nothing before it changed.
    CHECK(request[10] == 0);
    CHECK(request[11] == 1);
    CHECK(std::equal(unsigned_request.begin() + 12, unsigned_request.end(), request.begin() + 12));

    Reader reader(request);
    REQUIRE(reader.bytes(unsigned_request.size()));
    const auto owner = reader.name();
    REQUIRE(owner);
    CHECK(*owner == encode_name("acme-key").value());
    CHECK(reader.u16() == kTypeTsig);
    CHECK(reader.u16() == kClassAny);
    CHECK(reader.u32() == 0u);
    const auto length = reader.u16();
    REQUIRE(length);
    const auto tsig = read_tsig_rdata(reader, *owner, *length);
    REQUIRE(tsig);
    CHECK(reader.at_end());
    CHECK(tsig->algorithm == encode_name(tsig_algorithm_dns_name(algorithm)).value());
    CHECK(tsig->time_signed == 0x6543'2109ULL);
    CHECK(tsig->fudge == 300);
    CHECK(tsig->original_id == 0x4242);
    CHECK(tsig->error == 0);
    CHECK(tsig->other.empty());
    CHECK(tsig->mac == *mac);

    // RFC 8945 §4.3.3: the message as it was before the TSIG record, then the
    // key name, class ANY, TTL 0, algorithm, 48-bit time, fudge, error,
    // other length (all laid out here by hand).
    Bytes covered = unsigned_request;
    covered.insert(covered.end(), owner->begin(), owner->end());
    covered.insert(covered.end(), {0, 255, 0, 0, 0, 0});
    covered.insert(covered.end(), tsig->algorithm.begin(), tsig->algorithm.end());
    covered.insert(covered.end(), {0, 0, 0x65, 0x43, 0x21, 0x09, 1, 44, 0, 0, 0, 0});
    CHECK(hex(*mac) == hex(hmac(key, covered)));
  }
}

TEST_CASE("signing refuses a key name DNS cannot carry and a message without a header",
          "[rfc2136]") {
  Bytes message = encode_update(1, {"example.test", "a.example.test", "v", Change::add}).value();
  CHECK_FALSE(sign_request(message, {"a..b", TsigAlgorithm::hmac_sha256, "s"}, 1).ok());
  Bytes short_message{1, 2, 3};
  CHECK_FALSE(sign_request(short_message, {"k", TsigAlgorithm::hmac_sha256, "s"}, 1).ok());
}
