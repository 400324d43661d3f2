// Cloud DNS v1's messages: managed zones listed by dnsName, a name's TXT
// resource record set (rrdatas in presentation form, quoted), the change
// that swaps a set ({"deletions": [...], "additions": [...]}) and its status,
// and Google's error body {"error": {"code", "message", "status"}} for the
// Challenge's reason. Pure; hostile bodies are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::clouddns {

// A TXT set as Cloud DNS holds it. A deletion must repeat it exactly, so the
// rrdatas are kept as Cloud DNS wrote them.
struct RecordSet {
  std::string name = {};  // with the trailing dot
  std::int64_t ttl = 0;
  std::vector<std::string> rrdatas = {};
};

// The name of the first public managed zone whose dnsName is `zone`.
Result<std::string> public_zone_name(std::string_view body, std::string_view zone);

// The TXT set of an rrsets?name=&type=TXT answer; none when the name has none.
Result<std::optional<RecordSet>> txt_set(std::string_view body);

struct ChangeStatus {
  std::string id = {};
  bool done = false;  // "done"; anything else is still "pending"
};
Result<ChangeStatus> change_status(std::string_view body);

// The body of POST .../changes; an empty `deletion` or `addition` is left out.
std::string change_body(const std::optional<RecordSet>& deletion,
                        const std::optional<RecordSet>& addition);

// A TXT value as an rrdata: quoted, '"' and '\' escaped, split into strings
// of 255 octets.
std::string quote_txt(std::string_view value);
// The inverse: quoted strings (concatenated, with \X and \DDD escapes) or a
// bare word.
std::string unquote_txt(std::string_view rrdata);

// Why a call failed: "HTTP 403: PERMISSION_DENIED: Forbidden".
std::string failure(unsigned status, std::string_view body);

}  // namespace certmill::solvers::clouddns
