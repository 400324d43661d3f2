// `certmill check dns`' verdicts and layout, from answers already read: the
// CA domain of an ACME directory, how one server's answer reads, whether
// the zone's authoritative servers agree, and the checklist printed with
// ✓/✗ on a terminal and [ok]/[FAIL] elsewhere. Pure, so unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "solvers/dns/dns_message.hpp"
#include "tools/certmill/ops/terminal.hpp"

namespace certmill::ops {

struct CheckItem {
  bool ok = true;
  std::string title;
  std::vector<std::string> details;  // one line each, under the title
};

// The CA domain a directory's CAA property names: Let's Encrypt's
// "letsencrypt.org", a few other public ACME CAs', else the host's last two
// labels (say --ca-domain when that is not it).
std::string ca_domain_of(std::string_view directory_url);

// What a server answered for a name, as comparable lines: "CNAME target",
// "TXT \"value\"" (sorted), or the rcode, or "no records".
std::vector<std::string> answer_lines(const solvers::dns::Message& answer);

// One authoritative server's answers; `error` when it did not answer.
struct ServerAnswer {
  std::string server;  // "127.0.0.1:53"
  std::optional<std::uint32_t> serial = std::nullopt;
  std::vector<std::string> challenge = {};  // answer_lines() of the TXT question
  std::string error = {};
};

// Ok when every server answered and all with the same serial and the same
// records for `challenge`; the details name each server's answer.
CheckItem agreement_item(const std::vector<ServerAnswer>& servers, std::string_view challenge);

std::string format_checklist(const std::vector<CheckItem>& items, bool terminal,
                             const Paint& paint);

}  // namespace certmill::ops
