// JSON schemas of the shared building blocks (internal to core/).
#pragma once

#include <array>
#include <utility>

#include "core/api/meta.hpp"
#include "core/json/codec.hpp"

namespace certmill::json {

template <>
struct Schema<api::OwnerReference> {
  static constexpr auto fields = std::tuple{
      required("apiVersion", &api::OwnerReference::api_version),
      required("kind", &api::OwnerReference::kind),
      required("name", &api::OwnerReference::name),
      required("uid", &api::OwnerReference::uid),
      field("controller", &api::OwnerReference::controller),
      field("blockOwnerDeletion", &api::OwnerReference::block_owner_deletion),
  };
};

template <>
struct Schema<api::ObjectMeta> {
  static constexpr auto fields = std::tuple{
      field("name", &api::ObjectMeta::name),
      field("generateName", &api::ObjectMeta::generate_name),
      field("namespace", &api::ObjectMeta::namespace_),
      field("uid", &api::ObjectMeta::uid),
      field("resourceVersion", &api::ObjectMeta::resource_version),
      field("generation", &api::ObjectMeta::generation),
      field("creationTimestamp", &api::ObjectMeta::creation_timestamp),
      field("deletionTimestamp", &api::ObjectMeta::deletion_timestamp),
      field("labels", &api::ObjectMeta::labels),
      field("annotations", &api::ObjectMeta::annotations),
      field("ownerReferences", &api::ObjectMeta::owner_references),
      field("finalizers", &api::ObjectMeta::finalizers),
  };
};

template <>
struct Schema<api::ObjectHeader> {
  static constexpr auto fields = std::tuple{
      field("apiVersion", &api::ObjectHeader::api_version),
      field("kind", &api::ObjectHeader::kind),
      field("metadata", &api::ObjectHeader::metadata),
  };
};

template <>
struct EnumNames<api::ConditionStatus> {
  static constexpr std::array values = {
      std::pair{std::string_view("True"), api::ConditionStatus::True},
      std::pair{std::string_view("False"), api::ConditionStatus::False},
      std::pair{std::string_view("Unknown"), api::ConditionStatus::Unknown},
  };
};

template <>
struct Schema<api::Condition> {
  static constexpr auto fields = std::tuple{
      required("type", &api::Condition::type),
      required("status", &api::Condition::status),
      field("reason", &api::Condition::reason),
      field("message", &api::Condition::message),
      field("lastTransitionTime", &api::Condition::last_transition_time),
      field("observedGeneration", &api::Condition::observed_generation),
  };
};

template <>
struct Schema<api::LocalObjectReference> {
  static constexpr auto fields = std::tuple{required("name", &api::LocalObjectReference::name)};
};

template <>
struct Schema<api::SecretKeySelector> {
  static constexpr auto fields = std::tuple{
      required("name", &api::SecretKeySelector::name),
      field("key", &api::SecretKeySelector::key),
  };
};

template <>
struct Schema<api::IssuerRef> {
  static constexpr auto fields = std::tuple{
      required("name", &api::IssuerRef::name),
      field("kind", &api::IssuerRef::kind),
      field("group", &api::IssuerRef::group),
  };
};

}  // namespace certmill::json
