// Reading DigitalOcean's answers with simdjson.
#include "solvers/dns/digitalocean/answer.hpp"

#include <simdjson.h>

namespace certmill::solvers::digitalocean {
namespace {

constexpr std::size_t kExcerpt = 200;

std::string member(simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS)
    return {};
  return std::string(text);
}

// A bounded, printable part of a body, for a reason that quotes it.
std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, kExcerpt))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

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
        member(object, "type") != "TXT")
      continue;
    out.push_back({std::to_string(id), member(object, "data")});
  }
  return out;
}

std::string failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object error;
  if (parser.parse(body.data(), body.size()).get(error) != simdjson::SUCCESS ||
      member(error, "id").empty())
    return body.empty() ? why : why + ": " + excerpt(body);
  return why + ": DigitalOcean: " + excerpt(member(error, "id")) + ": " +
         excerpt(member(error, "message"));
}

}  // namespace certmill::solvers::digitalocean
