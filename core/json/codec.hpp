// The schema-driven codec behind api::decode / api::encode. Internal to core/:
// only the .cpp files that instantiate codecs include it, so simdjson stays out
// of every other translation unit.
//
// Each API struct describes its JSON form once, as a Schema specialization:
//
//   template <> struct Schema<api::IssuerRef> {
//     static constexpr auto fields = std::tuple{
//         required("name", &api::IssuerRef::name),
//         field("kind", &api::IssuerRef::kind),
//     };
//   };
//
// and the same table drives decoding (with field paths in errors) and
// encoding (omitting empty optional fields).
#pragma once

#include <array>
#include <bitset>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "core/api/codec.hpp"
#include "core/api/values.hpp"
#include "core/json/path.hpp"
#include "core/json/writer.hpp"

namespace certmill::json {

using Element = simdjson::dom::element;
using api::Bytes;
using api::RawJson;

template <class T>
struct Schema;

// Maps an enum to its JSON strings: `static constexpr std::array values`.
template <class E>
struct EnumNames;

template <class Owner, class Member>
struct Field {
  std::string_view name;
  Member Owner::*member;
  bool required;
  bool always_written;
};

// Written unless empty (Go's `omitempty`), optional when read.
template <class Owner, class Member>
constexpr Field<Owner, Member> field(std::string_view name, Member Owner::*member) {
  return {name, member, false, false};
}

// Written always, an error when missing.
template <class Owner, class Member>
constexpr Field<Owner, Member> required(std::string_view name, Member Owner::*member) {
  return {name, member, true, true};
}

// Written always, even when false or zero (a Go field without `omitempty`),
// optional when read: readers such as kubectl's columns expect to see it.
template <class Owner, class Member>
constexpr Field<Owner, Member> written(std::string_view name, Member Owner::*member) {
  return {name, member, false, true};
}

template <class T>
concept Described = requires {
  Schema<T>::fields;
};

// A top-level resource also names its apiVersion and kind.
template <class T>
concept Resource = Described<T> && requires {
  { Schema<T>::api_version } -> std::convertible_to<std::string_view>;
  { Schema<T>::kind } -> std::convertible_to<std::string_view>;
};

template <class E>
concept NamedEnum = std::is_enum_v<E> && requires {
  EnumNames<E>::values;
};

// ---- errors ---------------------------------------------------------------

std::string_view type_name(Element e);
Error type_error(const Path& path, std::string_view expected, Element e);

// ---- decoding -------------------------------------------------------------

Status decode_value(Element e, const Path& path, std::string& out);
Status decode_value(Element e, const Path& path, bool& out);
Status decode_value(Element e, const Path& path, int32_t& out);
Status decode_value(Element e, const Path& path, int64_t& out);
Status decode_value(Element e, const Path& path, Duration& out);
Status decode_value(Element e, const Path& path, Time& out);
Status decode_value(Element e, const Path& path, MicroTime& out);
Status decode_value(Element e, const Path& path, Bytes& out);
Status decode_value(Element e, const Path& path, RawJson& out);
template <class T>
Status decode_value(Element e, const Path& path, std::vector<T>& out);
template <class T>
Status decode_value(Element e, const Path& path, std::optional<T>& out);
template <class T>
Status decode_value(Element e, const Path& path, std::map<std::string, T>& out);
template <NamedEnum E>
Status decode_value(Element e, const Path& path, E& out);
template <Described T>
Status decode_value(Element e, const Path& path, T& out);

template <class T>
Status decode_value(Element e, const Path& path, std::vector<T>& out) {
  simdjson::dom::array array;
  if (e.get(array) != simdjson::SUCCESS)
    return type_error(path, "array", e);
  out.clear();
  out.reserve(array.size());
  std::size_t i = 0;
  for (Element item : array) {
    const Path item_path = path.index(i++);
    if (Status s = decode_value(item, item_path, out.emplace_back()); !s)
      return s;
  }
  return {};
}

template <class T>
Status decode_value(Element e, const Path& path, std::optional<T>& out) {
  return decode_value(e, path, out.emplace());
}

template <class T>
Status decode_value(Element e, const Path& path, std::map<std::string, T>& out) {
  simdjson::dom::object object;
  if (e.get(object) != simdjson::SUCCESS)
    return type_error(path, "object", e);
  out.clear();
  for (auto [key, value] : object) {
    const Path item_path = path.key(key);
    if (value.is_null())
      continue;
    if (Status s = decode_value(value, item_path, out[std::string(key)]); !s)
      return s;
  }
  return {};
}

template <NamedEnum E>
Status decode_value(Element e, const Path& path, E& out) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS)
    return type_error(path, "string", e);
  std::string expected;
  for (const auto& [name, value] : EnumNames<E>::values) {
    if (name == text) {
      out = value;
      return {};
    }
    expected += expected.empty() ? "" : ", ";
    expected += name;
  }
  return Error(Errc::invalid_value, path.str() + ": unknown value \"" + std::string(text) +
                                        "\"; expected one of " + expected);
}

