// Cloudflare API v4's answers: every body is an envelope
// {"success", "errors": [{"code", "message"}], "result"}; certmill reads the
// ids of zones and of TXT records out of it, and an error's codes and
// messages for the Challenge's reason. Pure; hostile bodies are errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::cloudflare {

struct Record {
  std::string id;
  std::string name;
  std::string content;  // unquoted: Cloudflare may answer a TXT value in quotes
};

// The first zone's id in a /zones?name= answer; an error when there is none.
Result<std::string> zone_id(std::string_view body, std::string_view zone);

// The records of a /zones/{id}/dns_records answer.
Result<std::vector<Record>> records(std::string_view body);

// Why a call failed, from a non-2xx or "success": false answer: "HTTP 403:
// Cloudflare error 10000: Authentication error".
std::string failure(unsigned status, std::string_view body);

// Cloudflare's answer to creating a record that is already there, which
// leaves the record as certmill wants it.
bool already_exists(std::string_view body);

}  // namespace certmill::solvers::cloudflare
