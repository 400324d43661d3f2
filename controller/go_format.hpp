// Text as cert-manager's Go code prints it, so that `kubectl describe` shows
// certmill's conditions and Events in the words people already search for.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace certmill::controller {

// time.Time.String() of a UTC instant: "2026-05-30 12:00:00 +0000 UTC".
std::string go_time_string(Time t);
// time.RFC1123 in UTC: "Sat, 30 May 2026 12:00:00 UTC".
std::string go_rfc1123(Time t);
// fmt's %v of a []string: "[spec.dnsNames spec.usages]".
std::string go_list(const std::vector<std::string>& values);
// fmt's %q of a string: quoted, with quotes, backslashes and control
// characters escaped ("\"a.example\"").
std::string go_quoted(std::string_view text);

}  // namespace certmill::controller
