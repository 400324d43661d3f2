// The read verbs: get, and list with its paging (limit and continue tokens).
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/status.hpp"
#include "tools/kube-sim/table.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

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

// Continue tokens are base64url-encoded JSON, as kube-apiserver's are. The
// decoder is lenient: it also takes the standard alphabet and padding.
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

}  // namespace

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

}  // namespace certmill::kubesim
