// What an HTTP-01 token may be, and where the CA looks for it. Shared by the
// responder, which serves tokens, and the routing objects, which put a
// token's path into an Ingress or HTTPRoute: a token outside base64url
// (RFC 8555 §8.1) never reaches either.
#pragma once

#include <string>
#include <string_view>

namespace certmill::solvers {

inline constexpr std::string_view kChallengePath = "/.well-known/acme-challenge/";

// Whether `token` is a non-empty run of base64url characters.
bool valid_token(std::string_view token);

// "/.well-known/acme-challenge/<token>" (RFC 8555 §8.3).
std::string challenge_path(std::string_view token);

}  // namespace certmill::solvers
