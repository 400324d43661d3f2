// Table rendering and the JSONPath subset printer columns need.
#include "tools/kube-sim/table.hpp"

#include <chrono>
#include <ctime>

#include "tools/kube-sim/meta.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

const char* const name_description =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name automatically. "
    "Name is primarily intended for creation idempotence and configuration definition. Cannot be "
    "updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names";

std::vector<PrinterColumn> columns_of(const ResourceType& t) {
  if (!t.builtin)
    return t.columns;
  std::vector<PrinterColumn> cols;
  if (t.plural == "namespaces")
    cols.push_back({"Status", "string", "", "The status of the namespace", ".status.phase", 0});
  if (t.plural == "secrets")
    cols.push_back({"Type", "string", "", "The type of the secret", ".type", 0});
  cols.push_back({"Age", "date", "",
                  "CreationTimestamp is a timestamp representing the server "
                  "time when this object was created.",
                  ".metadata.creationTimestamp", 0});
  return cols;
}

long long seconds_since(std::string_view rfc3339) {
  std::tm tm{};
  if (rfc3339.size() < 19 ||
      !strptime(std::string(rfc3339.substr(0, 19)).c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
    return -1;
  std::time_t then = timegm(&tm);
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return static_cast<long long>(now - then);
}

void step(const json::value& v, std::string_view rest, std::vector<json::value>& out) {
  if (rest.empty()) {
    out.push_back(v);
    return;
  }
  if (rest.front() == '.') {
    rest.remove_prefix(1);
    std::size_t end = rest.find_first_of(".[");
    std::string_view field = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (field.empty()) {
      step(v, rest, out);
      return;
    }
    if (v.is_object())
      if (auto* child = v.as_object().if_contains(field))
        step(*child, rest, out);
    return;
  }
  if (rest.front() != '[')
    return;
  std::size_t close = rest.find(']');
  if (rest.substr(0, 3) == "[?(") {
    close = rest.find(")]");
    if (close == std::string_view::npos)
      return;
    std::string_view filter = rest.substr(3, close - 3);  // @.type=="Ready"
    rest.remove_prefix(close + 2);
    auto eq = filter.find("==");
    if (eq == std::string_view::npos || !v.is_array())
      return;
    std::string_view lhs = filter.substr(1, eq - 1);
    std::string_view rhs = filter.substr(eq + 2);
    if (rhs.size() >= 2 && (rhs.front() == '"' || rhs.front() == '\''))
      rhs = rhs.substr(1, rhs.size() - 2);
    for (const auto& item : v.as_array()) {
      std::vector<json::value> got;
      step(item, lhs, got);
      if (!got.empty() && got.front().is_string() && got.front().as_string() == rhs)
        step(item, rest, out);
    }
    return;
  }
  if (close == std::string_view::npos)
    return;
  std::string_view index = rest.substr(1, close - 1);
  rest.remove_prefix(close + 1);
  if (!v.is_array())
    return;
  if (index == "*") {
    for (const auto& item : v.as_array())
      step(item, rest, out);
    return;
  }
  try {
    long long i = std::stoll(std::string(index));
    const auto& a = v.as_array();
    if (i < 0)
      i += static_cast<long long>(a.size());
    if (i >= 0 && i < static_cast<long long>(a.size()))
      step(a[static_cast<std::size_t>(i)], rest, out);
  } catch (const std::exception&) {
    // Not an index: no value, as kubectl shows for a path that does not match.
  }
}

json::value cell(const PrinterColumn& c, const json::object& object) {
  auto values = eval_jsonpath(object, c.json_path);
  if (values.empty() || values.front().is_null())
    return nullptr;
  const json::value& v = values.front();
  if (c.type == "date") {
    if (!v.is_string())
      return nullptr;
    long long s = seconds_since(v.as_string());
    return json::value(s < 0 ? std::string("<invalid>") : human_age(s));
  }
  if (c.type == "integer" || c.type == "number" || c.type == "boolean")
    return v;
  if (v.is_string())
    return v;
  return json::value(json::serialize(v));
}

}  // namespace

bool wants_table(std::string_view accept) {
  return accept.find("as=Table") != std::string_view::npos;
}

std::vector<json::value> eval_jsonpath(const json::value& root, std::string_view path) {
  std::vector<json::value> out;
  if (path.size() >= 2 && path.front() == '{' && path.back() == '}')
    path = path.substr(1, path.size() - 2);
  step(root, path, out);
  return out;
}

std::string human_age(long long s) {
  if (s < 120)
    return std::to_string(s) + "s";
  long long m = s / 60;
  if (m < 10)
    return s % 60 ? std::to_string(m) + "m" + std::to_string(s % 60) + "s"
                  : std::to_string(m) + "m";
  if (m < 180)
    return std::to_string(m) + "m";
  long long h = s / 3600;
  if (h < 8)
    return m % 60 ? std::to_string(h) + "h" + std::to_string(m % 60) + "m"
                  : std::to_string(h) + "h";
  if (h < 48)
    return std::to_string(h) + "h";
  long long d = h / 24;
  if (d < 8)
    return h % 24 ? std::to_string(d) + "d" + std::to_string(h % 24) + "h"
                  : std::to_string(d) + "d";
  if (d < 365 * 2)
    return std::to_string(d) + "d";
  return std::to_string(d / 365) + "y";
}

json::object render_table(const ResourceType& type, const std::vector<const json::object*>& objects,
                          std::string_view resource_version, bool with_columns) {
  const auto cols = columns_of(type);
  json::object t;
  t["kind"] = "Table";
  t["apiVersion"] = "meta.k8s.io/v1";
  t["metadata"] = json::object{{"resourceVersion", resource_version}};
  if (with_columns) {
    json::array defs;
    defs.push_back(json::object{{"name", "Name"},
                                {"type", "string"},
                                {"format", "name"},
                                {"description", name_description},
                                {"priority", 0}});
    for (const auto& c : cols) {
      std::string description =
          !c.description.empty()
              ? c.description
              : "Custom resource definition column (in JSONPath format): " + c.json_path;
      defs.push_back(json::object{{"name", c.name},
                                  {"type", c.type},
                                  {"format", c.format},
                                  {"description", description},
                                  {"priority", c.priority}});
    }
    t["columnDefinitions"] = std::move(defs);
  } else {
    t["columnDefinitions"] = nullptr;
  }
  json::array rows;
  for (const auto* o : objects) {
    json::array cells;
    std::string name;
    if (auto* m = o->if_contains("metadata"); m && m->is_object())
      if (auto* n = m->as_object().if_contains("name"); n && n->is_string())
        name = n->as_string();
    cells.push_back(json::value(name));
    for (const auto& c : cols)
      cells.push_back(cell(c, *o));
    json::object partial;
    partial["kind"] = "PartialObjectMetadata";
    partial["apiVersion"] = "meta.k8s.io/v1";
    if (auto* m = o->if_contains("metadata"))
      partial["metadata"] = *m;
    rows.push_back(json::object{{"cells", std::move(cells)}, {"object", order_builtin(partial)}});
  }
  t["rows"] = std::move(rows);
  return t;
}

}  // namespace certmill::kubesim
