// What one HTTP answer to the HTTP-01 self-check means, without I/O: the key
// authorization (the CA will see it too), a redirect to follow, or why the CA
// would fail the challenge, worded as cert-manager words it so operators'
// searches for "wrong status code" or "did not get expected response" find
// the same advice. A body the check reads is hostile input: what an error
// quotes of it is short and printable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::solvers {

// An http:// URL taken apart.
struct HttpTarget {
  std::string host;
  unsigned short port = 80;
  std::string path;

  bool operator==(const HttpTarget&) const = default;
};

// "host[:port]" ("[v6]:port" for an IPv6 literal), the port left out when it
// is 80: the Host header, and the middle of describe()'s URL.
std::string authority(const HttpTarget& target);
// "http://host[:port]/path".
std::string describe(const HttpTarget& target);

// Where a redirect from `from` with `location` leads: an absolute http:// URL
// or a path on the same host. https:// and other schemes are errors saying
// what to change (the check, like cert-manager's, does not speak TLS to a
// host that has no certificate yet).
Result<HttpTarget> redirect_target(const HttpTarget& from, std::string_view location);

struct AnswerVerdict {
  Status status;                          // ok: the key authorization came back
  std::optional<HttpTarget> redirect_to;  // set with an ok status: follow it
};

// `status`, `location` (empty when absent) and `body` as the server sent
// them for `asked`. RFC 8555 §8.3: the body is the key authorization; the
// CA ignores trailing whitespace, so the check does too.
AnswerVerdict judge_answer(const HttpTarget& asked, unsigned status, std::string_view location,
                           std::string_view body, std::string_view key_authorization);

}  // namespace certmill::solvers
