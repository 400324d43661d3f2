// Protobuf wire decoding for the few built-in kinds kubectl sends that way,
// and the TokenRequest `kubectl create token` sends.
#include "tools/kube-sim/protobuf.hpp"

#include <cstdint>
#include <functional>
#include <span>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      auto b = static_cast<unsigned char>(data_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80))
        return true;
    }
    return false;
  }
  // One field: its number, wire type and, for length-delimited ones, bytes.
  bool field(std::uint32_t& number, int& wire, std::string_view& bytes, std::uint64_t& value) {
    std::uint64_t key;
    if (!varint(key))
      return false;
    number = static_cast<std::uint32_t>(key >> 3);
    wire = static_cast<int>(key & 7);
    switch (wire) {
      case 0:
        return varint(value);
      case 1:
        if (pos_ + 8 > data_.size())
          return false;
        pos_ += 8;
        return true;
      case 2: {
        std::uint64_t len;
        if (!varint(len) || len > data_.size() - pos_)
          return false;
        bytes = data_.substr(pos_, len);
        pos_ += len;
        return true;
      }
      case 5:
        if (pos_ + 4 > data_.size())
          return false;
        pos_ += 4;
        return true;
      default:
        return false;
    }
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

using Visit = std::function<bool(std::uint32_t, int, std::string_view, std::uint64_t)>;

bool each(std::string_view message, const Visit& visit) {
  Reader r(message);
  while (!r.done()) {
    std::uint32_t n;
    int wire;
    std::string_view bytes;
    std::uint64_t value = 0;
    if (!r.field(n, wire, bytes, value) || !visit(n, wire, bytes, value))
      return false;
  }
  return true;
}

std::string base64(std::string_view in) {
  static const char* const t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size())
      v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// A map<string, string|bytes> entry: key = 1, value = 2.
bool map_entry(std::string_view entry, json::object& into, bool bytes_value) {
  std::string key;
  std::string value;
  bool ok = each(entry, [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t) {
    if (wire == 2 && n == 1)
      key = b;
    if (wire == 2 && n == 2)
      value = b;
    return true;
  });
  into[key] = bytes_value ? base64(value) : value;
  return ok;
}

bool object_meta(std::string_view m, json::object& md) {
  return each(m, [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t) {
    if (wire != 2)
      return true;
    switch (n) {
      case 1:
        md["name"] = b;
        break;
      case 2:
        md["generateName"] = b;
        break;
      case 3:
        md["namespace"] = b;
        break;
      case 11:
      case 12: {
        auto& target = md[n == 11 ? "labels" : "annotations"];
        if (!target.is_object())
          target = json::object();
        return map_entry(b, target.as_object(), false);
      }
      case 14: {
        auto& f = md["finalizers"];
        if (!f.is_array())
          f = json::array();
        f.as_array().emplace_back(b);
        break;
      }
      default:
        break;
    }
    return true;
  });
}

// TokenRequestSpec: audiences = 1, boundObjectRef = 3 (kind 1, apiVersion
// 2, name 3, uid 4), expirationSeconds = 4.
bool token_request_spec(std::string_view m, json::object& out) {
  json::object spec;
  json::array audiences;
  const bool ok = each(m, [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t v) {
    if (n == 1 && wire == 2)
      audiences.emplace_back(b);
    if (n == 4 && wire == 0)
      spec["expirationSeconds"] = static_cast<std::int64_t>(v);
    if (n == 3 && wire == 2) {
      json::object ref;
      static const char* const keys[] = {"", "kind", "apiVersion", "name", "uid"};
      const bool read = each(b, [&](std::uint32_t rn, int rw, std::string_view rb, std::uint64_t) {
        if (rw == 2 && rn >= 1 && rn <= 4)
          ref[keys[rn]] = rb;
        return true;
      });
      spec["boundObjectRef"] = std::move(ref);
      return read;
    }
    return true;
  });
  if (!audiences.empty())
    spec["audiences"] = std::move(audiences);
  out["spec"] = std::move(spec);
  return ok;
}

// Strings at field numbers 1.. of `m`, named by `keys` (keys[n - 1]).
bool named_strings(std::string_view m, std::span<const char* const> keys, json::object& out) {
  return each(m, [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t) {
    if (wire == 2 && n >= 1 && n <= keys.size())
      out[keys[n - 1]] = b;
    return true;
  });
}

// SelfSubjectAccessReviewSpec: resourceAttributes = 1 (namespace, verb,
// group, version, resource, subresource, name), nonResourceAttributes = 2
// (path, verb).
bool access_review_spec(std::string_view m, json::object& out) {
  static const char* const resource[] = {"namespace", "verb",        "group", "version",
                                         "resource",  "subresource", "name"};
  static const char* const non_resource[] = {"path", "verb"};
  json::object spec;
  const bool ok = each(m, [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t) {
    if (wire != 2 || (n != 1 && n != 2))
      return true;
    json::object attributes;
    const bool read = n == 1 ? named_strings(b, resource, attributes)
                             : named_strings(b, non_resource, attributes);
    spec[n == 1 ? "resourceAttributes" : "nonResourceAttributes"] = std::move(attributes);
    return read;
  });
  out["spec"] = std::move(spec);
  return ok;
}

}  // namespace

