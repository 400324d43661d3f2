// The object verbs: get, list, watch, create, update, patch, apply, delete,
// deletecollection, with kube-apiserver's answers for each failure.
#include <unordered_map>
#include <unordered_set>

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/builtins.hpp"
#include "tools/kube-sim/duplicates.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/patch.hpp"
#include "tools/kube-sim/protobuf.hpp"
#include "tools/kube-sim/status.hpp"
#include "tools/kube-sim/table.hpp"
#include "tools/kube-sim/validation.hpp"
#include "tools/kube-sim/yaml.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

// The labelSelector and fieldSelector of a list, watch or deletecollection
// (custom resources allow field selectors on metadata.name and
// metadata.namespace only); false, with the reason in `error`, when either
// does not parse.
bool parse_selectors(const std::string& label_text, const std::string& field_text, bool builtin,
                     std::optional<Selector>& labels, std::optional<Selector>& fields,
                     std::string& error) {
  labels = parse_label_selector(label_text, error);
  if (!labels)
    return false;
  std::vector<std::string> allowed;
  if (!builtin)
    allowed = {"metadata.name", "metadata.namespace"};
  fields = parse_field_selector(field_text, allowed, error);
  return fields.has_value();
}

std::string base_type(std::string_view content_type) {
  std::string s(content_type.substr(0, content_type.find(';')));
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

StatusDetails details_for(const ResourceType& t, std::string_view name, bool kind_is_plural) {
  StatusDetails d;
  d.present = true;
  d.name = name;
  d.group = t.group;
  d.kind = kind_is_plural ? t.plural : t.kind;
  return d;
}

Response not_found(const ResourceType& t, std::string_view name) {
  return status_response(404, "NotFound",
                         qualified(t.plural, t.group) + " \"" + std::string(name) + "\" not found",
                         details_for(t, name, true));
}

Response conflict(const ResourceType& t, std::string_view name) {
  return status_response(409, "Conflict",
                         "Operation cannot be fulfilled on " + qualified(t.plural, t.group) +
                             " \"" + std::string(name) +
                             "\": the object has been modified; please apply your changes to the "
                             "latest version and try again",
                         details_for(t, name, true));
}

Response invalid(const ResourceType& t, std::string_view name, std::vector<Cause> causes,
                 bool kind_is_plural = false) {
  StatusDetails d = details_for(t, name, kind_is_plural);
  d.causes = causes;
  std::string what = kind_is_plural ? qualified(t.plural, t.group) : qualified(t.kind, t.group);
  return status_response(422, "Invalid", invalid_message(what, name, causes), d);
}

// kube-apiserver waits about 3 s for a future version before answering; kube-sim
// answers at once, the same way.
Response too_large(std::uint64_t asked, std::uint64_t current) {
  StatusDetails d;
  d.present = true;
  d.causes = {{"ResourceVersionTooLarge", "Too large resource version", ""}};
  d.retry_after = 1;
  Response r = status_response(504, "Timeout",
                               "Timeout: Too large resource version: " + std::to_string(asked) +
                                   ", current: " + std::to_string(current),
                               d);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

Response bad_request(std::string_view message) {
  return status_response(400, "BadRequest", message);
}

bool parse_object(const std::string& body, std::string_view content_type, const ResourceType& t,
                  json::object& out, Response& error) {
  json::error_code ec;
  json::value v;
  if (content_type.starts_with("application/vnd.kubernetes.protobuf")) {
    std::string why;
    if (!protobuf_supported(t) || !protobuf_to_json(body, t, out, why)) {
      error = bad_request(why.empty() ? "protobuf bodies are not supported for " + t.plural : why);
      return false;
    }
    return true;
  }
  if (content_type.find("yaml") != std::string_view::npos) {
    std::string why;
    if (!yaml_to_json(body, v, why)) {
      error = bad_request("error converting YAML to JSON: " + why);
      return false;
    }
    if (!v.is_object()) {
      error = bad_request("the object provided is unrecognized (must be of type " + t.kind +
                          "): couldn't get version/kind; json parse error: not a JSON object");
      return false;
    }
    out = std::move(v.as_object());
    return true;
  }
  v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    std::string shown = body.size() > 200 ? body.substr(0, 200) + "..." : body;
    error =
        bad_request("the object provided is unrecognized (must be of type " + t.kind +
                    "): couldn't get version/kind; json parse error: " +
                    (ec ? ec.message() : std::string("not a JSON object")) + " (" + shown + ")");
    return false;
  }
  out = std::move(v.as_object());
  return true;
}

bool uint_param(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoull(text);
  return true;
}

std::string b64url(std::string_view in) {
  static const char* const t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (unsigned char c : in) {
    v = (v << 8) | c;
    bits += 8;
    while (bits >= 6) {
      out += t[(v >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0)
    out += t[(v << (6 - bits)) & 63];
  return out;
}

bool b64url_decode(std::string_view in, std::string& out) {
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    int x;
    if (c >= 'A' && c <= 'Z')
      x = c - 'A';
    else if (c >= 'a' && c <= 'z')
      x = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      x = c - '0' + 52;
    else if (c == '-' || c == '+')
      x = 62;
    else if (c == '_' || c == '/')
      x = 63;
    else if (c == '=')
      continue;
    else
      return false;
    v = (v << 6) | static_cast<unsigned>(x);
    bits += 6;
    if (bits >= 8) {
      out += static_cast<char>((v >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return true;
}

bool gc_relevant(const json::object& o) {
  auto* m = o.if_contains("metadata");
  if (!m || !m->is_object())
    return false;
  const auto& md = m->as_object();
  if (auto* refs = md.if_contains("ownerReferences");
      refs && refs->is_array() && !refs->as_array().empty())
    return true;
  if (auto* f = md.if_contains("finalizers"); f && f->is_array())
    for (const auto& x : f->as_array())
      if (x == "foregroundDeletion" || x == "orphan")
        return true;
  return o.contains("spec") && md.contains("deletionTimestamp") && o.at("spec").is_object() &&
         o.at("spec").as_object().contains("finalizers");
}

json::array finalizers_of(const json::object& o) {
  if (auto* m = o.if_contains("metadata"); m && m->is_object())
    if (auto* f = m->as_object().if_contains("finalizers"); f && f->is_array())
      return f->as_array();
  return {};
}

// The object without what changes on every write, for no-op detection.
json::object comparable(const json::object& o) {
  json::object c = o;
  auto& md = metadata_of(c);
  md.erase("resourceVersion");
  md.erase("managedFields");
  return c;
}

bool spec_changed(const json::object& a, const json::object& b) {
  std::unordered_set<std::string> keys;
  for (const auto& kv : a)
    keys.insert(kv.key());
  for (const auto& kv : b)
    keys.insert(kv.key());
  for (const auto& k : keys) {
    if (k == "metadata" || k == "status")
      continue;
    auto* x = a.if_contains(k);
    auto* y = b.if_contains(k);
    if (!x || !y || *x != *y)
      return true;
  }
  return false;
}

// managedFields after `manager` wrote `after` over `before` with an Update:
// it owns the fields it changed, which no other manager owns any more.
json::array update_managed(const json::object& before, const json::object& after,
                           const std::string& manager, const std::string& api_version,
                           const std::string& subresource) {
  json::array in;
  if (auto* m = before.if_contains("metadata"); m && m->is_object())
    if (auto* mf = m->as_object().if_contains("managedFields"); mf && mf->is_array())
      in = mf->as_array();
  FieldSet changed;
  for (const auto& p : leaf_fields(after)) {
    const json::value* x = value_at(before, p);
    const json::value* y = value_at(after, p);
    if (!x || !y || *x != *y)
      changed.insert(p);
  }
  FieldSet removed;
  for (const auto& p : leaf_fields(before))
    if (!value_at(after, p))
      removed.insert(p);
  json::array out;
  bool mine_found = false;
  for (auto& ev : in) {
    if (!ev.is_object())
      continue;
    auto& e = ev.as_object();
    FieldSet fs = from_fields_v1(e.contains("fieldsV1") ? e["fieldsV1"] : json::value());
    const bool mine = e["manager"] == json::value(manager) && e["operation"] == "Update" &&
                      (e.contains("subresource") ? e["subresource"] == json::value(subresource)
                                                 : subresource.empty());
    if (mine) {
      mine_found = true;
      fs.insert(changed.begin(), changed.end());
      e["time"] = now_rfc3339();
    } else {
      for (const auto& p : changed)
        fs.erase(p);
    }
    for (const auto& p : removed)
      fs.erase(p);
    if (fs.empty())
      continue;
    e["fieldsV1"] = to_fields_v1(fs);
    out.push_back(std::move(e));
  }
  if (!mine_found && !changed.empty()) {
    json::object e{{"manager", manager},        {"operation", "Update"},
                   {"apiVersion", api_version}, {"time", now_rfc3339()},
                   {"fieldsType", "FieldsV1"},  {"fieldsV1", to_fields_v1(changed)}};
    if (!subresource.empty())
      e["subresource"] = subresource;
    out.push_back(std::move(e));
  }
  return out;
}

void deep_merge(json::value& target, const json::value& applied) {
  if (!applied.is_object() || !target.is_object()) {
    target = applied;
    return;
  }
  auto& t = target.as_object();
  for (const auto& [k, v] : applied.as_object())
    deep_merge(t[k], v);
}

}  // namespace

std::string Api::manager_of(const Call& call) const {
  std::string m = call.param("fieldManager");
  if (!m.empty())
    return m;
  std::string ua = call.user_agent.substr(0, call.user_agent.find('/'));
  return ua.empty() ? "unknown" : ua;
}

bool Api::namespace_exists(std::string_view ns, bool* terminating) const {
  auto& s = const_cast<Store&>(store_);
  const json::object* o = s.find("/namespaces", "", ns);
  if (o && terminating)
    *terminating = !meta_string(*o, "deletionTimestamp").empty();
  return o != nullptr;
}

Response Api::resource(Call& call) {
  const Request& req = *call.request;
  const auto& t = *call.type;
  const std::string accept = req.accept;
  if (!accept.empty() && accept.find("json") == std::string::npos &&
      accept.find("*/*") == std::string::npos) {
    return status_response(406, "NotAcceptable",
                           "only the following media types are accepted: application/json, "
                           "application/yaml, application/vnd.kubernetes.protobuf");
  }
  if (req.method == "POST" || req.method == "PUT") {
    std::string ct = base_type(req.content_type);
    const bool protobuf = ct == "application/vnd.kubernetes.protobuf" && protobuf_supported(t);
    if (!ct.empty() && ct != "application/json" && ct != "*/*" && ct != "application/yaml" &&
        !protobuf)
      return status_response(415, "UnsupportedMediaType",
                             "the body of the request was in an unknown format - accepted media "
                             "types include: application/json, application/yaml, "
                             "application/vnd.kubernetes.protobuf");
  }
  if (call.name.empty()) {
    if (req.method == "GET") {
      std::string w = call.param("watch");
      return (w == "1" || w == "true") ? watch(call) : list(call);
    }
    if (req.method == "POST" && (call.ns_in_path || !t.namespaced)) {
      json::object object;
      Response error;
      if (!parse_object(req.body, req.content_type, t, object, error))
        return error;
      return create(call, std::move(object), false);
    }
    if (req.method == "DELETE" && !(t.plural == "namespaces"))
      return remove_collection(call);
  } else {
    if (t.namespaced && !call.ns_in_path)
      return not_found_page();
    if (req.method == "GET")
      return get(call);
    if (req.method == "PUT")
      return update(call);
    if (req.method == "PATCH")
      return patch(call);
    if (req.method == "DELETE" && call.sub.empty())
      return remove(call);
  }
  return status_response(405, "MethodNotAllowed",
                         "the server does not allow this method on the requested resource");
}

Response Api::get(Call& call) {
  call.verb = "get";
  const auto& t = *call.type;
  if (std::uint64_t asked = 0;
      uint_param(call.param("resourceVersion"), asked) && asked > store_.rv())
    return too_large(asked, store_.rv());
  const json::object* o = store_.find(t.key(), t.namespaced ? call.ns : "", call.name);
  if (!o)
    return not_found(t, call.name);
  if (wants_table(call.request->accept))
    return json_response(200, render_table(t, {o}, meta_string(*o, "resourceVersion"), true));
  return json_response(200, *o);
}

Response Api::list(Call& call) {
  call.verb = "list";
  const auto& t = *call.type;
  std::uint64_t rv_param = 0;
  if (call.has("resourceVersion") && !call.param("resourceVersion").empty() &&
      !uint_param(call.param("resourceVersion"), rv_param))
    return status_response(500, "",
                           "resourceVersion: Invalid value: \"" + call.param("resourceVersion") +
                               "\": strconv.ParseUint: parsing \"" + call.param("resourceVersion") +
                               "\": invalid syntax");
  if (call.has("resourceVersionMatch") && call.param("resourceVersion").empty()) {
    StatusDetails d;
    d.present = true;
    d.group = "meta.k8s.io";
    d.kind = "ListOptions";
    d.causes = {{"FieldValueForbidden",
                 "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
                 "resourceVersionMatch"}};
    return status_response(422, "Invalid",
                           "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: "
                           "Forbidden: resourceVersionMatch is forbidden unless resourceVersion "
                           "is provided",
                           d);
  }
  if (rv_param > store_.rv())
    return too_large(rv_param, store_.rv());
  if (rv_param > 0 && rv_param < store_.history_start() &&
      (call.param("resourceVersionMatch") == "Exact" ||
       (call.param("resourceVersionMatch").empty() && call.has("limit"))))
    return status_response(410, "Expired", "The resourceVersion for the provided list is too old.");
  std::string error;
  std::optional<Selector> labels, fields;
  if (!parse_selectors(call.param("labelSelector"), call.param("fieldSelector"), t.builtin, labels,
                       fields, error))
    return bad_request(error);
  std::uint64_t limit = 0;
  if (call.has("limit") && !uint_param(call.param("limit"), limit))
    limit = 0;
  std::uint64_t list_rv = store_.rv();
  std::string start;
  if (std::string token = call.param("continue"); !token.empty()) {
    std::string decoded;
    json::error_code ec;
    json::value v;
    if (b64url_decode(token, decoded))
      v = json::parse(decoded, ec);
    if (ec || !v.is_object() || !v.as_object().contains("start") ||
        !v.as_object().at("start").is_string() || !v.as_object().contains("rv") ||
        !v.as_object().at("rv").is_int64())
      return bad_request(
          "continue key is not valid: incorrect encoded start resourceVersion "
          "(version meta.k8s.io/v1)");
    start = v.as_object().at("start").as_string();
    list_rv = static_cast<std::uint64_t>(v.as_object().at("rv").as_int64());
    if (list_rv < store_.history_start()) {
      Response r = status_response(
          410, "Expired",
          "The provided continue parameter is too old to display a consistent list result. You "
          "can start a new list without the continue parameter, or use the continue token in "
          "this response to retrieve the remainder of the results. Continuing with the provided "
          "token results in an inconsistent list - objects that were created, modified, or "
          "deleted between the time the first chunk was returned and now may show up in the "
          "list.");
      return r;
    }
  }
  auto& bucket = store_.bucket(t.key());
  const std::string prefix = t.namespaced && call.ns_in_path ? call.ns + "/" : "";
  auto it = start.empty() ? bucket.lower_bound(prefix) : bucket.lower_bound(prefix + start);
  std::vector<const json::object*> items;
  std::size_t remaining = 0;
  std::string last_key;
  for (; it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (!matches_labels(*labels, it->second) || !matches_fields(*fields, it->second))
      continue;
    if (limit && items.size() >= limit) {
      ++remaining;
      continue;
    }
    items.push_back(&it->second);
    last_key = it->first.substr(prefix.size());
  }
  std::string cont;
  if (remaining > 0) {
    json::object tok{{"v", "meta.k8s.io/v1"},
                     {"rv", static_cast<std::int64_t>(list_rv)},
                     {"start", last_key + std::string(1, '\0')}};
    cont = b64url(json::serialize(tok));
  }
  const std::string rv_text = std::to_string(list_rv);
  if (wants_table(call.request->accept)) {
    json::object table = render_table(t, items, rv_text, true);
    if (!cont.empty()) {
      table["metadata"].as_object()["continue"] = cont;
      table["metadata"].as_object()["remainingItemCount"] = remaining;
    }
    return json_response(200, table);
  }
  json::object meta;
  if (t.builtin) {
    meta["resourceVersion"] = rv_text;
    if (!cont.empty()) {
      meta["continue"] = cont;
      meta["remainingItemCount"] = remaining;
    }
  } else {
    meta["continue"] = cont;
    if (!cont.empty())
      meta["remainingItemCount"] = remaining;
    meta["resourceVersion"] = rv_text;
  }
  // Serialized by hand so the items are not copied into a new tree.
  std::string body;
  // Items of built-in lists carry no kind and apiVersion.
  const std::string builtin_prefix =
      "{\"kind\":\"" + t.kind + "\",\"apiVersion\":\"" + t.group_version() + "\",";
  auto items_json = [&] {
    body += "\"items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i)
        body += ',';
      std::string item = json::serialize(*items[i]);
      if (t.builtin && item.starts_with(builtin_prefix))
        item.replace(0, builtin_prefix.size(), "{");
      body += item;
    }
    body += ']';
  };
  body += '{';
  if (t.builtin) {
    body += "\"kind\":" + json::serialize(json::value(t.list_kind)) +
            ",\"apiVersion\":" + json::serialize(json::value(t.group_version())) +
            ",\"metadata\":" + json::serialize(meta) + ',';
    items_json();
  } else {
    body += "\"apiVersion\":" + json::serialize(json::value(t.group_version())) + ',';
    items_json();
    body += ",\"kind\":" + json::serialize(json::value(t.list_kind)) +
            ",\"metadata\":" + json::serialize(meta);
  }
  body += "}\n";
  Response r;
  r.body = std::move(body);
  return r;
}

Response Api::watch(Call& call) {
  call.verb = "watch";
  const auto& t = *call.type;
  std::string error;
  std::optional<Selector> labels, fields;
  if (!parse_selectors(call.param("labelSelector"), call.param("fieldSelector"), t.builtin, labels,
                       fields, error))
    return bad_request(error);
  std::uint64_t from = 0;
  const std::string rv_text = call.param("resourceVersion");
  if (!rv_text.empty() && !uint_param(rv_text, from))
    return bad_request("invalid resource version: " + rv_text);
  auto w = std::make_shared<Watcher>();
  w->type_key = t.key();
  if (t.namespaced && call.ns_in_path)
    w->ns = call.ns;
  w->labels = std::move(*labels);
  w->fields = std::move(*fields);
  const std::string b = call.param("allowWatchBookmarks");
  w->bookmarks = b == "true" || b == "1";
  w->bookmark_api_version = t.group_version();
  w->bookmark_kind = t.kind;
  if (wants_table(call.request->accept)) {
    auto type = call.type;
    auto first = std::make_shared<bool>(true);
    w->render = [type, first](std::string_view event, const json::object& o) {
      json::object table = render_table(*type, {&o}, meta_string(o, "resourceVersion"), *first);
      *first = false;
      return event_line(event, table);
    };
  }
  auto deliver = [&](std::string_view event, const json::object& o, const Line& line) {
    if (w->render)
      w->push(std::make_shared<const std::string>(w->render(event, o)));
    else
      w->push(line ? line : std::make_shared<const std::string>(event_line(event, o)));
  };
  if (from == 0) {
    const auto& bucket = store_.bucket(t.key());
    const std::string prefix = w->ns.empty() ? "" : w->ns + "/";
    for (auto it = bucket.lower_bound(prefix);
         it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
      if (w->wants(it->second))
        deliver("ADDED", it->second, nullptr);
    w->delivered_rv = store_.rv();
  } else if (from < store_.history_start()) {
    json::object s = status_object(410, "Expired",
                                   "too old resource version: " + std::to_string(from) + " (" +
                                       std::to_string(store_.history_start()) + ")");
    w->push(std::make_shared<const std::string>(event_line("ERROR", s)));
    w->closing = true;
  } else {
    for (const auto& e : store_.history())
      if (e.rv > from && e.type_key == w->type_key && w->wants(*e.object))
        deliver(e.event, *e.object, e.line);
    w->delivered_rv = std::max(from, store_.rv());
  }
  Response r;
  r.watch = w;
  std::uint64_t timeout = 0;
  r.watch_timeout = uint_param(call.param("timeoutSeconds"), timeout) && timeout > 0
                        ? std::chrono::seconds(timeout)
                        : options_.default_watch_timeout;
  if (!w->closing)
    store_.add_watcher(w);
  return r;
}

Response Api::check_new_object(Call& call, json::object& object, bool create) {
  const auto& t = *call.type;
  const std::string name = meta_string(object, "name");
  if (create && !valid_dns_subdomain(name))
    return invalid(t, name,
                   {{"FieldValueInvalid",
                     "Invalid value: \"" + name +
                         "\": a lowercase RFC 1123 subdomain must consist of lower case "
                         "alphanumeric characters, '-' or '.', and must start and end with an "
                         "alphanumeric character (e.g. 'example.com', regex used for validation "
                         "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                     "metadata.name"}});
  std::string mode = call.param("fieldValidation");
  if (mode.empty())
    mode = "Warn";
  ValidationResult result;
  if (t.builtin)
    check_metadata(object, true, result);
  else
    result = validate_custom(object, t.schema, true);
  if (mode == "Strict" && call.request &&
      base_type(call.request->content_type) == "application/json") {
    const auto duplicates = duplicate_fields(call.request->body);
    if (!duplicates.empty()) {
      std::string msg = t.kind + " in version \"" + t.version + "\" cannot be handled as a " +
                        t.kind + ": strict decoding error: ";
      for (std::size_t i = 0; i < duplicates.size(); ++i)
        msg += (i ? ", " : "") + std::string("duplicate field \"") + duplicates[i] + "\"";
      return bad_request(msg);
    }
  }
  if (!result.unknown_fields.empty()) {
    if (mode == "Strict") {
      std::string msg = t.kind + " in version \"" + t.version + "\" cannot be handled as a " +
                        t.kind + ": strict decoding error: ";
      for (std::size_t i = 0; i < result.unknown_fields.size(); ++i)
        msg += (i ? ", " : "") + std::string("unknown field \"") + result.unknown_fields[i] + "\"";
      return bad_request(msg);
    }
    if (mode == "Warn")
      for (const auto& f : result.unknown_fields)
        call.warnings.push_back("299 - \"unknown field \\\"" + f + "\\\"\"");
  }
  if (!result.causes.empty())
    return invalid(t, name, result.causes);
  return Response{0, "", "", {}, nullptr, {}};
}

void Api::put(const ResourceType& type, json::object object, std::string_view event) {
  const std::uint64_t rv = store_.next_rv();
  auto& md = metadata_of(object);
  md["resourceVersion"] = std::to_string(rv);
  const std::string key = Store::key(type.namespaced ? meta_string(object, "namespace") : "",
                                     meta_string(object, "name"));
  auto& slot = store_.bucket(type.key())[key];
  if (gc_relevant(slot))
    --gc_relevant_;
  slot = type.builtin ? order_builtin(object) : sort_keys(object).as_object();
  if (gc_relevant(slot))
    ++gc_relevant_;
  store_.record(type.key(), event, slot, rv);
}

Response Api::create(Call& call, json::object object, bool from_apply) {
  call.verb = "create";
  const auto& t = *call.type;
  std::string kind = object.contains("kind") && object["kind"].is_string()
                         ? std::string(object["kind"].as_string())
                         : std::string();
  if (kind.empty())
    return bad_request("Object 'Kind' is missing in '" + json::serialize(object) + "'");
  auto& md = metadata_of(object);
  if (kind != t.kind) {
    const std::string name = meta_string(object, "name");
    StatusDetails d;
    d.present = true;
    d.name = name;
    d.group = t.group;
    d.kind = kind;
    std::string why = "Invalid value: \"" + kind + "\": must be " + t.kind;
    d.causes = {{"FieldValueInvalid", why, "kind"}};
    return status_response(
        422, "Invalid", qualified(kind, t.group) + " \"" + name + "\" is invalid: kind: " + why, d);
  }
  if (object.contains("apiVersion") && object["apiVersion"] != json::value(t.group_version()))
    return bad_request("the API version in the data (" + json::serialize(object["apiVersion"]) +
                       ") does not match the expected API version (" + t.group_version() + ")");
  if (t.namespaced) {
    std::string body_ns = meta_string(object, "namespace");
    if (!body_ns.empty() && body_ns != call.ns)
      return bad_request(
          "the namespace of the provided object does not match the namespace sent on the request");
    md["namespace"] = call.ns;
  } else {
    md.erase("namespace");
  }
  if (!call.name.empty())
    md["name"] = call.name;
  std::string name = meta_string(object, "name");
  if (name.empty()) {
    std::string gen = meta_string(object, "generateName");
    if (gen.empty())
      return invalid(t, "",
                     {{"FieldValueRequired", "Required value: name or generateName is required",
                       "metadata.name"}});
    do {
      name = gen + random_name_suffix();
    } while (store_.find(t.key(), t.namespaced ? call.ns : "", name));
    md["name"] = name;
  }
  if (Response r = check_new_object(call, object, true); r.status != 0)
    return r;
  if (t.builtin)
    if (auto r = check_builtin(t, object, nullptr))
      return *r;
  if (t.namespaced) {
    bool terminating = false;
    if (!namespace_exists(call.ns, &terminating)) {
      StatusDetails d;
      d.present = true;
      d.name = call.ns;
      d.kind = "namespaces";
      return status_response(404, "NotFound", "namespaces \"" + call.ns + "\" not found", d);
    }
    if (terminating) {
      StatusDetails d;
      d.present = true;
      d.name = name;
      d.group = t.group;
      d.kind = t.plural;
      d.causes = {{"NamespaceTerminating", "namespace " + call.ns + " is being terminated",
                   "metadata.namespace"}};
      return status_response(403, "Forbidden",
                             qualified(t.plural, t.group) + " \"" + name +
                                 "\" is forbidden: unable to create new content in namespace " +
                                 call.ns + " because it is being terminated",
                             d);
    }
  }
  if (store_.find(t.key(), t.namespaced ? call.ns : "", name))
    return status_response(409, "AlreadyExists",
                           qualified(t.plural, t.group) + " \"" + name + "\" already exists",
                           details_for(t, name, true));
  const std::string now = now_rfc3339();
  // Validation may have rebuilt the object: take metadata afresh.
  auto& fresh = metadata_of(object);
  fresh["uid"] = new_uid();
  fresh["creationTimestamp"] = now;
  for (const char* k : {"deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion",
                        "generation", "managedFields", "selfLink"})
    fresh.erase(k);
  if (has_generation(t))
    fresh["generation"] = 1;
  if (!t.builtin && t.status_subresource)
    object.erase("status");
  if (t.builtin)
    default_builtin(t, object);
  FieldSet owned = leaf_fields(object);
  if (!owned.empty() && !call.user_agent.empty()) {
    json::object e{
        {"manager", manager_of(call)},     {"operation", from_apply ? "Apply" : "Update"},
        {"apiVersion", t.group_version()}, {"time", now},
        {"fieldsType", "FieldsV1"},        {"fieldsV1", to_fields_v1(owned)}};
    metadata_of(object)["managedFields"] = json::array{std::move(e)};
  }
  if (call.param("dryRun") == "All") {
    metadata_of(object)["resourceVersion"] = std::to_string(store_.rv());
    return json_response(201, t.builtin ? order_builtin(object) : sort_keys(object));
  }
  if (t.plural == "customresourcedefinitions")
    registry_.define(object);
  put(t, std::move(object), "ADDED");
  Response r = json_response(201, *store_.find(t.key(), t.namespaced ? call.ns : "", name));
  for (const auto& w : call.warnings)
    r.headers.emplace_back("Warning", w);
  return r;
}

Response Api::update(Call& call) {
  call.verb = "update";
  const auto& t = *call.type;
  json::object object;
  Response error;
  if (!parse_object(call.request->body, call.request->content_type, t, object, error))
    return error;
  const std::string kind = object.contains("kind") && object["kind"].is_string()
                               ? std::string(object["kind"].as_string())
                               : "";
  if (!kind.empty() && kind != t.kind)
    return invalid(
        t, call.name,
        {{"FieldValueInvalid", "Invalid value: \"" + kind + "\": must be " + t.kind, "kind"}});
  const std::string body_name = meta_string(object, "name");
  if (!body_name.empty() && body_name != call.name)
    return bad_request("the name of the object (" + body_name +
                       ") does not match the name on the URL (" + call.name + ")");
  if (t.namespaced) {
    std::string body_ns = meta_string(object, "namespace");
    if (!body_ns.empty() && body_ns != call.ns)
      return bad_request(
          "the namespace of the provided object does not match the namespace sent on the request");
  }
  json::object* current = store_.find(t.key(), t.namespaced ? call.ns : "", call.name);
  if (!current)
    return not_found(t, call.name);
  const std::string rv = meta_string(object, "resourceVersion");
  if (rv.empty() && !t.builtin)
    return invalid(t, call.name,
                   {{"FieldValueInvalid", "Invalid value: 0x0: must be specified for an update",
                     "metadata.resourceVersion"}},
                   true);
  if (!rv.empty() && rv != meta_string(*current, "resourceVersion"))
    return conflict(t, call.name);
  auto& md = metadata_of(object);
  md["name"] = call.name;
  if (t.namespaced)
    md["namespace"] = call.ns;
  if (Response r = check_new_object(call, object, false); r.status != 0)
    return r;
  return write_existing(call, *current, std::move(object), "Update");
}

Response Api::write_existing(Call& call, json::object& current_ref, json::object updated,
                             std::string_view operation) {
  const auto& t = *call.type;
  const json::object current = current_ref;
  json::object result;
  if (call.sub == "status") {
    result = current;
    if (auto* s = updated.if_contains("status"))
      result["status"] = *s;
    else
      result.erase("status");
  } else {
    result = std::move(updated);
    auto& md = metadata_of(result);
    const auto& cmd = current.at("metadata").as_object();
    for (const char* k : {"uid", "creationTimestamp", "generation", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "name", "namespace"}) {
      if (auto* v = cmd.if_contains(k))
        md[k] = *v;
      else
        md.erase(k);
    }
    if (auto* mf = cmd.if_contains("managedFields"))
      md["managedFields"] = *mf;
    else
      md.erase("managedFields");
    for (const char* k : {"apiVersion", "kind"})
      if (auto* v = current.if_contains(k))
        result[k] = *v;
    if (t.status_subresource && t.plural != "customresourcedefinitions" &&
        t.plural != "namespaces") {
      if (auto* s = current.if_contains("status"))
        result["status"] = *s;
      else
        result.erase("status");
    }
    if (t.plural == "customresourcedefinitions" || t.plural == "namespaces") {
      if (auto* s = current.if_contains("status"))
        result["status"] = *s;
    }
  }
  if (t.builtin)
    if (auto r = check_builtin(t, result, &current))
      return *r;
  if (comparable(result) == comparable(current)) {
    Response r = json_response(200, current);
    for (const auto& w : call.warnings)
      r.headers.emplace_back("Warning", w);
    return r;
  }
  auto& md = metadata_of(result);
  if (has_generation(t) && spec_changed(current, result) && md.contains("generation") &&
      md["generation"].is_int64())
    md["generation"] = md["generation"].as_int64() + 1;
  if (operation == "Update")
    md["managedFields"] =
        update_managed(current, result, manager_of(call), t.group_version(), call.sub);
  const std::string key =
      Store::key(t.namespaced ? meta_string(current, "namespace") : "", call.name);
  if (!meta_string(result, "deletionTimestamp").empty() && finalizers_of(result).empty()) {
    remove_object(t.key(), key, &current);
    sweep();
    Response r = json_response(200, t.builtin ? order_builtin(result) : sort_keys(result));
    return r;
  }
  if (t.plural == "customresourcedefinitions")
    registry_.define(result);
  put(t, std::move(result), "MODIFIED");
  Response r = json_response(200, store_.bucket(t.key())[key]);
  for (const auto& w : call.warnings)
    r.headers.emplace_back("Warning", w);
  return r;
}

Response Api::patch(Call& call) {
  call.verb = "patch";
  const auto& t = *call.type;
  const std::string ct = base_type(call.request->content_type);
  if (ct == "application/apply-patch+yaml") {
    if (call.param("fieldManager").empty()) {
      StatusDetails d;
      d.present = true;
      d.group = "meta.k8s.io";
      d.kind = "PatchOptions";
      d.causes = {
          {"FieldValueRequired", "Required value: is required for apply patch", "fieldManager"}};
      return status_response(422, "Invalid",
                             "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required "
                             "value: is required for apply patch",
                             d);
    }
    return apply(call, store_.find(t.key(), t.namespaced ? call.ns : "", call.name));
  }
  if (call.has("force")) {
    StatusDetails d;
    d.present = true;
    d.group = "meta.k8s.io";
    d.kind = "PatchOptions";
    d.causes = {
        {"FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force"}};
    return status_response(422, "Invalid",
                           "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not "
                           "be specified for non-apply patch",
                           d);
  }
  const bool merge = ct == "application/merge-patch+json" ||
                     (t.builtin && ct == "application/strategic-merge-patch+json");
  if (!merge && ct != "application/json-patch+json")
    return status_response(415, "UnsupportedMediaType",
                           "the body of the request was in an unknown format - accepted media "
                           "types include: application/json-patch+json, "
                           "application/merge-patch+json, application/apply-patch+yaml");
  json::object* current = store_.find(t.key(), t.namespaced ? call.ns : "", call.name);
  if (!current)
    return not_found(t, call.name);
  json::error_code ec;
  json::value p = json::parse(call.request->body, ec);
  if (ec)
    return bad_request("error decoding patch: " + ec.message());
  json::value doc = *current;
  if (merge) {
    if (!p.is_object())
      return bad_request("error decoding patch: the patch is not a JSON object");
    merge_patch(doc, p);
  } else {
    std::string error;
    if (!p.is_array())
      return bad_request(
          "error decoding patch: json: cannot unmarshal object into Go value of "
          "type jsonpatch.Patch");
    if (!json_patch(doc, p.as_array(), error)) {
      StatusDetails d;
      d.present = true;
      return status_response(422, "Invalid", error, d);
    }
  }
  if (!doc.is_object())
    return bad_request("the patch did not produce an object");
  json::object patched = std::move(doc.as_object());
  if (meta_string(patched, "resourceVersion") != meta_string(*current, "resourceVersion") &&
      !meta_string(patched, "resourceVersion").empty())
    return conflict(t, call.name);
  if (Response r = check_new_object(call, patched, false); r.status != 0)
    return r;
  return write_existing(call, *current, std::move(patched), "Update");
}

Response Api::apply(Call& call, json::object* current) {
  call.verb = "patch";
  const auto& t = *call.type;
  json::object applied;
  Response error;
  if (!parse_object(call.request->body, call.request->content_type, t, applied, error))
    return error;
  const std::string manager = call.param("fieldManager");
  if (!current) {
    if (!call.sub.empty())
      return not_found(t, call.name);
    Response r = create(call, std::move(applied), true);
    call.verb = "patch";
    return r;
  }
  if (Response r = check_new_object(call, applied, false); r.status != 0)
    return r;
  const bool force = call.param("force") == "true";
  FieldSet fields = leaf_fields(applied);
  if (call.sub == "status")
    std::erase_if(fields, [](const std::string& f) { return !f.starts_with(".status"); });
  else if (t.status_subresource)
    std::erase_if(fields, [](const std::string& f) { return f.starts_with(".status"); });
  json::array managed;
  if (auto* mf = current->at("metadata").as_object().if_contains("managedFields");
      mf && mf->is_array())
    managed = mf->as_array();
  std::vector<std::pair<std::string, std::string>> conflicts;  // manager, field
  FieldSet previously_mine;
  for (auto& ev : managed) {
    auto& e = ev.as_object();
    FieldSet fs = from_fields_v1(e.contains("fieldsV1") ? e["fieldsV1"] : json::value());
    const bool same_sub =
        e.contains("subresource") ? e["subresource"] == json::value(call.sub) : call.sub.empty();
    if (e["manager"] == json::value(manager) && e["operation"] == "Apply" && same_sub) {
      previously_mine = fs;
      continue;
    }
    for (const auto& f : fields) {
      if (!fs.count(f))
        continue;
      const json::value* live = value_at(*current, f);
      const json::value* want = value_at(applied, f);
      if (!live || !want || *live != *want)
        conflicts.emplace_back(std::string(e["manager"].as_string()), f);
    }
  }
  if (!conflicts.empty() && !force) {
    StatusDetails d;
    d.present = true;
    std::string msg = "Apply failed with " + std::to_string(conflicts.size()) + " conflict" +
                      (conflicts.size() > 1 ? "s" : "") + ": ";
    for (std::size_t i = 0; i < conflicts.size(); ++i) {
      const auto& [m, f] = conflicts[i];
      d.causes.push_back({"FieldManagerConflict", "conflict with \"" + m + "\"", f});
      msg += (i ? ", " : "") + std::string("conflict with \"") + m + "\": " + f;
    }
    return status_response(409, "Conflict", msg, d);
  }
  json::value merged = *current;
  for (const auto& f : previously_mine)
    if (!fields.count(f))
      erase_at(merged.as_object(), f);
  json::object body = applied;
  body.erase("apiVersion");
  body.erase("kind");
  if (auto* m = body.if_contains("metadata"); m && m->is_object())
    for (const char* k : {"name", "namespace", "resourceVersion", "uid", "managedFields",
                          "creationTimestamp", "generation"})
      m->as_object().erase(k);
  if (call.sub == "status") {
    json::object only;
    if (auto* s = body.if_contains("status"))
      only["status"] = *s;
    body = std::move(only);
  }
  deep_merge(merged, body);
  json::array out;
  bool mine = false;
  for (auto& ev : managed) {
    auto& e = ev.as_object();
    FieldSet fs = from_fields_v1(e.contains("fieldsV1") ? e["fieldsV1"] : json::value());
    const bool same_sub =
        e.contains("subresource") ? e["subresource"] == json::value(call.sub) : call.sub.empty();
    if (e["manager"] == json::value(manager) && e["operation"] == "Apply" && same_sub) {
      mine = true;
      e["fieldsV1"] = to_fields_v1(fields);
      e["time"] = now_rfc3339();
      out.push_back(e);
      continue;
    }
    for (const auto& [m, f] : conflicts)
      fs.erase(f);
    if (fs.empty())
      continue;
    e["fieldsV1"] = to_fields_v1(fs);
    out.push_back(e);
  }
  if (!mine) {
    json::object e{
        {"manager", manager},    {"operation", "Apply"},     {"apiVersion", t.group_version()},
        {"time", now_rfc3339()}, {"fieldsType", "FieldsV1"}, {"fieldsV1", to_fields_v1(fields)}};
    if (!call.sub.empty())
      e["subresource"] = call.sub;
    out.push_back(std::move(e));
  }
  metadata_of(merged.as_object())["managedFields"] = std::move(out);
  return write_existing(call, *current, std::move(merged.as_object()), "Apply");
}

Response Api::remove(Call& call) {
  call.verb = "delete";
  const auto& t = *call.type;
  const std::string ns = t.namespaced ? call.ns : "";
  json::object* current = store_.find(t.key(), ns, call.name);
  if (!current)
    return not_found(t, call.name);
  std::string propagation = call.param("propagationPolicy");
  bool dry_run = call.param("dryRun") == "All";
  std::string want_uid;
  std::string want_rv;
  if (!call.request->body.empty()) {
    json::error_code ec;
    json::value v = json::parse(call.request->body, ec);
    if (ec || !v.is_object())
      return bad_request("DeleteOptions in body is not valid JSON");
    const auto& o = v.as_object();
    if (auto* p = o.if_contains("propagationPolicy"); p && p->is_string())
      propagation = p->as_string();
    if (auto* d = o.if_contains("dryRun"); d && d->is_array())
      for (const auto& x : d->as_array())
        dry_run = dry_run || x == "All";
    if (auto* pre = o.if_contains("preconditions"); pre && pre->is_object()) {
      if (auto* u = pre->as_object().if_contains("uid"); u && u->is_string())
        want_uid = u->as_string();
      if (auto* r = pre->as_object().if_contains("resourceVersion"); r && r->is_string())
        want_rv = r->as_string();
    }
  }
  const std::string uid = meta_string(*current, "uid");
  auto precondition_failed = [&](const std::string& what, const std::string& want,
                                 const std::string& have, const std::string& tail) {
    return status_response(409, "Conflict",
                           "Operation cannot be fulfilled on " + qualified(t.kind, t.group) +
                               " \"" + call.name + "\": the " + what + " in the precondition (" +
                               want + ") does not match the " + what + " in record (" + have +
                               "). " + tail,
                           details_for(t, call.name, false));
  };
  if (!want_uid.empty() && want_uid != uid)
    return precondition_failed("UID", want_uid, uid,
                               "The object might have been deleted and then recreated");
  if (!want_rv.empty() && want_rv != meta_string(*current, "resourceVersion"))
    return precondition_failed("ResourceVersion", want_rv, meta_string(*current, "resourceVersion"),
                               "The object might have been modified");
  StatusDetails done = details_for(t, call.name, true);
  done.uid = uid;
  if (dry_run)
    return status_response(200, "", "", done);
  const std::string key = Store::key(ns, call.name);
  if (t.plural == "namespaces") {
    json::object o = *current;
    if (meta_string(o, "deletionTimestamp").empty()) {
      metadata_of(o)["deletionTimestamp"] = now_rfc3339();
      metadata_of(o)["deletionGracePeriodSeconds"] = 0;
      o["status"] = json::object{{"phase", "Terminating"}};
      put(t, std::move(o), "MODIFIED");
    }
    json::object shown = store_.bucket(t.key())[key];
    sweep_needed_ = true;
    sweep();
    return json_response(200, shown);
  }
  if (t.plural == "customresourcedefinitions") {
    const std::string group = [&] {
      const auto& spec = current->at("spec").as_object();
      return std::string(spec.at("group").as_string());
    }();
    const std::string plural = std::string(
        current->at("spec").as_object().at("names").as_object().at("plural").as_string());
    const std::string instances = group + "/" + plural;
    std::vector<std::string> keys;
    for (const auto& [k, o] : store_.bucket(instances))
      keys.push_back(k);
    for (const auto& k : keys)
      remove_object(instances, k, nullptr);
    registry_.undefine(call.name);
    remove_object(t.key(), key, nullptr);
    sweep();
    return status_response(200, "", "", done);
  }
  if (propagation.empty())
    propagation = "Background";
  json::object result;
  const bool removed = delete_object(t.key(), key, propagation, &result);
  sweep();
  if (removed)
    return status_response(200, "", "", done);
  return json_response(200, result);
}

Response Api::remove_collection(Call& call) {
  call.verb = "deletecollection";
  const auto& t = *call.type;
  std::string error;
  std::optional<Selector> labels, fields;
  if (!parse_selectors(call.param("labelSelector"), call.param("fieldSelector"), t.builtin, labels,
                       fields, error))
    return bad_request(error);
  const std::string prefix = t.namespaced && call.ns_in_path ? call.ns + "/" : "";
  std::vector<std::string> keys;
  auto& bucket = store_.bucket(t.key());
  for (auto it = bucket.lower_bound(prefix);
       it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    if (matches_labels(*labels, it->second) && matches_fields(*fields, it->second))
      keys.push_back(it->first);
  json::array items;
  for (const auto& k : keys) {
    json::object result;
    delete_object(t.key(), k, "Background", &result);
    items.push_back(std::move(result));
  }
  sweep();
  json::object list;
  list["apiVersion"] = t.group_version();
  list["items"] = std::move(items);
  list["kind"] = t.list_kind;
  list["metadata"] =
      json::object{{"continue", ""}, {"resourceVersion", std::to_string(store_.rv())}};
  return json_response(200, list);
}

bool Api::delete_object(const std::string& type_key, const std::string& key,
                        std::string_view propagation, json::object* result) {
  auto& bucket = store_.bucket(type_key);
  auto it = bucket.find(key);
  if (it == bucket.end())
    return false;
  json::object o = it->second;
  auto& md = metadata_of(o);
  json::array finalizers = finalizers_of(o);
  const std::size_t before = finalizers.size();
  auto add = [&](const char* f) {
    for (const auto& x : finalizers)
      if (x == f)
        return;
    finalizers.push_back(f);
  };
  if (propagation == "Foreground")
    add("foregroundDeletion");
  else if (propagation == "Orphan")
    add("orphan");
  if (finalizers.empty()) {
    if (result)
      *result = o;
    remove_object(type_key, key, nullptr);
    return true;
  }
  const bool newly = md.if_contains("deletionTimestamp") == nullptr;
  if (newly || finalizers.size() != before) {
    md["finalizers"] = finalizers;
    if (newly) {
      md["deletionTimestamp"] = now_rfc3339();
      md["deletionGracePeriodSeconds"] = 0;
      if (auto* g = md.if_contains("generation"); g && g->is_int64())
        *g = g->as_int64() + 1;
    }
    TypePtr type;
    for (const auto& t : registry_.all())
      if (t->key() == type_key)
        type = t;
    if (type) {
      put(*type, std::move(o), "MODIFIED");
    }
  }
  sweep_needed_ = true;
  if (result)
    *result = bucket[key];
  return false;
}

void Api::remove_object(const std::string& type_key, const std::string& key,
                        const json::object* shown) {
  auto& bucket = store_.bucket(type_key);
  auto it = bucket.find(key);
  if (it == bucket.end())
    return;
  json::object event = shown ? *shown : it->second;
  if (gc_relevant(it->second))
    --gc_relevant_;
  bucket.erase(it);
  const std::uint64_t rv = store_.next_rv();
  metadata_of(event)["resourceVersion"] = std::to_string(rv);
  store_.record(type_key, "DELETED", event, rv);
  sweep_needed_ = true;
}

void Api::sweep() {
  if (gc_relevant_ == 0) {
    sweep_needed_ = false;
    return;
  }
  for (int round = 0; sweep_needed_ && round < 64; ++round) {
    sweep_needed_ = false;
    std::unordered_set<std::string> live;
    for (auto& [tk, bucket] : store_.buckets())
      for (auto& [k, o] : bucket)
        live.insert(meta_string(o, "uid"));
    struct Action {
      std::string type_key;
      std::string key;
      enum { finalize, erase } what;
      std::string finalizer;
    };
    std::vector<Action> actions;
    // Namespaces being deleted: delete their contents, then the namespace.
    for (auto& [nk, ns] : store_.bucket("/namespaces")) {
      if (meta_string(ns, "deletionTimestamp").empty())
        continue;
      const std::string prefix = meta_string(ns, "name") + "/";
      std::size_t left = 0;
      for (auto& [tk, bucket] : store_.buckets()) {
        if (tk == "/namespaces")
          continue;
        for (auto it = bucket.lower_bound(prefix);
             it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
          ++left;
          if (meta_string(it->second, "deletionTimestamp").empty())
            actions.push_back({tk, it->first, Action::erase, ""});
        }
      }
      if (left == 0)
        actions.push_back({"/namespaces", nk, Action::finalize, ""});
    }
    // Owner references: dependents of a deleted owner go; foreground and
    // orphan finalizers are processed.
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> dependents;
    for (auto& [tk, bucket] : store_.buckets()) {
      for (auto& [k, o] : bucket) {
        auto* m = o.if_contains("metadata");
        auto* refs = m ? m->as_object().if_contains("ownerReferences") : nullptr;
        if (!refs || !refs->is_array() || refs->as_array().empty())
          continue;
        bool any_live = false;
        for (const auto& r : refs->as_array()) {
          if (!r.is_object())
            continue;
          auto* u = r.as_object().if_contains("uid");
          if (u && u->is_string()) {
            dependents[std::string(u->as_string())].emplace_back(tk, k);
            any_live = any_live || live.count(std::string(u->as_string()));
          }
        }
        if (!any_live && meta_string(o, "deletionTimestamp").empty())
          actions.push_back({tk, k, Action::erase, ""});
      }
    }
    for (auto& [tk, bucket] : store_.buckets()) {
      for (auto& [k, o] : bucket) {
        if (meta_string(o, "deletionTimestamp").empty())
          continue;
        for (const auto& f : finalizers_of(o)) {
          if (f != "foregroundDeletion" && f != "orphan")
            continue;
          auto deps = dependents.find(meta_string(o, "uid"));
          const bool none = deps == dependents.end() || deps->second.empty();
          if (f == "orphan" || none) {
            actions.push_back({tk, k, Action::finalize, std::string(f.as_string())});
          } else {
            for (const auto& [dt, dk] : deps->second)
              if (meta_string(store_.bucket(dt)[dk], "deletionTimestamp").empty())
                actions.push_back({dt, dk, Action::erase, ""});
          }
        }
      }
    }
    for (const auto& a : actions) {
      auto& bucket = store_.bucket(a.type_key);
      auto it = bucket.find(a.key);
      if (it == bucket.end())
        continue;
      if (a.what == Action::erase) {
        if (meta_string(it->second, "deletionTimestamp").empty())
          delete_object(a.type_key, a.key, "Background", nullptr);
        continue;
      }
      if (a.type_key == "/namespaces") {
        remove_object(a.type_key, a.key, nullptr);
        continue;
      }
      json::object o = it->second;
      json::array left;
      for (const auto& f : finalizers_of(o))
        if (f != json::value(a.finalizer))
          left.push_back(f);
      if (a.finalizer == "orphan") {
        const std::string uid = meta_string(o, "uid");
        auto deps = dependents.find(uid);
        if (deps != dependents.end()) {
          for (const auto& [dt, dk] : deps->second) {
            auto& dep = store_.bucket(dt)[dk];
            json::object d = dep;
            json::array refs;
            for (const auto& r : metadata_of(d)["ownerReferences"].as_array())
              if (!(r.is_object() && r.as_object().contains("uid") &&
                    r.as_object().at("uid") == json::value(uid)))
                refs.push_back(r);
            metadata_of(d)["ownerReferences"] = std::move(refs);
            for (const auto& t : registry_.all())
              if (t->key() == dt) {
                put(*t, std::move(d), "MODIFIED");
                break;
              }
          }
        }
      }
      if (left.empty()) {
        remove_object(a.type_key, a.key, nullptr);
      } else {
        metadata_of(o)["finalizers"] = std::move(left);
        for (const auto& t : registry_.all())
          if (t->key() == a.type_key) {
            put(*t, std::move(o), "MODIFIED");
            break;
          }
      }
      sweep_needed_ = true;
    }
    if (!actions.empty())
      sweep_needed_ = true;
    if (actions.empty())
      break;
  }
}

}  // namespace certmill::kubesim