Status check_identity(const Path& path, std::string_view name, Element value,
                      std::string_view expected);

template <Described T>
Status decode_value(Element e, const Path& path, T& out) {
  simdjson::dom::object object;
  if (e.get(object) != simdjson::SUCCESS)
    return type_error(path, "object", e);
  constexpr auto& fields = Schema<T>::fields;
  constexpr std::size_t count = std::tuple_size_v<std::remove_cvref_t<decltype(fields)>>;
  std::bitset<count> seen;
  Status status;
  for (auto [key, value] : object) {
    if constexpr (Resource<T>) {
      if (key == "apiVersion") {
        status = check_identity(path, key, value, Schema<T>::api_version);
      } else if (key == "kind") {
        status = check_identity(path, key, value, Schema<T>::kind);
      }
      if (!status)
        return status;
    }
    // null means "not set", as encoding/json treats it.
    if (value.is_null())
      continue;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (void)((std::get<I>(fields).name == key
                  ? (seen.set(I),
                     status = decode_value(value, path.key(key), out.*(std::get<I>(fields).member)),
                     true)
                  : false) ||
             ...);
    }
    (std::make_index_sequence<count>{});
    if (!status)
      return status;
  }
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)((std::get<I>(fields).required && !seen.test(I)
                ? (status = Error(Errc::missing_field, path.key(std::get<I>(fields).name).str() +
                                                           ": required field is missing"),
                   true)
                : false) ||
           ...);
  }
  (std::make_index_sequence<count>{});
  return status;
}

// ---- encoding -------------------------------------------------------------

void encode_value(JsonWriter& w, const std::string& v);
void encode_value(JsonWriter& w, bool v);
void encode_value(JsonWriter& w, int32_t v);
void encode_value(JsonWriter& w, int64_t v);
void encode_value(JsonWriter& w, Duration v);
void encode_value(JsonWriter& w, Time v);
void encode_value(JsonWriter& w, MicroTime v);
void encode_value(JsonWriter& w, const Bytes& v);
void encode_value(JsonWriter& w, const RawJson& v);
template <class T>
void encode_value(JsonWriter& w, const std::vector<T>& v);
template <class T>
void encode_value(JsonWriter& w, const std::optional<T>& v);
template <class T>
void encode_value(JsonWriter& w, const std::map<std::string, T>& v);
template <NamedEnum E>
void encode_value(JsonWriter& w, E v);
template <Described T>
void encode_value(JsonWriter& w, const T& v);

template <class T>
void encode_value(JsonWriter& w, const std::vector<T>& v) {
  w.begin_array();
  for (const auto& item : v)
    encode_value(w, item);
  w.end_array();
}