bool protobuf_supported(const ResourceType& type) {
  return type.builtin && type.group.empty() &&
         (type.plural == "namespaces" || type.plural == "secrets" || type.plural == "configmaps" ||
          type.plural == "serviceaccounts");
}

bool protobuf_to_json(std::string_view body, const ResourceType& type, json::object& out,
                      std::string& error) {
  if (!body.starts_with(std::string_view("k8s\0", 4))) {
    error =
        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]";
    return false;
  }
  std::string_view raw;
  std::string kind;
  std::string api_version;
  bool ok = each(body.substr(4), [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t) {
    if (wire == 2 && n == 1)
      return each(b, [&](std::uint32_t tn, int tw, std::string_view tb, std::uint64_t) {
        if (tw == 2 && tn == 1)
          api_version = tb;
        if (tw == 2 && tn == 2)
          kind = tb;
        return true;
      });
    if (wire == 2 && n == 2)
      raw = b;
    return true;
  });
  if (!ok) {
    error = "unable to decode the protobuf envelope";
    return false;
  }
  out = json::object();
  out["kind"] = kind.empty() ? type.kind : kind;
  out["apiVersion"] = api_version.empty() ? type.group_version() : api_version;
  json::object md;
  json::object data;
  json::object binary;
  ok = each(raw, [&](std::uint32_t n, int wire, std::string_view b, std::uint64_t v) {
    if (n == 1 && wire == 2)
      return object_meta(b, md);
    if (type.plural == "namespaces" && n == 2 && wire == 2) {
      json::array finalizers;
      each(b, [&](std::uint32_t fn, int fw, std::string_view fb, std::uint64_t) {
        if (fn == 1 && fw == 2)
          finalizers.emplace_back(fb);
        return true;
      });
      out["spec"] = json::object{{"finalizers", finalizers}};
    }
    if (type.plural == "secrets") {
      if (n == 2 && wire == 2)
        return map_entry(b, data, true);
      if (n == 3 && wire == 2)
        out["type"] = b;
      if (n == 4 && wire == 2) {
        auto& sd = out["stringData"];
        if (!sd.is_object())
          sd = json::object();
        return map_entry(b, sd.as_object(), false);
      }
      if (n == 5 && wire == 0)
        out["immutable"] = v != 0;
    }
    if (type.plural == "serviceaccounts" && n == 4 && wire == 0)
      out["automountServiceAccountToken"] = v != 0;
    if (type.plural == "tokenrequests" && n == 2 && wire == 2)
      return token_request_spec(b, out);
    if (type.plural == "selfsubjectaccessreviews" && n == 2 && wire == 2)
      return access_review_spec(b, out);
    if (type.plural == "selfsubjectrulesreviews" && n == 2 && wire == 2) {
      static const char* const keys[] = {"namespace"};
      json::object spec;
      const bool read = named_strings(b, keys, spec);
      out["spec"] = std::move(spec);
      return read;
    }
    if (type.plural == "configmaps") {
      if (n == 2 && wire == 2)
        return map_entry(b, data, false);
      if (n == 3 && wire == 2)
        return map_entry(b, binary, true);
      if (n == 4 && wire == 0)
        out["immutable"] = v != 0;
    }
    return true;
  });
  if (!ok) {
    error = "unable to decode the protobuf " + type.kind;
    return false;
  }
  out["metadata"] = std::move(md);
  if (!data.empty())
    out["data"] = std::move(data);
  if (!binary.empty())
    out["binaryData"] = std::move(binary);
  return true;
}

}  // namespace certmill::kubesim
