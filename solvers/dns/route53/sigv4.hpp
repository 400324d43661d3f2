// AWS Signature Version 4 for the services certmill calls (Route 53, STS):
// the canonical request, the string to sign, the derived key and the
// Authorization header. Pure: the time is a parameter and nothing is sent.
// S3's variant (a path that is not encoded again) is not implemented.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::route53 {

struct Credentials {
  std::string access_key_id = {};
  std::string secret_access_key = {};
  std::string session_token = {};  // empty for long-term keys
};

struct Header {
  std::string name = {};
  std::string value = {};
};

struct QueryParam {
  std::string name = {};   // decoded
  std::string value = {};  // decoded
};

struct SigningRequest {
  std::string_view method = {};  // "GET", "POST"
  // The path exactly as written on the request line, without the query: it
  // is normalised (empty, "." and ".." segments removed) and each segment is
  // URI-encoded once more, as SigV4 does for every service but S3. Route 53's
  // paths ("/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset") encode to
  // themselves.
  std::string_view path = {};
  // Decoded; send canonical_query(query) as the request's query string so
  // that what is signed is what is sent.
  std::vector<QueryParam> query = {};
  // The headers to sign, Host among them. Names in any case; duplicates are
  // joined in the given order. X-Amz-Date, X-Amz-Security-Token and
  // Authorization are the signer's to add.
  std::vector<Header> headers = {};
  std::string_view payload = {};
};

struct Signature {
  // To add to the request: X-Amz-Date, X-Amz-Security-Token when the
  // credentials have a session token (it is signed), then Authorization.
  std::vector<Header> headers = {};
  // The intermediate steps, for tests and for debugging a 403.
  std::string canonical_request = {};
  std::string string_to_sign = {};
  std::string signature = {};  // lowercase hex
};

// Errors: empty credentials, region or service; no Host header; a header
// the signer adds; a header name that is not a token, or a header value or
// session token with a control character (a line break would split the
// request).
Result<Signature> sign_v4(const SigningRequest& request, const Credentials& credentials,
                          std::string_view region, std::string_view service,
                          std::chrono::system_clock::time_point now);

// Names and values encoded, sorted by name then value, joined with '&'.
std::string canonical_query(const std::vector<QueryParam>& query);

// Lowercase hex of SHA-256, as the canonical request carries the payload's.
std::string sha256_hex(std::string_view data);

}  // namespace certmill::solvers::route53
