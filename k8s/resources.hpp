// Where each API type lives on the server: group, version, plural and scope,
// from which the client builds request paths.
#pragma once

#include <string>
#include <string_view>

#include "core/api/acme.hpp"
#include "core/api/certificate.hpp"
#include "core/api/event.hpp"
#include "core/api/gateway.hpp"
#include "core/api/ingress.hpp"
#include "core/api/issuer.hpp"
#include "core/api/lease.hpp"
#include "core/api/secret.hpp"
#include "core/api/service.hpp"

namespace certmill::k8s {

struct ResourceInfo {
  std::string_view group;  // empty for the core group
  std::string_view version;
  std::string_view plural;
  bool namespaced;
};

template <class T>
struct Resource;

// clang-format off
template <> struct Resource<api::Certificate> { static constexpr ResourceInfo info{"cert-manager.io", "v1", "certificates", true}; };
template <> struct Resource<api::CertificateRequest> { static constexpr ResourceInfo info{"cert-manager.io", "v1", "certificaterequests", true}; };
template <> struct Resource<api::Issuer> { static constexpr ResourceInfo info{"cert-manager.io", "v1", "issuers", true}; };
template <> struct Resource<api::ClusterIssuer> { static constexpr ResourceInfo info{"cert-manager.io", "v1", "clusterissuers", false}; };
template <> struct Resource<api::Order> { static constexpr ResourceInfo info{"acme.cert-manager.io", "v1", "orders", true}; };
template <> struct Resource<api::Challenge> { static constexpr ResourceInfo info{"acme.cert-manager.io", "v1", "challenges", true}; };
template <> struct Resource<api::Secret> { static constexpr ResourceInfo info{"", "v1", "secrets", true}; };
template <> struct Resource<api::Event> { static constexpr ResourceInfo info{"", "v1", "events", true}; };
template <> struct Resource<api::Lease> { static constexpr ResourceInfo info{"coordination.k8s.io", "v1", "leases", true}; };
template <> struct Resource<api::Ingress> { static constexpr ResourceInfo info{"networking.k8s.io", "v1", "ingresses", true}; };
template <> struct Resource<api::Gateway> { static constexpr ResourceInfo info{"gateway.networking.k8s.io", "v1", "gateways", true}; };
template <> struct Resource<api::HTTPRoute> { static constexpr ResourceInfo info{"gateway.networking.k8s.io", "v1", "httproutes", true}; };
template <> struct Resource<api::Service> { static constexpr ResourceInfo info{"", "v1", "services", true}; };
template <> struct Resource<api::EndpointSlice> { static constexpr ResourceInfo info{"discovery.k8s.io", "v1", "endpointslices", true}; };
// clang-format on

// "/apis/cert-manager.io/v1/namespaces/ns/certificates[/name[/subresource]]";
// `ns` empty for cluster-scoped kinds or for a list across all namespaces.
std::string resource_path(const ResourceInfo& info, std::string_view ns, std::string_view name = {},
                          std::string_view subresource = {});

}  // namespace certmill::k8s
