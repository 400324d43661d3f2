// Judging the server's answer to a signed UPDATE. The answers are built here
// as RFC 8945 §5.3 has a server sign them (request MAC, answer, variables),
// so a success round-trips; every RCODE and TSIG error is named as a
// Challenge would show it; and every malformed answer (each prefix, each
// flipped octet, wrong ID, no TSIG, bad MAC, stale time, random octets) is an
// error, never a crash.
#include <random>

#include <catch2/catch.hpp>

#include "solvers/dns/rfc2136/answer.hpp"
#include "solvers/dns/rfc2136/update_message.hpp"

using namespace certmill;
using namespace certmill::solvers::rfc2136;

namespace {

constexpr std::uint16_t kId = 0x5151;
constexpr std::uint64_t kNow = 1'800'000'000;
const TsigKey kKey{"acme-key", TsigAlgorithm::hmac_sha256, "not a real secret"};

struct Exchange {
  Bytes request;  // unsigned
  SentRequest sent;
};

Exchange signed_request() {
  Exchange e;
  e.request = encode_update(kId, {"example.test", "_acme-challenge.example.test", "v", Change::add})
                  .value();
  Bytes signed_copy = e.request;
  e.sent = {kId, kKey, sign_request(signed_copy, kKey, kNow).value()};
  return e;
}

struct AnswerOptions {
  std::uint8_t rcode = 0;
  std::uint16_t tsig_error = 0;
  bool sign = true;  // false: an empty MAC, as with BADSIG and BADKEY
  std::int64_t skew = 0;
  std::optional<TsigKey> key = kKey;
};

// The server's answer: the request echoed with QR and the RCODE, then a TSIG
// record made as §5.3 says.
Bytes answer(const Exchange& e, const AnswerOptions& o = {}) {
  Bytes out = e.request;
  out[2] |= 0x80;
  out[3] = o.rcode;
  if (!o.key)
    return out;
  const Bytes name = encode_name(o.key->name).value();
  const Bytes algorithm = encode_name(tsig_algorithm_dns_name(o.key->algorithm)).value();
  const std::uint64_t time = kNow + o.skew;
  Bytes variables = name;
  put_u16(variables, kClassAny);
  put_u32(variables, 0);
  variables.insert(variables.end(), algorithm.begin(), algorithm.end());
  put_u48(variables, time);
  put_u16(variables, kFudge);
  put_u16(variables, o.tsig_error);
  put_u16(variables, 0);
  Bytes covered;
  put_u16(covered, static_cast<std::uint16_t>(e.sent.mac.size()));
  covered.insert(covered.end(), e.sent.mac.begin(), e.sent.mac.end());
  covered.insert(covered.end(), out.begin(), out.end());
  covered.insert(covered.end(), variables.begin(), variables.end());
  const Bytes mac = o.sign ? hmac(*o.key, covered) : Bytes();

  Bytes rdata = algorithm;
  put_u48(rdata, time);
  put_u16(rdata, kFudge);
  put_u16(rdata, static_cast<std::uint16_t>(mac.size()));
  rdata.insert(rdata.end(), mac.begin(), mac.end());
  put_u16(rdata, kId);
  put_u16(rdata, o.tsig_error);
  put_u16(rdata, 0);
  out[11] = 1;
  out.insert(out.end(), name.begin(), name.end());
  put_u16(out, kTypeTsig);
  put_u16(out, kClassAny);
  put_u32(out, 0);
  put_u16(out, static_cast<std::uint16_t>(rdata.size()));
  out.insert(out.end(), rdata.begin(), rdata.end());
  return out;
}

std::string failure(const Bytes& answer, const SentRequest& sent) {
  const Status status = check_answer(answer, sent, kNow);
  REQUIRE_FALSE(status.ok());
  return status.error().message();
}

}  // namespace

TEST_CASE("a signed NOERROR answer to a signed update is success", "[rfc2136]") {
  const Exchange e = signed_request();
  CHECK(check_answer(answer(e), e.sent, kNow).ok());
  // Within the fudge on either side.
  CHECK(check_answer(answer(e, {.skew = 300}), e.sent, kNow).ok());
  CHECK(check_answer(answer(e, {.skew = -300}), e.sent, kNow).ok());
}

