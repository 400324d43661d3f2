// JSON schema of coordination.k8s.io/v1 Lease and its codec.
#include "core/api/lease.hpp"

#include "core/api/schema/meta.hpp"

namespace certmill::json {

template <>
struct Schema<api::LeaseSpec> {
  static constexpr auto fields = std::tuple{
      field("holderIdentity", &api::LeaseSpec::holder_identity),
      field("leaseDurationSeconds", &api::LeaseSpec::lease_duration_seconds),
      field("acquireTime", &api::LeaseSpec::acquire_time),
      field("renewTime", &api::LeaseSpec::renew_time),
      field("leaseTransitions", &api::LeaseSpec::lease_transitions),
  };
};

template <>
struct Schema<api::Lease> {
  static constexpr std::string_view api_version = "coordination.k8s.io/v1";
  static constexpr std::string_view kind = "Lease";
  static constexpr auto fields = std::tuple{
      required("metadata", &api::Lease::metadata),
      field("spec", &api::Lease::spec),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Lease);
