// The Kubernetes building blocks every resource shares: ObjectMeta, owner
// references, conditions and the small reference types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/api/values.hpp"

namespace certmill::api {

using StringMap = std::map<std::string, std::string>;

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> block_owner_deletion;
  bool operator==(const OwnerReference&) const = default;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::optional<Time> creation_timestamp;
  std::optional<Time> deletion_timestamp;
  StringMap labels;
  StringMap annotations;
  std::vector<OwnerReference> owner_references;
  std::vector<std::string> finalizers;
  bool operator==(const ObjectMeta&) const = default;
};

// The first lines of any object: enough to report an error on an object whose
// body does not decode.
struct ObjectHeader {
  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  bool operator==(const ObjectHeader&) const = default;
};

enum class ConditionStatus { True, False, Unknown };

struct Condition {
  std::string type;
  ConditionStatus status = ConditionStatus::Unknown;
  std::string reason;
  std::string message;
  std::optional<Time> last_transition_time;
  std::optional<int64_t> observed_generation;
  bool operator==(const Condition&) const = default;
};

struct LocalObjectReference {
  std::string name;
  bool operator==(const LocalObjectReference&) const = default;
};

// A key in a Secret in the referring object's namespace (cert-manager's
// SecretKeySelector).
struct SecretKeySelector {
  std::string name;
  std::string key;
  bool operator==(const SecretKeySelector&) const = default;
};

// cert-manager's ObjectReference: which Issuer signs.
struct IssuerRef {
  std::string name;
  std::string kind;   // "Issuer" when empty
  std::string group;  // "cert-manager.io" when empty
  bool operator==(const IssuerRef&) const = default;
};

}  // namespace certmill::api