TEST_CASE("an unsigned update's answer needs no TSIG", "[rfc2136]") {
  const Exchange e = signed_request();
  const SentRequest unsigned_request{kId, std::nullopt, {}};
  CHECK(check_answer(answer(e, {.key = std::nullopt}), unsigned_request, kNow).ok());
  CHECK_THAT(failure(answer(e, {.rcode = 5, .key = std::nullopt}), unsigned_request),
             Catch::Equals("DNS update failed. Server replied: REFUSED"));
}

TEST_CASE("RCODEs are named as cert-manager shows them", "[rfc2136]") {
  const Exchange e = signed_request();
  const std::pair<std::uint8_t, const char*> cases[] = {
      {1, "FORMERR"}, {2, "SERVFAIL"}, {4, "NOTIMP"},  {5, "REFUSED"},
      {9, "NOTAUTH"}, {10, "NOTZONE"}, {8, "NXRRSET"}, {15, "RCODE15"},
  };
  for (const auto& [rcode, name] : cases)
    CHECK(failure(answer(e, {.rcode = rcode}), e.sent) ==
          std::string("DNS update failed. Server replied: ") + name);
  // An error answer the server could not sign is still reported.
  CHECK(failure(answer(e, {.rcode = 5, .key = std::nullopt}), e.sent) ==
        "DNS update failed. Server replied: REFUSED (unsigned answer)");
}

TEST_CASE("TSIG errors are named with what to check", "[rfc2136]") {
  const Exchange e = signed_request();
  const auto badsig = failure(answer(e, {.rcode = 9, .tsig_error = 16, .sign = false}), e.sent);
  CHECK_THAT(badsig, Catch::StartsWith("DNS update failed. Server replied: NOTAUTH (TSIG error "
                                       "BADSIG"));
  CHECK_THAT(badsig, Catch::Contains("tsigSecretSecretRef"));
  const auto badkey = failure(answer(e, {.rcode = 9, .tsig_error = 17, .sign = false}), e.sent);
  CHECK_THAT(badkey, Catch::Contains("NOTAUTH (TSIG error BADKEY"));
  CHECK_THAT(badkey, Catch::Contains("tsigKeyName"));
  const auto badtime = failure(answer(e, {.rcode = 9, .tsig_error = 18, .skew = 1000}), e.sent);
  CHECK_THAT(badtime, Catch::Contains("NOTAUTH (TSIG error BADTIME"));
  CHECK_THAT(badtime, Catch::Contains("clock"));
  CHECK(tsig_error_name(22) == "BADTRUNC");
  CHECK(tsig_error_name(99) == "error 99");
}

TEST_CASE("an answer whose header does not match the request is an error", "[rfc2136]") {
  const Exchange e = signed_request();
  Bytes wrong_id = answer(e);
  wrong_id[1] ^= 1;
  CHECK_THAT(failure(wrong_id, e.sent), Catch::Contains("is not the request's"));
  Bytes query = answer(e);
  query[2] &= 0x7F;
  CHECK_THAT(failure(query, e.sent), Catch::Contains("not an answer"));
  Bytes opcode = answer(e);
  opcode[2] = 0x80;
  CHECK_THAT(failure(opcode, e.sent), Catch::Contains("opcode"));
}

TEST_CASE("TC marks an answer to retry over TCP", "[rfc2136]") {
  const Exchange e = signed_request();
  Bytes truncated = answer(e);
  CHECK_FALSE(answer_truncated(truncated, kId));
  truncated[2] |= 0x02;
  CHECK(answer_truncated(truncated, kId));
  CHECK_FALSE(answer_truncated(truncated, kId + 1));
  CHECK_FALSE(answer_truncated(Bytes{0x51, 0x51, 0x82}, kId));
  CHECK_THAT(failure(truncated, e.sent), Catch::Contains("truncated (TC)"));
}

