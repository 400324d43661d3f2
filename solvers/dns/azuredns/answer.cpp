// Reading Azure's answers with simdjson, writing record sets with JsonWriter.
#include "solvers/dns/azuredns/answer.hpp"

#include <charconv>

#include <simdjson.h>

#include "core/json/writer.hpp"
#include "solvers/dns/answer_text.hpp"

namespace certmill::solvers::azuredns {
namespace {

// Entra's descriptions go on with trace ids and a timestamp that change on
// every try: the first line says what is wrong.
std::string line_excerpt(std::string_view text) {
  return dns::excerpt(dns::first_line(text), 300);
}

// ARM's error object: {"error": {...}}, or the body itself when it has a code.
bool arm_error(simdjson::dom::object body, simdjson::dom::object& error) {
  if (body["error"].get(error) == simdjson::SUCCESS)
    return true;
  error = body;
  return !dns::json_member(body, "code").empty();
}

}  // namespace

Result<AccessToken> parse_token(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object answer;
  if (parser.parse(body.data(), body.size()).get(answer) != simdjson::SUCCESS)
    return Error(Errc::invalid_json, "the token answer is not a JSON object");
  AccessToken token{.value = dns::json_member(answer, "access_token"), .expires_in = {}};
  if (token.value.empty())
    return Error(Errc::missing_field, "the token answer has no access_token");
  int64_t seconds = 0;
  std::string_view text;
  if (answer["expires_in"].get(text) == simdjson::SUCCESS) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size())
      return Error(Errc::invalid_value, "the token answer's expires_in is not a number");
  } else if (answer["expires_in"].get(seconds) != simdjson::SUCCESS) {
    return Error(Errc::missing_field, "the token answer has no expires_in");
  }
  if (seconds <= 0)
    return Error(Errc::invalid_value, "the token answer's expires_in is not positive");
  token.expires_in = std::chrono::seconds(seconds);
  return token;
}

Result<TxtSet> parse_txt_set(std::string_view body, std::string_view etag_header) {
  simdjson::dom::parser parser;
  simdjson::dom::object set;
  if (parser.parse(body.data(), body.size()).get(set) != simdjson::SUCCESS)
    return Error(Errc::invalid_json, "Azure's record set is not a JSON object");
  TxtSet out;
  out.etag = dns::json_member(set, "etag");
  if (out.etag.empty())
    out.etag = std::string(etag_header);
  simdjson::dom::object properties;
  if (set["properties"].get(properties) != simdjson::SUCCESS)
    return Error(Errc::wrong_type, "Azure's record set has no properties");
  (void)properties["TTL"].get(out.ttl);
  simdjson::dom::array records;
  if (properties["TXTRecords"].get(records) != simdjson::SUCCESS)
    return out;  // a set of another type's shape holds no TXT values
  for (simdjson::dom::element record : records) {
    simdjson::dom::array strings;
    if (record["value"].get(strings) != simdjson::SUCCESS)
      return Error(Errc::wrong_type, "a TXT record of Azure's set has no value list");
    TxtStrings parts;
    for (simdjson::dom::element part : strings) {
      std::string_view text;
      if (part.get(text) != simdjson::SUCCESS)
        return Error(Errc::wrong_type, "a TXT record of Azure's set holds a non-string");
      parts.emplace_back(text);
    }
    out.records.push_back(std::move(parts));
  }
  return out;
}

std::string txt_set_body(int64_t ttl, const std::vector<TxtStrings>& records) {
  json::JsonWriter out;
  out.begin_object();
  out.key("properties");
  out.begin_object();
  out.key("TTL");
  out.number(ttl);
  out.key("TXTRecords");
  out.begin_array();
  for (const TxtStrings& record : records) {
    out.begin_object();
    out.key("value");
    out.begin_array();
    for (const std::string& part : record)
      out.string(part);
    out.end_array();
    out.end_object();
  }
  out.end_array();
  out.end_object();
  out.end_object();
  return out.take();
}

std::string joined(const TxtStrings& strings) {
  std::string out;
  for (const std::string& part : strings)
    out += part;
  return out;
}

std::string arm_error_code(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object answer;
  simdjson::dom::object error;
  if (parser.parse(body.data(), body.size()).get(answer) != simdjson::SUCCESS ||
      !arm_error(answer, error))
    return {};
  return dns::json_member(error, "code");
}

std::string failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object answer;
  if (parser.parse(body.data(), body.size()).get(answer) != simdjson::SUCCESS)
    return body.empty() ? why : why + ": " + line_excerpt(body);
  std::string_view entra_code;
  if (answer["error"].get(entra_code) == simdjson::SUCCESS)
    return why + ": " + line_excerpt(entra_code) + ": " +
           line_excerpt(dns::json_member(answer, "error_description"));
  simdjson::dom::object error;
  if (arm_error(answer, error))
    return why + ": " + line_excerpt(dns::json_member(error, "code")) + ": " +
           line_excerpt(dns::json_member(error, "message"));
  return why + ": " + line_excerpt(body);
}

}  // namespace certmill::solvers::azuredns
