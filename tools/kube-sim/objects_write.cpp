// What every writing verb shares: checking the object it was sent, naming the
// field manager, and the two store changes (put, remove_object) that tell
// watchers and keep the garbage collector's count.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/builtins.hpp"
#include "tools/kube-sim/duplicates.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/validation.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

// Whether the garbage collector must look at `o`: put and remove_object keep
// Api::gc_relevant_ as the count of these so sweep() can skip the scan.
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

}  // namespace

std::string Api::manager_of(const Call& call) const {
  std::string m = call.param("fieldManager");
  if (!m.empty())
    return m;
  std::string ua = call.user_agent.substr(0, call.user_agent.find('/'));
  return ua.empty() ? "unknown" : ua;
}

Response Api::check_new_object(Call& call, json::object& object, const json::object* old) {
  const bool create = old == nullptr;
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
    result = validate_custom(object, t.schema, true, old);
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
  return Response{0, "", "", {}, nullptr, {}, std::nullopt};
}

void Api::put(const ResourceType& type, json::object object, std::string_view event) {
  const std::uint64_t rv = store_.next_rv();
  auto& md = metadata_of(object);
  md["resourceVersion"] = std::to_string(rv);
  const std::string key = Store::key(type.namespaced ? meta_string(object, "namespace") : "",
                                     meta_string(object, "name"));
  auto& slot = store_.bucket(type.key())[key];
  const ObjectRef ref{type.key(), key};
  if (gc_relevant(slot))
    --gc_relevant_;
  unindex_for_gc(ref, slot);
  slot = type.builtin ? order_builtin(object) : sort_keys(object).as_object();
  if (gc_relevant(slot))
    ++gc_relevant_;
  index_for_gc(ref, slot);
  store_.record(type.key(), event, slot, rv);
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
  unindex_for_gc({type_key, key}, it->second);
  const std::string uid = meta_string(it->second, "uid");
  live_uids_.erase(uid);
  // Its dependents may have lost their last owner.
  if (auto owned = dependents_.find(uid); owned != dependents_.end())
    owners_to_check_.insert(owned->second.begin(), owned->second.end());
  bucket.erase(it);
  const std::uint64_t rv = store_.next_rv();
  metadata_of(event)["resourceVersion"] = std::to_string(rv);
  store_.record(type_key, "DELETED", event, rv);
  sweep_needed_ = true;
}

}  // namespace certmill::kubesim
