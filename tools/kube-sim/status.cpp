// Status objects and the plain answers built around them.
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

boost::json::object status_object(int code, std::string_view reason, std::string_view message,
                                  const StatusDetails& details) {
  json::object s;
  s["kind"] = "Status";
  s["apiVersion"] = "v1";
  s["metadata"] = json::object();
  s["status"] = code < 300 ? "Success" : "Failure";
  if (!message.empty())
    s["message"] = message;
  if (!reason.empty())
    s["reason"] = reason;
  if (details.present) {
    json::object d;
    if (!details.name.empty())
      d["name"] = details.name;
    if (!details.group.empty())
      d["group"] = details.group;
    if (!details.kind.empty())
      d["kind"] = details.kind;
    if (!details.uid.empty())
      d["uid"] = details.uid;
    if (!details.causes.empty()) {
      json::array causes;
      for (const auto& c : details.causes) {
        json::object o;
        o["reason"] = c.reason;
        o["message"] = c.message;
        if (!c.field.empty())
          o["field"] = c.field;
        causes.push_back(std::move(o));
      }
      d["causes"] = std::move(causes);
    }
    if (details.retry_after > 0)
      d["retryAfterSeconds"] = details.retry_after;
    s["details"] = std::move(d);
  }
  if (code >= 300)
    s["code"] = code;
  return s;
}

Response json_response(int code, const boost::json::value& body) {
  Response r;
  r.status = code;
  r.body = json::serialize(body);
  r.body += '\n';
  return r;
}

Response status_response(int code, std::string_view reason, std::string_view message,
                         const StatusDetails& details) {
  return json_response(code, status_object(code, reason, message, details));
}

Response not_found_page() {
  Response r;
  r.status = 404;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = "404 page not found\n";
  return r;
}

std::string qualified(std::string_view name, std::string_view group) {
  std::string out(name);
  if (!group.empty()) {
    out += '.';
    out += group;
  }
  return out;
}

}  // namespace certmill::kubesim
