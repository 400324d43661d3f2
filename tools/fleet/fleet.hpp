// A fleet of Certificates for the demo and the fleet benchmark: cert-manager's
// documented bootstrap as ClusterIssuers (SelfSigned → root CA → CA), then N
// ECDSA Certificates spread over namespaces, and optionally annotated
// Ingresses, created quickly with many requests in flight.
#pragma once

#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/certificate.hpp"
#include "core/api/ingress.hpp"
#include "core/result.hpp"
#include "k8s/client.hpp"

namespace certmill::fleet {

namespace asio = boost::asio;

struct FleetSpec {
  unsigned certificates = 300;
  unsigned namespaces = 10;
  unsigned ingresses = 5;  // each asks for one more Certificate
  // Where the root CA's Secret lives: the controller's --cluster-resource-namespace.
  std::string cluster_resource_namespace = "kube-system";
  // Requests in flight while creating.
  unsigned concurrency = 64;
};

// The namespaces, the two ClusterIssuers and the root CA Certificate.
std::string bootstrap_yaml(const FleetSpec& spec);
std::string namespace_of(unsigned index, const FleetSpec& spec);
api::Certificate fleet_certificate(unsigned index, const FleetSpec& spec);
api::Ingress fleet_ingress(unsigned index, const FleetSpec& spec);

// How many Certificates the fleet has once its Ingresses are served,
// the root CA included.
inline unsigned fleet_size(const FleetSpec& spec) {
  return spec.certificates + spec.ingresses + 1;
}

// Creates the bootstrap, then every Certificate and Ingress. `progress`
// hears the count created so far.
asio::awaitable<Status> create_fleet(k8s::Client& client, const FleetSpec& spec,
                                     std::function<void(unsigned)> progress = {});

}  // namespace certmill::fleet
