// Object metadata helpers: times, uids, generated names, key order, and the
// managedFields field sets that server-side apply uses.
#pragma once

#include <set>
#include <string>

#include <boost/json.hpp>

namespace certmill::kubesim {

std::string now_rfc3339();
std::string new_uid();
std::string random_name_suffix();

// Custom resources are written with sorted keys at every level; built-in
// kinds with kind, apiVersion and metadata first, metadata in Go field order.
boost::json::value sort_keys(const boost::json::value& v);
boost::json::object order_builtin(const boost::json::object& o);

boost::json::object& metadata_of(boost::json::object& o);
std::string meta_string(const boost::json::object& o, std::string_view field);

// A set of leaf field paths, each segment a JSON key (".spec.secretName").
using FieldSet = std::set<std::string>;
FieldSet leaf_fields(const boost::json::object& object);
boost::json::object to_fields_v1(const FieldSet& fields);
FieldSet from_fields_v1(const boost::json::value& v);
// Value at a field path, or nullptr.
const boost::json::value* value_at(const boost::json::object& object, const std::string& path);
void erase_at(boost::json::object& object, const std::string& path);

// True when RFC 1123 subdomain (object names).
bool valid_dns_subdomain(std::string_view name);

}  // namespace certmill::kubesim
