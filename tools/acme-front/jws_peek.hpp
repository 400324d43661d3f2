// Reading what an ACME client signed, without checking the signature: the
// front only needs the account (kid) and the new order's identifiers, profile
// and replaces to apply its limits, and the CA behind it verifies every
// signature anyway. Anything that is not a flattened JSON JWS (RFC 7515
// §7.2.2) with a JSON protected header is an error for a malformed problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/acme/problem.hpp"
#include "core/result.hpp"

namespace certmill::acmefront {

struct PeekedJws {
  std::string kid;      // the account URL; empty when the header carries a jwk
  std::string url;      // the URL the client signed for
  std::string payload;  // decoded; empty for POST-as-GET
};

Result<PeekedJws> peek_jws(std::string_view body);

struct NewOrderPayload {
  std::vector<acme::Identifier> identifiers;  // at least one
  std::string profile;                        // empty: none asked for
  std::string replaces;                       // empty: not a renewal
};

Result<NewOrderPayload> decode_new_order_payload(std::string_view json);

// base64url "." base64url, both non-empty (RFC 9773 §4.1): what a renewalInfo
// path and a `replaces` value must look like.
bool is_cert_id(std::string_view text);

}  // namespace certmill::acmefront
