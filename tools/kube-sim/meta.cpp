// Metadata helpers.
#include "tools/kube-sim/meta.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <random>
#include <vector>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

std::mt19937_64& rng() {
  static std::mt19937_64 r{std::random_device{}()};
  return r;
}

// Paths are dot-joined JSON keys; a key containing a dot is escaped as "\.".
std::string join(const std::string& prefix, std::string_view key) {
  std::string out = prefix;
  out += '.';
  for (char c : key) {
    if (c == '.' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '\\' && i + 1 < path.size()) {
      cur += path[++i];
    } else if (path[i] == '.') {
      parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += path[i];
    }
  }
  parts.push_back(std::move(cur));
  return parts;
}

void collect(const json::object& o, const std::string& prefix, FieldSet& out) {
  for (const auto& [k, v] : o) {
    std::string p = join(prefix, k);
    if (v.is_object() && !v.as_object().empty())
      collect(v.as_object(), p, out);
    else
      out.insert(p);
  }
}

}  // namespace

std::string now_rfc3339() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string new_uid() {
  std::uniform_int_distribution<int> d(0, 15);
  static const char* const hex = "0123456789abcdef";
  std::string s = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : s) {
    if (c == 'x')
      c = hex[d(rng())];
    else if (c == 'y')
      c = hex[8 + d(rng()) % 4];
  }
  return s;
}

std::string random_name_suffix() {
  static const char* const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<int> d(0, 26);
  std::string s;
  for (int i = 0; i < 5; ++i)
    s += alphabet[d(rng())];
  return s;
}

json::value sort_keys(const json::value& v) {
  if (v.is_array()) {
    json::array a;
    a.reserve(v.as_array().size());
    for (const auto& e : v.as_array())
      a.push_back(sort_keys(e));
    return a;
  }
  if (!v.is_object())
    return v;
  std::vector<const json::key_value_pair*> kvs;
  for (const auto& kv : v.as_object())
    kvs.push_back(&kv);
  std::sort(kvs.begin(), kvs.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  json::object o;
  o.reserve(kvs.size());
  for (auto* kv : kvs)
    o.emplace(kv->key(), sort_keys(kv->value()));
  return o;
}

json::object order_builtin(const json::object& in) {
  static const char* const top[] = {"kind", "apiVersion", "metadata"};
  static const char* const meta[] = {"name",
                                     "generateName",
                                     "namespace",
                                     "uid",
                                     "resourceVersion",
                                     "generation",
                                     "creationTimestamp",
                                     "deletionTimestamp",
                                     "deletionGracePeriodSeconds",
                                     "labels",
                                     "annotations",
                                     "ownerReferences",
                                     "finalizers",
                                     "managedFields"};
  json::object out;
  out.reserve(in.size());
  for (const char* k : top) {
    auto* v = in.if_contains(k);
    if (!v)
      continue;
    if (std::string_view(k) == "metadata" && v->is_object()) {
      json::object m;
      const auto& src = v->as_object();
      for (const char* mk : meta)
        if (auto* mv = src.if_contains(mk))
          m.emplace(mk, *mv);
      for (const auto& kv : src)
        if (!m.contains(kv.key()))
          m.emplace(kv.key(), kv.value());
      out.emplace(k, std::move(m));
    } else {
      out.emplace(k, *v);
    }
  }
  for (const auto& kv : in)
    if (!out.contains(kv.key()))
      out.emplace(kv.key(), kv.value());
  return out;
}

json::object& metadata_of(json::object& o) {
  auto& m = o["metadata"];
  if (!m.is_object())
    m = json::object();
  return m.as_object();
}

std::string meta_string(const json::object& o, std::string_view field) {
  if (auto* m = o.if_contains("metadata"); m && m->is_object())
    if (auto* v = m->as_object().if_contains(field); v && v->is_string())
      return std::string(v->as_string());
  return {};
}

FieldSet leaf_fields(const json::object& object) {
  FieldSet out;
  for (const auto& [k, v] : object) {
    if (k == "apiVersion" || k == "kind")
      continue;
    if (k == "metadata" && v.is_object()) {
      for (const char* owned : {"labels", "annotations", "finalizers", "ownerReferences"}) {
        auto* mv = v.as_object().if_contains(owned);
        if (!mv)
          continue;
        std::string p = join(join("", "metadata"), owned);
        if (mv->is_object() && !mv->as_object().empty())
          collect(mv->as_object(), p, out);
        else
          out.insert(p);
      }
      continue;
    }
    std::string p = join("", k);
    if (v.is_object() && !v.as_object().empty())
      collect(v.as_object(), p, out);
    else
      out.insert(p);
  }
  return out;
}

json::object to_fields_v1(const FieldSet& fields) {
  json::object root;
  for (const auto& path : fields) {
    auto parts = split(path);
    json::object* cur = &root;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      auto& next = (*cur)["f:" + parts[i]];
      if (!next.is_object())
        next = json::object();
      cur = &next.as_object();
      const bool top_metadata = i == 0 && parts[i] == "metadata";
      if (i + 1 < parts.size() && !top_metadata && !cur->contains("."))
        cur->emplace(".", json::object());
    }
  }
  return sort_keys(root).as_object();
}

FieldSet from_fields_v1(const json::value& v) {
  FieldSet out;
  std::function<void(const json::object&, const std::string&)> walk =
      [&](const json::object& o, const std::string& prefix) {
        bool child = false;
        for (const auto& [k, sub] : o) {
          if (k.starts_with("f:") && sub.is_object()) {
            child = true;
            walk(sub.as_object(), join(prefix, std::string_view(k.data(), k.size()).substr(2)));
          }
        }
        if (!child && !prefix.empty())
          out.insert(prefix);
      };
  if (v.is_object())
    walk(v.as_object(), "");
  return out;
}

const json::value* value_at(const json::object& object, const std::string& path) {
  const json::object* cur = &object;
  const json::value* v = nullptr;
  for (const auto& part : split(path)) {
    if (!cur)
      return nullptr;
    v = cur->if_contains(part);
    if (!v)
      return nullptr;
    cur = v->is_object() ? &v->as_object() : nullptr;
  }
  return v;
}

void erase_at(json::object& object, const std::string& path) {
  auto parts = split(path);
  json::object* cur = &object;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    auto* v = cur->if_contains(parts[i]);
    if (!v || !v->is_object())
      return;
    cur = &v->as_object();
  }
  cur->erase(parts.back());
}

bool valid_dns_subdomain(std::string_view name) {
  if (name.empty() || name.size() > 253)
    return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  std::size_t start = 0;
  while (true) {
    auto dot = name.find('.', start);
    auto label = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || !alnum(label.front()) || !alnum(label.back()))
      return false;
    for (char c : label)
      if (!alnum(c) && c != '-')
        return false;
    if (dot == std::string_view::npos)
      return true;
    start = dot + 1;
  }
}

}  // namespace certmill::kubesim
