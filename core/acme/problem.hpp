// ACME errors as the CA sends them: RFC 7807 problem documents whose type is
// one of RFC 8555 §6.7's URNs (plus RFC 9773's alreadyReplaced), decoded into a
// typed value so callers can tell badNonce (retry now) from rateLimited (wait)
// from everything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"

namespace certmill::acme {

// An order's or authorization's identifier (RFC 8555 §9.7.7); a subproblem
// names the one it is about.
struct Identifier {
  std::string type;  // "dns", "ip"
  std::string value;
  bool operator==(const Identifier&) const = default;
};

// Starts at 1: the values double as std::error_code values, where 0 is success.
enum class ProblemType {
  Other = 1,  // a type this list does not know; Problem::type_uri keeps it
  AccountDoesNotExist,
  AlreadyReplaced,  // RFC 9773 §7.4: the `replaces` certificate was replaced already
  AlreadyRevoked,
  BadCSR,
  BadNonce,
  BadPublicKey,
  BadRevocationReason,
  BadSignatureAlgorithm,
  Caa,
  Compound,
  Connection,
  Dns,
  ExternalAccountRequired,
  IncorrectResponse,
  InvalidContact,
  InvalidProfile,  // draft-ietf-acme-profiles: the requested profile is unknown
  Malformed,
  OrderNotReady,
  RateLimited,
  RejectedIdentifier,
  ServerInternal,
  Tls,
  Unauthorized,
  UnsupportedContact,
  UnsupportedIdentifier,
  UserActionRequired,
};

// The short name after "urn:ietf:params:acme:error:" ("badNonce"); "other"
// for Other.
std::string_view problem_type_name(ProblemType type) noexcept;
// Other for anything that is not an ACME error URN in the list.
ProblemType problem_type_of(std::string_view type_uri) noexcept;

struct Problem {
  ProblemType type = ProblemType::Other;
  std::string type_uri;  // as sent; empty when the document had none
  std::string detail;
  int status = 0;  // the document's HTTP status; 0 when absent
  std::string instance;
  std::optional<Identifier> identifier;  // in subproblems
  std::vector<Problem> subproblems;      // one level, as RFC 8555 §6.7.1 defines
};

// Reads a problem document leniently: members of an unexpected type are
// skipped, an unknown type is kept as text. Only text that is not a JSON object
// is an error.
Result<Problem> decode_problem(std::string_view json);

// What to report for an error response whatever its body: the decoded problem,
// or one built from the HTTP status and a printable prefix of the body (a proxy's
// HTML page, an empty 503). `http_status` fills `status` when the body had none.
Problem problem_from_response(int http_status, std::string_view body);

// ACME problem types as error codes, so `error.code() == ProblemType::BadNonce`
// works on the Error that problem_error returns.
const std::error_category& acme_problem_category() noexcept;
inline std::error_code make_error_code(ProblemType type) noexcept {
  return {static_cast<int>(type), acme_problem_category()};
}

// "urn:ietf:params:acme:error:rateLimited (HTTP 429): too many new orders;
// dns example.com: ..." as an Error with the problem's type as its code.
Error problem_error(const Problem& problem);

}  // namespace certmill::acme

template <>
struct std::is_error_code_enum<certmill::acme::ProblemType> : std::true_type {};
