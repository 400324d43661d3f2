// Reading DigitalOcean's answers with simdjson.
#include "solvers/dns/digitalocean/answer.hpp"

#include <simdjson.h>

#include "solvers/dns/answer_text.hpp"

namespace certmill::solvers::digitalocean {
namespace {}  // namespace

Result<std::vector<Record>> txt_records(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object answer;
  if (parser.parse(body.data(), body.size()).get(answer) != simdjson::SUCCESS)
    return Error(Errc::invalid_json, "DigitalOcean's answer is not a JSON object");
  simdjson::dom::array items;
  if (answer["domain_records"].get(items) != simdjson::SUCCESS)
    return Error(Errc::wrong_type, "DigitalOcean's answer has no domain_records list");
  std::vector<Record> out;
  for (simdjson::dom::element item : items) {
    simdjson::dom::object object;
    uint64_t id = 0;
    if (item.get(object) != simdjson::SUCCESS || object["id"].get(id) != simdjson::SUCCESS ||
        dns::json_member(object, "type") != "TXT")
      continue;
    out.push_back({std::to_string(id), dns::json_member(object, "data")});
  }
  return out;
}

std::string failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object error;
  if (parser.parse(body.data(), body.size()).get(error) != simdjson::SUCCESS ||
      dns::json_member(error, "id").empty())
    return body.empty() ? why : why + ": " + dns::excerpt(body);
  return why + ": DigitalOcean: " + dns::excerpt(dns::json_member(error, "id")) + ": " +
         dns::excerpt(dns::json_member(error, "message"));
}

}  // namespace certmill::solvers::digitalocean
