// Shared plumbing of the operator commands.
#include "tools/certmill/ops/command_support.hpp"

#include <cstdio>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "k8s/api_error.hpp"
#include "tools/certmill/ops/yaml_writer.hpp"

namespace certmill::ops {

namespace json = boost::json;

std::unique_ptr<Session> open_or_report(const OpsFlags& flags) {
  auto session = Session::open(flags);
  if (!session) {
    std::fprintf(stderr, "certmill: %s\n", session.error().message().c_str());
    return nullptr;
  }
  return std::move(*session);
}

int report_error(Session& session, const Error& e, std::string_view what,
                 std::string_view group_version) {
  const std::string gv(group_version);
  if (k8s::is_not_found(e) && gv.find('/') != std::string::npos) {
    auto served = session.get_json("/apis/" + gv);
    if (!served && k8s::is_not_found(served.error())) {
      std::fprintf(stderr,
                   "certmill: the API server does not serve %s: are cert-manager's CRDs "
                   "installed? (kubectl apply -k deploy/)\n",
                   gv.c_str());
      return kExitApi;
    }
  }
  std::fprintf(stderr, "certmill: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               e.message().c_str());
  return k8s::is_not_found(e) ? kExitNotWell : kExitApi;
}

json::value json_of(const std::string& encoded) {
  return json::parse(encoded);
}

namespace {

// Two-space indentation, as kubectl's -o json.
void write_json(const json::value& v, std::size_t indent, std::string& out) {
  const std::string pad(indent + 2, ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [k, item] : v.get_object()) {
      out += (first ? "" : ",\n") + pad + json::serialize(json::value(k)) + ": ";
      write_json(item, indent + 2, out);
      first = false;
    }
    out += "\n" + std::string(indent, ' ') + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : v.get_array()) {
      out += (first ? "" : ",\n") + pad;
      write_json(item, indent + 2, out);
      first = false;
    }
    out += "\n" + std::string(indent, ' ') + "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

void print_structured(const json::value& value, std::string_view format) {
  std::string out;
  if (format == "yaml") {
    out = to_yaml(value);
  } else {
    write_json(value, 0, out);
    out += "\n";
  }
  std::fputs(out.c_str(), stdout);
}

Time now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace certmill::ops
