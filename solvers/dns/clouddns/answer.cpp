// Reading Cloud DNS's answers with simdjson, writing its changes with the
// JSON writer.
#include "solvers/dns/clouddns/answer.hpp"

#include <simdjson.h>

#include "core/json/writer.hpp"
#include "solvers/dns/answer_text.hpp"

namespace certmill::solvers::clouddns {
namespace {

// RFC 1035's limit of one character-string.
constexpr std::size_t kStringOctets = 255;

Result<simdjson::dom::object> object_of(simdjson::dom::parser& parser, std::string_view body) {
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS)
    return Error(Errc::invalid_json,
                 "Cloud DNS's answer is not a JSON object: " + dns::excerpt(body));
  return object;
}

void write_set(json::JsonWriter& out, const RecordSet& set) {
  out.begin_object();
  out.key("name");
  out.string(set.name);
  out.key("type");
  out.string("TXT");
  out.key("ttl");
  out.number(set.ttl);
  out.key("rrdatas");
  out.begin_array();
  for (const std::string& rrdata : set.rrdatas)
    out.string(rrdata);
  out.end_array();
  out.end_object();
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<std::string> public_zone_name(std::string_view body, std::string_view zone) {
  simdjson::dom::parser parser;
  auto object = object_of(parser, body);
  if (!object)
    return object.error();
  simdjson::dom::array zones;
  if ((*object)["managedZones"].get(zones) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : zones) {
      simdjson::dom::object managed;
      if (item.get(managed) != simdjson::SUCCESS)
        continue;
      const std::string visibility = dns::json_member(managed, "visibility");
      if (dns::dns_name_key(dns::json_member(managed, "dnsName")) == dns::dns_name_key(zone) &&
          (visibility.empty() || visibility == "public") &&
          !dns::json_member(managed, "name").empty())
        return dns::json_member(managed, "name");
    }
  }
  return Error(Errc::missing_field, "Cloud DNS has no public managed zone " + std::string(zone) +
                                        " in this project that these credentials can see; set "
                                        "hostedZoneName or check the project and the zone");
}

Result<std::optional<RecordSet>> txt_set(std::string_view body) {
  simdjson::dom::parser parser;
  auto object = object_of(parser, body);
  if (!object)
    return object.error();
  simdjson::dom::array sets;
  if ((*object)["rrsets"].get(sets) != simdjson::SUCCESS)
    return std::optional<RecordSet>();
  for (simdjson::dom::element item : sets) {
    simdjson::dom::object set;
    simdjson::dom::array rrdatas;
    if (item.get(set) != simdjson::SUCCESS || dns::json_member(set, "type") != "TXT" ||
        set["rrdatas"].get(rrdatas) != simdjson::SUCCESS)
      continue;
    RecordSet out{.name = dns::json_member(set, "name"), .ttl = 0, .rrdatas = {}};
    (void)set["ttl"].get(out.ttl);
    for (simdjson::dom::element rrdata : rrdatas) {
      std::string_view text;
      if (rrdata.get(text) == simdjson::SUCCESS)
        out.rrdatas.emplace_back(text);
    }
    return std::optional<RecordSet>(std::move(out));
  }
  return std::optional<RecordSet>();
}

Result<ChangeStatus> change_status(std::string_view body) {
  simdjson::dom::parser parser;
  auto object = object_of(parser, body);
  if (!object)
    return object.error();
  ChangeStatus out{.id = dns::json_member(*object, "id"),
                   .done = dns::json_member(*object, "status") == "done"};
  if (out.id.empty())
    return Error(Errc::missing_field, "Cloud DNS's change has no id: " + dns::excerpt(body));
  return out;
}

std::string change_body(const std::optional<RecordSet>& deletion,
                        const std::optional<RecordSet>& addition) {
  json::JsonWriter out;
  out.begin_object();
  for (const auto& [key, set] : {std::pair{"deletions", &deletion}, {"additions", &addition}}) {
    if (!*set)
      continue;
    out.key(key);
    out.begin_array();
    write_set(out, **set);
    out.end_array();
  }
  out.end_object();
  return out.take();
}

std::string quote_txt(std::string_view value) {
  std::string out;
  do {
    const std::string_view part = value.substr(0, kStringOctets);
    value.remove_prefix(part.size());
    out += out.empty() ? "\"" : " \"";
    for (const char c : part) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    out += '"';
  } while (!value.empty());
  return out;
}

std::string unquote_txt(std::string_view rrdata) {
  if (!rrdata.starts_with('"'))
    return std::string(rrdata);
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < rrdata.size(); ++i) {
    const char c = rrdata[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\' && i + 3 < rrdata.size() && is_digit(rrdata[i + 1]) &&
               is_digit(rrdata[i + 2]) && is_digit(rrdata[i + 3])) {
      out += static_cast<char>((rrdata[i + 1] - '0') * 100 + (rrdata[i + 2] - '0') * 10 +
                               (rrdata[i + 3] - '0'));
      i += 3;
    } else if (c == '\\' && i + 1 < rrdata.size()) {
      out += rrdata[++i];
    } else if (quoted) {
      out += c;
    }
  }
  return out;
}

std::string failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object envelope;
  simdjson::dom::object error;
  if (parser.parse(body.data(), body.size()).get(envelope) != simdjson::SUCCESS ||
      envelope["error"].get(error) != simdjson::SUCCESS)
    return body.empty() ? why : why + ": " + dns::excerpt(body);
  if (const std::string code = dns::json_member(error, "status"); !code.empty())
    why += ": " + dns::excerpt(code);
  return why + ": " + dns::excerpt(dns::json_member(error, "message"));
}

}  // namespace certmill::solvers::clouddns
