// What every DNS provider's answer reader needs: a string member of a JSON
// object (empty when absent or not a string), a bounded printable excerpt of
// what a server said, for a reason that quotes it without control characters
// or megabytes, and names compared as DNS compares them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace certmill::solvers::dns {

std::string json_member(simdjson::dom::object object, std::string_view key);

// Up to `limit` characters, others than printable ASCII written as '?'.
std::string excerpt(std::string_view text, std::size_t limit = 200);

// The text up to its first line break.
std::string_view first_line(std::string_view text);

// "_ACME-challenge.Example.test." -> "_acme-challenge.example.test"
std::string dns_name_key(std::string_view name);

}  // namespace certmill::solvers::dns