template <class T>
void encode_value(JsonWriter& w, const std::optional<T>& v) {
  if (v) {
    encode_value(w, *v);
  } else {
    w.null();
  }
}

template <class T>
void encode_value(JsonWriter& w, const std::map<std::string, T>& v) {
  w.begin_object();
  for (const auto& [key, value] : v) {
    w.key(key);
    encode_value(w, value);
  }
  w.end_object();
}

template <NamedEnum E>
void encode_value(JsonWriter& w, E v) {
  for (const auto& [name, value] : EnumNames<E>::values) {
    if (value == v)
      return w.string(name);
  }
  w.null();
}

// `omitempty`: an optional is empty when unset, anything else when it equals
// its default value.
template <class T>
bool is_empty(const T& v) {
  return v == T{};
}
template <class T>
bool is_empty(const std::optional<T>& v) {
  return !v.has_value();
}

template <Described T>
void encode_value(JsonWriter& w, const T& v) {
  w.begin_object();
  if constexpr (Resource<T>) {
    w.key("apiVersion");
    w.string(Schema<T>::api_version);
    w.key("kind");
    w.string(Schema<T>::kind);
  }
  std::apply(
      [&](const auto&... f) {
        (
            [&] {
              const auto& value = v.*(f.member);
              if (f.always_written || !is_empty(value)) {
                w.key(f.name);
                encode_value(w, value);
              }
            }(),
            ...);
      },
      Schema<T>::fields);
  w.end_object();
}

// ---- documents ------------------------------------------------------------

// Parses `json` with this thread's parser. The element is valid until the next
// parse on this thread.
Result<Element> parse_document(std::string_view json);

template <Described T>
Result<T> decode_document(std::string_view json) {
  auto root = parse_document(json);
  if (!root)
    return root.error();
  T out{};
  if (Status s = decode_value(*root, Path::root(), out); !s)
    return s.error();
  return out;
}

// Who an object that failed to decode is, read from its metadata as far as
// that goes.
api::InvalidObject invalid_object(Element object, Error error);

template <Resource T>
Result<api::List<T>> decode_list_document(std::string_view json) {
  auto root = parse_document(json);
  if (!root)
    return root.error();
  simdjson::dom::object object;
  const Path path = Path::root();
  if (root->get(object) != simdjson::SUCCESS)
    return type_error(path, "object", *root);
  api::List<T> out;
  for (auto [key, value] : object) {
    Status s;
    if (key == "kind") {
      s = check_identity(path, key, value, std::string(Schema<T>::kind) + "List");
    } else if (key == "metadata" && value.is_object()) {
      // Held by value: value_unsafe() refers into a temporary result that is
      // gone before a range-for over it begins (ASan finds it at -O0).
      const simdjson::dom::object metadata = value.get_object().value_unsafe();
      // A Path refers to its parent: the parent must outlive it, not be the
      // temporary of one expression (fuzz_api_json found that one).
      const Path metadata_path = path.key("metadata");
      for (auto [mkey, mvalue] : metadata) {
        const Path mpath = metadata_path.key(mkey);
        if (mvalue.is_null())
          continue;
        if (mkey == "resourceVersion")
          s = decode_value(mvalue, mpath, out.resource_version);
        if (mkey == "continue")
          s = decode_value(mvalue, mpath, out.continue_token);
        if (mkey == "remainingItemCount")
          s = decode_value(mvalue, mpath, out.remaining_item_count);
        if (!s)
          return s.error();
      }
    } else if (key == "items" && !value.is_null()) {
      simdjson::dom::array items;
      if (value.get(items) != simdjson::SUCCESS)
        return type_error(path.key(key), "array", value);
      std::size_t i = 0;
      for (Element item : items) {
        T decoded{};
        if (Status item_status = decode_value(item, path.key(key).index(i++), decoded)) {
          out.items.push_back(std::move(decoded));
        } else {
          out.invalid.push_back(invalid_object(item, item_status.error()));
        }
      }
    }
    if (!s)
      return s.error();
  }
  return out;
}