TEST_CASE("an unsigned success, a bad MAC, another key or a stale time is an error", "[rfc2136]") {
  const Exchange e = signed_request();
  CHECK_THAT(failure(answer(e, {.key = std::nullopt}), e.sent),
             Catch::Contains("the answer is not (no TSIG record)"));
  CHECK_THAT(failure(answer(e, {.sign = false}), e.sent), Catch::Contains("does not verify"));
  Bytes bad_mac = answer(e);
  bad_mac[bad_mac.size() - 10] ^= 0x01;  // inside the MAC
  CHECK_THAT(failure(bad_mac, e.sent), Catch::Contains("does not verify"));
  const TsigKey other{"other-key", TsigAlgorithm::hmac_sha256, kKey.secret};
  CHECK_THAT(failure(answer(e, {.key = other}), e.sent), Catch::Contains("another key"));
  const TsigKey sha1{kKey.name, TsigAlgorithm::hmac_sha1, kKey.secret};
  CHECK_THAT(failure(answer(e, {.key = sha1}), e.sent), Catch::Contains("another key"));
  const TsigKey wrong_secret{kKey.name, kKey.algorithm, "another secret"};
  CHECK_THAT(failure(answer(e, {.key = wrong_secret}), e.sent), Catch::Contains("does not verify"));
  CHECK_THAT(failure(answer(e, {.skew = 301}), e.sent), Catch::Contains("BADTIME"));
  SentRequest invalid_key = e.sent;
  invalid_key.key->name = "a..b";
  CHECK_THAT(failure(answer(e), invalid_key), Catch::Contains("another key"));
  // The MAC covers the request's MAC: an answer to another request fails.
  SentRequest other_request = e.sent;
  other_request.mac[0] ^= 1;
  CHECK_THAT(failure(answer(e), other_request), Catch::Contains("does not verify"));
}

TEST_CASE("every prefix of an answer is an error", "[rfc2136]") {
  const Exchange e = signed_request();
  const Bytes whole = answer(e);
  for (std::size_t size = 0; size < whole.size(); ++size) {
    INFO(size);
    CHECK_FALSE(check_answer(std::span(whole).first(size), e.sent, kNow).ok());
  }
}

TEST_CASE("every flipped octet of a signed answer is an error", "[rfc2136]") {
  const Exchange e = signed_request();
  const Bytes whole = answer(e);
  for (std::size_t at = 0; at < whole.size(); ++at) {
    for (std::uint8_t bit : {0x01, 0x80}) {
      Bytes changed = whole;
      changed[at] ^= bit;
      INFO(at << " " << int(bit));
      CHECK_FALSE(check_answer(changed, e.sent, kNow).ok());
    }
  }
}

TEST_CASE("trailing octets, misplaced TSIG and looping names are errors", "[rfc2136]") {
  const Exchange e = signed_request();
  Bytes trailing = answer(e);
  trailing.push_back(0);
  CHECK_THAT(failure(trailing, e.sent), Catch::Contains("octets follow"));

  // A record after the TSIG record.
  Bytes misplaced = answer(e);
  misplaced[11] = 2;
  misplaced.insert(misplaced.end(), {0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0});
  CHECK_THAT(failure(misplaced, e.sent), Catch::Contains("not the last one"));

  // A zone name that points at itself, and one that points forward.
  Bytes loop = answer(e, {.key = std::nullopt});
  loop[12] = 0xC0;
  loop[13] = 12;
  CHECK_THAT(failure(loop, e.sent), Catch::Contains("zone section"));
  loop[13] = 40;
  CHECK_THAT(failure(loop, e.sent), Catch::Contains("zone section"));
}

TEST_CASE("a compressed owner name in the answer is followed", "[rfc2136]") {
  const Exchange e = signed_request();
  // The update record's owner as a pointer to the zone name at offset 12
  // would change the MAC; unsigned answers show the reader follows it.
  Bytes compressed = e.request;
  compressed[2] |= 0x80;
  const std::size_t record = 12 + 14 + 4;  // header, example.test, SOA IN
  // "_acme-challenge" then a pointer to example.test.
  compressed.erase(compressed.begin() + record + 16, compressed.begin() + record + 30);
  compressed.insert(compressed.begin() + record + 16, {0xC0, 12});
  CHECK(check_answer(compressed, {kId, std::nullopt, {}}, kNow).ok());
}

TEST_CASE("random octets never crash the answer check", "[rfc2136]") {
  std::mt19937 random(2136);
  const Exchange e = signed_request();
  const Bytes whole = answer(e);
  int errors = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes noise(random() % 160);
    for (auto& b : noise)
      b = static_cast<std::uint8_t>(random());
    if (noise.size() > 2 && i % 2 == 0) {  // keep the ID so that the parse goes further
      noise[0] = kId >> 8;
      noise[1] = kId & 0xFF;
      noise[2] = 0xA8;
      std::copy_n(whole.begin() + 3, std::min<std::size_t>(noise.size(), 12) - 3,
                  noise.begin() + 3);
    }
    errors += check_answer(noise, e.sent, kNow).ok() ? 0 : 1;
  }
  CHECK(errors == 20000);
}
