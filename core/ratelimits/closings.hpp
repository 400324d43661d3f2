// The closings a CA's 429s set on an account's budgets, written down so a
// restarted controller knows them: no newOrder may reach the CA before the
// time the CA said. Kept in the certmill.io/rate-limit-closings annotation of
// the ACME account's key Secret, one closing a line: "LIMIT UNTIL KEY", the
// key last since a set of names has commas ("certificates-per-domain
// 2026-12-06T20:00:00Z example.com"). What can be counted again from the
// cluster (orders placed, certificates issued) is not written here.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "core/ratelimits/budget.hpp"

namespace certmill::ratelimits {

inline constexpr std::string_view kClosingsAnnotation = "certmill.io/rate-limit-closings";

using Closings = std::map<std::pair<Limit, std::string>, Instant>;

std::string format_closings(const Closings& closings);
// Lines that do not read as a closing are skipped (the annotation is
// anyone's to edit), and at most `max` are read.
Closings parse_closings(std::string_view text, std::size_t max = 10'000);

}  // namespace certmill::ratelimits
