// Reading Cloudflare's envelopes with simdjson.
#include "solvers/dns/cloudflare/answer.hpp"

#include <simdjson.h>

#include "solvers/dns/answer_text.hpp"

namespace certmill::solvers::cloudflare {
namespace {

// Cloudflare's code for "an identical record already exists".
constexpr int64_t kRecordExists = 81057;

std::string unquoted(std::string content) {
  if (content.size() >= 2 && content.front() == '"' && content.back() == '"')
    return content.substr(1, content.size() - 2);
  return content;
}

// The envelope's result array, when the call succeeded.
Result<simdjson::dom::array> result_array(simdjson::dom::parser& parser, std::string_view body) {
  simdjson::dom::object envelope;
  if (parser.parse(body.data(), body.size()).get(envelope) != simdjson::SUCCESS)
    return Error(Errc::invalid_json, "Cloudflare's answer is not a JSON object");
  bool success = false;
  if (envelope["success"].get(success) != simdjson::SUCCESS || !success)
    return Error(Errc::invalid_value, failure(200, body));
  simdjson::dom::array result;
  if (envelope["result"].get(result) != simdjson::SUCCESS)
    return Error(Errc::wrong_type, "Cloudflare's answer has no result list");
  return result;
}

}  // namespace

Result<std::string> zone_id(std::string_view body, std::string_view zone) {
  simdjson::dom::parser parser;
  auto zones = result_array(parser, body);
  if (!zones)
    return zones.error();
  for (simdjson::dom::element item : *zones) {
    simdjson::dom::object object;
    if (item.get(object) == simdjson::SUCCESS && !dns::json_member(object, "id").empty())
      return dns::json_member(object, "id");
  }
  return Error(Errc::missing_field, "Cloudflare has no zone " + std::string(zone) +
                                        " that these credentials can see; check the zone's name "
                                        "and the token's Zone:Read permission");
}

Result<std::vector<Record>> records(std::string_view body) {
  simdjson::dom::parser parser;
  auto items = result_array(parser, body);
  if (!items)
    return items.error();
  std::vector<Record> out;
  for (simdjson::dom::element item : *items) {
    simdjson::dom::object object;
    if (item.get(object) != simdjson::SUCCESS)
      continue;
    Record record{dns::json_member(object, "id"), dns::json_member(object, "name"),
                  unquoted(dns::json_member(object, "content"))};
    if (!record.id.empty())
      out.push_back(std::move(record));
  }
  return out;
}

std::string failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object envelope;
  simdjson::dom::array errors;
  if (parser.parse(body.data(), body.size()).get(envelope) != simdjson::SUCCESS ||
      envelope["errors"].get(errors) != simdjson::SUCCESS) {
    return body.empty() ? why : why + ": " + dns::excerpt(body);
  }
  std::size_t told = 0;
  for (simdjson::dom::element item : errors) {
    simdjson::dom::object error;
    if (item.get(error) != simdjson::SUCCESS || ++told > 3)
      continue;
    int64_t code = 0;
    (void)error["code"].get(code);
    why += ": Cloudflare error " + std::to_string(code) + ": " +
           dns::excerpt(dns::json_member(error, "message"));
  }
  return why;
}

bool already_exists(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object envelope;
  simdjson::dom::array errors;
  if (parser.parse(body.data(), body.size()).get(envelope) != simdjson::SUCCESS ||
      envelope["errors"].get(errors) != simdjson::SUCCESS)
    return false;
  for (simdjson::dom::element item : errors) {
    int64_t code = 0;
    if (item["code"].get(code) == simdjson::SUCCESS && code == kRecordExists)
      return true;
  }
  return false;
}

}  // namespace certmill::solvers::cloudflare