template <>
struct EnumNames<api::WatchEventType> {
  static constexpr std::array values = {
      std::pair{std::string_view("ADDED"), api::WatchEventType::Added},
      std::pair{std::string_view("MODIFIED"), api::WatchEventType::Modified},
      std::pair{std::string_view("DELETED"), api::WatchEventType::Deleted},
      std::pair{std::string_view("BOOKMARK"), api::WatchEventType::Bookmark},
      std::pair{std::string_view("ERROR"), api::WatchEventType::Error},
  };
};

// A named function rather than a decode_value overload: Status's schema lives
// in status.cpp only, and overload resolution elsewhere must not ask for it.
Status decode_status(Element e, const Path& path, api::Status& out);

// A bookmark's object is a bare header; only its resourceVersion matters.
Status decode_bookmark(Element object, const Path& path, std::string_view api_version,
                       std::string_view kind, std::string& resource_version);

template <Resource T>
Result<api::WatchEvent<T>> decode_watch_event_document(std::string_view json) {
  auto root = parse_document(json);
  if (!root)
    return root.error();
  const Path path = Path::root();
  simdjson::dom::object event;
  if (root->get(event) != simdjson::SUCCESS)
    return type_error(path, "object", *root);
  Element type, object;
  if (event["type"].get(type) != simdjson::SUCCESS || type.is_null())
    return Error(Errc::missing_field, "type: required field is missing");
  api::WatchEvent<T> out;
  if (Status s = decode_value(type, path.key("type"), out.type); !s)
    return s.error();
  if (event["object"].get(object) != simdjson::SUCCESS || object.is_null())
    return Error(Errc::missing_field, "object: required field is missing");
  const Path object_path = path.key("object");
  Status status;
  switch (out.type) {
    case api::WatchEventType::Added:
    case api::WatchEventType::Modified:
    case api::WatchEventType::Deleted:
      if (Status object_status = decode_value(object, object_path, out.object.emplace());
          !object_status) {
        out.object.reset();
        out.invalid = invalid_object(object, object_status.error());
      }
      break;
    case api::WatchEventType::Bookmark:
      status = decode_bookmark(object, object_path, Schema<T>::api_version, Schema<T>::kind,
                               out.bookmark_resource_version);
      break;
    case api::WatchEventType::Error:
      status = decode_status(object, object_path, out.error.emplace());
      break;
  }
  if (!status)
    return status.error();
  return out;
}

template <Described T>
std::string encode_document(const T& value) {
  JsonWriter w;
  encode_value(w, value);
  return w.take();
}

}  // namespace certmill::json

// The public entry points of core/api/codec.hpp, instantiated per resource by
// CERTMILL_RESOURCE_CODEC in that resource's .cpp file.
template <class T>
certmill::Result<T> certmill::api::decode(std::string_view json) {
  return json::decode_document<T>(json);
}
template <class T>
certmill::Result<certmill::api::List<T>> certmill::api::decode_list(std::string_view json) {
  return json::decode_list_document<T>(json);
}
template <class T>
certmill::Result<certmill::api::WatchEvent<T>> certmill::api::decode_watch_event(
    std::string_view json) {
  return json::decode_watch_event_document<T>(json);
}
template <class T>
std::string certmill::api::encode(const T& object) {
  return json::encode_document(object);
}

#define CERTMILL_RESOURCE_CODEC(Type)                                                      \
  template ::certmill::Result<Type> certmill::api::decode<Type>(std::string_view);         \
  template ::certmill::Result<certmill::api::List<Type>> certmill::api::decode_list<Type>( \
      std::string_view);                                                                   \
  template ::certmill::Result<certmill::api::WatchEvent<Type>>                             \
      certmill::api::decode_watch_event<Type>(std::string_view);                           \
  template std::string certmill::api::encode<Type>(const Type&)
