// Azure's answers and request bodies: Microsoft Entra's token answers (the
// client-credentials grant's and IMDS's), a DNS zone's TXT record set
// (API version 2018-05-01) with its ETag, and the errors of both, ARM's
// {"error": {"code", "message"}} and Entra's {"error", "error_description"},
// for the Challenge's reason. Pure; hostile bodies are errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::azuredns {

struct AccessToken {
  std::string value;  // secret: never logged
  std::chrono::seconds expires_in{0};
};

// {"access_token", "expires_in"}: Entra writes expires_in as a number, IMDS
// as a string.
Result<AccessToken> parse_token(std::string_view body);

// One TXT record of a set: its strings, which DNS joins into one value (a
// value longer than 255 octets is split across them).
using TxtStrings = std::vector<std::string>;

struct TxtSet {
  std::string etag;  // for If-Match
  int64_t ttl = 0;
  std::vector<TxtStrings> records;
};

// A record set's GET answer; `etag_header` stands in when the body has none.
Result<TxtSet> parse_txt_set(std::string_view body, std::string_view etag_header);

// The PUT body: {"properties": {"TTL", "TXTRecords": [{"value": [...]}]}}.
std::string txt_set_body(int64_t ttl, const std::vector<TxtStrings>& records);

// The value DNS serves for a record: its strings joined.
std::string joined(const TxtStrings& strings);

// ARM's error code ("ResourceNotFound"), from {"error": {"code"}} or a bare
// {"code"} (record sets answer a missing set so); empty when there is none.
std::string arm_error_code(std::string_view body);

// Why a call failed: "HTTP 401: AuthenticationFailed: ..." from ARM,
// "HTTP 401: invalid_client: AADSTS7000215: ..." from Entra (its first line
// only: the rest carries trace ids and a timestamp that change each time),
// else a bounded excerpt of the body.
std::string failure(unsigned status, std::string_view body);

}  // namespace certmill::solvers::azuredns
