// Patch algorithms.
#include "tools/kube-sim/patch.hpp"

#include <vector>

namespace certmill::kubesim {

namespace json = boost::json;

void merge_patch(json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object())
    target = json::object();
  auto& t = target.as_object();
  for (const auto& [k, v] : patch.as_object()) {
    if (v.is_null()) {
      t.erase(k);
    } else {
      merge_patch(t[k], v);
    }
  }
}

namespace {

bool parse_pointer(std::string_view ptr, std::vector<std::string>& parts) {
  parts.clear();
  if (ptr.empty())
    return true;
  if (ptr.front() != '/')
    return false;
  std::string cur;
  for (std::size_t i = 1; i <= ptr.size(); ++i) {
    if (i == ptr.size() || ptr[i] == '/') {
      parts.push_back(std::move(cur));
      cur.clear();
    } else if (ptr[i] == '~' && i + 1 < ptr.size() && (ptr[i + 1] == '0' || ptr[i + 1] == '1')) {
      cur += ptr[++i] == '0' ? '~' : '/';
    } else {
      cur += ptr[i];
    }
  }
  return true;
}

bool array_index(const std::string& s, std::size_t size, bool allow_end, std::size_t& out) {
  if (allow_end && s == "-") {
    out = size;
    return true;
  }
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoul(s);
  return allow_end ? out <= size : out < size;
}

// The container holding the last segment, or nullptr.
json::value* parent_of(json::value& root, const std::vector<std::string>& parts) {
  json::value* cur = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (cur->is_object()) {
      cur = cur->as_object().if_contains(parts[i]);
    } else if (cur->is_array()) {
      std::size_t idx;
      if (!array_index(parts[i], cur->as_array().size(), false, idx))
        return nullptr;
      cur = &cur->as_array()[idx];
    } else {
      return nullptr;
    }
    if (!cur)
      return nullptr;
  }
  return cur;
}

json::value* get(json::value& root, const std::vector<std::string>& parts) {
  if (parts.empty())
    return &root;
  json::value* parent = parent_of(root, parts);
  if (!parent)
    return nullptr;
  if (parent->is_object())
    return parent->as_object().if_contains(parts.back());
  std::size_t idx;
  if (parent->is_array() && array_index(parts.back(), parent->as_array().size(), false, idx))
    return &parent->as_array()[idx];
  return nullptr;
}

bool remove(json::value& root, const std::vector<std::string>& parts, json::value* removed) {
  if (parts.empty())
    return false;
  json::value* parent = parent_of(root, parts);
  if (!parent)
    return false;
  if (parent->is_object()) {
    auto& o = parent->as_object();
    auto it = o.find(parts.back());
    if (it == o.end())
      return false;
    if (removed)
      *removed = it->value();
    o.erase(it);
    return true;
  }
  std::size_t idx;
  if (!parent->is_array() || !array_index(parts.back(), parent->as_array().size(), false, idx))
    return false;
  if (removed)
    *removed = parent->as_array()[idx];
  parent->as_array().erase(parent->as_array().begin() + static_cast<std::ptrdiff_t>(idx));
  return true;
}

bool add(json::value& root, const std::vector<std::string>& parts, json::value v) {
  if (parts.empty()) {
    root = std::move(v);
    return true;
  }
  json::value* parent = parent_of(root, parts);
  if (!parent)
    return false;
  if (parent->is_object()) {
    parent->as_object()[parts.back()] = std::move(v);
    return true;
  }
  std::size_t idx;
  if (!parent->is_array() || !array_index(parts.back(), parent->as_array().size(), true, idx))
    return false;
  auto& a = parent->as_array();
  a.insert(a.begin() + static_cast<std::ptrdiff_t>(idx), std::move(v));
  return true;
}

}  // namespace

bool json_patch(json::value& target, const json::array& ops, std::string& error) {
  json::value work = target;
  std::vector<std::string> path;
  std::vector<std::string> from;
  for (const auto& opv : ops) {
    if (!opv.is_object()) {
      error = "invalid JSON patch operation";
      return false;
    }
    const auto& op = opv.as_object();
    auto str = [&](std::string_view k) -> std::string {
      auto* v = op.if_contains(k);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    const std::string name = str("op");
    if (!op.contains("path") || !parse_pointer(str("path"), path)) {
      error = "missing or invalid path in JSON patch operation";
      return false;
    }
    const json::value* value = op.if_contains("value");
    bool ok = true;
    if (name == "add") {
      ok = value && add(work, path, *value);
    } else if (name == "remove") {
      ok = remove(work, path, nullptr);
    } else if (name == "replace") {
      json::value* at = get(work, path);
      ok = value && at;
      if (ok)
        *at = *value;
    } else if (name == "test") {
      json::value* at = get(work, path);
      ok = value && at && *at == *value;
    } else if (name == "move" || name == "copy") {
      json::value moved;
      ok = parse_pointer(str("from"), from);
      if (ok && name == "move") {
        ok = remove(work, from, &moved);
      } else if (ok) {
        json::value* at = get(work, from);
        ok = at != nullptr;
        if (ok)
          moved = *at;
      }
      ok = ok && add(work, path, std::move(moved));
    } else {
      error = "unexpected kind: " + name;
      return false;
    }
    if (!ok) {
      error = "the server rejected our request due to an error in our request";
      return false;
    }
  }
  target = std::move(work);
  return true;
}

}  // namespace certmill::kubesim
