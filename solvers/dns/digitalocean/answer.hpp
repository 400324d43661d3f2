// DigitalOcean API v2's answers: a domain's records listed as
// {"domain_records": [{"id", "type", "name", "data", ...}], "links", "meta"},
// and errors as {"id": "unauthorized", "message": "..."}; certmill reads the
// record ids and values, and an error's id and message for the Challenge's
// reason. Pure; hostile bodies are errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::digitalocean {

struct Record {
  std::string id;  // DigitalOcean's ids are numbers, kept as their digits
  std::string data;
};

// The TXT records of a /domains/{zone}/records answer.
Result<std::vector<Record>> txt_records(std::string_view body);

// Why a call failed: "HTTP 401: DigitalOcean: unauthorized: Unable to
// authenticate you".
std::string failure(unsigned status, std::string_view body);

}  // namespace certmill::solvers::digitalocean
