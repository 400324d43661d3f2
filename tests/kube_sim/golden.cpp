// Recording loader and shape comparison.
#include "tests/kube_sim/golden.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace certmill::test {

namespace json = boost::json;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read recording " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Splits "head\n\nbody" into header lines and the body.
void split_message(const std::string& text, std::vector<std::string>& head, std::string& body) {
  auto blank = text.find("\n\n");
  std::string h = blank == std::string::npos ? text : text.substr(0, blank);
  body = blank == std::string::npos ? "" : text.substr(blank + 2);
  std::istringstream in(h);
  std::string line;
  while (std::getline(in, line))
    head.push_back(line);
}

bool is_value_key(std::string_view key) {
  return key == "kind" || key == "apiVersion" || key == "reason" || key == "code" ||
         key == "type" || key == "status" || key == "operation" || key == "subresource";
}

void walk(const json::value& e, const json::value& a, const std::string& path, Shape shape,
          int depth, std::vector<std::string>& out) {
  if (e.kind() != a.kind() && !(e.is_number() && a.is_number())) {
    out.push_back(path + ": recorded " + json::serialize(e).substr(0, 80) + ", got " +
                  json::serialize(a).substr(0, 80));
    return;
  }
  if (e.is_object()) {
    const auto& eo = e.as_object();
    const auto& ao = a.as_object();
    for (const auto& kv : eo) {
      std::string p = path + "." + std::string(kv.key());
      const json::value* av = ao.if_contains(kv.key());
      if (!av) {
        out.push_back(p + ": missing");
        continue;
      }
      if (is_value_key(kv.key()) && !kv.value().is_object() && !kv.value().is_array() &&
          kv.value() != *av &&
          !(kv.key() == "status" && path.find(".conditions") != std::string::npos)) {
        out.push_back(p + ": recorded " + json::serialize(kv.value()) + ", got " +
                      json::serialize(*av));
        continue;
      }
      if (shape == Shape::top && depth >= 0)
        continue;
      // managedFields entries record who changed what; their field sets follow
      // from the operations, so only their presence is compared.
      if (kv.key() == "managedFields" || kv.key() == "fieldsV1")
        continue;
      walk(kv.value(), *av, p, shape, depth + 1, out);
    }
    for (const auto& kv : ao)
      if (!eo.contains(kv.key()))
        out.push_back(path + "." + std::string(kv.key()) + ": not in the recording");
    return;
  }
  if (e.is_array()) {
    const auto& ea = e.as_array();
    const auto& aa = a.as_array();
    if (ea.size() != aa.size()) {
      out.push_back(path + ": recorded " + std::to_string(ea.size()) + " elements, got " +
                    std::to_string(aa.size()));
      return;
    }
    for (std::size_t i = 0; i < ea.size(); ++i)
      walk(ea[i], aa[i], path + "[" + std::to_string(i) + "]", shape, depth + 1, out);
  }
}

std::vector<json::value> json_lines(const std::string& body) {
  std::vector<json::value> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    json::error_code ec;
    auto v = json::parse(line, ec);
    if (!ec)
      out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::string golden_dir() {
  if (const char* d = std::getenv("KUBE_API_GOLDEN"))
    return d;
  return std::string(CERTMILL_SOURCE_DIR) + "/tests/kube_sim/golden";
}

HttpRequest recorded_request(const std::string& name, const std::string& token) {
  std::vector<std::string> head;
  HttpRequest r;
  split_message(slurp(golden_dir() + "/" + name + ".request.txt"), head, r.body);
  if (head.empty())
    throw std::runtime_error("empty recording " + name);
  std::istringstream first(head[0]);
  first >> r.method >> r.target;
  r.accept.clear();
  r.user_agent.clear();
  for (std::size_t i = 1; i < head.size(); ++i) {
    auto colon = head[i].find(": ");
    if (colon == std::string::npos)
      continue;
    std::string k = lower(head[i].substr(0, colon));
    std::string v = head[i].substr(colon + 2);
    if (k == "accept")
      r.accept = v;
    else if (k == "content-type")
      r.content_type = v;
    else if (k == "user-agent")
      r.user_agent = v;
    else if (k == "authorization")
      r.token = token;
  }
  while (!r.body.empty() && r.body.back() == '\n')
    r.body.pop_back();
  return r;
}

Recorded recorded_response(const std::string& name) {
  std::vector<std::string> head;
  Recorded r;
  split_message(slurp(golden_dir() + "/" + name + ".response.txt"), head, r.body);
  std::istringstream first(head.at(0));
  std::string version;
  first >> version >> r.status;
  for (std::size_t i = 1; i < head.size(); ++i) {
    auto colon = head[i].find(": ");
    if (colon != std::string::npos)
      r.headers.emplace_back(lower(head[i].substr(0, colon)), head[i].substr(colon + 2));
  }
  return r;
}

std::vector<std::string> compare_json(const json::value& expected, const json::value& actual,
                                      Shape shape) {
  std::vector<std::string> out;
  walk(expected, actual, "", shape, shape == Shape::top ? 0 : -1000, out);
  return out;
}

std::vector<std::string> compare(const Recorded& expected, const HttpResponse& actual,
                                 Shape shape) {
  std::vector<std::string> out;
  if (expected.status != actual.status)
    out.push_back("status: recorded " + std::to_string(expected.status) + ", got " +
                  std::to_string(actual.status) + " (" + actual.body.substr(0, 300) + ")");
  std::string ect;
  for (const auto& [k, v] : expected.headers)
    if (k == "content-type")
      ect = v;
  if (ect != actual.header("content-type"))
    out.push_back("content-type: recorded " + ect + ", got " + actual.header("content-type"));
  std::size_t warnings = 0;
  for (const auto& [k, v] : expected.headers)
    warnings += k == "warning";
  if (warnings != actual.all("warning").size())
    out.push_back("Warning headers: recorded " + std::to_string(warnings) + ", got " +
                  std::to_string(actual.all("warning").size()));
  if (!out.empty() && expected.status != actual.status)
    return out;
  json::error_code probe;
  json::parse(expected.body, probe);
  if (ect.rfind("application/json", 0) != 0 && probe) {
    if (expected.body != actual.body)
      out.push_back("body: recorded \"" + expected.body + "\", got \"" + actual.body + "\"");
    return out;
  }
  json::error_code ec;
  json::value e = json::parse(expected.body, ec);
  if (ec) {
    // A watch body: one event per line.
    auto el = json_lines(expected.body);
    auto al = json_lines(actual.body);
    if (el.size() != al.size()) {
      out.push_back("events: recorded " + std::to_string(el.size()) + ", got " +
                    std::to_string(al.size()) + " (" + actual.body.substr(0, 300) + ")");
      return out;
    }
    for (std::size_t i = 0; i < el.size(); ++i)
      for (auto& d : compare_json(el[i], al[i], shape))
        out.push_back("event " + std::to_string(i) + d);
    return out;
  }
  json::value a = json::parse(actual.body, ec);
  if (ec) {
    out.push_back("body is not JSON: " + actual.body.substr(0, 200));
    return out;
  }
  if (shape == Shape::status_only) {
    if (e.is_object() && e.as_object().contains("reason") &&
        (!a.is_object() || a.as_object()["reason"] != e.as_object().at("reason")))
      out.push_back("reason: recorded " + json::serialize(e.as_object().at("reason")) + ", got " +
                    json::serialize(a));
    return out;
  }
  for (auto& d : compare_json(e, a, shape))
    out.push_back(d);
  return out;
}

}  // namespace certmill::test
